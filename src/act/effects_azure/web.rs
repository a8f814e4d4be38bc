//! The Microsoft.Web and Kudu effects: slot swap, restart (optionally only when still unhealthy
//! after a warm-up window, the health probed on the effects' clock meanwhile),
//! settings merge with values copied from another app or on/off flags, key copy, zip deploy.
//! Values are read and written inside [`Redacted`] and only names leave in reports.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{AzureEffects, polls};
use crate::act::actions::steps::span;
use crate::act::effect::SettingSource;
use crate::act::executor::{ActError, StepProgress, StepReport};
use crate::azure::Redacted;
use crate::azure::writes::kudu;
use crate::azure::writes::web::{self, HostKeyType, PRODUCTION};
use crate::model::Health;

type Values = BTreeMap<String, Redacted<String>>;

/// A key name as the snapshot spells it, parsed into what the write calls need.
pub(super) enum KeyName<'a> {
    Host(HostKeyType, &'a str),
    Function(&'a str, &'a str),
}

pub(super) fn parse_key(name: &str) -> Option<KeyName<'_>> {
    match name.split('/').collect::<Vec<_>>().as_slice() {
        ["master"] | ["host", "_master"] => Some(KeyName::Host(HostKeyType::MasterKey, "_master")),
        ["host", k] => Some(KeyName::Host(HostKeyType::FunctionKeys, k)),
        ["system", k] => Some(KeyName::Host(HostKeyType::SystemKeys, k)),
        ["function", f, k] => Some(KeyName::Function(f, k)),
        _ => None,
    }
}

impl AzureEffects {
    pub(super) async fn swap(
        &self,
        site_id: &str,
        source: &str,
        target: &str,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        let mut cb = polls(progress);
        let clock = self.clock();
        let done = web::swap_slot_with_clock(
            &self.client,
            site_id,
            source,
            target,
            &self.lro,
            &mut cb,
            clock.as_ref(),
        )
        .await?;
        Ok(StepReport::words(format!(
            "swapped {source} into {target} ({} after {} poll(s))",
            done.status, done.polls
        )))
    }

    /// Restarts a slot; with `warm_up`, only if the app is still not healthy once it has had
    /// that long to start ([`Self::warm_up`]).
    pub(super) async fn restart(
        &self,
        site_id: &str,
        app: &str,
        slot: &str,
        warm_up: Option<Duration>,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        let mut why = String::new();
        if let Some(window) = warm_up {
            match self.warm_up(app, window, progress).await? {
                Ok(healthy) => return Ok(StepReport::words(healthy)),
                Err(seen) => {
                    progress.note(format!("{seen}: restarting"));
                    why = format!("{seen}: ");
                }
            }
        }
        web::restart(&self.client, site_id, slot, false).await?;
        Ok(StepReport::words(format!("{why}restarted {app} ({slot})")))
    }

    /// Probes an app's health at the check interval, on the effects' clock, until it reports
    /// Healthy (`Ok`: how long that took, restart skipped) or `window` has passed (`Err`: what
    /// it still answered and after how long). A zero window probes once.
    async fn warm_up(
        &self,
        app: &str,
        window: Duration,
        progress: &StepProgress,
    ) -> Result<Result<String, String>, ActError> {
        let url = self.health_url(app)?;
        let clock = self.clock();
        let mut polls = 0;
        loop {
            polls += 1;
            // A host still starting may not answer at all: that is not healthy yet either.
            let (status, seen) = match self.client.probe_health(&url).await {
                Ok(probe) => {
                    let status = probe.report.as_ref().map(|r| Health::parse(&r.status));
                    let seen = format!(
                        "{} ({})",
                        probe.http_status,
                        status.map_or("no report", Health::label)
                    );
                    (status, seen)
                }
                Err(e) => (None, format!("unanswered ({e})")),
            };
            let waited = clock.elapsed();
            if status == Some(Health::Healthy) {
                return Ok(Ok(if polls == 1 {
                    format!("{app} healthy at the first probe: restart skipped")
                } else {
                    format!("{app} healthy after {}: restart skipped", span(waited))
                }));
            }
            if waited >= window {
                let after = if window.is_zero() {
                    String::new()
                } else {
                    format!(" after {}", span(waited))
                };
                return Ok(Err(format!("{app} still {seen}{after}")));
            }
            progress.poll(
                polls,
                &format!(
                    "{app} answers {seen} after {}; warming up, up to {}",
                    span(waited),
                    span(window)
                ),
                None,
            );
            clock
                .sleep(self.verify_interval.min(window.saturating_sub(waited)))
                .await;
        }
    }

    pub(super) async fn merge_settings(
        &self,
        site_id: &str,
        slot: &str,
        set: &BTreeMap<String, SettingSource>,
    ) -> Result<StepReport, ActError> {
        let mut sources: BTreeMap<String, Values> = BTreeMap::new();
        let mut values = Values::new();
        for (name, source) in set {
            let value = match source {
                SettingSource::Flag { value } => Redacted::new(value.to_string()),
                SettingSource::CopyFrom { app, site_id: from } => {
                    if !sources.contains_key(from) {
                        let read =
                            web::read_app_settings_values(&self.client, from, PRODUCTION).await?;
                        sources.insert(from.clone(), read);
                    }
                    sources
                        .get(from)
                        .and_then(|m| m.get(name))
                        .cloned()
                        .ok_or_else(|| {
                            ActError::Precondition(format!("{name} is not set on {app}"))
                        })?
                }
            };
            values.insert(name.clone(), value);
        }
        let change = web::merge_app_settings(&self.client, site_id, slot, &values).await?;
        let words = if change.written {
            format!(
                "added {}; changed {}; already right {}; {} other setting(s) kept",
                list(&change.added),
                list(&change.modified),
                list(&change.unchanged),
                change.kept
            )
        } else {
            format!(
                "already right: {}; nothing written, no restart",
                list(&change.unchanged)
            )
        };
        Ok(StepReport {
            words,
            names: change.added.into_iter().chain(change.modified).collect(),
            gaps: Vec::new(),
        })
    }

    /// The key names of an app when a copy names none: its host keys and the keys of the
    /// functions the estate lists for it.
    pub(super) async fn all_key_names(
        &self,
        from_site: &str,
        host: &web::HostKeyValues,
    ) -> Vec<String> {
        let mut names: Vec<String> = host.master.iter().map(|_| "master".to_owned()).collect();
        names.extend(host.function_keys.keys().map(|k| format!("host/{k}")));
        names.extend(host.system_keys.keys().map(|k| format!("system/{k}")));
        let functions: Vec<String> = self
            .estate
            .apps
            .iter()
            .find(|a| self.estate.app_id(a) == from_site)
            .map_or_else(Vec::new, |a| {
                a.functions
                    .iter()
                    .chain(&a.timer_functions)
                    .cloned()
                    .collect()
            });
        for f in functions {
            // A function without keys (or not running) has nothing to copy.
            if let Ok(keys) =
                web::function_key_values(&self.client, from_site, PRODUCTION, &f).await
            {
                names.extend(keys.keys().map(|k| format!("function/{f}/{k}")));
            }
        }
        names
    }

    pub(super) async fn sync_keys(
        &self,
        from_site: &str,
        to_site: &str,
        names: &[String],
    ) -> Result<StepReport, ActError> {
        let host = web::host_key_values(&self.client, from_site, PRODUCTION).await?;
        let names = if names.is_empty() {
            self.all_key_names(from_site, &host).await
        } else {
            names.to_vec()
        };
        let mut functions: BTreeMap<String, Values> = BTreeMap::new();
        let mut created = 0;
        for name in &names {
            let missing = || ActError::Precondition(format!("key {name} is not on the source"));
            let written = match parse_key(name).ok_or_else(missing)? {
                KeyName::Host(kind, key) => {
                    let value = match kind {
                        HostKeyType::MasterKey => host.master.as_ref(),
                        HostKeyType::FunctionKeys => host.function_keys.get(key),
                        HostKeyType::SystemKeys => host.system_keys.get(key),
                    }
                    .ok_or_else(missing)?;
                    web::put_host_key(&self.client, to_site, PRODUCTION, kind, key, Some(value))
                        .await?
                }
                KeyName::Function(f, key) => {
                    if !functions.contains_key(f) {
                        let read = web::function_key_values(&self.client, from_site, PRODUCTION, f)
                            .await?;
                        functions.insert(f.to_owned(), read);
                    }
                    let value = functions
                        .get(f)
                        .and_then(|m| m.get(key))
                        .ok_or_else(missing)?;
                    web::put_function_key(&self.client, to_site, PRODUCTION, f, key, Some(value))
                        .await?
                }
            };
            created += usize::from(written.created);
        }
        Ok(StepReport {
            words: format!(
                "{} key(s) written ({created} new): {}",
                names.len(),
                list(&names)
            ),
            names,
            gaps: Vec::new(),
        })
    }

    pub(super) async fn zip_deploy(
        &self,
        app: &str,
        scm: &str,
        package_uri: &str,
        version: &str,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        if let (Some(auth), Some(store)) = (&self.artifact_auth, &self.estate.artifact_store) {
            let account = self
                .estate
                .endpoints
                .blob
                .replace("{account}", &store.account);
            let url = url::Url::parse(&account)
                .map_err(|e| ActError::Precondition(format!("artifact store URL: {e}")))?;
            let listed =
                kudu::list_artifacts(&self.client, auth.clone(), &url, &store.container).await?;
            if !listed
                .iter()
                .any(|a| package_uri.ends_with(&format!("/{}", a.name)))
            {
                return Err(ActError::Precondition(format!(
                    "{package_uri} is not in the artifact store ({} package(s) listed)",
                    listed.len()
                )));
            }
            progress.note(format!("package for {version} found in the artifact store"));
        }
        let mut cb = polls(progress);
        let uri = Redacted::new(package_uri.to_owned());
        let clock = self.clock();
        let done = kudu::zip_deploy_with_clock(
            &self.client,
            scm,
            &uri,
            &self.lro,
            &mut cb,
            clock.as_ref(),
        )
        .await
        .map_err(|e| ActError::Azure(e.to_string()))?;
        Ok(StepReport::words(format!(
            "deployed {version} to {app} (Kudu deployment {}, {})",
            done.id,
            done.status.label()
        )))
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_parse_as_the_observer_writes_them() {
        let host = |n| match parse_key(n) {
            Some(KeyName::Host(t, k)) => Some((t, k.to_owned())),
            _ => None,
        };
        assert_eq!(
            host("master"),
            Some((HostKeyType::MasterKey, "_master".into()))
        );
        assert_eq!(
            host("host/default"),
            Some((HostKeyType::FunctionKeys, "default".into()))
        );
        assert_eq!(
            host("system/durabletask_extension"),
            Some((HostKeyType::SystemKeys, "durabletask_extension".into()))
        );
        assert!(matches!(
            parse_key("function/CreateOrder/default"),
            Some(KeyName::Function("CreateOrder", "default"))
        ));
        assert!(parse_key("weird").is_none() && parse_key("function/x").is_none());
    }
}
