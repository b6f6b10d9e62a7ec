import Testing

/// The database tests share one server and some of them kill backends or exhaust a pool on
/// purpose; they run serialized (the trait applies to every nested suite) to stay readable.
@Suite(.serialized) struct DatabaseTests {}
