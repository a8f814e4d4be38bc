//! Sync app settings and keys from the primary app to its secondary: add and modify only, never
//! delete (seed 004). Names are compared by value digest; the plan lists names, never values.
//! Settings that must differ per region are never copied. The plan ends by reading both apps
//! back and comparing the synced names by digest.

use std::collections::BTreeMap;

use super::super::catalogue::PlanError;
use super::super::effect::SettingSource;
use super::super::plan::{Expected, PlanStep, Risk};
use super::{Ctx, Draft, steps, steps_verify};
use crate::config::{App, RegionRole};
use crate::model::SecretDigest;

/// Settings each region keeps its own, never copied: the decision engine's list of settings
/// that differ by design (host storage, content share, names with REGION or LOCATION, timer
/// flags, which [`super::timers`] sets), plus identity-based host storage and any other
/// content-share setting.
pub fn is_regional(name: &str) -> bool {
    crate::decide::sync::differs_by_design(name)
        || name.starts_with("AzureWebJobsStorage__")
        || name.starts_with("WEBSITE_CONTENT")
}

/// How a target's names differ from a source's, by digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Differences {
    /// In the source only: will be added.
    pub added: Vec<String>,
    /// In both with different values: will be changed.
    pub changed: Vec<String>,
    /// In the target only: kept (never deleted).
    pub kept: Vec<String>,
    /// Different but per region: left alone.
    pub regional: Vec<String>,
}

impl Differences {
    /// Whether nothing would be added or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty()
    }

    /// The names that will be written.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.added.iter().chain(&self.changed).map(String::as_str)
    }

    /// `adds A, B; changes C (value digests differ)`.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(format!("adds {}", self.added.join(", ")));
        }
        if !self.changed.is_empty() {
            parts.push(format!(
                "changes {} (value digests differ)",
                self.changed.join(", ")
            ));
        }
        if parts.is_empty() {
            "nothing to add or change".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Compares two name → digest maps. `regional` names are never added or changed.
pub fn compare(
    from: &BTreeMap<String, SecretDigest>,
    to: &BTreeMap<String, SecretDigest>,
    regional: fn(&str) -> bool,
) -> Differences {
    let mut d = Differences::default();
    for (name, digest) in from {
        let differs = to.get(name) != Some(digest);
        if !differs {
            continue;
        }
        if regional(name) {
            d.regional.push(name.clone());
        } else if to.contains_key(name) {
            d.changed.push(name.clone());
        } else {
            d.added.push(name.clone());
        }
    }
    d.kept = to
        .keys()
        .filter(|n| !from.contains_key(*n))
        .cloned()
        .collect();
    d
}

/// Settings differences, with the per-region names left alone.
pub fn differences(
    from: &BTreeMap<String, SecretDigest>,
    to: &BTreeMap<String, SecretDigest>,
) -> Differences {
    compare(from, to, is_regional)
}

/// The steps that bring `to` in line with `from`, and notes. Errors when the snapshot lacks
/// either side's settings or keys.
pub fn steps_for(
    cx: &Ctx<'_>,
    from: &App,
    to: &App,
) -> Result<(Vec<PlanStep>, Vec<String>), String> {
    let (Some(src), Some(dst)) = (cx.state(&from.name), cx.state(&to.name)) else {
        return Err(format!(
            "{} or {} is not in the snapshot",
            from.name, to.name
        ));
    };
    let (Some(src_settings), Some(dst_settings)) = (src.settings.get(), dst.settings.get()) else {
        return Err(format!(
            "the settings of {} or {} have not been observed",
            from.name, to.name
        ));
    };
    let (Some(src_keys), Some(dst_keys)) = (src.keys.get(), dst.keys.get()) else {
        return Err(format!(
            "the keys of {} or {} have not been observed",
            from.name, to.name
        ));
    };
    let settings = differences(src_settings, dst_settings);
    let keys = compare(src_keys, dst_keys, |_| false);
    let mut out = Vec::new();
    let mut notes = Vec::new();
    if !settings.is_empty() {
        let source = SettingSource::CopyFrom {
            app: from.name.clone(),
            site_id: cx.estate.app_id(from),
        };
        let set = settings
            .names()
            .map(|n| (n.to_owned(), source.clone()))
            .collect();
        out.push(steps::merge_settings(
            cx.estate,
            to,
            format!(
                "Sync settings of {} from {}: {}",
                to.name,
                from.name,
                settings.words()
            ),
            set,
        ));
    }
    if !keys.is_empty() {
        let names: Vec<String> = keys.names().map(str::to_owned).collect();
        out.extend(steps::sync_keys_by_kind(cx.estate, from, to, &names));
    }
    if !settings.kept.is_empty() {
        notes.push(format!(
            "{} keeps {} (only there; a sync never deletes).",
            to.name,
            settings.kept.join(", ")
        ));
    }
    if !settings.regional.is_empty() {
        notes.push(format!(
            "Left per region on {}: {} (they differ between regions by design and are not copied).",
            to.name,
            settings.regional.join(", ")
        ));
    }
    Ok((out, notes))
}

/// Plans a settings and keys sync into the target (a secondary app).
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let to = cx.target_app()?;
    if cx.estate.region_of(to).role == RegionRole::Primary {
        return Err(PlanError::NotApplicable(format!(
            "{} is in the primary region; a sync goes from the primary into a secondary app",
            to.name
        )));
    }
    let from = cx.primary_counterpart(to).ok_or_else(|| {
        PlanError::NotApplicable(format!(
            "no app of {} in the primary region to sync from",
            to.service
        ))
    })?;
    let (steps, notes) = steps_for(cx, from, to).map_err(PlanError::NotApplicable)?;
    if steps.is_empty() {
        return Err(PlanError::NothingToDo(format!(
            "{} already matches {} (settings and keys by value digest)",
            to.name, from.name
        )));
    }
    let mut d = Draft::new(
        format!("Sync settings and keys from {} to {}", from.name, to.name),
        format!(
            "Values are read from {} and written to {} at execution; they never appear here. \
             Changing settings restarts {}.",
            from.name, to.name, to.name
        ),
        Risk::Medium,
        Expected::minutes(1, 3),
    );
    let check = steps_verify::read_back(
        format!(
            "Verify {} now matches {} by digest for the synced settings and keys",
            to.name, from.name
        ),
        &steps,
        Vec::new(),
    );
    d.steps = steps;
    d.steps.push(check);
    d.notes = notes;
    d.notes.push(format!(
        "No undo: the values replaced on {} are not kept (a sync only adds and changes).",
        to.name
    ));
    Ok(d)
}
