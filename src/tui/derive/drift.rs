//! Settings and key drift between an app and its counterpart in another region: names missing on
//! either side and names whose value digests differ. Only names and digests are compared; values
//! never reach the console. Pure.

use std::collections::BTreeMap;

use crate::model::SecretDigest;

/// How two name → digest maps differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Names here and not there.
    pub missing_there: Vec<String>,
    /// Names there and not here.
    pub missing_here: Vec<String>,
    /// Names on both sides whose values differ.
    pub differ: Vec<String>,
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

    /// Whether both sides agree.
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
}
