import Foundation

extension Responder {
    /// Runs an async handler under `deadline`: its answer, or ``RequestDeadlines/error`` as soon
    /// as the deadline passes (the handler's task is then cancelled, and whatever it answers
    /// later is dropped). The handler runs in a task of its own so that a handler stuck where
    /// cancellation does not reach (a blocking database call) cannot hold the answer back.
    func run(_ handler: @escaping AsyncHandler, _ request: HTTPRequest, _ context: RequestContext,
             within deadline: RequestDeadline?) async throws -> HTTPResponse {
        guard let deadline, let error = deadlines?.error else { return try await handler(request, context) }
        defer { deadline.finish() }
        return try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let task = Task {
                do { answer.resume(with: .success(try await handler(request, context))) } catch { answer.resume(with: .failure(error)) }
            }
            deadline.onExpire {
                answer.resume(with: .failure(error))
                task.cancel()
            }
        }
    }

    /// Starts the deadline of a deferred handler's request: when it passes first, the sink
    /// answers with the deadline's error (later answers are ignored, as for any second answer).
    func armDeadline(_ deadline: RequestDeadline?, answering sink: ResponseSink) {
        guard let deadline, let error = deadlines?.error else { return }
        deadline.onExpire { [weak sink] in sink?.fail(error) }
    }
}

/// Resumes a continuation once, whichever of the handler and the deadline comes first.
private final class FirstAnswer: @unchecked Sendable {
    // @unchecked Sendable is safe because `continuation` is only taken under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?

    init(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.continuation = continuation
    }

    func resume(with result: Result<HTTPResponse, any Error>) {
        lock.withLock { continuation.take() }?.resume(with: result)
    }
}
