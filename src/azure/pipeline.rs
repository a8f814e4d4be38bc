//! The HTTP machinery under every Azure call: azure_core's pipeline with reqwest as transport,
//! azure_core's retry policy, and three small policies of our own. Sends a request with a deadline
//! and turns whatever happens into a [`RawReply`] or a typed [`Error`].
//!
//! Owns pipeline assembly, timeouts, request logging and the mapping of azure_core errors. It
//! must not parse service bodies (that is `reply`/`error`) nor know about ARM paths or queues.
//!
//! What azure_core's retry policy does (read from typespec_client_core 1.1.0,
//! `http/policies/retry/mod.rs`): it retries 408, 429, 500, 502, 503 and 504 and transport
//! (I/O, connection) failures, with exponential backoff plus jitter; on 429 and 503 it reads
//! `x-ms-retry-after-ms`, `retry-after-ms` and `Retry-After` (seconds or HTTP date) and waits the
//! longer of that and its own backoff. When retries run out it returns the last response. We add:
//! - [`ThrottleCap`]: azure_core waits for whatever `Retry-After` a 429 names, with no upper
//!   bound. A console must not hang in one call for minutes, so a 429 asking for more than
//!   `max_retry_after` ends the call at once with [`Error::Throttled`].
//! - [`RequireTls`]: refuses to attach a token to a non-https URL with our own typed error
//!   (azure_core's bearer policy refuses too, but with an untyped message).
//! - [`RequestLog`]: one debug line per attempt: method, host, path (never the query), status,
//!   duration, attempt. Never headers or bodies.

use super::error::{Error, Result, describe_cause};
use super::reply::RawReply;
use azure_core::error::ErrorKind;
use azure_core::http::headers::{RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS};
use azure_core::http::policies::{Policy, PolicyResult, RetryHeaders, RetryPolicyCount};
use azure_core::http::{
    ClientOptions, Context, ExponentialRetryOptions, Pipeline, PipelineOptions,
    PipelineSendOptions, Request, RetryOptions, StatusCode, Transport,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Timeouts and retry limits shared by every pipeline a client builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Deadline for one call including all its retries.
    pub timeout: Duration,
    /// Deadline for one attempt (connect, send, read the whole body).
    pub try_timeout: Duration,
    /// Deadline for establishing a connection.
    pub connect_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay; it doubles on each retry (plus up to 256 ms of jitter).
    pub retry_initial_delay: Duration,
    /// The longest `Retry-After` on a 429 the client will wait for before giving up.
    pub max_retry_after: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_mins(1),
            try_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 4,
            retry_initial_delay: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// Which responses a pipeline retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    /// Reads: azure_core's default set (408, 429, 500, 502, 503, 504) and transport failures.
    Reads,
    /// Writes: only 429 and 503, which say the request was not processed. A 500 after a POST
    /// may mean the action ran, and running a failover twice is worse than reporting an error.
    /// (Transport failures are still retried by azure_core; that cannot be switched off alone.)
    Writes,
    /// No retries at all (health probes, where a failure is the observation).
    None,
}

/// Builds the reqwest transport every pipeline of one Azure client shares (one connection pool).
pub fn http_transport(settings: &Settings) -> Result<Transport> {
    let client = reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.try_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            Error::Transport(format!(
                "could not build the HTTP client: {}",
                describe_cause(&e)
            ))
        })?;
    Ok(Transport::new(Arc::new(client)))
}

fn time_duration(d: Duration) -> azure_core::time::Duration {
    azure_core::time::Duration::milliseconds(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Assembles a pipeline over `transport`: `auth` (already including [`RequireTls`] where a
/// token is sent) runs on every attempt, before the throttle cap and the request log.
pub fn build(
    settings: &Settings,
    transport: &Transport,
    retry: RetryClass,
    auth: Vec<Arc<dyn Policy>>,
) -> Pipeline {
    let retry_options = match retry {
        RetryClass::None => RetryOptions::none(),
        RetryClass::Reads | RetryClass::Writes => {
            RetryOptions::exponential(ExponentialRetryOptions {
                initial_delay: time_duration(settings.retry_initial_delay),
                max_retries: settings.max_retries,
                max_total_elapsed: time_duration(settings.timeout),
                max_delay: time_duration(Duration::from_secs(30)),
            })
        }
    };
    let retry_status_codes = match retry {
        RetryClass::Writes => vec![StatusCode::TooManyRequests, StatusCode::ServiceUnavailable],
        // Empty means azure_core's default set.
        RetryClass::Reads | RetryClass::None => Vec::new(),
    };
    let mut per_try = auth;
    per_try.push(Arc::new(ThrottleCap {
        max_retry_after: settings.max_retry_after,
    }));
    per_try.push(Arc::new(RequestLog));
    let options = ClientOptions {
        retry: retry_options,
        transport: Some(transport.clone()),
        ..ClientOptions::default()
    };
    Pipeline::new(
        Some("warroom"),
        Some(env!("CARGO_PKG_VERSION")),
        options,
        Vec::new(),
        per_try,
        Some(PipelineOptions {
            retry_headers: RetryHeaders {
                retry_headers: vec![X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS, RETRY_AFTER],
            },
            retry_status_codes,
        }),
    )
}

/// Sends `request` through `pipeline` within `timeout` and buffers the whole response. Error
/// statuses come back as a reply; only failures to get any answer are errors here.
pub async fn send(
    pipeline: &Pipeline,
    request: &mut Request,
    timeout: Duration,
) -> Result<RawReply> {
    let ctx = Context::new();
    let options = PipelineSendOptions {
        skip_checks: true,
        ..PipelineSendOptions::default()
    };
    let sent = tokio::time::timeout(timeout, pipeline.send(&ctx, request, Some(options))).await;
    let response = match sent {
        Err(_elapsed) => return Err(Error::Timeout),
        Ok(Err(e)) => return Err(map_error(&e)),
        Ok(Ok(response)) => response,
    };
    let (status, headers, body) = response.deconstruct();
    Ok(RawReply {
        status: u16::from(status),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.as_str().to_string()))
            .collect(),
        body: azure_core::Bytes::from(body).to_vec(),
    })
}

/// Marker error: a 429 asked for a longer wait than the client allows.
#[derive(Debug, thiserror::Error)]
#[error("the service asked to retry after {retry_after:?}, longer than allowed")]
struct RetryAfterTooLong {
    retry_after: Duration,
}

/// Marker error: a token would have gone over plain http.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to send a token to {origin} over plain http; use https or run without a credential"
)]
struct InsecureToken {
    origin: String,
}

fn map_error(error: &azure_core::Error) -> Error {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(m) = e.downcast_ref::<RetryAfterTooLong>() {
            return Error::Throttled {
                retry_after: Some(m.retry_after),
            };
        }
        if let Some(m) = e.downcast_ref::<InsecureToken>() {
            return Error::Auth(m.to_string());
        }
        current = e.source();
    }
    match error.kind() {
        ErrorKind::Credential => Error::Auth(describe_cause(error)),
        ErrorKind::DataConversion => Error::Decode {
            what: "response".into(),
            detail: describe_cause(error),
        },
        _ => Error::Transport(describe_cause(error)),
    }
}

/// Per-attempt policy: ends the call when a 429 asks for a wait above the cap.
#[derive(Debug)]
struct ThrottleCap {
    max_retry_after: Duration,
}

#[async_trait::async_trait]
impl Policy for ThrottleCap {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let response = next[0].send(ctx, request, &next[1..]).await?;
        if response.status() == StatusCode::TooManyRequests {
            let headers = response.headers();
            let ms = headers
                .get_optional_str(&X_MS_RETRY_AFTER_MS)
                .or_else(|| headers.get_optional_str(&RETRY_AFTER_MS))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis);
            let retry_after = ms.or_else(|| {
                headers
                    .get_optional_str(&RETRY_AFTER)
                    .and_then(|v| super::reply::parse_retry_after(v, chrono::Utc::now()))
            });
            if let Some(retry_after) = retry_after.filter(|d| *d > self.max_retry_after) {
                return Err(azure_core::Error::new(
                    ErrorKind::Other,
                    RetryAfterTooLong { retry_after },
                ));
            }
        }
        Ok(response)
    }
}

/// Per-attempt policy placed before a token policy: only https URLs may carry a token.
#[derive(Debug)]
pub struct RequireTls;

#[async_trait::async_trait]
impl Policy for RequireTls {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        if request.url().scheme() != "https" {
            return Err(azure_core::Error::new(
                ErrorKind::Other,
                InsecureToken {
                    origin: request.url().origin().ascii_serialization(),
                },
            ));
        }
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// Per-attempt policy: logs method, host, path, status, duration and attempt at debug level.
#[derive(Debug)]
struct RequestLog;

#[async_trait::async_trait]
impl Policy for RequestLog {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let attempt = ctx.value::<RetryPolicyCount>().map_or(0, |c| **c) + 1;
        let method = request.method();
        let host = request.url().host_str().unwrap_or_default().to_string();
        let path = request.url().path().to_string();
        let started = Instant::now();
        let result = next[0].send(ctx, request, &next[1..]).await;
        let duration_ms = started.elapsed().as_millis();
        match &result {
            Ok(response) => tracing::debug!(
                %method, %host, %path, status = u16::from(response.status()), duration_ms, attempt,
                "azure request"
            ),
            Err(e) => tracing::debug!(
                %method, %host, %path, error = %describe_cause(e), duration_ms, attempt,
                "azure request failed"
            ),
        }
        result
    }
}
