//! Microsoft.Resources template deployments at a resource group (2025-04-01):
//! - PUT `…/deployments/{name}`: 201 (200 for a name deployed before) with the deployment
//!   `Accepted` and an `Azure-AsyncOperation` (`…/deployments/{name}/operationStatuses/{id}`); it
//!   is `Running`, then `Succeeded` or `Failed` over virtual time (GET the deployment to poll);
//! - GET `…/deployments[/{name}]`;
//! - POST `…/deployments/{name}/validate`: 200, or 400 `InvalidTemplateDeployment` with the
//!   problems as details;
//! - POST `…/deployments/{name}/whatIf`: 202 with a `Location` (`/subscriptions/{s}/
//!   operationresults/{id}`) that answers 202 until the prediction is ready, then 200 with it.
//!
//! Inline templates only: the simulator does not fetch `templateLink`s. Evaluating, predicting
//! and applying are the world's (`template_eval`, `what_if`, `templates`).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, arm_error, no_such_path};
use super::conventions::iso;
use super::deployment_bodies::{TYPE, error, extended, mode, parameters, providers};
use super::operations::{
    API_CALLER, api_version, body, invalid, respond, retry_after, with_details,
};
use crate::azure::wire::ArmErrorDetail;
use crate::azure::wire::deployments::{
    DeploymentDiagnostic, DeploymentExtended, DeploymentPropertiesExtended, DeploymentRequest,
    ResourceReference, WhatIfOperationResult, WhatIfProperties,
};
use crate::sim::rng::stable_guid;
use crate::sim::world::{Evaluated, OpKind, OpPhase, RgContext, TemplateIssue, World, evaluate};

/// Routes a Microsoft.Resources request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    let (Some(sub), Some(rg)) = (cx.path.subscription(), cx.path.resource_group()) else {
        return Err(no_such_path(&cx.req.raw_path));
    };
    if cx.path.scope_is_resource()
        || rest.is_empty()
        || !rest[0].eq_ignore_ascii_case("deployments")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let rg = w
        .rg_context(sub, rg)
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    match (rest.len(), rest.get(2).map(|s| s.to_ascii_lowercase())) {
        (1, _) => {
            cx.expect_method(&Method::GET)?;
            let items: Vec<DeploymentExtended> = w
                .deployments_in(&rg)
                .into_iter()
                .map(|d| extended(d, cx.t))
                .collect();
            cx.ok(&cx.page(w, items)?)
        }
        (2, _) if cx.req.method == Method::PUT => put(w, cx, &rg, rest[1]),
        (2, _) => {
            cx.expect_method(&Method::GET)?;
            let d = w
                .deployment(&rg, rest[1])
                .ok_or_else(|| not_found(rest[1]))?;
            cx.ok(&extended(d, cx.t))
        }
        (3, Some(a)) if a == "validate" => {
            cx.expect_method(&Method::POST)?;
            validate(w, cx, &rg, rest[1])
        }
        (3, Some(a)) if a == "whatif" => {
            cx.expect_method(&Method::POST)?;
            what_if(w, cx, &rg, rest[1])
        }
        (4, Some(a)) if a == "operationstatuses" => {
            cx.expect_method(&Method::GET)?;
            deployment_status(w, cx, rest[3])
        }
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

fn not_found(name: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "DeploymentNotFound",
        format!("Deployment '{name}' could not be found."),
    )
}

/// The request body and mode, checked for shape; the template evaluated, or its problems.
fn evaluate_request(
    cx: &Ctx<'_>,
    rg: &RgContext,
    name: &str,
) -> Result<(Result<Evaluated, Vec<TemplateIssue>>, bool), Fail> {
    let ok_name = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.()".contains(c));
    if !ok_name {
        return Err(invalid(
            "InvalidDeploymentName",
            "deploymentName",
            format!(
                "The deployment name '{name}' is not valid: at most 64 letters, digits, '-', \
                 '_', '.', '(' or ')'."
            ),
        ));
    }
    let req: DeploymentRequest = body(cx)?;
    let p = &req.properties;
    let complete = match p.mode.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("Incremental") => false,
        Some(m) if m.eq_ignore_ascii_case("Complete") => true,
        Some(m) => {
            return Err(invalid(
                "InvalidDeploymentMode",
                "properties.mode",
                format!(
                    "The deployment mode '{m}' is not valid: it must be Incremental or Complete."
                ),
            ));
        }
        None => {
            return Err(invalid(
                "InvalidRequestContent",
                "properties.mode",
                "The request content is missing the required property 'properties.mode'.",
            ));
        }
    };
    let template = match (&p.template, &p.template_link) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "InvalidRequestContent",
                "properties.templateLink",
                "The request content has both 'template' and 'templateLink'; give one.",
            ));
        }
        (None, Some(_)) => {
            return Err(invalid(
                "InvalidContentLink",
                "properties.templateLink",
                "The simulator does not download templates: send the template inline in \
                 'properties.template'.",
            ));
        }
        (None, None) => {
            return Err(invalid(
                "InvalidRequestContent",
                "properties.template",
                "The request content has neither 'template' nor 'templateLink'.",
            ));
        }
        (Some(t), None) => t,
    };
    Ok((evaluate(template, p.parameters.as_ref(), rg), complete))
}

fn issue_details(issues: &[TemplateIssue]) -> Vec<ArmErrorDetail> {
    issues
        .iter()
        .map(|i| ArmErrorDetail {
            code: i.code.to_owned(),
            message: i.message.clone(),
            target: Some(i.target.clone()),
            details: Vec::new(),
        })
        .collect()
}

/// 400 `InvalidTemplate` (PUT and what-if): the first problem, all of them as details.
fn invalid_template(issues: &[TemplateIssue]) -> Fail {
    let first = issues.first();
    with_details(
        StatusCode::BAD_REQUEST,
        "InvalidTemplate",
        first.map(|i| i.target.as_str()),
        format!(
            "Deployment template validation failed: '{}'.",
            first.map(|i| i.message.as_str()).unwrap_or_default()
        ),
        issue_details(issues),
    )
}

fn put(w: &mut World, cx: &Ctx<'_>, rg: &RgContext, name: &str) -> Reply {
    let (evaluated, complete) = evaluate_request(cx, rg, name)?;
    let evaluated = evaluated.map_err(|i| invalid_template(&i))?;
    let sub = rg.subscription_id.clone();
    let group = rg.resource_group.clone();
    let (op, created) = w
        .begin_deployment(rg.clone(), name, evaluated, complete, API_CALLER)
        .map_err(super::operations::infra_error)?;
    let d = w.deployment(rg, name).ok_or_else(|| not_found(name))?;
    let status = format!(
        "{}/subscriptions/{sub}/resourcegroups/{group}/providers/{TYPE}/{}/operationStatuses/{op}?api-version={}",
        cx.base_url,
        d.name,
        api_version(cx)
    );
    let code = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let wait = retry_after(w.op_timings().deployment_total);
    respond(
        code,
        Some(&extended(d, cx.t)),
        &[("azure-asyncoperation", status), ("retry-after", wait)],
    )
}

fn validate(w: &mut World, cx: &Ctx<'_>, rg: &RgContext, name: &str) -> Reply {
    let (evaluated, complete) = evaluate_request(cx, rg, name)?;
    let id = format!("{}/providers/{TYPE}/{name}", rg.id());
    let tracking = stable_guid(w.seed(), &["validate", &id, &cx.t.timestamp().to_string()]);
    let ev = evaluated.map_err(|issues| {
        with_details(
            StatusCode::BAD_REQUEST,
            "InvalidTemplateDeployment",
            None,
            format!(
                "The template deployment '{name}' is not valid according to the validation \
                 procedure. The tracking id is '{tracking}'. See inner errors for details."
            ),
            issue_details(&issues),
        )
    })?;
    let changes = w.what_if(rg, &ev.resources, complete);
    let diagnostics = changes
        .iter()
        .filter(|c| c.change_type == "Create" || c.change_type == "Delete")
        .map(|c| DeploymentDiagnostic {
            level: "Warning".to_owned(),
            code: "ResourceNotSimulated".to_owned(),
            message: format!(
                "The simulated estate is fixed: the deployment would {} this resource, and will \
                 fail.",
                c.change_type.to_ascii_lowercase()
            ),
            target: c.resource_id.clone(),
        })
        .collect();
    w.record_operation(
        "Microsoft.Resources/deployments/validate/action",
        &id,
        API_CALLER,
        cx.t,
        chrono::TimeDelta::seconds(1),
        &std::collections::BTreeMap::new(),
    );
    let body = DeploymentExtended {
        id,
        name: name.to_owned(),
        resource_type: TYPE.to_owned(),
        properties: DeploymentPropertiesExtended {
            provisioning_state: Some("Succeeded".to_owned()),
            correlation_id: Some(tracking),
            timestamp: Some(iso(cx.t)),
            duration: Some("PT0S".to_owned()),
            mode: Some(mode(complete).to_owned()),
            parameters: Some(parameters(&ev)),
            template_hash: Some(ev.hash.clone()),
            providers: providers(&ev),
            validated_resources: ev
                .resources
                .iter()
                .map(|r| ResourceReference {
                    id: rg.resource_id(&r.resource_type, &r.name),
                })
                .collect(),
            diagnostics,
            ..DeploymentPropertiesExtended::default()
        },
    };
    cx.ok(&body)
}

fn what_if(w: &mut World, cx: &Ctx<'_>, rg: &RgContext, name: &str) -> Reply {
    let (evaluated, complete) = evaluate_request(cx, rg, name)?;
    let ev = evaluated.map_err(|i| invalid_template(&i))?;
    let changes = w.what_if(rg, &ev.resources, complete);
    let result = WhatIfOperationResult {
        status: "Succeeded".to_owned(),
        properties: Some(WhatIfProperties { changes }),
        error: None,
    };
    let id = format!("{}/providers/{TYPE}/{name}", rg.id());
    w.record_operation(
        "Microsoft.Resources/deployments/whatIf/action",
        &id,
        API_CALLER,
        cx.t,
        chrono::TimeDelta::seconds(1),
        &std::collections::BTreeMap::new(),
    );
    let op = w.begin_what_if(result, API_CALLER);
    let location = format!(
        "{}/subscriptions/{}/operationresults/{op}?api-version={}",
        cx.base_url,
        rg.subscription_id,
        api_version(cx)
    );
    let wait = retry_after(w.op_timings().what_if);
    respond::<()>(
        StatusCode::ACCEPTED,
        None,
        &[("location", location), ("retry-after", wait)],
    )
}

/// `GET /subscriptions/{s}/operationresults/{id}`: a what-if's result, 202 until it is ready.
pub(crate) fn operation_result(w: &World, cx: &Ctx<'_>, id: &str) -> Reply {
    cx.expect_method(&Method::GET)?;
    let op = w
        .operation(id)
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let OpKind::WhatIf(result) = &op.kind else {
        return Err(no_such_path(&cx.req.raw_path));
    };
    if op.phase_at(cx.t) == OpPhase::InProgress {
        let own = format!(
            "{}{}?api-version={}",
            cx.base_url,
            cx.req.raw_path,
            api_version(cx)
        );
        let wait = retry_after(w.op_timings().what_if);
        return respond::<()>(
            StatusCode::ACCEPTED,
            None,
            &[("location", own), ("retry-after", wait)],
        );
    }
    cx.ok(result.as_ref())
}

/// `GET …/deployments/{name}/operationStatuses/{id}`: `Accepted`, `Running`, then terminal.
fn deployment_status(w: &World, cx: &Ctx<'_>, id: &str) -> Reply {
    let op = w
        .operation(id)
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let d = w
        .deployment_of(op)
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let state = d.state_at(cx.t);
    let mut body = json!({ "status": state });
    if let Some(e) = error(d, cx.t) {
        body["error"] = serde_json::to_value(e).unwrap_or(Value::Null);
    }
    let headers = if matches!(state, "Accepted" | "Running") {
        vec![("retry-after", retry_after(w.op_timings().deployment_total))]
    } else {
        Vec::new()
    };
    respond(StatusCode::OK, Some(&body), &headers)
}
