//! Settings and key drift between an app and its counterpart in another region: names missing on
//! either side and names whose value digests differ. Some settings differ between regions by
//! design (each app has its own storage account and content share, and says which region it is
//! in); those are set apart as expected, so that real drift stands out. Only names and digests
//! are compared; values never reach the console. Pure.

use std::collections::BTreeMap;

use crate::model::SecretDigest;

/// How two name → digest maps differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Names here and not there.
    pub missing_there: Vec<String>,
    /// Names there and not here.
    pub missing_here: Vec<String>,
    /// Names on both sides whose values differ, and should not.
    pub differ: Vec<String>,
    /// Names on both sides whose values differ by design ([`differs_by_region`]).
    pub per_region: Vec<String>,
}

/// Settings every Functions app must have its own value of: its storage account and its
/// content share.
pub const PER_APP_SETTINGS: [&str; 3] = [
    "AzureWebJobsStorage",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTSHARE",
];

/// Whether a setting is expected to have another value in another region: a per-app setting,
/// a storage connection (as the decision engine sets apart), or one that names the region or
/// location.
pub fn differs_by_region(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    PER_APP_SETTINGS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
        || crate::decide::sync::is_storage_connection(name)
        || upper.contains("REGION")
        || upper.contains("LOCATION")
}

impl Drift {
    /// Compares `here` with `there`.
    pub fn between(
        here: &BTreeMap<String, SecretDigest>,
        there: &BTreeMap<String, SecretDigest>,
    ) -> Self {
        let mut d = Self::default();
        for (name, digest) in here {
            match there.get(name) {
                None => d.missing_there.push(name.clone()),
                Some(other) if other != digest && differs_by_region(name) => {
                    d.per_region.push(name.clone());
                }
                Some(other) if other != digest => d.differ.push(name.clone()),
                Some(_) => {}
            }
        }
        d.missing_here = there
            .keys()
            .filter(|k| !here.contains_key(*k))
            .cloned()
            .collect();
        d
    }

    /// Whether both sides agree, apart from what differs by design.
    pub fn is_empty(&self) -> bool {
        self.missing_there.is_empty() && self.missing_here.is_empty() && self.differ.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::digest_map;

    #[test]
    fn drift_names_missing_and_different_entries_only() {
        let m = |pairs: &[(&str, &str)]| {
            let owned: BTreeMap<String, String> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            digest_map(&owned)
        };
        let here = m(&[("A", "1"), ("B", "2"), ("C", "3")]);
        let there = m(&[("A", "1"), ("B", "x"), ("D", "4")]);
        let d = Drift::between(&here, &there);
        assert_eq!(d.missing_there, ["C"]);
        assert_eq!(d.missing_here, ["D"]);
        assert_eq!(d.differ, ["B"]);
        assert!(Drift::between(&here, &here).is_empty());
    }

    #[test]
    fn storage_content_share_and_region_settings_differ_by_design() {
        let m = |pairs: &[(&str, &str)]| {
            let owned: BTreeMap<String, String> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            digest_map(&owned)
        };
        let here = m(&[
            ("AzureWebJobsStorage", "krc"),
            ("WEBSITE_CONTENTSHARE", "krc"),
            ("DEPLOYMENT_REGION", "krc"),
            ("QueueStorageConnection", "krc"),
            ("FEATURE_X", "on"),
        ]);
        let there = m(&[
            ("AzureWebJobsStorage", "jpe"),
            ("WEBSITE_CONTENTSHARE", "jpe"),
            ("DEPLOYMENT_REGION", "jpe"),
            ("QueueStorageConnection", "jpe"),
            ("FEATURE_X", "on"),
        ]);
        let d = Drift::between(&here, &there);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            d.per_region,
            [
                "AzureWebJobsStorage",
                "DEPLOYMENT_REGION",
                "QueueStorageConnection",
                "WEBSITE_CONTENTSHARE"
            ]
        );
        let there = m(&[("FEATURE_X", "off")]);
        let d = Drift::between(&here, &there);
        assert_eq!(d.differ, ["FEATURE_X"]);
        assert!(!d.is_empty());
    }
}
