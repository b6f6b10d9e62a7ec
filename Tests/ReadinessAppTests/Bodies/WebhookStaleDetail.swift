/// The `detail` the staleness sweep stores with a `site.stale` event (and the payload quotes).
/// Times stay text: the tests check the exact form the sweep writes.
struct WebhookStaleDetail: Decodable {
    let staleSince: String
    let newestResultAt: String
    let freshnessWindowS: Double
    let verdict: String
}
