//! The client's write calls: every action's REST calls against ARM, Kudu and the data planes,
//! typed, with long-running operations followed to the end. One provider per file.
//!
//! Owns the calls only. It must not decide whether a call should be made (that is `decide` and
//! `act`), and it never logs or returns secret values (settings and keys cross as values only
//! inside a read-modify-write and are never formatted).

pub mod governance;
pub mod kudu;
pub mod messaging;
pub mod routing;
pub mod storage;
pub mod templates;
pub mod web;
