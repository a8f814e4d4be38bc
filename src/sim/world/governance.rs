//! Governance state: management locks (a `ReadOnly` lock on a resource group is the release
//! freeze) and alert processing rules (alert suppression during a switch).
//!
//! Owns the locks, the rules, and the rule ARM applies for locks: a `ReadOnly` lock at or above a
//! resource blocks every control-plane write to it (PUT, PATCH, DELETE and every POST, including
//! POST-based reads such as `…/list` and `…/listkeys`); `CanNotDelete` blocks DELETE only. The
//! locks API itself is never blocked. The server asks [`World::blocking_lock`] before it
//! dispatches a write.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use super::World;
use crate::azure::wire::governance::AlertProcessingRuleProperties;

/// A lock's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockLevel {
    /// Deletes are refused.
    CanNotDelete,
    /// Every write is refused.
    ReadOnly,
}

impl LockLevel {
    /// The level as ARM writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CanNotDelete => "CanNotDelete",
            Self::ReadOnly => "ReadOnly",
        }
    }

    /// The level ARM's word names (case-insensitive); `NotSpecified` names none.
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("CanNotDelete") {
            Some(Self::CanNotDelete)
        } else if s.eq_ignore_ascii_case("ReadOnly") {
            Some(Self::ReadOnly)
        } else {
            None
        }
    }
}

/// A management lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// The scope it is on: a resource group or resource id (`/subscriptions/…`).
    pub scope: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: LockLevel,
    /// Notes.
    pub notes: Option<String>,
    /// Owner application ids.
    pub owners: Vec<String>,
}

impl Lock {
    /// The lock's ARM id.
    pub fn id(&self) -> String {
        format!(
            "{}/providers/Microsoft.Authorization/locks/{}",
            self.scope, self.name
        )
    }
}

/// An alert processing rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRule {
    /// Subscription id.
    pub subscription_id: String,
    /// Resource group.
    pub resource_group: String,
    /// Name.
    pub name: String,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// The rule as Azure keeps it.
    pub properties: AlertProcessingRuleProperties,
    /// Who created it, when.
    pub created: (String, DateTime<Utc>),
    /// Who last changed it, when.
    pub modified: (String, DateTime<Utc>),
}

impl AlertRule {
    /// The rule's ARM id.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.AlertsManagement/actionRules/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// Whether the rule removes action groups from alerts on `resource_id` at `t`: enabled, a
    /// `RemoveAllActionGroups` action, a scope at or above the resource, and inside its window
    /// (window times are taken as UTC; time zones and recurrences are not evaluated).
    pub fn suppresses(&self, resource_id: &str, t: DateTime<Utc>) -> bool {
        let p = &self.properties;
        let removes = p
            .actions
            .iter()
            .any(|a| a.action_type.eq_ignore_ascii_case("RemoveAllActionGroups"));
        let in_scope = p.scopes.iter().any(|s| scope_covers(s, resource_id));
        let window = p.schedule.as_ref().is_none_or(|s| {
            let parse = |v: &Option<String>| {
                v.as_deref()
                    .and_then(|v| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S").ok())
                    .map(|n| n.and_utc())
            };
            parse(&s.effective_from).is_none_or(|from| from <= t)
                && parse(&s.effective_until).is_none_or(|until| t < until)
        });
        p.enabled.unwrap_or(true) && removes && in_scope && window
    }
}

/// Whether `scope` is `path` or one of its ancestors (ARM ids, case-insensitive, by segment).
pub fn scope_covers(scope: &str, path: &str) -> bool {
    let segs = |s: &str| -> Vec<String> {
        s.split('/')
            .filter(|x| !x.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (s, p) = (segs(scope), segs(path));
    !s.is_empty() && s.len() <= p.len() && s.iter().zip(&p).all(|(a, b)| a == b)
}

impl World {
    /// Every lock.
    pub fn locks(&self) -> &[Lock] {
        &self.infra.locks
    }

    /// A lock by scope and name.
    pub fn lock(&self, scope: &str, name: &str) -> Option<&Lock> {
        self.infra.locks.iter().find(|l| {
            l.name.eq_ignore_ascii_case(name)
                && l.scope.eq_ignore_ascii_case(scope.trim_end_matches('/'))
        })
    }

    /// Locks at `scope` or on resources under it.
    pub fn locks_under(&self, scope: &str) -> Vec<&Lock> {
        self.infra
            .locks
            .iter()
            .filter(|l| scope_covers(scope, &l.scope))
            .collect()
    }

    /// Creates or replaces a lock now; `true` when it was created.
    pub fn put_lock(&mut self, lock: Lock, caller: &str) -> bool {
        let t = self.now;
        let id = lock.id();
        let level = lock.level.as_str().to_owned();
        let existing = self.infra.locks.iter_mut().find(|l| {
            l.name.eq_ignore_ascii_case(&lock.name) && l.scope.eq_ignore_ascii_case(&lock.scope)
        });
        let created = existing.is_none();
        match existing {
            Some(l) => *l = lock,
            None => self.infra.locks.push(lock),
        }
        let props = BTreeMap::from([("level".to_owned(), level)]);
        self.record_operation(
            "Microsoft.Authorization/locks/write",
            &id,
            caller,
            t,
            TimeDelta::seconds(1),
            &props,
        );
        created
    }

    /// Deletes a lock now; `true` when there was one.
    pub fn delete_lock(&mut self, scope: &str, name: &str, caller: &str) -> bool {
        let t = self.now;
        let Some(i) = self.infra.locks.iter().position(|l| {
            l.name.eq_ignore_ascii_case(name)
                && l.scope.eq_ignore_ascii_case(scope.trim_end_matches('/'))
        }) else {
            return false;
        };
        let lock = self.infra.locks.remove(i);
        self.record_operation(
            "Microsoft.Authorization/locks/delete",
            &lock.id(),
            caller,
            t,
            TimeDelta::seconds(1),
            &BTreeMap::new(),
        );
        true
    }

    /// The lock that blocks a write to `path` (an ARM path), if any: any `ReadOnly` lock at or
    /// above it, or for a delete any lock at all.
    pub fn blocking_lock(&self, path: &str, delete: bool) -> Option<&Lock> {
        self.infra
            .locks
            .iter()
            .filter(|l| delete || l.level == LockLevel::ReadOnly)
            .find(|l| scope_covers(&l.scope, path))
    }

    /// Every alert processing rule.
    pub fn alert_rules(&self) -> &[AlertRule] {
        &self.infra.alert_rules
    }

    /// An alert processing rule by resource group and name.
    pub fn alert_rule(&self, resource_group: &str, name: &str) -> Option<&AlertRule> {
        self.infra.alert_rules.iter().find(|r| {
            r.name.eq_ignore_ascii_case(name)
                && r.resource_group.eq_ignore_ascii_case(resource_group)
        })
    }

    /// Creates or replaces a rule now (keeping its creation record); `true` when it was created.
    pub fn put_alert_rule(&mut self, mut rule: AlertRule, caller: &str) -> bool {
        let t = self.now;
        rule.modified = (caller.to_owned(), t);
        let id = rule.id();
        let existing = self.infra.alert_rules.iter_mut().find(|r| {
            r.name.eq_ignore_ascii_case(&rule.name)
                && r.resource_group.eq_ignore_ascii_case(&rule.resource_group)
        });
        let created = existing.is_none();
        if let Some(r) = existing {
            rule.created = r.created.clone();
            *r = rule;
        } else {
            rule.created = (caller.to_owned(), t);
            self.infra.alert_rules.push(rule);
        }
        self.record_operation(
            "Microsoft.AlertsManagement/actionRules/write",
            &id,
            caller,
            t,
            TimeDelta::seconds(1),
            &BTreeMap::new(),
        );
        created
    }

    /// Deletes a rule now; `true` when there was one.
    pub fn delete_alert_rule(&mut self, resource_group: &str, name: &str, caller: &str) -> bool {
        let t = self.now;
        let Some(i) = self.infra.alert_rules.iter().position(|r| {
            r.name.eq_ignore_ascii_case(name)
                && r.resource_group.eq_ignore_ascii_case(resource_group)
        }) else {
            return false;
        };
        let rule = self.infra.alert_rules.remove(i);
        self.record_operation(
            "Microsoft.AlertsManagement/actionRules/delete",
            &rule.id(),
            caller,
            t,
            TimeDelta::seconds(1),
            &BTreeMap::new(),
        );
        true
    }

    /// Whether an alert processing rule suppresses notifications for `resource_id` at `t`.
    pub fn alerts_suppressed(&self, resource_id: &str, t: DateTime<Utc>) -> bool {
        self.infra
            .alert_rules
            .iter()
            .any(|r| r.suppresses(resource_id, t))
    }
}
