//! Forensic snapshot of an app into the incident folder: setting names with value digests, the
//! deployment history, the logs of the latest deployments (and of the one production runs), and
//! the app's activity log from the incident's start. Read-only; it runs first in a rebuild so
//! the evidence survives the rebuild. A part that cannot be read is recorded as missing and the
//! rest goes on; the plan says which parts the last snapshot already could not read.

use chrono::{DateTime, Duration, Utc};

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, ForensicPart};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft, steps};
use crate::azure::wire::api;
use crate::config::App;
use crate::model::{ActivityKind, Health};

/// How many of the latest deployments have their log copied (the one production runs is copied
/// too, when it is older).
pub const LOGS_KEPT: usize = 3;

/// How far before the incident's detection the activity log reaches at least.
pub const MARGIN: Duration = Duration::hours(1);

/// The window without an incident: this far back from the snapshot.
pub const NO_INCIDENT_WINDOW: Duration = Duration::hours(6);

/// How far before the detection a deployment or swap still counts as the incident's likely cause
/// (an older one is not looked for: the window would reach back weeks for nothing).
pub const CHANGE_LOOKBACK: Duration = Duration::hours(24);

/// The activity log keeps 90 days; the window never starts earlier.
const RETENTION: Duration = Duration::days(90);

/// The folder a snapshot of `app` goes to, relative to the incident folder.
pub fn folder(cx: &Ctx<'_>, app: &App) -> String {
    format!(
        "forensics/{}-{}",
        app.name,
        cx.snap.taken_at.format("%Y%m%dT%H%M%SZ")
    )
}

fn hm(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The last deployment or swap of `app` (any slot) that started at or before `t`, and within
/// [`CHANGE_LOOKBACK`] of it, with words.
fn last_change_before(
    cx: &Ctx<'_>,
    app: &App,
    t: DateTime<Utc>,
) -> Option<(DateTime<Utc>, String)> {
    let deployed = cx
        .state(&app.name)
        .and_then(|s| s.deployments.get())
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let at = d.started.or(d.ended)?;
            let what = format!(
                "the deployment of {} to {}",
                d.version.as_deref().unwrap_or("an unknown version"),
                d.slot
            );
            Some((at, what))
        });
    let site = cx.estate.app_id(app).to_ascii_lowercase();
    let changed = cx
        .snap
        .activity
        .get()
        .into_iter()
        .flatten()
        .filter(|e| matches!(e.kind, ActivityKind::Swap | ActivityKind::Deployment))
        .filter(|e| e.resource_id.to_ascii_lowercase().starts_with(&site))
        .map(|e| (e.at, format!("the {}", e.kind.label())));
    deployed
        .chain(changed)
        .filter(|(at, _)| *at <= t && *at >= t - CHANGE_LOOKBACK)
        .max_by_key(|(at, _)| *at)
}

/// Where the activity log window starts, and why in words: one hour before the incident was
/// detected, or the last deployment or swap in the day before that detection, whichever is
/// earlier (a long incident keeps its cause); the last six hours when no incident is declared.
pub fn window_start(cx: &Ctx<'_>, app: &App) -> (DateTime<Utc>, String) {
    let now = cx.snap.taken_at;
    let Some(incident) = cx.incident else {
        return (
            now - NO_INCIDENT_WINDOW,
            format!(
                "the last {} hours (no incident declared)",
                NO_INCIDENT_WINDOW.num_hours()
            ),
        );
    };
    let detected = incident.detected_at;
    let margin = detected - MARGIN;
    let oldest = now - RETENTION;
    match last_change_before(cx, app, detected) {
        Some((at, what)) if at < margin => (
            at.max(oldest),
            format!(
                "from {what} at {}, the last change before the incident was detected at {}",
                hm(at),
                hm(detected)
            ),
        ),
        _ => (
            margin.max(oldest),
            format!(
                "from {} hour before the incident was detected at {}",
                MARGIN.num_hours(),
                hm(detected)
            ),
        ),
    }
}

/// The collection steps.
pub fn steps_for(cx: &Ctx<'_>, app: &App) -> Vec<PlanStep> {
    let site_id = cx.estate.app_id(app);
    let folder = folder(cx, app);
    let rg = steps::rg_of(cx.estate, app);
    let scm = steps::scm_url(cx.estate, &app.name);
    let effect = |part, since| Effect::Forensics {
        app: app.name.clone(),
        site_id: site_id.clone(),
        folder: folder.clone(),
        part,
        since,
    };
    let (start, why) = window_start(cx, app);
    let from = start.format("%Y-%m-%dT%H:%M:%SZ");
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
            effect: effect(ForensicPart::Settings, None),
        },
        PlanStep {
            what: format!(
                "Copy the deployment history of {} to {folder}/{}",
                app.name,
                ForensicPart::Deployments.file_name()
            ),
            call: Some(RestCall::url("GET", format!("{scm}/api/deployments"), None)),
            az: Some(format!(
                "az rest --method get --url {scm}/api/deployments --resource https://management.azure.com/"
            )),
            effect: effect(ForensicPart::Deployments, None),
        },
        PlanStep {
            what: format!(
                "Copy the logs of the latest {LOGS_KEPT} deployments of {} and of the one \
                 production runs, with their details and secrets masked, to {folder}/{}",
                app.name,
                ForensicPart::DeploymentLog.file_name()
            ),
            call: Some(RestCall::url(
                "GET",
                format!("{scm}/api/deployments/<id>/log"),
                None,
            )),
            az: Some(format!(
                "az rest --method get --url {scm}/api/deployments/<id>/log --resource https://management.azure.com/"
            )),
            effect: effect(ForensicPart::DeploymentLog, None),
        },
        PlanStep {
            what: format!(
                "Copy the activity log of {} {why} ({from}) to when it runs, to {folder}/{}",
                app.name,
                ForensicPart::ActivityLog.file_name()
            ),
            call: Some(RestCall {
                method: "GET".to_owned(),
                path: format!(
                    "/subscriptions/{}/providers/Microsoft.Insights/eventtypes/management/values?$filter=eventTimestamp ge '{from}' and eventTimestamp le '<when it runs>' and resourceUri eq '{site_id}'",
                    rg.subscription
                ),
                api_version: Some(api::ACTIVITY_LOG.to_owned()),
                body: None,
            }),
            az: Some(format!(
                "az monitor activity-log list --resource-id {site_id} --start-time {from}"
            )),
            effect: effect(ForensicPart::ActivityLog, Some(start)),
        },
    ]
}

/// Why the app's host looks down, if it does: its health endpoint did not answer, or its front
/// end answered a server error without the app's report. Kudu is served by the same front ends.
fn host_down(s: &crate::model::AppState) -> Option<String> {
    let h = s.production()?.health.get()?;
    if h.status == Health::Unreachable {
        return Some("the app's host does not answer".to_owned());
    }
    let bare = h.version.is_none() && h.checks.is_empty();
    match h.http_status {
        Some(code) if code >= 500 && bare => Some(format!(
            "the app's host answered {code} without a health report"
        )),
        _ => None,
    }
}

/// What the plan says about parts that may be missing: the rule, and the parts the last
/// snapshot already could not read.
pub fn missing_notes(cx: &Ctx<'_>, app: &App) -> Vec<String> {
    let mut likely = Vec::new();
    if let Some(s) = cx.state(&app.name) {
        if let Some(e) = &s.settings.error {
            likely.push(format!(
                "{} (settings: {})",
                ForensicPart::Settings.words(),
                e.message
            ));
        }
        if let Some(why) = host_down(s) {
            likely.push(format!(
                "{} and {} ({why}: its SCM site, Kudu, is likely down too)",
                ForensicPart::Deployments.words(),
                ForensicPart::DeploymentLog.words(),
            ));
        }
    }
    if let Some(e) = &cx.snap.activity.error {
        likely.push(format!(
            "{} ({})",
            ForensicPart::ActivityLog.words(),
            e.message
        ));
    }
    let mut notes = vec![format!(
        "A forensic part that cannot be read is written to its file as missing, with why; the \
         {} goes on and its outcome lists every missing part.",
        if cx.action.kind == crate::decide::ActionKind::Rebuild {
            "rebuild"
        } else {
            "snapshot"
        }
    )];
    if !likely.is_empty() {
        notes.push(format!(
            "LIKELY MISSING from the forensic snapshot of {} (the last read failed): {}.",
            app.name,
            likely.join("; ")
        ));
    }
    notes
}

/// Plans a forensic snapshot.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    let (_, why) = window_start(cx, app);
    let mut d = Draft::new(
        format!("Forensic snapshot of {}", app.name),
        format!(
            "Reads only. Evidence goes to {} in the incident folder: setting names with digests, \
             the deployment history and the latest deployments' logs, and the activity log {why}.",
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
    d.notes.extend(missing_notes(cx, app));
    Ok(d)
}
