import HTTPServer

/// Every problem type the service answers with, whichever layer raises it: the application's own
/// and those of the faults the HTTP layer answers before (or instead of) a route, which it takes
/// from ``server``. One fault, one type and one title (RFC 9457 §3.1.3). `openapi/openapi.yaml`
/// documents each (`ProblemType`), and `GET /problems/{problem_type}` serves a page for each.
enum ProblemTypes {
    static let pathPrefix = "/problems/"

    static let invalidRequest = APIProblem(
        name: "invalid-request", title: "Bad request", status: .badRequest,
        meaning: "The request cannot be read: HTTP framing the server cannot parse, a query parameter or path id that is not valid (each named in errors by a JSON pointer such as /query/limit), or a body that is not JSON. Sending it again unchanged fails the same way.")
    static let unauthorized = APIProblem(
        name: "unauthorized", title: "Unauthorized", status: .unauthorized,
        meaning: "No bearer token was sent, or it is unknown, expired or revoked (archiving a site revokes its agents' tokens). WWW-Authenticate carries the RFC 6750 challenge. Send a valid token.")
    static let forbidden = APIProblem(
        name: "forbidden", title: "Forbidden", status: .forbidden,
        meaning: "The token is valid but its scope does not allow the operation (each operation names the scope it needs). Use a token with that scope.")
    static let notFound = APIProblem(
        name: "not-found", title: "Not found", status: .notFound,
        meaning: "Nothing is served at this path, or the resource it names does not exist, or it is not visible to this token (an agent asking about another site).")
    static let methodNotAllowed = APIProblem(
        name: "method-not-allowed", title: "Method not allowed", status: .methodNotAllowed,
        meaning: "The path exists but does not serve this method; Allow lists the methods it does serve (RFC 9110 §15.5.6).")
    static let notAcceptable = APIProblem(
        name: "not-acceptable", title: "Not acceptable", status: HTTPStatus(code: 406, reasonPhrase: "Not Acceptable"),
        meaning: "The Accept header lists no media type the operation serves; the detail names those it does (RFC 9110 §15.5.7). Ask for one of them, or send no Accept.")
    static let requestTimeout = APIProblem(
        name: "request-timeout", title: "Request timeout", status: .requestTimeout,
        meaning: "The request head did not arrive within 10 s, or its body arrived slower than 1 KiB/s. The server closed the connection; send the request again on a new one.")
    static let siteArchived = APIProblem(
        name: "site-archived", title: "Site archived", status: .conflict,
        meaning: "The site is archived, and archived sites are read-only: no changes, no new agents, no uploads.")
    static let policyVersionConflict = APIProblem(
        name: "policy-version-conflict", title: "Policy version conflict", status: .conflict,
        meaning: "Another version of the same policy was stored at the same moment. Sending the request again works.")
    static let runIDConflict = APIProblem(
        name: "run-id-conflict", title: "Conflicting run_id", status: .conflict,
        meaning: "A result with this run_id is already stored with other content. Uploads are idempotent on run_id only for the same document; a new run needs a new run_id.")
    static let contentTooLarge = APIProblem(
        name: "content-too-large", title: "Content too large", status: .contentTooLarge,
        meaning: "The body is larger than the operation accepts (1 MiB unless the operation says otherwise), as sent or once a gzip body is inflated. The excess is not read.")
    static let uriTooLong = APIProblem(
        name: "uri-too-long", title: "URI too long", status: .uriTooLong,
        meaning: "The request line is longer than 8 KiB.")
    static let unsupportedMediaType = APIProblem(
        name: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
        meaning: "The body is not in a media type the operation takes (application/json, or application/merge-patch+json where documented), or it uses a Content-Encoding other than gzip or identity.")
    static let expectationFailed = APIProblem(
        name: "expectation-failed", title: "Expectation failed", status: .expectationFailed,
        meaning: "The request has an Expect header other than 100-continue, the only expectation the server meets (RFC 9110 §10.1.1).")
    static let validation = APIProblem(
        name: "validation-failed", title: "Validation failed", status: .unprocessableContent,
        meaning: "The body is JSON but not a valid document for the operation; errors names every fault by a JSON pointer (RFC 6901), and nothing of the request was stored.")
    static let upgradeRequired = APIProblem(
        name: "upgrade-required", title: "Upgrade required", status: .upgradeRequired,
        meaning: "A WebSocket handshake asked for a Sec-WebSocket-Version other than 13, the one this server speaks (RFC 6455 §4.2.2).")
    static let headerFieldsTooLarge = APIProblem(
        name: "header-fields-too-large", title: "Header fields too large", status: .requestHeaderFieldsTooLarge,
        meaning: "The header section is larger than 16 KiB or has more than 100 fields.")
    static let internalError = APIProblem(
        name: "internal-error", title: "Internal error", status: .internalServerError,
        meaning: "The service failed to answer for a reason of its own; its log says why, the answer does not. Sending the request again may work.")
    static let notImplemented = APIProblem(
        name: "not-implemented", title: "Not implemented", status: .notImplemented,
        meaning: "The method (such as QUERY) or the transfer coding is one the server does not know (RFC 9110 §9.1, RFC 9112 §6.1).")
    static let databaseUnavailable = APIProblem(
        name: "database-unavailable", title: "Database unavailable", status: .serviceUnavailable,
        meaning: "The service cannot reach its database. Retry after the delay Retry-After gives.")
    static let rateLimited = APIProblem(
        name: "rate-limited", title: "Rate limited", status: .tooManyRequests,
        meaning: "A budget is spent: results uploaded by this agent (12 per plan interval on average, with a day of unused budget kept, so a spool after an outage goes through), or requests sent with this token (20 a second, bursts of 600). Nothing of the request was stored. Retry-After says when to send it again; RateLimit-Policy names the budget and RateLimit what is left (draft-ietf-httpapi-ratelimit-headers).")
    static let deadlineExceeded = APIProblem(
        name: "deadline-exceeded", title: "Deadline exceeded", status: .serviceUnavailable,
        meaning: "The service could not answer within its request deadline (10 s unless configured otherwise) and gave up. An upload answered so may or may not have been stored: sending it again is safe, as uploads are idempotent on run_id. Retry after the delay Retry-After gives.")
    static let httpVersionNotSupported = APIProblem(
        name: "http-version-not-supported", title: "HTTP version not supported", status: .httpVersionNotSupported,
        meaning: "The request is not HTTP/1.0 or HTTP/1.1.")

    /// Every type, by status.
    static let all: [APIProblem] = [
        invalidRequest, unauthorized, forbidden, notFound, methodNotAllowed, notAcceptable, requestTimeout, siteArchived,
        policyVersionConflict, runIDConflict, contentTooLarge, uriTooLong, unsupportedMediaType, expectationFailed,
        validation, upgradeRequired, headerFieldsTooLarge, internalError, notImplemented, databaseUnavailable,
        httpVersionNotSupported, rateLimited, deadlineExceeded,
    ]

    /// The types of the faults the HTTP layer raises itself, and of any error thrown without a
    /// type: the one type of each status those faults have.
    static let server = ServerProblemTypes(Dictionary(uniqueKeysWithValues: [
        invalidRequest, notFound, methodNotAllowed, requestTimeout, contentTooLarge, uriTooLong, expectationFailed,
        headerFieldsTooLarge, internalError, notImplemented, httpVersionNotSupported,
    ].map { ($0.status, $0.type) }))

    static func named(_ name: String) -> APIProblem? { all.first { $0.name == name } }
}
