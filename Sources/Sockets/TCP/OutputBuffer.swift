/// Bytes queued for one socket: a single growable allocation, reused from response to response.
///
/// Not an `[UInt8]`: serialising a response head through `Array.append` paid a uniqueness
/// check, a capacity check and a call for each of a dozen pieces, and emptying it went through
/// the generic `replaceSubrange`. Here a writer reserves room once and stores bytes through a
/// pointer; emptying is two stores. Noncopyable, so the allocation has exactly one owner.
public struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    /// Bytes written.
    public private(set) var count = 0
    /// Bytes already handed to the kernel; `sent..<count` is still queued.
    private(set) var sent = 0

    /// A buffer that grew past this for one large response is freed once it drains, so an
    /// idle kept-alive connection does not pin megabytes.
    static let retainedCapacity = 64 * 1024
    private static let initialCapacity = 1024

    public init() {}

    deinit {
        base?.deallocate()
    }

    var isDrained: Bool { sent == count }

    /// Lets `body` write up to `maximum` bytes at the end of the queue and keeps as many as it
    /// returns (clamped to `0...maximum`).
    public mutating func write(upTo maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        let start = reserve(maximum)
        let written = body(UnsafeMutableBufferPointer(start: start, count: maximum))
        count += min(max(written, 0), maximum)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let start = reserve(bytes.count)
        UnsafeMutableRawPointer(start).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Calls `body` with the bytes queued and not yet sent.
    public func withUnsafeQueuedBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        guard let base else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: base + sent, count: count - sent))
    }

    /// The queued bytes not yet sent; valid until the next mutation.
    func withPending<Result>(_ body: (UnsafeRawPointer, Int) -> Result) -> Result? {
        guard let base, sent < count else { return nil }
        return body(UnsafeRawPointer(base + sent), count - sent)
    }

    /// Records that the kernel took `byteCount` more bytes; a drained buffer starts over at
    /// its beginning.
    mutating func markSent(_ byteCount: Int) {
        sent += byteCount
        guard sent == count else { return }
        sent = 0
        count = 0
        if capacity > Self.retainedCapacity { release() }
    }

    /// Drops everything queued and the allocation (the socket closed).
    mutating func release() {
        base?.deallocate()
        base = nil
        capacity = 0
        count = 0
        sent = 0
    }

    /// Room for `extra` more bytes; returns where they go. Grows geometrically, so a run of
    /// pipelined responses costs amortised constant time per byte.
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        let needed = count + extra
        if let base, needed <= capacity { return base + count }
        let newCapacity = max(needed, capacity * 2, Self.initialCapacity)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let base {
            grown.update(from: base, count: count)
            base.deallocate()
        }
        base = grown
        capacity = newCapacity
        return grown + count
    }
}
