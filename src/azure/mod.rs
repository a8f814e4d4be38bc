//! `azure`: the one REST client warroom uses against real Azure and the simulator alike, and the
//! wire types (request and response bodies) it shares with the simulator.
//!
//! Owns authentication (azure_identity credentials, or none for loopback), ARM calls, long-running
//! operations, retries and throttling, Kudu, the Storage queue data plane and health probes. It
//! must not know about the console, the snapshot or the decision engine.

pub mod wire;
