//! `model`: the snapshot of the estate at an instant. Every datum carries when and from where it
//! was observed. Pure data: no tokio, no HTTP, no terminal.
