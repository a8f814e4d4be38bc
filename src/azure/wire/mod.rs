//! Wire types: the JSON bodies of the Azure REST APIs warroom reads and writes, written once and
//! used by both the client (to parse) and the simulator (to serve). Field names and nesting follow
//! Microsoft's REST specifications; optional fields stay optional so that real responses parse.
//!
//! This module owns shapes only: no I/O, no behaviour beyond small accessors. The api-versions
//! each provider is spoken at live in [`api`].

pub mod api;
pub mod arm;
pub mod blob;
pub mod cdn;
pub mod deployments;
pub mod governance;
pub mod graph;
pub mod health;
pub mod kudu;
pub mod logs;
pub mod messaging;
pub mod monitor;
pub mod network;
pub mod page;
pub mod storage;
pub mod web;

pub use arm::{ArmErrorBody, ArmErrorDetail, OperationStatus, SystemData};
pub use page::Page;
