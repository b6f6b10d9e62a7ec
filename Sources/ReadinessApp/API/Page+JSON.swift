import JSON

/// A page of items that write themselves is written the same way (`APIJSON.response` takes
/// it), through the one declaration of its members (`PageShape`).
extension Page: JSONWritable where Item: JSONWritable {
    func write(to json: JSONWriter) {
        PageShape(items: .init(writing: items), nextCursor: nextCursor).write(to: json)
    }

    var estimatedJSONSize: Int { 64 + items.count * 320 }
}
