//! Reading back whether an effect's change is in place, for the reconciliation of an intent left
//! unfinished by a crash and for a plan's own read-back check (`VerifyCheck::ReadBack`): route
//! states, alias roles, a storage account's primary, a template deployment's state, settings and
//! keys compared (flags by value, copied values and keys by digest, never shown), the version an
//! app reports; locks, tags and alert rules are read in `observe_governance`. Reads only.

use std::collections::BTreeMap;

use serde_json::Value;

use super::web::{KeyName, parse_key};
use super::{AzureEffects, group_of, last};
use crate::act::effect::{Effect, SettingSource, VerifyCheck};
use crate::act::executor::Observation;
use crate::azure::Redacted;
use crate::azure::wire::api;
use crate::azure::writes::templates;
use crate::azure::writes::web::{self, PRODUCTION};
use crate::journal::Found;
use crate::model::{Health, SecretDigest};

type Values = BTreeMap<String, Redacted<String>>;

/// A value's digest, compared and never shown.
fn digest(v: &Redacted<String>) -> SecretDigest {
    SecretDigest::of(v.expose())
}

/// The words of several names: in place when all are, partly when some are.
fn of_names(ok: &[String], bad: &[String], what: &str) -> Observation {
    let words = match (ok.is_empty(), bad.is_empty()) {
        (_, true) => format!("{what} in place: {}", ok.join(", ")),
        (true, false) => format!("{what} not in place: {}", bad.join(", ")),
        (false, false) => format!(
            "{what} in place: {}; not in place: {}",
            ok.join(", "),
            bad.join(", ")
        ),
    };
    let found = match (ok.is_empty(), bad.is_empty()) {
        (_, true) => Found::InPlace,
        (true, false) => Found::NotInPlace,
        (false, false) => Found::PartlyInPlace,
    };
    Observation::with(found, words)
}

impl AzureEffects {
    /// Reads whether `effect`'s change is in place. A failed read is an unknown with its error.
    pub(super) async fn observe_effect(&self, effect: &Effect) -> Observation {
        match self.read_back(effect).await {
            Ok(o) => o,
            Err(e) => Observation::unknown(format!("could not read: {e}")),
        }
    }

    /// Reads whether `effect`'s change is in place; a failed read is the error.
    pub(super) async fn read_back(
        &self,
        effect: &Effect,
    ) -> Result<Observation, crate::azure::Error> {
        let c = &self.client;
        Ok(match effect {
            Effect::TmStatus {
                endpoint_id,
                enabled,
            } => {
                let v: Value = c.get_json(endpoint_id, api::TRAFFIC_MANAGER).await?;
                let state = v["properties"]["endpointStatus"].as_str().unwrap_or("?");
                let want = if *enabled { "Enabled" } else { "Disabled" };
                Observation::holds(
                    state.eq_ignore_ascii_case(want),
                    format!("endpoint {} reads {state}", last(endpoint_id)),
                )
            }
            Effect::FdState { origin_id, enabled } => {
                let v: Value = c.get_json(origin_id, api::CDN).await?;
                let state = v["properties"]["enabledState"].as_str().unwrap_or("?");
                let want = if *enabled { "Enabled" } else { "Disabled" };
                Observation::holds(
                    state.eq_ignore_ascii_case(want),
                    format!("origin {} reads {state}", last(origin_id)),
                )
            }
            Effect::AliasFailover {
                alias_id_on_secondary,
                ..
            } => {
                let v: Value = c.get_json(alias_id_on_secondary, api::MESSAGING).await?;
                let role = v["properties"]["role"].as_str().unwrap_or("?");
                Observation::holds(
                    role.starts_with("Primary"),
                    format!(
                        "alias {} on the former secondary has role {role}",
                        last(alias_id_on_secondary)
                    ),
                )
            }
            Effect::StorageFailover { account_id } => self.storage_back(account_id).await?,
            Effect::Lock { .. } | Effect::Tag { .. } | Effect::AlertRule { .. } => {
                self.governance_back(effect).await?
            }
            Effect::DeployTemplate {
                group_id,
                deployment_name,
                ..
            } => {
                let Ok(rg) = group_of(group_id) else {
                    return Ok(Observation::unknown(format!("{group_id} is not a group")));
                };
                match templates::get_deployment(c, &rg, deployment_name).await {
                    Ok(d) => {
                        let state = d.provisioning_state;
                        let words = format!("deployment {deployment_name} is {state}");
                        match state.as_str() {
                            "Succeeded" => Observation::in_place(words),
                            "Failed" | "Canceled" => Observation::not_in_place(words),
                            _ => Observation::unknown(format!("{words} (not finished)")),
                        }
                    }
                    Err(e) if e.is_not_found() => Observation::not_in_place(format!(
                        "deployment {deployment_name} does not exist"
                    )),
                    Err(e) => return Err(e),
                }
            }
            Effect::MergeSettings { .. }
            | Effect::SyncKeys { .. }
            | Effect::ZipDeploy { .. }
            | Effect::Verify(
                VerifyCheck::AppHealthy {
                    version: Some(_), ..
                }
                | VerifyCheck::AppVersion { .. },
            )
            | Effect::Swap { .. }
            | Effect::Restart { .. } => self.web_back(effect).await?,
            Effect::Verify(_) | Effect::WhatIf { .. } | Effect::Forensics { .. } => {
                Observation::unknown("a read-only step: nothing to reconcile")
            }
        })
    }

    /// The app effects read back: settings, keys, the version an app reports.
    async fn web_back(&self, effect: &Effect) -> Result<Observation, crate::azure::Error> {
        Ok(match effect {
            Effect::MergeSettings { site_id, slot, set } => {
                self.settings_back(site_id, slot, set).await?
            }
            Effect::SyncKeys {
                from_site,
                to_site,
                names,
            } => self.keys_back(from_site, to_site, names).await?,
            Effect::ZipDeploy { app, version, .. } => {
                let (running, health) = self.running(app).await?;
                Observation::holds(
                    running == *version,
                    format!("{app} reports {running} ({health}); the deploy was of {version}"),
                )
            }
            Effect::Verify(
                VerifyCheck::AppHealthy {
                    app,
                    version: Some(version),
                    ..
                }
                | VerifyCheck::AppVersion { app, version, .. },
            ) => {
                let (running, health) = self.running(app).await?;
                Observation::holds(
                    running == *version,
                    format!(
                        "production of {app} reports {running} ({health}); the plan expected {version}"
                    ),
                )
            }
            Effect::Swap { site_id, .. } => {
                let app = last(site_id);
                let (running, health) = self.running(app).await?;
                Observation::unknown(format!(
                    "no expected version was recorded, so the swap cannot be told from the \
                     versions; production of {app} reports {running} ({health})"
                ))
            }
            Effect::Restart { app, .. } => {
                let (running, health) = self.running(app).await?;
                Observation {
                    traceless: true,
                    ..Observation::unknown(format!(
                        "a restart leaves no trace to read; {app} now reports {health} running \
                         {running}"
                    ))
                }
            }
            _ => Observation::unknown("not an app effect"),
        })
    }

    /// The version and health word an app's production reports.
    async fn running(&self, app: &str) -> Result<(String, String), crate::azure::Error> {
        let Ok(url) = self.health_url(app) else {
            return Ok((
                "an unknown version".to_owned(),
                "not in the estate".to_owned(),
            ));
        };
        let probe = self.client.probe_health(&url).await?;
        Ok(match probe.report {
            Some(r) => (
                r.version.unwrap_or_else(|| "no version".to_owned()),
                Health::parse(&r.status).label().to_owned(),
            ),
            None => (
                "no version".to_owned(),
                format!("HTTP {} without a report", probe.http_status),
            ),
        })
    }

    async fn storage_back(&self, account_id: &str) -> Result<Observation, crate::azure::Error> {
        let path = format!("{account_id}?$expand=geoReplicationStats");
        let v: Value = self.client.get_json(&path, api::STORAGE).await?;
        let p = &v["properties"];
        let primary = p["primaryLocation"].as_str().unwrap_or("?");
        let name = last(account_id);
        let home = self
            .estate
            .storage_accounts
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| self.estate.regions.iter().find(|r| r.name == a.region))
            .map(|r| r.location.clone());
        let words = format!(
            "{name}'s primary is {primary}{}",
            home.as_ref()
                .map(|h| format!(" (the estate puts it in {h})"))
                .unwrap_or_default()
        );
        Ok(match home {
            Some(h) => Observation::holds(!primary.eq_ignore_ascii_case(&h), words),
            None => Observation::unknown(words),
        })
    }

    async fn settings_back(
        &self,
        site_id: &str,
        slot: &str,
        set: &BTreeMap<String, SettingSource>,
    ) -> Result<Observation, crate::azure::Error> {
        let now = web::read_app_settings_values(&self.client, site_id, slot).await?;
        let mut sources: BTreeMap<String, Values> = BTreeMap::new();
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        for (name, source) in set {
            let have = now.get(name);
            let right = match source {
                // A flag is a plain on/off word, not a secret: its value is compared and named.
                SettingSource::Flag { value } => {
                    let v = value.to_string();
                    let holds = have.is_some_and(|h| h.expose().eq_ignore_ascii_case(&v));
                    if holds {
                        ok.push(format!("{name}={v}"));
                    } else {
                        bad.push(format!("{name}≠{v}"));
                    }
                    continue;
                }
                SettingSource::CopyFrom { site_id: from, .. } => {
                    if !sources.contains_key(from) {
                        let read =
                            web::read_app_settings_values(&self.client, from, PRODUCTION).await?;
                        sources.insert(from.clone(), read);
                    }
                    let want = sources.get(from).and_then(|m| m.get(name)).map(digest);
                    want.is_some() && have.map(digest) == want
                }
            };
            if right {
                ok.push(format!("{name} (digests equal)"));
            } else {
                bad.push(format!("{name} (digests differ or missing)"));
            }
        }
        Ok(of_names(
            &ok,
            &bad,
            &format!("settings of {}", last(site_id)),
        ))
    }

    async fn keys_back(
        &self,
        from_site: &str,
        to_site: &str,
        names: &[String],
    ) -> Result<Observation, crate::azure::Error> {
        let from = web::host_key_values(&self.client, from_site, PRODUCTION).await?;
        let to = web::host_key_values(&self.client, to_site, PRODUCTION).await?;
        let names = if names.is_empty() {
            self.all_key_names(from_site, &from).await
        } else {
            names.to_vec()
        };
        let mut functions: BTreeMap<(bool, String), Values> = BTreeMap::new();
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        for name in &names {
            let pair = match parse_key(name) {
                Some(KeyName::Host(kind, key)) => {
                    let pick = |h: &web::HostKeyValues| match kind {
                        web::HostKeyType::MasterKey => h.master.as_ref().map(digest),
                        web::HostKeyType::FunctionKeys => h.function_keys.get(key).map(digest),
                        web::HostKeyType::SystemKeys => h.system_keys.get(key).map(digest),
                    };
                    (pick(&from), pick(&to))
                }
                Some(KeyName::Function(f, key)) => {
                    for (source, site) in [(true, from_site), (false, to_site)] {
                        if let std::collections::btree_map::Entry::Vacant(slot) =
                            functions.entry((source, f.to_owned()))
                        {
                            // A function without keys reads as none.
                            let read = web::function_key_values(&self.client, site, PRODUCTION, f)
                                .await
                                .unwrap_or_default();
                            slot.insert(read);
                        }
                    }
                    let get = |source: bool| {
                        functions
                            .get(&(source, f.to_owned()))
                            .and_then(|m| m.get(key))
                            .map(digest)
                    };
                    (get(true), get(false))
                }
                None => (None, None),
            };
            match pair {
                (Some(a), Some(b)) if a == b => ok.push(name.clone()),
                _ => bad.push(name.clone()),
            }
        }
        Ok(of_names(
            &ok,
            &bad,
            &format!("keys of {} (compared by digest)", last(to_site)),
        ))
    }
}
