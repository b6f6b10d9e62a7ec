import Foundation
import Postgres

/// Finds the sites that went stale (no result within their policy's freshness window) or
/// fresh again since the last sweep: marks or unmarks them in `site_staleness` and enqueues
/// `site.stale` / `site.fresh` for the subscriptions that want them, all in one transaction,
/// so an event exists if and only if its mark changed. A site is stale once per spell: the
/// mark stays until results are back. A site that never had a result is not announced (it was
/// never fresh), nor is an archived one; an archived site's mark is dropped without an event.
///
/// Every replica runs it; an advisory lock lets one sweep at a time and the others skip. The
/// sites whose mark changes are locked as an upload locks them (skipping those an upload holds
/// now, which the next sweep sees), so a site's stale or fresh event never takes an id between
/// an upload's uncommitted events for that site and their commit.
/// The subscriptions it writes events for are locked for the statement (`locked`), as the
/// change trigger locks them: a subscription deleted meanwhile gets none (migration 0025).
struct StalenessSweep: Sendable {
    let database: PostgresPool

    /// Fixed key shared by every replica, apart from the retention prune's and the migrations'.
    static let advisoryLockKey: Int64 = 7_346_201_905_216

    struct Report: Sendable, Equatable {
        /// Another replica was sweeping; nothing was done.
        var skipped = false
        var turnedStale = 0
        var turnedFresh = 0
        var events = 0
    }

    func sweep(now: Date) async throws -> Report {
        try await database.withTransaction { tx in
            let lock = try tx.query("SELECT pg_try_advisory_xact_lock(\(Self.advisoryLockKey)) AS taken")
            guard try lock[0].decode(Bool.self, column: "taken") else { return Report(skipped: true) }
            let stale = try tx.query(Self.markStale(now: now))[0]
            let fresh = try tx.query(Self.markFresh(now: now))[0]
            return Report(
                turnedStale: try stale.decode(Int.self, column: "sites"), turnedFresh: try fresh.decode(Int.self, column: "sites"),
                events: try stale.decode(Int.self, column: "events") + fresh.decode(Int.self, column: "events"))
        }
    }

    /// The window each site is judged by: its assessment's policy version's, 24 h without one
    /// (as the fleet views judge staleness, FleetQuery).
    private static let window = "make_interval(secs => coalesce(p.freshness_window_s, 86400))"

    /// Sites past their window and not marked yet: marked stale since their newest result left
    /// the window, and `site.stale` for each subscription whose filters let it through (the
    /// verdicts filter sees the verdict the site had and `stale`).
    static func markStale(now: Date) -> PostgresQuery {
        """
        WITH candidates AS (
            SELECT s.id, s.region, s.tags, a.verdict, a.newest_result_at,
                   a.newest_result_at + \(unsafeRaw: window) AS stale_since,
                   coalesce(p.freshness_window_s, 86400) AS window_s
            FROM sites s
            JOIN site_assessments a ON a.site_id = s.id
            LEFT JOIN policies p ON p.name = a.policy_name AND p.version = a.policy_version
            WHERE s.archived_at IS NULL
              AND a.newest_result_at < \(now)::timestamptz - \(unsafeRaw: window)
              AND NOT EXISTS (SELECT 1 FROM site_staleness t WHERE t.site_id = s.id)
            FOR NO KEY UPDATE OF s SKIP LOCKED
        ), marked AS (
            INSERT INTO site_staleness (site_id, stale_since)
            SELECT id, stale_since FROM candidates
            ON CONFLICT (site_id) DO NOTHING
            RETURNING site_id
        ), locked AS (
            SELECT id FROM webhooks WHERE enabled AND 'site.stale' = ANY (event_types) FOR KEY SHARE
        ), enqueued AS (
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, detail)
            SELECT w.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'site.stale', c.id, c.stale_since,
                   jsonb_build_object('stale_since', webhook_time(c.stale_since),
                       'newest_result_at', webhook_time(c.newest_result_at), 'freshness_window_s', c.window_s,
                       'verdict', c.verdict)
            FROM candidates c
            JOIN marked m ON m.site_id = c.id
            JOIN webhooks w ON w.enabled AND 'site.stale' = ANY (w.event_types)
            JOIN locked l ON l.id = w.id
            WHERE webhook_filters_match(w, c.id, c.region, c.tags, ARRAY[c.verdict, 'stale'], NULL)
            ORDER BY c.id, w.id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM marked)::int AS sites, (SELECT count(*) FROM enqueued)::int AS events
        """
    }

    /// Marked sites with a result inside their window again: unmarked, and `site.fresh` for
    /// each subscription that lets it through (the verdicts filter sees `stale` and the
    /// verdict the site has now). Archived sites are unmarked without an event.
    static func markFresh(now: Date) -> PostgresQuery {
        """
        WITH back AS (
            SELECT t.site_id, t.stale_since, s.region, s.tags, s.archived_at IS NOT NULL AS archived,
                   a.verdict, a.newest_result_at
            FROM site_staleness t
            JOIN sites s ON s.id = t.site_id
            LEFT JOIN site_assessments a ON a.site_id = t.site_id
            LEFT JOIN policies p ON p.name = a.policy_name AND p.version = a.policy_version
            WHERE s.archived_at IS NOT NULL OR a.newest_result_at >= \(now)::timestamptz - \(unsafeRaw: window)
            FOR NO KEY UPDATE OF s SKIP LOCKED
        ), cleared AS (
            DELETE FROM site_staleness t USING back b WHERE t.site_id = b.site_id
            RETURNING t.site_id
        ), locked AS (
            SELECT id FROM webhooks WHERE enabled AND 'site.fresh' = ANY (event_types) FOR KEY SHARE
        ), enqueued AS (
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, detail)
            SELECT w.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'site.fresh', b.site_id, \(now),
                   jsonb_build_object('stale_since', webhook_time(b.stale_since),
                       'newest_result_at', webhook_time(b.newest_result_at), 'verdict', b.verdict)
            FROM back b
            JOIN cleared c ON c.site_id = b.site_id
            JOIN webhooks w ON w.enabled AND 'site.fresh' = ANY (w.event_types)
            JOIN locked l ON l.id = w.id
            WHERE NOT b.archived AND webhook_filters_match(w, b.site_id, b.region, b.tags, ARRAY['stale', b.verdict], NULL)
            ORDER BY b.site_id, w.id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM cleared)::int AS sites, (SELECT count(*) FROM enqueued)::int AS events
        """
    }
}
