//! Tests of the console as a whole: `update` driven by keys and messages with the clock injected,
//! the event loop on a test backend, whole screens at fixed moments of the demo story (insta), a
//! sweep of terminal sizes, and the styles each theme gives one pane.

mod closed;
mod resume;
mod screens;
mod update;
mod walkthrough;
