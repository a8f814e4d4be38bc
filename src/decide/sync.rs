//! Whether a secondary app is in step with its primary: app settings and keys compared by name
//! and keyed digest ([`SecretDigest`]) — never by value — with a short allow-list of settings that
//! differ between regions by design; and whether timer functions are set right for a failover
//! (disabled in the passive region, ready to be enabled there).
//!
//! Only names ever appear in the words produced here. Pure.

use std::collections::BTreeMap;

use crate::model::{FunctionState, SecretDigest};

/// Settings each regional app has its own value of by design: its storage connection and its
/// content share (the same list the console sets apart as expected).
pub const PER_REGION_SETTINGS: [&str; 3] = [
    "AzureWebJobsStorage",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTSHARE",
];

/// Whether a setting is expected to differ between regions: a per-region setting, a storage
/// connection (each region's apps use their own region's storage: `QueueStorageConnection`,
/// `AzureWebJobsStorage__accountName`), one that names the region or location, or a timer's
/// `AzureWebJobs.<fn>.Disabled` flag (checked as timers).
pub fn differs_by_design(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    PER_REGION_SETTINGS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
        || is_storage_connection(name)
        || upper.contains("REGION")
        || upper.contains("LOCATION")
        || timer_flag(name).is_some()
}

/// Whether a setting names a storage connection (`QueueStorageConnection`,
/// `StorageConnectionString`): each region's apps use their own accounts (the queues they
/// consume, their host storage), so copying one region's value into the other would point the
/// secondary at the failed region's account.
pub fn is_storage_connection(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("STORAGE") && (upper.contains("CONNECTION") || upper.contains("__"))
}

/// The function a `AzureWebJobs.<fn>.Disabled` setting disables.
pub fn timer_flag(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("AzureWebJobs.")?;
    rest.strip_suffix(".Disabled")
        .filter(|f| !f.is_empty() && !f.contains('.'))
}

/// How a secondary's name → digest map differs from its primary's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestDiff {
    /// Names the primary has and the secondary lacks.
    pub missing: Vec<String>,
    /// Names on both sides whose digests differ (and should not).
    pub differ: Vec<String>,
    /// Names only the secondary has (kept: a sync adds and modifies, never deletes).
    pub extra: Vec<String>,
    /// Names set apart as differing by design.
    pub by_design: Vec<String>,
}

impl DigestDiff {
    /// Compares `secondary` with `primary`; `allow` says which names may differ by design.
    pub fn between(
        primary: &BTreeMap<String, SecretDigest>,
        secondary: &BTreeMap<String, SecretDigest>,
        allow: fn(&str) -> bool,
    ) -> Self {
        let mut d = Self::default();
        for (name, digest) in primary {
            if allow(name) {
                if secondary.get(name) != Some(digest) {
                    d.by_design.push(name.clone());
                }
                continue;
            }
            match secondary.get(name) {
                None => d.missing.push(name.clone()),
                Some(other) if other != digest => d.differ.push(name.clone()),
                Some(_) => {}
            }
        }
        d.extra = secondary
            .keys()
            .filter(|k| !primary.contains_key(*k) && !allow(k))
            .cloned()
            .collect();
        d
    }

    /// Whether the secondary has everything the primary has, with the same digests.
    pub fn in_sync(&self) -> bool {
        self.missing.is_empty() && self.differ.is_empty()
    }

    /// Names only: `FEATURE_X differs (by digest); QUEUE_CONN missing`.
    pub fn words(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.differ.is_empty() {
            parts.push(format!("{} differ by digest", self.differ.join(", ")));
        }
        if !self.missing.is_empty() {
            parts.push(format!("{} missing", self.missing.join(", ")));
        }
        if parts.is_empty() {
            "in sync by digest".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Never differs by design: keys are shared by the regions of a service.
pub fn no_exceptions(_: &str) -> bool {
    false
}

/// Whether a timer function is disabled in an app: by its function state, or by its
/// `AzureWebJobs.<fn>.Disabled` setting (whose digest is compared with the digests of `true` and
/// `1`, the values that disable it — the value itself is never seen).
pub fn timer_disabled(
    function: &str,
    functions: Option<&[FunctionState]>,
    settings: Option<&BTreeMap<String, SecretDigest>>,
) -> Option<bool> {
    let by_state =
        functions.and_then(|fs| fs.iter().find(|f| f.name == function).map(|f| f.disabled));
    let by_setting = settings.map(|s| {
        s.get(&format!("AzureWebJobs.{function}.Disabled"))
            .is_some_and(|d| {
                ["true", "True", "1"]
                    .iter()
                    .any(|v| SecretDigest::of(v) == *d)
            })
    });
    match (by_state, by_setting) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (None, Some(false)) => Some(false),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::digest_map;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, SecretDigest> {
        let owned: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        digest_map(&owned)
    }

    #[test]
    fn digests_name_missing_and_different_settings_and_never_values() {
        let primary = m(&[("A", "1"), ("FEATURE_X", "on"), ("C", "secret-c")]);
        let secondary = m(&[("A", "1"), ("FEATURE_X", "off"), ("D", "4")]);
        let d = DigestDiff::between(&primary, &secondary, differs_by_design);
        assert_eq!(d.differ, ["FEATURE_X"]);
        assert_eq!(d.missing, ["C"]);
        assert_eq!(d.extra, ["D"]);
        assert!(!d.in_sync());
        let words = d.words();
        assert_eq!(words, "FEATURE_X differ by digest; C missing");
        for value in ["on", "off", "secret-c"] {
            assert!(!words.contains(value), "{words}");
        }
        assert!(DigestDiff::between(&primary, &primary, differs_by_design).in_sync());
    }

    #[test]
    fn the_allow_list_sets_apart_storage_content_share_region_and_timer_flags() {
        let primary = m(&[
            ("AzureWebJobsStorage", "conn-krc"),
            ("WEBSITE_CONTENTSHARE", "share-krc"),
            ("DEPLOYMENT_REGION", "koreacentral"),
            ("FEATURE_X", "on"),
        ]);
        let secondary = m(&[
            ("AzureWebJobsStorage", "conn-jpe"),
            ("WEBSITE_CONTENTSHARE", "share-jpe"),
            ("DEPLOYMENT_REGION", "japaneast"),
            ("AzureWebJobs.NightlyReconcile.Disabled", "true"),
            ("FEATURE_X", "on"),
        ]);
        let d = DigestDiff::between(&primary, &secondary, differs_by_design);
        assert!(d.in_sync(), "{d:?}");
        assert!(d.extra.is_empty(), "{d:?}");
        assert_eq!(
            d.by_design,
            [
                "AzureWebJobsStorage",
                "DEPLOYMENT_REGION",
                "WEBSITE_CONTENTSHARE"
            ]
        );
        // Keys have no exceptions.
        let k = DigestDiff::between(&primary, &secondary, no_exceptions);
        assert_eq!(k.differ.len(), 3);
        assert!(!differs_by_design("DOWNSTREAM_API_KEY"));
        assert!(
            !differs_by_design("ServiceBusConnection"),
            "an alias: shared"
        );
        assert!(differs_by_design("QueueStorageConnection"));
        assert!(differs_by_design("Storage_Connection_String"));
        assert_eq!(timer_flag("AzureWebJobs.Nightly.Disabled"), Some("Nightly"));
        assert_eq!(timer_flag("AzureWebJobsStorage"), None);
    }

    #[test]
    fn a_timer_is_disabled_by_its_state_or_by_a_true_flag() {
        let fs = [FunctionState {
            name: "Nightly".into(),
            disabled: false,
        }];
        assert_eq!(timer_disabled("Nightly", Some(&fs), None), Some(false));
        let on = m(&[("AzureWebJobs.Nightly.Disabled", "true")]);
        assert_eq!(timer_disabled("Nightly", Some(&fs), Some(&on)), Some(true));
        let off = m(&[("AzureWebJobs.Nightly.Disabled", "false")]);
        assert_eq!(timer_disabled("Nightly", None, Some(&off)), Some(false));
        assert_eq!(timer_disabled("Nightly", None, None), None);
    }
}

#[cfg(test)]
mod per_region_tests {
    use super::differs_by_design;

    #[test]
    fn storage_connections_and_region_names_differ_by_design_but_ordinary_settings_do_not() {
        for name in [
            "AzureWebJobsStorage",
            "QueueStorageConnection",
            "AzureWebJobsStorage__accountName",
            "WEBSITE_CONTENTSHARE",
            "DEPLOYMENT_REGION",
            "AzureWebJobs.NightlyReconcile.Disabled",
        ] {
            assert!(differs_by_design(name), "{name}");
        }
        for name in [
            "FEATURE_NEW_CHECKOUT",
            "ServiceBusConnection",
            "PaymentsApiKey",
        ] {
            assert!(!differs_by_design(name), "{name}");
        }
    }
}
