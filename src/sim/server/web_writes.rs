//! Microsoft.Web writes, each with its slot variant under `slots/{slot}`: slot swap
//! (`POST …/slotsswap`, 202 + `Location` at `…/operationresults/{id}` + `Retry-After`, polled
//! until the swap completes in virtual time), restart (`POST …/restart`, 200), replace app
//! settings (`PUT …/config/appsettings`), and host and function keys (`PUT
//! …/host/default/{keyType}/{keyName}`, `PUT …/functions/{function}/keys/{keyName}`, 201 new /
//! 200 replaced). Bad bodies answer 400 naming the field; an app busy with a swap or a deployment
//! answers 409 Conflict.
//!
//! Owns request validation and the answers' shapes; what each write does is the world's.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, arm_error, resource_not_found};
use crate::azure::wire::web::KeyInfoEnvelope;
use crate::azure::wire::{ArmErrorBody, ArmErrorDetail};
use crate::sim::world::{HostKeyKind, OperationKind, WebOperation as Operation, World, WorldError};

/// The caller the activity log shows for changes made through the simulator's API.
pub(crate) const API_CALLER: &str = "operator@contoso.example";

/// Routes a write, or a write's status, under a site or slot; `None` when `tail` names neither.
pub(crate) fn route(
    w: &mut World,
    cx: &Ctx<'_>,
    app: usize,
    slot: usize,
    tail: &[&str],
) -> Option<Reply> {
    let lower: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let method = |m: &Method| cx.expect_method(m);
    Some(match lower.as_slice() {
        ["slotsswap"] => method(&Method::POST).and_then(|()| swap(w, cx, app, slot)),
        ["restart"] => method(&Method::POST).and_then(|()| restart(w, cx, app, slot)),
        ["config", "appsettings"] => {
            method(&Method::PUT).and_then(|()| put_settings(w, cx, app, slot))
        }
        ["host", "default", _, _] => {
            method(&Method::PUT).and_then(|()| put_host_key(w, cx, app, slot, tail[2], tail[3]))
        }
        ["functions", _, "keys", _] => {
            method(&Method::PUT).and_then(|()| put_function_key(w, cx, app, slot, tail[1], tail[3]))
        }
        ["operationresults", _] => {
            method(&Method::GET).and_then(|()| operation_result(w, cx, app, tail[1]))
        }
        _ => return None,
    })
}

/// A 400 naming the field at fault.
fn field_error(field: &str, message: impl Into<String>) -> Fail {
    let body = ArmErrorBody {
        error: ArmErrorDetail {
            code: "BadRequest".to_owned(),
            message: message.into(),
            target: Some(field.to_owned()),
            details: Vec::new(),
        },
    };
    Fail::from((StatusCode::BAD_REQUEST, Json(body)).into_response())
}

/// The request body as a JSON object. The parser's complaint is kept to its category and
/// position: serde would quote the offending value, which may be a secret.
fn json_object(cx: &Ctx<'_>) -> Result<serde_json::Map<String, Value>, Fail> {
    let invalid = |what: String| {
        arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {what}."),
        )
    };
    if cx.req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the body is empty".to_owned()));
    }
    match serde_json::from_slice::<Value>(&cx.req.body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(invalid("the body is not a JSON object".to_owned())),
        Err(e) => Err(invalid(format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))),
    }
}

/// A required field, checked by `pick`; 400 naming it when missing or of the wrong type.
fn required<'a, T>(
    body: &'a serde_json::Map<String, Value>,
    field: &str,
    kind: &str,
    pick: impl Fn(&'a Value) -> Option<T>,
) -> Result<T, Fail> {
    let v = body
        .get(field)
        .filter(|v| !v.is_null())
        .ok_or_else(|| field_error(field, format!("The parameter '{field}' is required.")))?;
    pick(v).ok_or_else(|| field_error(field, format!("The parameter '{field}' must be {kind}.")))
}

/// The answer for a world error.
fn world_error(w: &World, app: usize, e: &WorldError) -> Fail {
    let a = &w.apps()[app];
    match e {
        WorldError::UnknownSlot { slot, .. } => resource_not_found(
            "Microsoft.Web/sites/slots",
            &format!("{}/{slot}", a.name),
            &a.resource_group,
        ),
        WorldError::UnknownFunction { function, .. } => resource_not_found(
            "Microsoft.Web/sites/functions",
            &format!("{}/{function}", a.name),
            &a.resource_group,
        ),
        WorldError::SameSlot(slot) => field_error(
            "targetSlot",
            format!("The slot '{slot}' cannot be swapped with itself."),
        ),
        WorldError::Busy { operation, id, .. } => arm_error(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "Cannot modify this site because another operation is in progress. Details: \
                 Id: {id}, OperationName: {operation}, EntityType: Site, SiteName: {}.",
                a.name
            ),
        ),
        other => arm_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            other.to_string(),
        ),
    }
}

/// 409 when an operation runs on the app and touches `slot`.
fn refuse_if_busy(w: &World, app: usize, slot: usize) -> Result<(), Fail> {
    let name = &w.apps()[app].slots[slot].name;
    match w.running_operation(app).filter(|o| o.touches(name)) {
        Some(o) => Err(world_error(
            w,
            app,
            &WorldError::Busy {
                app: w.apps()[app].name.clone(),
                operation: o.name().to_owned(),
                id: o.id.clone(),
            },
        )),
        None => Ok(()),
    }
}

fn with_headers(mut r: Response, headers: &[(header::HeaderName, String)]) -> Response {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            r.headers_mut().insert(name.clone(), v);
        }
    }
    r
}

/// 202 (or the status URL's own 202) for a running operation: where to poll, and when.
fn running(w: &World, cx: &Ctx<'_>, op: &Operation) -> Response {
    let a = &w.apps()[op.app];
    let source = match &op.kind {
        OperationKind::Swap { source, .. } => source.as_str(),
        OperationKind::Deploy { slot, .. } => slot.as_str(),
    };
    let version = cx.req.param("api-version").unwrap_or_default();
    let location = format!(
        "{}{}/operationresults/{}?api-version={version}",
        cx.base_url,
        a.slot_id(source),
        op.id
    );
    let retry = (op.completes - cx.t).num_seconds().clamp(1, 10);
    with_headers(
        StatusCode::ACCEPTED.into_response(),
        &[
            (header::LOCATION, location),
            (header::RETRY_AFTER, retry.to_string()),
        ],
    )
}

fn swap(w: &mut World, cx: &Ctx<'_>, app: usize, slot: usize) -> Reply {
    let body = json_object(cx)?;
    let target = required(&body, "targetSlot", "a string", Value::as_str)?.to_owned();
    required(&body, "preserveVnet", "a boolean", Value::as_bool)?;
    if target.trim().is_empty() {
        return Err(field_error(
            "targetSlot",
            "The parameter 'targetSlot' is required.",
        ));
    }
    let a = &w.apps()[app];
    let name = a.name.clone();
    let source = a.slots[slot].name.clone();
    match w.begin_swap(&name, &source, &target, API_CALLER) {
        Ok(op) => Ok(running(w, cx, &op)),
        Err(e) => Err(world_error(w, app, &e)),
    }
}

fn operation_result(w: &World, cx: &Ctx<'_>, app: usize, id: &str) -> Reply {
    let a = &w.apps()[app];
    let op = w
        .web_operation(id)
        .filter(|o| o.app == app)
        .ok_or_else(|| {
            resource_not_found(
                "Microsoft.Web/sites/operationresults",
                &format!("{}/{id}", a.name),
                &a.resource_group,
            )
        })?;
    if op.done {
        Ok(StatusCode::OK.into_response())
    } else {
        Ok(running(w, cx, op))
    }
}

fn restart(w: &mut World, cx: &Ctx<'_>, app: usize, slot: usize) -> Reply {
    for p in ["softRestart", "synchronous"] {
        if let Some(v) = cx.req.param(p)
            && !v.eq_ignore_ascii_case("true")
            && !v.eq_ignore_ascii_case("false")
        {
            return Err(field_error(
                p,
                format!("The parameter '{p}' must be true or false."),
            ));
        }
    }
    refuse_if_busy(w, app, slot)?;
    let (name, slot_name) = names(w, app, slot);
    w.restart(&name, &slot_name, API_CALLER)
        .map_err(|e| world_error(w, app, &e))?;
    Ok(StatusCode::OK.into_response())
}

fn names(w: &World, app: usize, slot: usize) -> (String, String) {
    let a = &w.apps()[app];
    (a.name.clone(), a.slots[slot].name.clone())
}

fn put_settings(w: &mut World, cx: &Ctx<'_>, app: usize, slot: usize) -> Reply {
    let body = json_object(cx)?;
    let props = required(&body, "properties", "an object", Value::as_object)?;
    let mut settings = BTreeMap::new();
    for (k, v) in props {
        let field = format!("properties.{k}");
        if k.trim().is_empty() {
            return Err(field_error(&field, "An app setting name cannot be empty."));
        }
        let Some(v) = v.as_str() else {
            return Err(field_error(
                &field,
                format!("The value of app setting '{k}' must be a string."),
            ));
        };
        settings.insert(k.clone(), v.to_owned());
    }
    refuse_if_busy(w, app, slot)?;
    let (name, slot_name) = names(w, app, slot);
    w.set_app_settings(&name, &slot_name, settings, API_CALLER)
        .map_err(|e| world_error(w, app, &e))?;
    cx.ok(&super::web::app_settings(w, app, slot))
}

/// The key a PUT names: its value, if the body gives one (`None`: generate one).
fn key_value(cx: &Ctx<'_>) -> Result<Option<String>, Fail> {
    let body = json_object(cx)?;
    let parsed: KeyInfoEnvelope = serde_json::from_value(Value::Object(body)).map_err(|_| {
        field_error(
            "properties",
            "The key must be an object with a name and a value.",
        )
    })?;
    match parsed.key_value() {
        Some(v) if v.trim().is_empty() => Err(field_error(
            "properties.value",
            "A key value cannot be empty.",
        )),
        v => Ok(v.map(str::to_owned)),
    }
}

/// 201 for a new key, 200 for a replaced one, with the key in both forms.
fn key_answer(id: String, rtype: &str, name: &str, value: String, created: bool) -> Response {
    let mut body = KeyInfoEnvelope::new(name, Some(value));
    body.id = Some(id);
    body.resource_type = Some(rtype.to_owned());
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(body)).into_response()
}

fn put_host_key(
    w: &mut World,
    cx: &Ctx<'_>,
    app: usize,
    slot: usize,
    key_type: &str,
    key_name: &str,
) -> Reply {
    let (kind, segment) = match key_type.to_ascii_lowercase().as_str() {
        "functionkeys" => (HostKeyKind::Function, "functionKeys"),
        "systemkeys" => (HostKeyKind::System, "systemKeys"),
        "masterkey" => (HostKeyKind::Master, "masterKey"),
        _ => {
            return Err(field_error(
                "keyType",
                format!(
                    "The key type '{key_type}' is not one of functionKeys, systemKeys, masterKey."
                ),
            ));
        }
    };
    let value = key_value(cx)?;
    let (name, slot_name) = names(w, app, slot);
    let (value, created) = w
        .set_host_key(&name, &slot_name, kind, key_name, value, API_CALLER)
        .map_err(|e| world_error(w, app, &e))?;
    let id = format!(
        "{}/host/default/{segment}/{key_name}",
        w.apps()[app].slot_id(&slot_name)
    );
    Ok(key_answer(
        id,
        &format!("Microsoft.Web/sites/host/{segment}"),
        key_name,
        value,
        created,
    ))
}

fn put_function_key(
    w: &mut World,
    cx: &Ctx<'_>,
    app: usize,
    slot: usize,
    function: &str,
    key_name: &str,
) -> Reply {
    let value = key_value(cx)?;
    let (name, slot_name) = names(w, app, slot);
    let (value, created) = w
        .set_function_key(&name, &slot_name, function, key_name, value, API_CALLER)
        .map_err(|e| world_error(w, app, &e))?;
    let id = format!(
        "{}/functions/{function}/keys/{key_name}",
        w.apps()[app].slot_id(&slot_name)
    );
    Ok(key_answer(
        id,
        "Microsoft.Web/sites/functions/keys",
        key_name,
        value,
        created,
    ))
}
