import Prometheus

extension MetricNameDescriptor {
    /// A metric by its whole name (`readiness_ingest_groups_total`): the names here are written
    /// out, so a grep for one finds where it is made.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
