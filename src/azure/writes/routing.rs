//! Traffic Manager endpoint status and Front Door origin state.
