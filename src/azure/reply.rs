//! `RawReply`: a buffered HTTP response (status, headers, body) as the client hands it back, and
//! the header parsing every caller needs (`Retry-After`, `x-ms-error-code`).
//!
//! Owns the response value and its decoding into JSON or into an [`Error`]. It must not log or
//! print bodies: a body may hold secrets (app settings, keys).

use super::error::{self, Error, Result};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// A complete HTTP response: status, headers (names lowercased) and the whole body.
#[derive(Clone, PartialEq, Eq)]
pub struct RawReply {
    /// The HTTP status.
    pub status: u16,
    /// Response headers, names lowercased. Repeated headers keep the last value.
    pub headers: BTreeMap<String, String>,
    /// The body as received.
    pub body: Vec<u8>,
}

impl fmt::Debug for RawReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies can carry secrets, so only their size is shown.
        f.debug_struct("RawReply")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl RawReply {
    /// A header's value by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// How long the service asked to wait (`Retry-After`, or Microsoft's millisecond variants).
    pub fn retry_after(&self) -> Option<Duration> {
        if let Some(ms) = self
            .header("x-ms-retry-after-ms")
            .or_else(|| self.header("retry-after-ms"))
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            return Some(Duration::from_millis(ms));
        }
        self.header("retry-after")
            .and_then(|v| parse_retry_after(v, Utc::now()))
    }

    /// Decodes the body as JSON; `what` names the body in the error.
    pub fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            what: what.to_string(),
            detail: e.to_string(),
        })
    }

    /// `Ok(self)` for 2xx, otherwise the typed error the response describes.
    pub fn error_for_status(self) -> Result<Self> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self.to_error())
        }
    }

    /// The typed error this (unsuccessful) response describes.
    pub fn to_error(&self) -> Error {
        error::from_response(
            self.status,
            self.header("x-ms-error-code"),
            self.retry_after(),
            &self.body,
        )
    }
}

/// Parses a `Retry-After` value: delay-seconds, or an HTTP date (a date in the past means now).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(headers: &[(&str, &str)]) -> RawReply {
        RawReply {
            status: 429,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = DateTime::parse_from_rfc2822("Sat, 21 Nov 2026 21:00:00 GMT")
            .expect("date")
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("17", now), Some(Duration::from_secs(17)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sat, 21 Nov 2026 21:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sat, 21 Nov 2026 20:59:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn millisecond_headers_win() {
        let r = reply(&[("retry-after", "9"), ("retry-after-ms", "250")]);
        assert_eq!(r.retry_after(), Some(Duration::from_millis(250)));
        let r = reply(&[("retry-after", "9")]);
        assert_eq!(r.retry_after(), Some(Duration::from_secs(9)));
        assert_eq!(r.header("Retry-After"), Some("9"));
    }

    #[test]
    fn debug_hides_the_body() {
        let mut r = reply(&[]);
        r.body = b"{\"properties\":{\"DB_PASSWORD\":\"hunter2\"}}".to_vec();
        let shown = format!("{r:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("body_len"), "{shown}");
    }
}
