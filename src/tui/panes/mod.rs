//! The panes, one per file. Each exposes `render(f, area, app)` and reads `AppState` without
//! changing it; the ones whose height depends on content also expose `height(..)` for `layout`.

pub mod deployments;
pub mod detail;
pub mod flowchart;
pub mod footer;
pub mod header;
pub mod overlay;
pub mod plan;
pub mod presenter;
pub mod queues;
pub mod region_rows;
pub mod regions;
pub mod timeline;
pub mod walkthrough;
