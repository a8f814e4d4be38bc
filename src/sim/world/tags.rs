//! Tags at a scope (`…/providers/Microsoft.Resources/tags/default`): the tags of a resource group
//! or subscription, which the release freeze sets for pipelines to read.
//!
//! Owns the tags of those scopes and ARM's rules for changing them: `Merge` adds or changes,
//! `Delete` removes by name (or by name and value when a value is given), `Replace` sets exactly
//! the given set; names are case-insensitive, values are not; at most 50 tags, names up to 512
//! characters without `<>%&\?/`, values up to 256. Resources' own tags live with the resources.

use std::collections::BTreeMap;

use chrono::TimeDelta;

use super::{InfraError, World};

/// The most tags a scope may have.
const MAX_TAGS: usize = 50;
/// The longest tag name.
const MAX_NAME: usize = 512;
/// The longest tag value.
const MAX_VALUE: usize = 256;

/// How a PATCH changes a scope's tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagOp {
    /// Add new names and change the values of existing ones.
    Merge,
    /// Remove the given names (only where the value matches, when one is given).
    Delete,
    /// Set exactly the given tags.
    Replace,
}

impl TagOp {
    /// The operation ARM's word names (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        [
            ("Merge", Self::Merge),
            ("Delete", Self::Delete),
            ("Replace", Self::Replace),
        ]
        .into_iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(s))
        .map(|(_, op)| op)
    }
}

fn invalid(code: &'static str, target: &str, message: String) -> InfraError {
    InfraError::Invalid {
        code,
        target: Some(target.to_owned()),
        message,
    }
}

fn check(tags: &BTreeMap<String, String>) -> Result<(), InfraError> {
    for (name, value) in tags {
        if name.is_empty()
            || name.chars().count() > MAX_NAME
            || name.contains(['<', '>', '%', '&', '\\', '?', '/'])
        {
            return Err(invalid(
                "InvalidTagNameCharacters",
                "properties.tags",
                format!("The tag name '{name}' is not valid."),
            ));
        }
        if value.chars().count() > MAX_VALUE {
            return Err(invalid(
                "InvalidTagValueLength",
                "properties.tags",
                format!("The value of tag '{name}' is longer than {MAX_VALUE} characters."),
            ));
        }
    }
    Ok(())
}

impl World {
    /// The tags of a scope (a resource group or subscription id); empty when none.
    pub fn tags_at(&self, scope: &str) -> BTreeMap<String, String> {
        self.infra
            .scope_tags
            .get(&scope.trim_end_matches('/').to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// Changes the tags of a scope now; returns them after. Refuses invalid names, too long
    /// values and more than 50 tags, changing nothing.
    pub fn patch_tags(
        &mut self,
        scope: &str,
        op: TagOp,
        given: &BTreeMap<String, String>,
        caller: &str,
    ) -> Result<BTreeMap<String, String>, InfraError> {
        if op != TagOp::Delete {
            check(given)?;
        }
        let mut tags = self.tags_at(scope);
        match op {
            TagOp::Replace => tags.clone_from(given),
            TagOp::Merge => {
                for (name, value) in given {
                    let key = tags
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(name))
                        .cloned()
                        .unwrap_or_else(|| name.clone());
                    tags.insert(key, value.clone());
                }
            }
            TagOp::Delete => tags.retain(|k, v| {
                !given.iter().any(|(name, value)| {
                    k.eq_ignore_ascii_case(name) && (value.is_empty() || value == v)
                })
            }),
        }
        if tags.len() > MAX_TAGS {
            return Err(invalid(
                "TagsLimitExceeded",
                "properties.tags",
                format!(
                    "A scope can have at most {MAX_TAGS} tags; this would give it {}.",
                    tags.len()
                ),
            ));
        }
        let key = scope.trim_end_matches('/').to_ascii_lowercase();
        if tags.is_empty() {
            self.infra.scope_tags.remove(&key);
        } else {
            self.infra.scope_tags.insert(key, tags.clone());
        }
        let t = self.now;
        self.record_operation(
            "Microsoft.Resources/tags/write",
            &format!(
                "{}/providers/Microsoft.Resources/tags/default",
                scope.trim_end_matches('/')
            ),
            caller,
            t,
            TimeDelta::seconds(1),
            &BTreeMap::new(),
        );
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn merge_keeps_others_delete_goes_by_name_or_by_name_and_value() {
        let mut w = World::new(
            &crate::config::Estate::demo(),
            &crate::sim::Scenario::builtin("calm").expect("scenario"),
        )
        .expect("world");
        let rg = "/subscriptions/s/resourceGroups/g";
        w.patch_tags(rg, TagOp::Replace, &tags(&[("owner", "team")]), "t")
            .expect("replace");
        let after = w
            .patch_tags(rg, TagOp::Merge, &tags(&[("freeze", "on")]), "t")
            .expect("merge");
        assert_eq!(after, tags(&[("freeze", "on"), ("owner", "team")]));
        let kept = w
            .patch_tags(rg, TagOp::Delete, &tags(&[("FREEZE", "off")]), "t")
            .expect("delete");
        assert_eq!(kept.len(), 2, "a value that does not match deletes nothing");
        let after = w
            .patch_tags(rg, TagOp::Delete, &tags(&[("FREEZE", "")]), "t")
            .expect("delete");
        assert_eq!(after, tags(&[("owner", "team")]));
        assert_eq!(w.tags_at(&rg.to_uppercase()), tags(&[("owner", "team")]));
        assert!(
            w.patch_tags(rg, TagOp::Merge, &tags(&[("a/b", "x")]), "t")
                .is_err()
        );
        assert_eq!(w.tags_at(rg).len(), 1, "a refused change changes nothing");
    }
}
