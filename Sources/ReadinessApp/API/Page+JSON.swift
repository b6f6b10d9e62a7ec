import JSON

/// A page of items that write themselves is written the same way (`APIJSON.response` takes it).
extension Page: JSONWritable where Item: JSONWritable {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.key("items")
        json.beginArray()
        for item in items { item.write(to: json) }
        json.endArray()
        json.memberOrNull("next_cursor", nextCursor)
        json.endObject()
    }

    var estimatedJSONSize: Int { 64 + items.count * 320 }
}
