//! Logging: `tracing` to stderr for the one-shot commands, to a file while the console owns the
//! terminal. The filter comes from `RUST_LOG` (default `warn`). Log lines carry ids, paths and
//! durations, never bodies, headers or secrets: the client logs nothing else.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The filter: `RUST_LOG`, default `warn`. azure_core's own HTTP logging is held at `warn` whatever
/// `RUST_LOG` says, because at debug it prints request headers.
fn filter() -> EnvFilter {
    let base = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    [
        "azure_core=warn",
        "typespec_client_core=warn",
        "azure_identity=warn",
    ]
    .into_iter()
    .filter_map(|d| d.parse().ok())
    .fold(base, EnvFilter::add_directive)
}

/// Logs to stderr. Safe to call more than once (later calls do nothing).
pub fn to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// Logs to a file (appending), for when the terminal belongs to the console. Returns the path.
pub fn to_file(path: &Path) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file: File = OpenOptions::new().create(true).append(true).open(path)?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init();
    Ok(path.to_path_buf())
}

/// The directory warroom keeps its state in: `$WARROOM_STATE_DIR`, else
/// `$XDG_STATE_HOME/warroom`, else `~/.local/state/warroom`.
pub fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("WARROOM_STATE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_STATE_HOME") {
        return PathBuf::from(d).join("warroom");
    }
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".warroom"),
        |h| PathBuf::from(h).join(".local/state/warroom"),
    )
}
