import Sockets

extension HTTPConnection {
    /// Input buffer storage kept between requests: a read's worth (the loop reads 64 KiB).
    static let retainedBufferCapacity = 64 * 1024

    func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer) {
        guard isAcceptingInput else { return }
        if readIndex == buffer.count {
            // Nothing buffered (the usual case: whole requests per read): parse where the loop
            // read them, and copy only an incomplete tail.
            let input = bytes.assumingMemoryBound(to: UInt8.self)
            let used = consume(input)
            keepUnconsumed(UnsafeBufferPointer(rebasing: input[used...]))
        } else {
            if readIndex >= 16 * 1024 {
                // A client that keeps a partial request at the end of every read would otherwise
                // grow the buffer forever; parser offsets are relative to `readIndex`, so this is safe.
                buffer.removeSubrange(0..<readIndex)
                readIndex = 0
            }
            buffer.append(contentsOf: bytes)
            process()
        }
        if case .responding = phase, buffer.count - readIndex > 64 * 1024 {
            // Pipelined bytes pile up while an async handler runs; stop reading until it answers.
            socket.pauseReading()
        }
        socket.flush()
    }

    /// Advances through every complete request in `buffer` (after a read that found bytes
    /// already buffered, or once an async handler has answered).
    func process() {
        guard readIndex < buffer.count else {
            _ = consume(UnsafeBufferPointer(start: nil, count: 0))
            return
        }
        // Moved out while it is read: handling a request may reset `buffer` (a close), which
        // must not overlap this access.
        let pending = buffer
        let start = readIndex
        buffer = []
        readIndex = 0
        let used = pending.withUnsafeBufferPointer { consume(UnsafeBufferPointer(rebasing: $0[start...])) }
        guard isAcceptingInput, buffer.isEmpty else { return }
        buffer = pending
        readIndex = start + used
    }

    private var isAcceptingInput: Bool {
        switch phase {
        case .lingering, .closing, .closed: false
        case .awaitingHead, .readingBody, .responding: true
        }
    }

    /// Copies the bytes a read left over (a partial request, or pipelined requests behind an
    /// async handler) into `buffer`, unless the connection is closing anyway.
    private func keepUnconsumed(_ rest: UnsafeBufferPointer<UInt8>) {
        guard !rest.isEmpty, isAcceptingInput else { return }
        // The storage is kept for the next partial request, unless a burst grew it past what
        // reads need: then it goes, so an idle connection does not hold it for its lifetime.
        if buffer.capacity > Self.retainedBufferCapacity { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
        readIndex = 0
        buffer.append(contentsOf: rest)
    }

    /// Handles every complete request in `input`, in order; returns the bytes used. Stops at
    /// an incomplete request, while an async handler runs, or when the connection closes.
    private func consume(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while true {
            switch phase {
            case .awaitingHead:
                guard index < input.count else {
                    if requestsServed > 0 && !headInProgress {
                        deadline = deadline(afterNanoseconds: idleNanos)
                    }
                    if inputClosed || isDraining { beginClose(linger: false) }
                    return index
                }
                if !headInProgress {
                    headInProgress = true
                    deadline = deadline(afterNanoseconds: headerReadNanos)
                }
                var used = 0
                var framing = RequestFraming()
                let request: HTTPRequest
                do {
                    // Bound straight from the call, so the request is moved rather than copied
                    // out of an optional.
                    guard let parsed = try headParser.parse(
                        UnsafeBufferPointer(rebasing: input[index...]), used: &used, framing: &framing
                    ) else {
                        return index
                    }
                    request = parsed
                } catch let error as HTTPParseError {
                    fail(error)
                    return index
                } catch {
                    fail(HTTPParseError(.badRequest, "The request could not be parsed."))
                    return index
                }
                index += used
                headParser.reset()
                headInProgress = false
                startRequest(request, framing, bodyBytesFollow: index < input.count)
            case .readingBody:
                guard var pending = pendingBody.take() else {
                    phase = .awaitingHead
                    continue
                }
                phase = .responding  // not a real state: the body is complete or goes back below
                do {
                    let (complete, used) = try readBody(&pending, from: UnsafeBufferPointer(rebasing: input[index...]))
                    index += used
                    if complete {
                        let framing = ResponseFraming(pending.request, pending.framing)
                        dispatch(pending.request, framing, pending.resolved)
                    } else {
                        pendingBody = pending
                        phase = .readingBody
                        return index
                    }
                } catch let error as HTTPParseError {
                    fail(error)
                    return index
                } catch {
                    fail(HTTPParseError(.badRequest, "The request body could not be read."))
                    return index
                }
            case .responding, .closing, .lingering, .closed:
                return index
            }
        }
    }
}
