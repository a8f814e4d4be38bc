//! Long-running operations (ARM's async pattern): given the first reply of an action (201/202),
//! poll `Azure-AsyncOperation` (a status body `{status, error}`) or else `Location` (202 until
//! 200/204), honouring `Retry-After`, until the operation succeeds, fails or is canceled.
//!
//! Owns polling cadence, progress reports and the overall deadline. It must not decide whether
//! an action should run; it only follows one. Written here rather than with azure_core's
//! `Poller` because we need our typed errors, a progress callback, a poll-interval floor, an
//! injectable clock for tests, and the same-origin check on status URLs.

use super::client::AzureClient;
use super::error::{Error, Result};
use super::reply::RawReply;
use super::wire::arm::OperationStatus;
use std::time::Duration;

/// Cadence and deadline of a wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LroOptions {
    /// Never poll faster than this, whatever `Retry-After` says.
    pub poll_floor: Duration,
    /// The interval when the service gives no `Retry-After`.
    pub default_interval: Duration,
    /// Give up with [`Error::Timeout`] when the next poll would start after this long.
    pub timeout: Duration,
}

impl Default for LroOptions {
    fn default() -> Self {
        Self {
            poll_floor: Duration::from_secs(1),
            default_interval: Duration::from_secs(5),
            timeout: Duration::from_mins(15),
        }
    }
}

/// A progress report, sent after every poll that did not end the operation.
#[derive(Debug, Clone, PartialEq)]
pub struct LroProgress {
    /// Polls made so far.
    pub polls: u32,
    /// The status the service reported (`InProgress`, `Accepted`, …).
    pub status: String,
    /// `percentComplete`, when the service gives it.
    pub percent_complete: Option<f64>,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// How long until the next poll.
    pub next_poll_in: Duration,
}

/// How a successful operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LroOutcome {
    /// The terminal status (`Succeeded`).
    pub status: String,
    /// The last reply: the status body, or the final `Location` response.
    pub reply: RawReply,
    /// Polls made (0 when the first reply was already final).
    pub polls: u32,
}

/// Where the waiting time comes from; tests drive a virtual one.
#[async_trait::async_trait]
pub trait LroClock: Send + Sync {
    /// Time since the wait began.
    fn elapsed(&self) -> Duration;
    /// Waits for `duration`.
    async fn sleep(&self, duration: Duration);
}

/// The real clock (tokio's).
#[derive(Debug)]
pub struct TokioClock(tokio::time::Instant);

impl TokioClock {
    /// A clock starting now.
    pub fn start() -> Self {
        Self(tokio::time::Instant::now())
    }
}

#[async_trait::async_trait]
impl LroClock for TokioClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

enum Poll {
    AsyncOperation(String),
    Location(String),
}

/// Waits for the operation `initial` started, with the real clock.
pub async fn wait(
    client: &AzureClient,
    initial: RawReply,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<LroOutcome> {
    wait_with_clock(client, initial, options, progress, &TokioClock::start()).await
}

/// [`wait`] with an injected clock.
pub async fn wait_with_clock(
    client: &AzureClient,
    initial: RawReply,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<LroOutcome> {
    let initial = initial.error_for_status()?;
    let target = if let Some(url) = initial.header("azure-asyncoperation") {
        Poll::AsyncOperation(url.to_string())
    } else if let Some(url) = initial.header("location").filter(|_| initial.status == 202) {
        Poll::Location(url.to_string())
    } else {
        // No operation to follow: the first reply is the result.
        return Ok(LroOutcome {
            status: "Succeeded".into(),
            reply: initial,
            polls: 0,
        });
    };
    let interval = |reply: &RawReply| {
        reply
            .retry_after()
            .unwrap_or(options.default_interval)
            .max(options.poll_floor)
    };
    let mut next_in = interval(&initial);
    let mut polls = 0u32;
    loop {
        if clock.elapsed() + next_in > options.timeout {
            return Err(Error::Timeout);
        }
        clock.sleep(next_in).await;
        polls += 1;
        let (status, percent, reply) = match &target {
            Poll::AsyncOperation(url) => {
                let reply = client.get_arm_link(url, "Azure-AsyncOperation").await?;
                let body: OperationStatus = reply.json("operation status")?;
                let status = body.status;
                match status.to_ascii_lowercase().as_str() {
                    "succeeded" => {
                        return Ok(LroOutcome {
                            status,
                            reply,
                            polls,
                        });
                    }
                    "failed" | "canceled" | "cancelled" => {
                        return Err(Error::LroFailed {
                            status,
                            error: body.error,
                        });
                    }
                    _ => (status, body.percent_complete, reply),
                }
            }
            Poll::Location(url) => {
                let reply = client.get_arm_link(url, "Location").await?;
                if reply.status != 202 {
                    return Ok(LroOutcome {
                        status: "Succeeded".into(),
                        reply,
                        polls,
                    });
                }
                ("InProgress".to_string(), None, reply)
            }
        };
        next_in = interval(&reply);
        progress(&LroProgress {
            polls,
            status,
            percent_complete: percent,
            elapsed: clock.elapsed(),
            next_poll_in: next_in,
        });
    }
}
