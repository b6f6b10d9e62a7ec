import Sockets
import SystemClock

extension Duration {
    /// Milliseconds with 0.1 ms resolution, as the contract's `*_ms` fields carry them.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        let exact = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return (exact * 10).rounded() / 10
    }
}

extension MonotonicTime {
    func milliseconds(since earlier: MonotonicTime) -> Double {
        duration(since: earlier).milliseconds
    }
}
