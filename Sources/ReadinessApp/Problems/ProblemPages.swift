import HTTPServer

/// `GET /problems/{problem_type}`: the page a problem's `type` resolves to (RFC 9457 §3.1.1: a
/// type that is a locator SHOULD lead to human-readable documentation, e.g. HTML). No token is
/// needed: the pages say nothing about any site.
struct ProblemPages: Sendable {
    /// Written once: the pages are the same for every request.
    private static let pages: [String: [UInt8]] = Dictionary(
        uniqueKeysWithValues: ProblemTypes.all.map { ($0.name, Array(page($0).utf8)) })

    func register(on router: inout Router) {
        router.get(ProblemTypes.pathPrefix + "{problem_type}") { _, context in
            guard let body = context.parameters["problem_type"].flatMap({ Self.pages[$0] }) else {
                throw HTTPError(status: .notFound, detail: "No problem type has this name.", problem: ProblemTypes.notFound)
            }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: body)
        }
    }

    static func page(_ problem: APIProblem) -> String {
        let title = escaped(problem.title)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>\(title)</title></head>
            <body>
            <h1>\(title)</h1>
            <p>Answered with status \(problem.status.code) as an RFC 9457 problem document
            (<code>application/problem+json</code>) whose <code>type</code> is
            <code>\(escaped(problem.uri))</code> and whose <code>title</code> is always
            <q>\(title)</q>; its <code>detail</code> says what was wrong with this request.</p>
            <p>\(escaped(problem.meaning))</p>
            <p>The API is described in <a href="/openapi.yaml">/openapi.yaml</a>.</p>
            </body>
            </html>

            """
    }

    /// The five characters HTML gives a meaning in text and attribute values.
    private static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
