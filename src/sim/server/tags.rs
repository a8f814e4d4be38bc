//! Microsoft.Resources tags at a scope (2021-04-01): GET, PUT (replace), PATCH (`Merge`,
//! `Delete`, `Replace`) and DELETE (every tag) of `…/providers/Microsoft.Resources/tags/default`
//! on a resource group or subscription. Each answers 200 with the scope's tags after (DELETE: 200
//! with no body). Resources' own tags are part of their bodies and not served here.
//!
//! A `ReadOnly` lock blocks the writes (the ARM front door's `check_locks`); a `CanNotDelete`
//! lock does not, since a PATCH deletes no resource.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use serde::Deserialize;

use super::arm::{Ctx, Reply};
use super::conventions::errors::no_such_path;
use super::operations::{API_CALLER, body, infra_error, invalid, respond};
use crate::azure::wire::governance::{Tags, TagsResource};
use crate::sim::world::{TagOp, World};

/// A PUT body.
#[derive(Debug, Deserialize)]
struct TagsPut {
    properties: Tags,
}

/// A PATCH body (the operation kept as a word, so a wrong one is a 400 that names it).
#[derive(Debug, Deserialize)]
struct TagsPatchIn {
    operation: String,
    #[serde(default)]
    properties: Tags,
}

/// Routes `…/providers/Microsoft.Resources/tags/default`.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    // A subscription (2 segments) or a resource group (4); resources keep their own tags.
    let scope_ok = matches!(cx.path.scope.len(), 2 | 4);
    if !scope_ok || !cx.path.rest_is(&["tags", "default"]) {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let scope = cx.path.scope_id();
    let tags = match cx.req.method.clone() {
        Method::PUT => {
            let req: TagsPut = body(cx)?;
            w.patch_tags(&scope, TagOp::Replace, &req.properties.tags, API_CALLER)
                .map_err(infra_error)?
        }
        Method::PATCH => {
            let req: TagsPatchIn = body(cx)?;
            let op = TagOp::parse(&req.operation).ok_or_else(|| {
                invalid(
                    "InvalidTagPatchOperation",
                    "operation",
                    format!(
                        "The tag operation '{}' is not valid: it must be Merge, Delete or Replace.",
                        req.operation
                    ),
                )
            })?;
            w.patch_tags(&scope, op, &req.properties.tags, API_CALLER)
                .map_err(infra_error)?
        }
        Method::DELETE => {
            w.patch_tags(&scope, TagOp::Replace, &BTreeMap::new(), API_CALLER)
                .map_err(infra_error)?;
            return respond::<()>(StatusCode::OK, None, &[]);
        }
        _ => {
            cx.expect_method(&Method::GET)?;
            w.tags_at(&scope)
        }
    };
    cx.ok(&wire(&scope, tags))
}

fn wire(scope: &str, tags: BTreeMap<String, String>) -> TagsResource {
    TagsResource {
        id: Some(format!(
            "{scope}/providers/Microsoft.Resources/tags/default"
        )),
        name: Some("default".to_owned()),
        resource_type: Some("Microsoft.Resources/tags".to_owned()),
        properties: Tags { tags },
    }
}
