//! `sim`: the simulated Azure: world state, virtual clock, fault timeline, derived telemetry, and
//! the HTTP server that serves it through Azure's own REST surface.
