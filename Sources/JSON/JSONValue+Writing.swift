extension JSONValue {
    /// Writes the value, object members in their order (a caller that wants reproducible bytes
    /// sorts them first). A non-finite number is written as 0 and flagged by the writer, which
    /// `finished()` reports.
    public func write(to json: JSONWriter) {
        switch self {
        case .null: json.null()
        case .bool(let flag): json.bool(flag)
        case .number(let number): json.double(number)
        case .string(let text): json.string(text)
        case .array(let elements):
            json.beginArray()
            for element in elements { element.write(to: json) }
            json.endArray()
        case .object(let members):
            json.beginObject()
            for member in members {
                json.key(member.key)
                member.value.write(to: json)
            }
            json.endObject()
        }
    }
}
