//! Tests of the infrastructure writes on the world alone (no server): operation timing in virtual
//! time, alias failover, storage failover, locks, template evaluation, what-if and deployment.
