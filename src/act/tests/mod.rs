//! Tests of the action catalogue, confirmation and executor.
