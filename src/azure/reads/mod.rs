//! The reads the console needs, one typed method each, on top of the generic ARM helpers in
//! `client`. Paths and api-versions follow AZURE-API.md section 2; bodies are the shared wire types.
//!
//! Owns request construction (paths, queries, filters) only: transport, auth, retries and errors
//! belong to `client`; turning bodies into the snapshot belongs to `observe`.

mod arm_ids;
mod logs;
mod monitor;
mod routing;
mod state;
mod web;

pub use arm_ids::ResourceGroupRef;
pub use logs::{LatencyMinute, PERCENTILE, latency_minutes, logs_scope, p95_query};
pub use monitor::{METRICS_BATCH_MAX, MetricsBatchQuery, MetricsQuery};
pub use web::HealthProbe;
