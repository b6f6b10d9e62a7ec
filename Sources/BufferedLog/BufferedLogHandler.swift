import Logging

/// A swift-log handler writing to a ``BufferedLogOutput``: a value (level and metadata belong to
/// the copy, as swift-log requires) around the shared output.
public struct BufferedLogHandler: LogHandler {
    public let label: String
    public let output: BufferedLogOutput
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, output: BufferedLogOutput, logLevel: Logger.Level = .info) {
        self.label = label
        self.output = output
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Merged only when there is something to merge: the access log's one dictionary is
        // passed through without a copy.
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let given = event.metadata {
            if merged.isEmpty { merged = given } else { merged.merge(given) { _, new in new } }
        }
        output.write(level: event.level, label: label, message: event.message.description, metadata: merged)
    }
}
