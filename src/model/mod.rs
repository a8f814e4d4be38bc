//! `model`: the snapshot of the estate at an instant. Every datum carries when and from where it
//! was observed ([`Observed`]), so nothing old can be shown as fresh.
//!
//! Pure data and small pure helpers: no tokio, no HTTP, no terminal, no clock reads (`now` is
//! always a parameter). `observe` fills it; `decide`, `tui` and the `status` command read it.

pub mod digest;
pub mod observed;
pub mod snapshot;
pub mod status;

pub use digest::{SecretDigest, digest_map};
pub use observed::{Freshness, Observed, SourceError};
pub use snapshot::{
    ActivityEvent, ActivityKind, AliasFacts, AliasState, AppState, ArtifactRecord,
    DeploymentRecord, FunctionState, HealthReport, InventoryItem, MetricPoint, PlatformHealth,
    QueueState, RegionInfo, RouteState, Routes, SiteInfo, SlotState, Snapshot, StorageFacts,
    StorageState,
};
pub use status::{Health, Routing};
