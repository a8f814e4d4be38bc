//! Rebuild an app from a clean baseline (runbook scenario D): a forensic snapshot first; the
//! template's what-if shown before confirmation; the template deployed (incremental); the last
//! known good artifact; then settings and keys restored from the same service in another region;
//! then a health check. High risk, no undo.

use std::collections::BTreeMap;

use serde_json::json;

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, SettingSource};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft, forensics, redeploy, running_version, steps, sync, template};
use crate::azure::wire::api;
use crate::config::{App, PlanKind};
use crate::model::Health;

/// The deployment's name (at most 64 characters).
pub fn deployment_name(cx: &Ctx<'_>, app: &App) -> String {
    let mut name = format!(
        "warroom-rebuild-{}-{}",
        app.name,
        cx.snap.taken_at.format("%Y%m%dT%H%M%S")
    );
    name.truncate(64);
    name
}

fn template_step(cx: &Ctx<'_>, app: &App, what_if: bool) -> PlanStep {
    let rg = steps::rg_of(cx.estate, app);
    let group_id = rg.path();
    let name = deployment_name(cx, app);
    let tpl = template::for_app(cx.estate, app);
    let path = format!("{group_id}/providers/Microsoft.Resources/deployments/{name}");
    let file = format!("rebuild-{}.json", app.name);
    let shown = format!("<the template in {file}: {}>", template::summary(&tpl));
    let body = json!({"properties": {"mode": "Incremental", "template": shown}});
    if what_if {
        PlanStep {
            what: format!(
                "Preview the template for {} (what-if; changes nothing)",
                app.name
            ),
            call: Some(RestCall::arm(
                "POST",
                format!("{path}/whatIf"),
                api::DEPLOYMENTS,
                Some(body),
            )),
            az: Some(format!(
                "az deployment group what-if --resource-group {} --name {name} --template-file {file}",
                rg.resource_group
            )),
            effect: Effect::WhatIf {
                group_id,
                deployment_name: name,
                template: tpl,
            },
        }
    } else {
        PlanStep {
            what: format!(
                "Deploy the template for {} (incremental), polled until it settles",
                app.name
            ),
            call: Some(RestCall::arm("PUT", path, api::DEPLOYMENTS, Some(body))),
            az: Some(format!(
                "az deployment group create --resource-group {} --name {name} --template-file {file} --mode Incremental",
                rg.resource_group
            )),
            effect: Effect::DeployTemplate {
                group_id,
                deployment_name: name,
                template: tpl,
            },
        }
    }
}

/// The release a rebuild deploys, and why: the engine's when the action names one, else chosen
/// from the history (`redeploy::release`); else what the settings source runs.
fn release(cx: &Ctx<'_>, app: &App, source: &App) -> Result<(String, String), PlanError> {
    let chosen = cx
        .state(&app.name)
        .map(|s| redeploy::release(s, cx.snap, cx.estate, cx.action.release.as_deref()));
    if let Some(Ok(r)) = chosen {
        return Ok((r.choice.lkg.version, r.why));
    }
    let version = cx
        .state(&source.name)
        .and_then(running_version)
        .ok_or_else(|| {
            PlanError::NotApplicable(format!(
                "no last known good version of {} in the snapshot",
                app.service
            ))
        })?;
    let because = match chosen {
        Some(Err(e)) => e,
        _ => format!("{} is not in the snapshot", app.name),
    };
    let why = format!("what {} runs: {version} ({because})", source.name);
    Ok((version, why))
}

/// Plans a rebuild.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    if app.plan == PlanKind::FlexConsumption {
        return Err(PlanError::NotApplicable(format!(
            "{} runs on Flex Consumption: its template and deployment differ (no zip deploy)",
            app.name
        )));
    }
    // The settings source: the same service elsewhere, healthy ones first.
    let mut others: Vec<&App> = cx.estate.counterparts(app).collect();
    others.sort_by_key(|o| {
        cx.state(&o.name).map(crate::model::AppState::health) != Some(Health::Healthy)
    });
    let source = others.first().copied().ok_or_else(|| {
        PlanError::NotApplicable(format!(
            "no other app of {} to restore settings and keys from",
            app.service
        ))
    })?;
    let (version, why) = release(cx, app, source)?;
    let deploy = steps::zip_deploy(cx.estate, app, &version).ok_or_else(|| {
        PlanError::NotApplicable("the estate names no artifact store to deploy from".to_owned())
    })?;
    let mut d = Draft::new(
        format!("Rebuild {} from the template, then {version}", app.name),
        format!(
            "Evidence is kept first. The template ({}) is previewed before you confirm, then \
             deployed; then package {}/{version}.zip; then settings and keys from {}.\n{}.",
            template::summary(&template::for_app(cx.estate, app)),
            app.service,
            source.name,
            redeploy::sentence(&why)
        ),
        Risk::High,
        Expected::minutes(15, 40),
    );
    d.steps = forensics::steps_for(cx, app);
    d.preview = Some(template_step(cx, app, true));
    d.steps.push(template_step(cx, app, false));
    d.steps.push(deploy);
    let names: Vec<String> = cx
        .state(&source.name)
        .and_then(|s| s.settings.get())
        .map(|m| {
            m.keys()
                .filter(|n| !sync::is_regional(n))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        d.notes.push(format!(
            "The settings of {} are not known from the snapshot: restore them by hand.",
            source.name
        ));
    } else {
        let from = SettingSource::CopyFrom {
            app: source.name.clone(),
            site_id: cx.estate.app_id(source),
        };
        let set: BTreeMap<_, _> = names.iter().map(|n| (n.clone(), from.clone())).collect();
        d.steps.push(steps::merge_settings(
            cx.estate,
            app,
            format!(
                "Restore {} settings on {} from {} (per-region ones excepted)",
                names.len(),
                app.name,
                source.name
            ),
            set,
        ));
    }
    d.steps
        .push(steps::sync_keys(cx.estate, source, app, Vec::new()));
    d.steps
        .push(steps::verify_app(cx.estate, app, Some(&version)));
    d.notes.push(format!(
        "Per-region settings (host storage, content share, region names, timer flags) are not copied from {}: check them before traffic returns.",
        source.name
    ));
    d.notes.push(
        "No undo: a rebuild replaces the app's baseline; the forensic snapshot keeps what was there."
            .to_owned(),
    );
    d.notes.push(format!(
        "The preview writes the template to the incident folder as rebuild-{}.json: the az \
         commands read it from there.",
        app.name
    ));
    d.notes.extend(forensics::missing_notes(cx, app));
    Ok(d)
}
