//! The forensic copies ([`Effect::Forensics`](crate::act::Effect)): each part read through the
//! client and written as JSON into the incident folder. Setting values are digested where they
//! are read and go no further; Kudu's log lines arrive masked from the client
//! ([`crate::azure::scrub`]), and the free text of the deployment records is masked here the
//! same way. A part (or one deployment's log) that cannot be read is written as missing, with
//! why, and named in the step's gaps: the copy never stops the recovery it precedes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::AzureEffects;
use crate::act::actions::forensics::{LOGS_KEPT, NO_INCIDENT_WINDOW};
use crate::act::actions::steps::scm_url;
use crate::act::effect::ForensicPart;
use crate::act::executor::{ActError, StepReport};
use crate::azure::scrub::scrub;
use crate::azure::wire::api;
use crate::azure::wire::kudu::{DeployResult, LogEntry};
use crate::azure::wire::monitor::ActivityLogEvent;
use crate::model::digest_map;

/// At most this many entries of one deployment's log have their details read.
const DETAILS_READ: usize = 20;

/// One part as read: the document to write, its words, and what could not be read.
struct Collected {
    doc: Value,
    words: String,
    gaps: Vec<String>,
}

impl Collected {
    fn whole(doc: Value, words: String) -> Self {
        Self {
            doc,
            words,
            gaps: Vec::new(),
        }
    }
}

/// A log entry as kept: Kudu's fields, then its detail lines (or why they could not be read).
#[derive(Serialize)]
struct KeptEntry {
    #[serde(flatten)]
    entry: LogEntry,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    details: Vec<LogEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details_error: Option<String>,
}

impl AzureEffects {
    pub(super) async fn forensics(
        &self,
        app: &str,
        site_id: &str,
        folder: &str,
        part: ForensicPart,
        since: Option<DateTime<Utc>>,
    ) -> Result<StepReport, ActError> {
        let dir = self.incident_dir.join(folder);
        std::fs::create_dir_all(&dir).map_err(|e| ActError::Io(e.to_string()))?;
        // A part that cannot be read (the app's Kudu down with its region) is recorded as
        // missing, with why, and the step goes on.
        let c = match self.collect(app, site_id, part, since).await {
            Ok(c) => c,
            Err(e) => {
                let why = e.to_string();
                Collected {
                    doc: json!({"app": app, "collected": false, "error": why}),
                    words: format!("NOT collected ({why}); recorded as missing"),
                    gaps: vec![format!("{} of {app} ({why})", part.words())],
                }
            }
        };
        let file = dir.join(part.file_name());
        let text = serde_json::to_string_pretty(&c.doc).map_err(|e| ActError::Io(e.to_string()))?;
        std::fs::write(&file, text).map_err(|e| ActError::Io(e.to_string()))?;
        Ok(StepReport {
            words: format!("{} written to {folder}/{}", c.words, part.file_name()),
            names: vec![format!("{folder}/{}", part.file_name())],
            gaps: c.gaps,
        })
    }

    /// Reads one forensic part.
    async fn collect(
        &self,
        app: &str,
        site_id: &str,
        part: ForensicPart,
        since: Option<DateTime<Utc>>,
    ) -> Result<Collected, crate::azure::Error> {
        Ok(match part {
            ForensicPart::Settings => {
                let path = format!("{site_id}/config/appsettings/list");
                let dict: crate::azure::wire::web::StringDictionary =
                    self.client.post_json(&path, api::WEB, &json!({})).await?;
                // Digested at once: the values go no further than this line.
                let digests = digest_map(&dict.properties);
                let n = digests.len();
                let names: serde_json::Map<String, Value> = digests
                    .into_iter()
                    .map(|(k, d)| (k, Value::String(d.short().to_owned())))
                    .collect();
                Collected::whole(
                    json!({"app": app, "settings_digests": names}),
                    format!("{n} setting names with digests"),
                )
            }
            ForensicPart::Deployments => {
                let list = self.records(app).await?;
                let n = list.len();
                Collected::whole(
                    json!({"app": app, "deployments": list}),
                    format!("{n} deployment records"),
                )
            }
            ForensicPart::DeploymentLog => self.deployment_logs(app).await?,
            ForensicPart::ActivityLog => {
                let to = (self.now)();
                let from = since.unwrap_or(to - NO_INCIDENT_WINDOW);
                let sub = site_id.split('/').nth(2).unwrap_or_default();
                let (from, to) = (stamp(from), stamp(to));
                let filter = format!(
                    "eventTimestamp ge '{from}' and eventTimestamp le '{to}' and resourceUri eq '{site_id}'"
                );
                let path = format!(
                    "/subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values?$filter={}",
                    enc(&filter)
                );
                let events: Vec<ActivityLogEvent> =
                    self.client.get_all(&path, api::ACTIVITY_LOG).await?;
                let n = events.len();
                Collected::whole(
                    json!({"app": app, "from": from, "to": to, "events": events}),
                    format!("{n} activity log events from {from} to {to}"),
                )
            }
        })
    }

    /// Kudu's deployment records of the app's production slot, newest first, free text masked.
    async fn records(&self, app: &str) -> Result<Vec<DeployResult>, crate::azure::Error> {
        let scm = scm_url(&self.estate, app);
        let mut list = self.client.kudu_deployments(&scm).await?;
        for d in &mut list {
            for text in [&mut d.status_text, &mut d.progress, &mut d.message]
                .into_iter()
                .flatten()
            {
                *text = scrub(text);
            }
        }
        // Kudu lists newest first; sorted again so "latest" never rests on that.
        list.sort_by(|a, b| b.received_time.cmp(&a.received_time));
        Ok(list)
    }

    /// The logs of the latest [`LOGS_KEPT`] deployments and of the one production runs.
    async fn deployment_logs(&self, app: &str) -> Result<Collected, crate::azure::Error> {
        let scm = scm_url(&self.estate, app);
        let list = self.records(app).await?;
        let mut chosen: Vec<&DeployResult> = list.iter().take(LOGS_KEPT).collect();
        if let Some(active) = list.iter().find(|d| d.active)
            && !chosen.iter().any(|d| d.id == active.id)
        {
            chosen.push(active);
        }
        let mut kept = Vec::new();
        let mut gaps = Vec::new();
        let mut lines = 0;
        for d in chosen {
            let mut doc = json!({
                "id": d.id,
                "message": d.message,
                "status": d.status,
                "active": d.active,
                "received_time": d.received_time,
                "end_time": d.end_time,
            });
            match self.client.kudu_deployment_log(&scm, &d.id).await {
                Ok(entries) => {
                    let (log, missing) = self.with_details(&scm, entries).await;
                    lines += log.len() + log.iter().map(|e| e.details.len()).sum::<usize>();
                    if missing > 0 {
                        gaps.push(format!(
                            "details of {missing} log entr{} of {app} deployment {}",
                            if missing == 1 { "y" } else { "ies" },
                            d.id
                        ));
                    }
                    doc["log"] = serde_json::to_value(log).unwrap_or_default();
                }
                Err(e) => {
                    gaps.push(format!("deployment log of {app} deployment {} ({e})", d.id));
                    doc["collected"] = Value::Bool(false);
                    doc["error"] = Value::String(e.to_string());
                }
            }
            kept.push(doc);
        }
        let n = kept.len();
        let words = if gaps.is_empty() {
            format!("logs of {n} deployment(s), {lines} lines, secrets masked")
        } else {
            format!(
                "logs of {n} deployment(s), {lines} lines, secrets masked; {} part(s) NOT collected",
                gaps.len()
            )
        };
        Ok(Collected {
            doc: json!({
                "app": app,
                "kept": format!("the latest {LOGS_KEPT} deployments and the one production runs"),
                "deployments": kept,
            }),
            words,
            gaps,
        })
    }

    /// Each entry with its detail lines read; how many entries' details could not be read.
    async fn with_details(&self, scm: &str, entries: Vec<LogEntry>) -> (Vec<KeptEntry>, usize) {
        let mut out = Vec::with_capacity(entries.len());
        let mut missing = 0;
        let mut read = 0;
        for entry in entries {
            let mut kept = KeptEntry {
                entry,
                details: Vec::new(),
                details_error: None,
            };
            if let Some(url) = kept.entry.details_url.clone() {
                if read < DETAILS_READ {
                    read += 1;
                    match self.client.kudu_log_details(scm, &url).await {
                        Ok(d) => kept.details = d,
                        Err(e) => {
                            missing += 1;
                            kept.details_error = Some(e.to_string());
                        }
                    }
                } else {
                    kept.details_error = Some(format!(
                        "not read: only the details of the first {DETAILS_READ} entries are kept"
                    ));
                }
            }
            out.push(kept);
        }
        (out, missing)
    }
}

/// `2026-03-14T03:04:30Z`.
fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
