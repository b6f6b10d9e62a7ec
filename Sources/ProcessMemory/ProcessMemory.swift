import CProcessShims

/// How the process hands memory back to the system.
public enum ProcessMemory {
    /// Allocations from this size up get mappings of their own. 256 KiB: above a read buffer
    /// and a typical request or response (a few KB), below every large body.
    public static let ownMappingThreshold = 256 * 1024

    /// Makes large allocations (request bodies up to 16 MiB, their inflated copies, big
    /// responses) go back to the kernel when freed. Call once, before serving.
    ///
    /// Why: glibc serves a block over `M_MMAP_THRESHOLD` (128 KiB at first) from its own
    /// mapping, but each time such a block is freed it raises the threshold to that block's
    /// size (up to 32 MiB). After one 16 MiB body, every later one came from the heap arenas
    /// of whichever threads touched it, and freed arena memory is kept, not returned: rounds of
    /// 16 MiB bodies, gzip bombs and 413s took the server from 35 MB to 193 MB resident, never
    /// given back (issue 14). Setting the threshold fixes it (and turns that adjustment off),
    /// at the cost of an mmap/munmap pair per large allocation, small beside filling 256 KiB.
    /// A no-op where the C library is not glibc.
    @discardableResult
    public static func returnLargeAllocationsWhenFreed() -> Bool {
        cprocess_set_mmap_threshold(Int32(ownMappingThreshold)) == 1
    }
}
