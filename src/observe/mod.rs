//! `observe`: pollers that turn client reads into snapshots on a schedule and publish them.
