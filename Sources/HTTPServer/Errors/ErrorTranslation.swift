/// Turns an error of a layer below HTTP (a storage error, say) into the error it should be
/// answered as, before ``ProblemDocument`` sees it; errors it does not know it returns as they
/// are.
///
/// Handed to ``Router/buildResponder(middleware:problemTypes:translatingErrors:)`` so that one
/// function maps such errors for every route, middleware, admission check and deferred
/// handler: a failure that escapes a handler's own mapping (a token lookup, say) is answered
/// the same as one inside it, instead of as a 500.
public typealias ErrorTranslation = @Sendable (any Error) -> any Error
