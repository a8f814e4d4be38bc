//! Service Bus / Event Hubs geo-DR alias failover, called on the secondary namespace.
