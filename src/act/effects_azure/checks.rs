//! The read-only effects: checks after an action (health and version, route state, alias role,
//! storage failover) polled until they pass or time out, and the forensic snapshot written into
//! the incident folder (setting names with digests, never values).

use serde_json::Value;

use super::AzureEffects;
use crate::act::effect::{ForensicPart, VerifyCheck};
use crate::act::executor::{ActError, StepProgress, StepReport};
use crate::azure::wire::api;
use crate::azure::wire::monitor::ActivityLogEvent;
use crate::model::{Health, digest_map};

impl AzureEffects {
    /// Repeats `check` until it passes or the verify timeout runs out; the last failure's words
    /// are the error.
    async fn until<F, Fut>(
        &self,
        progress: &StepProgress,
        mut check: F,
    ) -> Result<StepReport, ActError>
    where
        F: FnMut() -> Fut + Send,
        Fut: std::future::Future<Output = Result<Result<String, String>, ActError>> + Send,
    {
        let clock = self.clock();
        let mut polls = 0;
        loop {
            polls += 1;
            let last = match check().await? {
                Ok(words) => return Ok(StepReport::words(words)),
                Err(words) => words,
            };
            progress.poll(polls, &last, None);
            if clock.elapsed() + self.verify_interval > self.verify_timeout {
                return Err(ActError::Verify(last));
            }
            clock.sleep(self.verify_interval).await;
        }
    }

    /// Polls an app's health endpoint until it reports `version` (when given) and, when
    /// `healthy` is asked, Healthy. Otherwise the health is only reported in the words: the
    /// check then promises the version alone.
    async fn app_check(
        &self,
        app: &str,
        version: Option<&str>,
        healthy: bool,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        let url = self.health_url(app)?;
        self.until(progress, || async {
            let probe = self.client.probe_health(&url).await?;
            let Some(report) = probe.report else {
                return Ok(Err(format!(
                    "{app} answered {} without a report",
                    probe.http_status
                )));
            };
            let is_healthy = Health::parse(&report.status) == Health::Healthy;
            let running = report.version.clone().unwrap_or_else(|| "?".to_owned());
            let right = version.is_none_or(|v| v == running);
            let words = if healthy {
                format!("{app} reports {} running {running}", report.status)
            } else {
                format!(
                    "{app} reports {running} ({}; health reported, not required)",
                    report.status
                )
            };
            Ok(if right && (is_healthy || !healthy) {
                Ok(words)
            } else {
                Err(words)
            })
        })
        .await
    }

    pub(super) async fn verify(
        &self,
        check: &VerifyCheck,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        match check {
            VerifyCheck::AppHealthy { app, version, .. } => {
                self.app_check(app, version.as_deref(), true, progress)
                    .await
            }
            VerifyCheck::AppVersion { app, version, .. } => {
                self.app_check(app, Some(version), false, progress).await
            }
            VerifyCheck::RouteState { id, enabled } => {
                let api_version = if id.contains("/Microsoft.Cdn/") {
                    api::CDN
                } else {
                    api::TRAFFIC_MANAGER
                };
                let want = if *enabled { "Enabled" } else { "Disabled" };
                self.until(progress, || async {
                    let v: Value = self.client.get_json(id, api_version).await?;
                    let p = &v["properties"];
                    let state = p["endpointStatus"]
                        .as_str()
                        .or_else(|| p["enabledState"].as_str())
                        .unwrap_or("?");
                    let words = format!("{} reads {state}", v["name"].as_str().unwrap_or(id));
                    Ok(if state.eq_ignore_ascii_case(want) {
                        Ok(words)
                    } else {
                        Err(words)
                    })
                })
                .await
            }
            VerifyCheck::AliasPrimary { alias_id } => {
                self.until(progress, || async {
                    let v: Value = self.client.get_json(alias_id, api::MESSAGING).await?;
                    let p = &v["properties"];
                    let role = p["role"].as_str().unwrap_or("?");
                    let prov = p["provisioningState"].as_str().unwrap_or("?");
                    let words = format!("alias role {role}, provisioning {prov}");
                    let ok = role.starts_with("Primary") && prov.eq_ignore_ascii_case("succeeded");
                    Ok(if ok { Ok(words) } else { Err(words) })
                })
                .await
            }
            VerifyCheck::StorageFailedOver { account_id } => {
                let path = format!("{account_id}?$expand=geoReplicationStats");
                self.until(progress, || async {
                    let v: Value = self.client.get_json(&path, api::STORAGE).await?;
                    let p = &v["properties"];
                    let failed_over = p["lastGeoFailoverTime"].is_string();
                    let status = p["statusOfPrimary"].as_str().unwrap_or("?");
                    let words = format!(
                        "primary {} is {status}{}",
                        p["primaryLocation"].as_str().unwrap_or("?"),
                        if failed_over {
                            ", failover recorded"
                        } else {
                            ""
                        }
                    );
                    Ok(if failed_over && status.eq_ignore_ascii_case("available") {
                        Ok(words)
                    } else {
                        Err(words)
                    })
                })
                .await
            }
        }
    }

    pub(super) async fn forensics(
        &self,
        app: &str,
        site_id: &str,
        folder: &str,
        part: ForensicPart,
    ) -> Result<StepReport, ActError> {
        let dir = self.incident_dir.join(folder);
        std::fs::create_dir_all(&dir).map_err(|e| ActError::Io(e.to_string()))?;
        let collected: Result<(Value, String), crate::azure::Error> =
            self.collect(app, site_id, part).await;
        // A forensic copy never blocks the recovery it precedes: a part that cannot be read (the
        // app's Kudu down with its region) is recorded as missing, with why, and the step goes on.
        let (doc, words) = match collected {
            Ok(c) => c,
            Err(e) => {
                let why = e.to_string();
                (
                    serde_json::json!({"app": app, "collected": false, "error": why}),
                    format!("NOT collected ({why}); recorded as missing"),
                )
            }
        };
        let file = dir.join(part.file_name());
        let text = serde_json::to_string_pretty(&doc).map_err(|e| ActError::Io(e.to_string()))?;
        std::fs::write(&file, text).map_err(|e| ActError::Io(e.to_string()))?;
        Ok(StepReport {
            words: format!("{words} written to {folder}/{}", part.file_name()),
            names: vec![format!("{folder}/{}", part.file_name())],
        })
    }
    /// Reads one forensic part: the document to write and its words.
    async fn collect(
        &self,
        app: &str,
        site_id: &str,
        part: ForensicPart,
    ) -> Result<(Value, String), crate::azure::Error> {
        Ok(match part {
            ForensicPart::Settings => {
                let path = format!("{site_id}/config/appsettings/list");
                let dict: crate::azure::wire::web::StringDictionary = self
                    .client
                    .post_json(&path, api::WEB, &serde_json::json!({}))
                    .await?;
                // Digested at once: the values go no further than this line.
                let digests = digest_map(&dict.properties);
                let n = digests.len();
                let names: serde_json::Map<String, Value> = digests
                    .into_iter()
                    .map(|(k, d)| (k, Value::String(d.short().to_owned())))
                    .collect();
                (
                    serde_json::json!({"app": app, "settings_digests": names}),
                    format!("{n} setting names with digests"),
                )
            }
            ForensicPart::Deployments => {
                let scm = crate::act::actions::steps::scm_url(&self.estate, app);
                let list = self.client.kudu_deployments(&scm).await?;
                let n = list.len();
                (
                    serde_json::json!({"app": app, "deployments": list}),
                    format!("{n} deployment records"),
                )
            }
            ForensicPart::ActivityLog => {
                let to = (self.now)();
                let from = to - chrono::Duration::hours(6);
                let sub = site_id.split('/').nth(2).unwrap_or_default();
                let filter = format!(
                    "eventTimestamp ge '{}' and eventTimestamp le '{}' and resourceUri eq '{site_id}'",
                    from.format("%Y-%m-%dT%H:%M:%SZ"),
                    to.format("%Y-%m-%dT%H:%M:%SZ")
                );
                let path = format!(
                    "/subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values?$filter={}",
                    enc(&filter)
                );
                let events: Vec<ActivityLogEvent> =
                    self.client.get_all(&path, api::ACTIVITY_LOG).await?;
                let n = events.len();
                (
                    serde_json::json!({"app": app, "events": events}),
                    format!("{n} activity log events"),
                )
            }
        })
    }
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
