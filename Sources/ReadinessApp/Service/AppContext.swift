import Foundation
import Logging
import Postgres

/// What route handlers share: the database, the authenticator, the policy catalog and a clock.
/// Holds no state of its own beyond caches derived from PostgreSQL.
struct AppContext: Sendable {
    let database: PostgresPool
    let authenticator: Authenticator
    let policies: PolicyCatalog
    let sites: SiteDirectory
    /// Encoded current assessments; uploads invalidate their site so a replica reads its own
    /// writes at once, and other replicas' writes within `AssessmentCache.maxAge`.
    let assessments: AssessmentCache
    let logger: Logger
    let configuration: AppConfiguration
    /// This replica's own figures (`GET /metrics`); counters, not state: a new replica starts at zero.
    let metrics: ServiceMetrics
    /// The ports this process's reflector answers on, for the agent plans' targets.
    let reflector: ReflectorStatus
    /// Injected so tests can pin "now" (freshness, token expiry, future-dated results).
    let clock: @Sendable () -> Date
    /// Rung after commits that may have enqueued webhook events: this replica's delivery worker
    /// starts a round at once rather than at its next poll.
    let outboxDoorbell: OutboxDoorbell

    init(
        database: PostgresPool, logger: Logger, configuration: AppConfiguration, metrics: ServiceMetrics = ServiceMetrics(),
        reflector: ReflectorStatus = .off, clock: @escaping @Sendable () -> Date = Date.init,
        outboxDoorbell: OutboxDoorbell = OutboxDoorbell()
    ) {
        self.outboxDoorbell = outboxDoorbell
        self.database = database
        self.configuration = configuration
        self.metrics = metrics
        self.reflector = reflector
        self.authenticator = Authenticator(
            store: PostgresTokenStore(database: database), cacheTTL: configuration.authCacheTTL, clock: clock,
            requests: configuration.limits.requestBudget.map { RequestBudgets(budget: $0, database: database, clock: clock) })
        self.policies = PolicyCatalog(database: database)
        self.sites = SiteDirectory(database: database)
        let reader = AssessmentReader(database: database, policies: policies, clock: clock)
        self.assessments = AssessmentCache { site, previous in try await reader.load(site: site, previous: previous) }
        self.logger = logger
        self.clock = clock
    }
}
