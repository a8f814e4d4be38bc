//! Helpers shared by the credential tests: a fake `az` on a private PATH, run through an
//! injected azure_identity executor so the process environment is never changed.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::ffi::OsStr;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

/// The token the fake `az` hands out.
pub const CLI_TOKEN: &str = "fake-cli-token";

/// A scratch directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("warroom-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes an executable `az` into `dir` that records its arguments (`last-args`) and counts its
/// runs (`calls`, one line each), then prints a token (exit 0) or `stderr_on_fail` (exit 1).
pub fn write_fake_az(dir: &Path, stderr_on_fail: Option<&str>) {
    let body = match stderr_on_fail {
        None => format!(
            "cat <<JSON\n{{\"accessToken\":\"{CLI_TOKEN}\",\"expiresOn\":\"2099-01-01 00:00:00.000000\",\"expires_on\":4070908800,\"subscription\":\"00000000-0000-0000-0000-000000000000\",\"tenant\":\"11111111-1111-1111-1111-111111111111\",\"tokenType\":\"Bearer\"}}\nJSON\n"
        ),
        Some(message) => format!("echo \"{message}\" >&2\nexit 1\n"),
    };
    let script = format!(
        "#!/bin/sh\nd=\"$(dirname \"$0\")\"\necho \"$@\" > \"$d/last-args\"\necho x >> \"$d/calls\"\n{body}"
    );
    let path = dir.join("az");
    std::fs::write(&path, script).expect("write fake az");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// How many times the fake `az` in `dir` ran.
pub fn az_calls(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("calls")).map_or(0, |s| s.lines().count())
}

/// The arguments of the fake `az`'s last run.
pub fn az_last_args(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("last-args"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Runs programs with `dir` prepended to PATH, for the child only.
#[derive(Debug)]
pub struct PathExecutor(pub PathBuf);

#[async_trait::async_trait]
impl azure_identity::Executor for PathExecutor {
    async fn run(&self, program: &OsStr, args: &[&OsStr]) -> io::Result<Output> {
        let path = format!(
            "{}:{}",
            self.0.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        tokio::process::Command::new(program)
            .args(args)
            .env("PATH", path)
            .output()
            .await
    }
}

/// Credential options that use the fake `az` in `dir` and an empty environment.
pub fn options_with_fake_az(dir: &Path) -> warroom::azure::CredentialOptions {
    warroom::azure::CredentialOptions {
        executor: Some(Arc::new(PathExecutor(dir.to_path_buf()))),
        env: Arc::new(|_| None),
        ..warroom::azure::CredentialOptions::default()
    }
}
