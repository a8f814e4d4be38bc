//! Storage account failover (a long-running operation).
