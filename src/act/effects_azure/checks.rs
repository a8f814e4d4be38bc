//! The checks after an action (health and version, route state, alias role, storage failover,
//! the earlier steps' changes read back through `observe`), polled until they pass or time out.
//! Read-only; the forensic copies are `forensic`'s.

use serde_json::Value;

use super::AzureEffects;
use crate::act::effect::{Effect, VerifyCheck};
use crate::act::executor::{ActError, StepProgress, StepReport};
use crate::act::reconcile::symbol;
use crate::azure::wire::api;
use crate::journal::Found;
use crate::model::Health;

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
            VerifyCheck::ReadBack { effects } => self.read_back_check(effects, progress).await,
        }
    }

    /// Reads back the plan's earlier write effects until every one is in place.
    async fn read_back_check(
        &self,
        effects: &[Effect],
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        self.until(progress, || async {
            let mut all = true;
            let mut lines = Vec::new();
            for e in effects {
                // The reconciliation's reads: a failed read fails the check at once.
                let o = self.read_back(e).await?;
                all &= o.found == Found::InPlace;
                lines.push(format!("{} {}", symbol(o.found), o.words));
            }
            let words = lines.join("; ");
            Ok(if all && !effects.is_empty() {
                Ok(words)
            } else {
                Err(words)
            })
        })
        .await
    }
}
