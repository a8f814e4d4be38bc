//! `azure`: the one REST client warroom uses against real Azure and the simulator alike, and the
//! wire types (request and response bodies) it shares with the simulator.
//!
//! Owns authentication (azure_identity credentials, or none for loopback), ARM calls, long-running
//! operations, retries and throttling, Kudu, the Storage queue data plane and health probes. It
//! must not know about the console, the snapshot or the decision engine.
//!
//! Layers, bottom up: [`pipeline`] (azure_core's pipeline over reqwest, retries, timeouts,
//! logging) → [`reply`] and [`error`] (a buffered response and its typed error) → [`client`]
//! (ARM JSON helpers, paging, raw GETs), [`lro`] (long-running operations) and [`queues`]
//! (Storage queues). [`auth`] and [`chain`] choose and cache credentials.

pub mod auth;
pub mod chain;
pub mod client;
pub mod error;
pub mod lro;
pub mod pipeline;
pub mod queues;
pub mod reads;
pub mod redacted;
pub mod reply;
pub mod scrub;
pub mod shared_key;
pub mod wire;
pub mod writes;
pub mod xml;

pub use auth::{CredentialKind, CredentialOptions, build_credential};
pub use client::{AzureClient, ClientConfig, Method, RawAuth, RawOptions};
pub use error::{Error, Result};
pub use lro::{LroOptions, LroOutcome, LroProgress};
pub use queues::{PeekedMessage, PutReceipt, QueueAuth, QueueClient};
pub use redacted::Redacted;
pub use reply::RawReply;
