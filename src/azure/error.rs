//! `azure::Error`: what can go wrong when warroom talks to Azure, typed so callers can match on it.
//!
//! Owns the error enum and the parsers that turn an error response (ARM's JSON body, Storage's XML
//! body, or only an `x-ms-error-code` header) into it. It must never put request bodies, headers
//! or tokens into an error: only the status, the service's own code and message, and a short
//! excerpt of an unparseable response body.

use super::wire::arm::ArmErrorDetail;
use serde::Deserialize;
use std::time::Duration;

/// How many characters of an unparseable error body an [`Error::Http`] keeps.
pub const BODY_EXCERPT_CHARS: usize = 200;

/// The result type of the `azure` module.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from a call to Azure (or to the simulator, which answers the same way).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status and its own error code and message (ARM's
    /// `{"error":{…}}` body, or Storage's `<Error>` XML body or `x-ms-error-code` header).
    #[error("Azure answered {status} {code}: {message}{}", target_suffix(target.as_deref()))]
    Arm {
        /// The HTTP status.
        status: u16,
        /// The service's error code, for example `ResourceNotFound` or `AuthenticationFailed`.
        code: String,
        /// The service's message (first line only for Storage, whose messages append request ids).
        message: String,
        /// The part of the request the error is about, when the service names one.
        target: Option<String>,
    },
    /// Azure kept answering 429 Too Many Requests until the retries ran out, or asked for a wait
    /// longer than the client is willing to make.
    #[error("throttled by Azure (429 Too Many Requests){}", retry_suffix(*retry_after))]
    Throttled {
        /// How long the service last asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// An error status whose body is not one of Azure's error shapes.
    #[error("HTTP {status} with an unrecognised error body: {body_excerpt:?}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The first [`BODY_EXCERPT_CHARS`] characters of the body, on one line.
        body_excerpt: String,
    },
    /// The request never got an answer: connection refused, TLS failure, reset, read timeout.
    #[error("could not reach Azure: {0}")]
    Transport(String),
    /// No token could be obtained, or a token would have been sent where it must not go.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// An answer arrived but could not be understood.
    #[error("could not decode {what}: {detail}")]
    Decode {
        /// What was being decoded, for example "sites list page" or "nextLink".
        what: String,
        /// Why it failed.
        detail: String,
    },
    /// A long-running operation ended in `Failed` or `Canceled`.
    #[error("long-running operation ended {status}{}", lro_suffix(error.as_ref()))]
    LroFailed {
        /// The terminal status as the service spelled it.
        status: String,
        /// The service's error, when the status body carried one.
        error: Option<ArmErrorDetail>,
    },
    /// The call (with its retries), or a long-running operation, ran past its deadline.
    #[error("timed out waiting for Azure")]
    Timeout,
}

impl Error {
    /// The HTTP status behind this error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Arm { status, .. } | Self::Http { status, .. } => Some(*status),
            Self::Throttled { .. } => Some(429),
            _ => None,
        }
    }

    /// The service's error code, when it gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Arm { code, .. } => Some(code),
            Self::LroFailed { error: Some(e), .. } => Some(&e.code),
            _ => None,
        }
    }

    /// True for a 404, whatever its body said.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

fn target_suffix(target: Option<&str>) -> String {
    target.map_or_else(String::new, |t| format!(" (target: {t})"))
}

fn retry_suffix(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| {
        format!("; the service asked to retry after {}s", d.as_secs())
    })
}

fn lro_suffix(error: Option<&ArmErrorDetail>) -> String {
    error.map_or_else(String::new, |e| format!(": {}: {}", e.code, e.message))
}

/// ARM's error envelope, `{"error":{…}}`; some services answer with the inner object alone.
#[derive(Deserialize)]
#[serde(untagged)]
enum AnyErrorBody {
    Wrapped { error: ArmErrorDetail },
    Bare(ArmErrorDetail),
}

/// Builds the error for an unsuccessful response.
///
/// A 429 is always [`Error::Throttled`]. Otherwise the body is tried as ARM JSON, then as Storage
/// XML, then the `x-ms-error-code` header is used; anything else becomes [`Error::Http`].
pub fn from_response(
    status: u16,
    error_code_header: Option<&str>,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Error {
    if status == 429 {
        return Error::Throttled { retry_after };
    }
    if let Some(detail) = parse_arm_error(body).or_else(|| parse_storage_error(body)) {
        return Error::Arm {
            status,
            code: detail.code,
            message: detail.message,
            target: detail.target,
        };
    }
    if let Some(code) = error_code_header.filter(|c| !c.is_empty()) {
        return Error::Arm {
            status,
            code: code.to_string(),
            message: String::new(),
            target: None,
        };
    }
    Error::Http {
        status,
        body_excerpt: excerpt(body),
    }
}

/// Parses ARM's JSON error body; `None` unless it carries a non-empty `code`.
pub fn parse_arm_error(body: &[u8]) -> Option<ArmErrorDetail> {
    let parsed: AnyErrorBody = serde_json::from_slice(body).ok()?;
    let detail = match parsed {
        AnyErrorBody::Wrapped { error } | AnyErrorBody::Bare(error) => error,
    };
    (!detail.code.is_empty()).then_some(detail)
}

/// Parses Storage's XML error body, `<Error><Code>…</Code><Message>…</Message></Error>`.
pub fn parse_storage_error(body: &[u8]) -> Option<ArmErrorDetail> {
    let text = std::str::from_utf8(body).ok()?;
    let error = crate::azure::xml::element(text, "Error")?;
    let code = crate::azure::xml::element_text(error, "Code")?;
    if code.is_empty() {
        return None;
    }
    let message = crate::azure::xml::element_text(error, "Message").unwrap_or_default();
    // Storage appends "\nRequestId:…\nTime:…" to its messages; keep the sentence.
    let message = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    Some(ArmErrorDetail {
        code,
        message,
        target: None,
        details: Vec::new(),
    })
}

/// The first [`BODY_EXCERPT_CHARS`] characters of a body, lossily decoded, on one line.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(BODY_EXCERPT_CHARS)
        .collect();
    one_line.trim().to_string()
}

/// Describes an error by its whole source chain (transport and credential failures alike),
/// without the request URL (which may carry a query string) and without any headers.
pub fn describe_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        let part = if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            // reqwest's Display embeds the URL; describe it by kind instead.
            if r.is_timeout() {
                "the request timed out".to_string()
            } else if r.is_connect() {
                "the connection failed".to_string()
            } else {
                "the request failed".to_string()
            }
        } else {
            e.to_string()
        };
        if !part.is_empty() && parts.last() != Some(&part) {
            parts.push(part);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arm_error_body() {
        let body = br#"{"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.Web/sites/x' under resource group 'rg' was not found.","target":"sites/x","details":[]}}"#;
        let err = from_response(404, None, None, body);
        assert_eq!(
            err,
            Error::Arm {
                status: 404,
                code: "ResourceNotFound".into(),
                message:
                    "The Resource 'Microsoft.Web/sites/x' under resource group 'rg' was not found."
                        .into(),
                target: Some("sites/x".into()),
            }
        );
        assert!(err.is_not_found());
        assert_eq!(err.code(), Some("ResourceNotFound"));
        assert!(err.to_string().contains("(target: sites/x)"), "{err}");
    }

    #[test]
    fn parses_bare_error_object() {
        let body = br#"{"code":"BadRequest","message":"no"}"#;
        let err = from_response(400, None, None, body);
        assert_eq!(err.code(), Some("BadRequest"));
    }

    #[test]
    fn parses_storage_xml_error_and_keeps_the_first_line() {
        let body = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly.\nRequestId:abc\nTime:2026-11-21T21:00:00Z</Message><AuthenticationErrorDetail>sig</AuthenticationErrorDetail></Error>";
        let err = from_response(403, Some("AuthenticationFailed"), None, body);
        let Error::Arm {
            status,
            code,
            message,
            target,
        } = err
        else {
            panic!("expected Arm, got {err:?}");
        };
        assert_eq!(status, 403);
        assert_eq!(code, "AuthenticationFailed");
        assert!(
            message.starts_with("Server failed to authenticate"),
            "{message}"
        );
        assert!(!message.contains("RequestId"), "{message}");
        assert_eq!(target, None);
    }

    #[test]
    fn falls_back_to_the_error_code_header() {
        let err = from_response(404, Some("QueueNotFound"), None, b"");
        assert_eq!(err.code(), Some("QueueNotFound"));
        assert_eq!(err.status(), Some(404));
    }

    #[test]
    fn unparseable_body_becomes_http_with_a_short_excerpt() {
        let body = format!("<html>\n{}</html>", "x".repeat(500));
        let err = from_response(502, None, None, body.as_bytes());
        let Error::Http {
            status,
            body_excerpt,
        } = &err
        else {
            panic!("expected Http, got {err:?}");
        };
        assert_eq!(*status, 502);
        assert_eq!(body_excerpt.chars().count(), BODY_EXCERPT_CHARS);
        assert!(!body_excerpt.contains('\n'));
        // An ARM-shaped body without a code is not an ARM error.
        let err = from_response(500, None, None, br#"{"error":{"message":"m"}}"#);
        assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    }

    #[test]
    fn status_429_is_throttled_whatever_the_body() {
        let body = br#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#;
        let err = from_response(429, None, Some(Duration::from_secs(7)), body);
        assert_eq!(
            err,
            Error::Throttled {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        assert!(err.to_string().contains("retry after 7s"), "{err}");
    }

    #[test]
    fn lro_failure_names_the_code() {
        let err = Error::LroFailed {
            status: "Failed".into(),
            error: Some(ArmErrorDetail {
                code: "Conflict".into(),
                message: "swap in progress".into(),
                target: None,
                details: Vec::new(),
            }),
        };
        assert_eq!(
            err.to_string(),
            "long-running operation ended Failed: Conflict: swap in progress"
        );
        assert_eq!(err.code(), Some("Conflict"));
    }

    #[test]
    fn transport_description_drops_urls() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("failed to execute request")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = Outer(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "connection refused",
        ));
        assert_eq!(
            describe_cause(&e),
            "failed to execute request: connection refused"
        );
    }
}
