//! What the infrastructure write routes share: reading a JSON body (400 `InvalidRequestContent`
//! naming what is wrong), answering with a status, headers and a body (201, 202 with
//! `Azure-AsyncOperation`/`Location`/`Retry-After`), ARM errors that name their field, the
//! world's refusals as ARM errors, the status body of a long-running operation, and the caller
//! the activity log shows for API writes.
//!
//! Owns these helpers; each route lives in its provider's module.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, arm_error};
use super::conventions::iso;
use crate::azure::wire::{ArmErrorBody, ArmErrorDetail, OperationStatus};
use crate::sim::scenario::Toggle;
use crate::sim::world::{InfraError, OpPhase, Operation};

/// The caller the activity log shows for writes made through the API.
pub(crate) const API_CALLER: &str = "warroom-operator@contoso.example";

/// The JSON body of the request (required).
pub(crate) fn body<T: DeserializeOwned>(cx: &Ctx<'_>) -> Result<T, Fail> {
    if cx.req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContent",
            "The request content was either empty or invalid: a JSON body is required.",
        ));
    }
    serde_json::from_slice(&cx.req.body).map_err(|e| {
        arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {e}."),
        )
    })
}

/// The JSON body of the request, or `T::default()` when there is none.
pub(crate) fn optional_body<T: DeserializeOwned + Default>(cx: &Ctx<'_>) -> Result<T, Fail> {
    if cx.req.body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        body(cx)
    }
}

/// A 400 about one field of the request.
pub(crate) fn invalid(code: &str, target: &str, message: impl Into<String>) -> Fail {
    with_details(
        StatusCode::BAD_REQUEST,
        code,
        Some(target),
        message,
        Vec::new(),
    )
}

/// An ARM error with a target and nested details.
pub(crate) fn with_details(
    status: StatusCode,
    code: &str,
    target: Option<&str>,
    message: impl Into<String>,
    details: Vec<ArmErrorDetail>,
) -> Fail {
    let mut body = ArmErrorBody::new(code, message);
    body.error.target = target.map(str::to_owned);
    body.error.details = details;
    Fail::from((status, axum::Json(body)).into_response())
}

/// The world's refusal as an ARM error: 404, 409 or 400 with its target.
pub(crate) fn infra_error(e: InfraError) -> Fail {
    match e {
        InfraError::NotFound(m) => arm_error(StatusCode::NOT_FOUND, "ResourceNotFound", m),
        InfraError::Conflict { code, message } => arm_error(StatusCode::CONFLICT, code, message),
        InfraError::Invalid {
            code,
            target,
            message,
        } => with_details(
            StatusCode::BAD_REQUEST,
            code,
            target.as_deref(),
            message,
            Vec::new(),
        ),
    }
}

/// An answer with `status`, a JSON body (none when `body` is `None`) and extra headers.
pub(crate) fn respond<T: Serialize>(
    status: StatusCode,
    body: Option<&T>,
    headers: &[(&'static str, String)],
) -> Reply {
    let mut r = match body {
        Some(b) => {
            let bytes = serde_json::to_vec(b).map_err(|e| {
                arm_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalServerError",
                    format!("The response could not be written: {e}"),
                )
            })?;
            let mut r = (status, bytes).into_response();
            r.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            r
        }
        None => status.into_response(),
    };
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            r.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    Ok(r)
}

/// The request's api-version (checked before providers run).
pub(crate) fn api_version<'a>(cx: &'a Ctx<'_>) -> &'a str {
    cx.req.param("api-version").unwrap_or_default()
}

/// Seconds to suggest between polls of an operation that takes `total`: a quarter of it, from 1
/// to 15 seconds.
pub(crate) fn retry_after(total: chrono::TimeDelta) -> String {
    (total.num_seconds() / 4).clamp(1, 15).to_string()
}

/// The `Azure-AsyncOperation` status body of `op` at `t` (`path` is its status URL's path).
pub(crate) fn status_body(op: &Operation, t: DateTime<Utc>, path: &str) -> OperationStatus {
    let phase = op.phase_at(t);
    let (status, error) = match &phase {
        OpPhase::InProgress => ("InProgress", None),
        OpPhase::Succeeded => ("Succeeded", None),
        OpPhase::Failed(code, message) => (
            "Failed",
            Some(ArmErrorDetail {
                code: code.clone(),
                message: message.clone(),
                target: None,
                details: Vec::new(),
            }),
        ),
    };
    OperationStatus {
        id: Some(path.to_owned()),
        name: Some(op.id.clone()),
        status: status.to_owned(),
        percent_complete: None,
        start_time: Some(iso(op.started)),
        end_time: (phase != OpPhase::InProgress).then(|| iso(op.due)),
        error,
    }
}

/// A number field within `range`, or a 400 naming it.
pub(crate) fn in_range(
    v: Option<u32>,
    range: std::ops::RangeInclusive<u32>,
    field: &str,
) -> Result<Option<u16>, Fail> {
    match v {
        None => Ok(None),
        Some(n) if range.contains(&n) => Ok(u16::try_from(n).ok()),
        Some(n) => Err(invalid(
            "BadRequest",
            field,
            format!(
                "The value {n} of '{field}' is out of range: it must be from {} to {}.",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// `Enabled`/`Disabled` (any case), or a 400 naming the field.
pub(crate) fn toggle(v: Option<&str>, field: &str) -> Result<Option<Toggle>, Fail> {
    match v {
        None => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("Enabled") => Ok(Some(Toggle::Enabled)),
        Some(s) if s.eq_ignore_ascii_case("Disabled") => Ok(Some(Toggle::Disabled)),
        Some(s) => Err(invalid(
            "BadRequest",
            field,
            format!("The value '{s}' of '{field}' is not valid: it must be Enabled or Disabled."),
        )),
    }
}
