//! Forensic snapshot of an app into the incident folder: setting names with value digests, the
//! deployment history and latest log, and the app's activity log. Read-only; it runs first in a
//! rebuild so the evidence survives the rebuild.

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, ForensicPart};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft, steps};
use crate::azure::wire::api;
use crate::config::App;

/// The folder a snapshot of `app` goes to, relative to the incident folder.
pub fn folder(cx: &Ctx<'_>, app: &App) -> String {
    format!(
        "forensics/{}-{}",
        app.name,
        cx.snap.taken_at.format("%Y%m%dT%H%M%SZ")
    )
}

/// The three collection steps.
pub fn steps_for(cx: &Ctx<'_>, app: &App) -> Vec<PlanStep> {
    let site_id = cx.estate.app_id(app);
    let folder = folder(cx, app);
    let rg = steps::rg_of(cx.estate, app);
    let effect = |part| Effect::Forensics {
        app: app.name.clone(),
        site_id: site_id.clone(),
        folder: folder.clone(),
        part,
    };
    let from = (cx.snap.taken_at - chrono::Duration::hours(6)).format("%Y-%m-%dT%H:%M:%SZ");
    let to = cx.snap.taken_at.format("%Y-%m-%dT%H:%M:%SZ");
    vec![
        PlanStep {
            what: format!(
                "Record the setting names of {} with value digests (never values) in {folder}/{}",
                app.name,
                ForensicPart::Settings.file_name()
            ),
            call: Some(RestCall::arm(
                "POST",
                format!("{site_id}/config/appsettings/list"),
                api::WEB,
                None,
            )),
            az: Some(format!(
                "az functionapp config appsettings list --resource-group {} --name {} --query \"[].name\"",
                rg.resource_group, app.name
            )),
            effect: effect(ForensicPart::Settings),
        },
        PlanStep {
            what: format!(
                "Copy the deployment history of {} to {folder}/{}",
                app.name,
                ForensicPart::Deployments.file_name()
            ),
            call: Some(RestCall::url(
                "GET",
                format!("{}/api/deployments", steps::scm_url(cx.estate, &app.name)),
                None,
            )),
            az: Some(format!(
                "az rest --method get --url {}/api/deployments --resource https://management.azure.com/",
                steps::scm_url(cx.estate, &app.name)
            )),
            effect: effect(ForensicPart::Deployments),
        },
        PlanStep {
            what: format!(
                "Copy the activity log of {} (last 6 hours) to {folder}/{}",
                app.name,
                ForensicPart::ActivityLog.file_name()
            ),
            call: Some(RestCall {
                method: "GET".to_owned(),
                path: format!(
                    "/subscriptions/{}/providers/Microsoft.Insights/eventtypes/management/values?$filter=eventTimestamp ge '{from}' and eventTimestamp le '{to}' and resourceUri eq '{site_id}'",
                    rg.subscription
                ),
                api_version: Some(api::ACTIVITY_LOG.to_owned()),
                body: None,
            }),
            az: Some(format!(
                "az monitor activity-log list --resource-id {site_id} --start-time {from} --end-time {to}"
            )),
            effect: effect(ForensicPart::ActivityLog),
        },
    ]
}

/// Plans a forensic snapshot.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    let mut d = Draft::new(
        format!("Forensic snapshot of {}", app.name),
        format!(
            "Reads only. Evidence goes to {} in the incident folder: setting names with digests, \
             the deployment history, and the activity log.",
            folder(cx, app)
        ),
        Risk::Low,
        Expected {
            min_secs: 10,
            max_secs: 60,
        },
    );
    d.steps = steps_for(cx, app);
    d.notes
        .push("Nothing changes in Azure, so there is nothing to undo.".to_owned());
    Ok(d)
}
