//! Microsoft.Authorization management locks (2020-05-01) at a subscription, a resource group or a
//! resource: PUT (201 created, 200 replaced), GET, DELETE (200, or 204 when there was none) of
//! `…/providers/Microsoft.Authorization/locks/{name}`, and the list `…/locks` (the scope's own
//! locks, those above it and those on resources under it). What a lock blocks is applied by the
//! ARM front door before any provider runs (`arm::check_locks`).

use axum::http::{Method, StatusCode};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, arm_error, no_such_path};
use super::operations::{API_CALLER, body, invalid, respond};
use super::resources;
use crate::azure::wire::governance::{LockOwner, LockProperties, ManagementLock};
use crate::sim::world::{Lock, LockLevel, World, scope_covers};

/// The longest `notes` ARM accepts.
const MAX_NOTES: usize = 512;

/// Routes a Microsoft.Authorization request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if rest.is_empty() || !rest[0].eq_ignore_ascii_case("locks") || rest.len() > 2 {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let scope = cx.path.scope_id();
    if cx.path.scope_is_resource() && resources::resolve(w, &cx.path.scope).is_none() {
        return Err(arm_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!("The resource '{scope}' was not found."),
        ));
    }
    if cx.path.subscription().is_none() {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let Some(name) = rest.get(1).copied() else {
        cx.expect_method(&Method::GET)?;
        let items: Vec<ManagementLock> = w
            .locks()
            .iter()
            .filter(|l| scope_covers(&l.scope, &scope) || scope_covers(&scope, &l.scope))
            .map(wire)
            .collect();
        return cx.ok(&cx.page(w, items)?);
    };
    match cx.req.method.clone() {
        Method::PUT => put(w, cx, &scope, name),
        Method::DELETE => {
            let status = if w.delete_lock(&scope, name, API_CALLER) {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            };
            respond::<()>(status, None, &[])
        }
        _ => {
            cx.expect_method(&Method::GET)?;
            let lock = w.lock(&scope, name).ok_or_else(|| not_found(name))?;
            cx.ok(&wire(lock))
        }
    }
}

fn not_found(name: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "LockNotFound",
        format!("The lock '{name}' could not be found."),
    )
}

fn put(w: &mut World, cx: &Ctx<'_>, scope: &str, name: &str) -> Reply {
    if name.contains(['<', '>', '*', '%', '&', ':', '\\', '?', '+', '/']) || name.len() > 260 {
        return Err(invalid(
            "InvalidLockName",
            "name",
            format!("The lock name '{name}' is not valid."),
        ));
    }
    let req: ManagementLock = body(cx)?;
    let level = LockLevel::parse(&req.properties.level).ok_or_else(|| {
        invalid(
            "LockLevelInvalid",
            "properties.level",
            format!(
                "The lock level '{}' is not valid: it must be CanNotDelete or ReadOnly.",
                req.properties.level
            ),
        )
    })?;
    if req
        .properties
        .notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTES)
    {
        return Err(invalid(
            "LockNotesTooLong",
            "properties.notes",
            format!("The lock notes are longer than {MAX_NOTES} characters."),
        ));
    }
    let lock = Lock {
        scope: scope.to_owned(),
        name: name.to_owned(),
        level,
        notes: req.properties.notes.clone(),
        owners: req
            .properties
            .owners
            .iter()
            .filter_map(|o| o.application_id.clone())
            .collect(),
    };
    let created = w.put_lock(lock, API_CALLER);
    let stored = w.lock(scope, name).map(wire);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    respond(status, stored.as_ref(), &[])
}

fn wire(l: &Lock) -> ManagementLock {
    ManagementLock {
        id: Some(l.id()),
        name: Some(l.name.clone()),
        resource_type: Some("Microsoft.Authorization/locks".to_owned()),
        properties: LockProperties {
            level: l.level.as_str().to_owned(),
            notes: l.notes.clone(),
            owners: l
                .owners
                .iter()
                .map(|a| LockOwner {
                    application_id: Some(a.clone()),
                })
                .collect(),
        },
    }
}
