//! The actions the decision engine can propose and `act` can plan: their kinds and targets.
//! Owns only the names; plans, calls and execution live in `act`.

use serde::{Deserialize, Serialize};

/// An action of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Swap the staging slot into production (target: app).
    Swap,
    /// Swap back (target: app).
    SwapBack,
    /// Zip deploy the last known good artifact (target: app).
    Redeploy,
    /// Restart (target: app).
    Restart,
    /// Regional failover away from a region (target: the failing region's short name): routes,
    /// timers, settings sync, alert suppression, as the estate has them.
    Failover,
    /// Disable a Traffic Manager endpoint (target: endpoint name).
    TmDisable,
    /// Enable a Traffic Manager endpoint (target: endpoint name).
    TmEnable,
    /// Disable a Front Door origin (target: origin name).
    FdDisable,
    /// Enable a Front Door origin (target: origin name).
    FdEnable,
    /// Enable timers in the target app and disable them in its counterpart (target: app that
    /// becomes active).
    Timers,
    /// Sync app settings and keys from the primary to the secondary (target: secondary app).
    SyncSecondary,
    /// Messaging geo-DR alias failover (target: alias name).
    AliasFailover,
    /// Storage account failover (target: account name).
    StorageFailover,
    /// Release freeze on (target: resource group's region short name).
    FreezeOn,
    /// Release freeze off.
    FreezeOff,
    /// Alert suppression on (target: region short name).
    SuppressOn,
    /// Alert suppression off.
    SuppressOff,
    /// Rebuild from the template, then artifact and configuration (target: app).
    Rebuild,
    /// Forensic snapshot into the incident folder (target: app).
    Forensics,
}

impl ActionKind {
    /// Every kind, in catalogue order.
    pub const ALL: [Self; 19] = [
        Self::Swap,
        Self::SwapBack,
        Self::Redeploy,
        Self::Restart,
        Self::Failover,
        Self::TmDisable,
        Self::TmEnable,
        Self::FdDisable,
        Self::FdEnable,
        Self::Timers,
        Self::SyncSecondary,
        Self::AliasFailover,
        Self::StorageFailover,
        Self::FreezeOn,
        Self::FreezeOff,
        Self::SuppressOn,
        Self::SuppressOff,
        Self::Rebuild,
        Self::Forensics,
    ];

    /// The command-line name (`swap`, `tm-disable`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Swap => "swap",
            Self::SwapBack => "swap-back",
            Self::Redeploy => "redeploy",
            Self::Restart => "restart",
            Self::Failover => "failover",
            Self::TmDisable => "tm-disable",
            Self::TmEnable => "tm-enable",
            Self::FdDisable => "fd-disable",
            Self::FdEnable => "fd-enable",
            Self::Timers => "timers",
            Self::SyncSecondary => "sync-secondary",
            Self::AliasFailover => "alias-failover",
            Self::StorageFailover => "storage-failover",
            Self::FreezeOn => "freeze-on",
            Self::FreezeOff => "freeze-off",
            Self::SuppressOn => "suppress-on",
            Self::SuppressOff => "suppress-off",
            Self::Rebuild => "rebuild",
            Self::Forensics => "forensics",
        }
    }

    /// The kind named `name` on the command line.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An action on a target, as proposed by the engine or typed by the commander.
///
/// Equality is the whole action, the release included: whether two actions are the same move on
/// the same target (a typed `redeploy APP` and the engine's `redeploy APP` of a release) is
/// [`same_move`](Self::same_move).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProposedAction {
    /// What.
    pub kind: ActionKind,
    /// On what (an app, endpoint, origin, alias, account or region name, by kind).
    pub target: String,
    /// The release a redeploy or rebuild deploys, when the engine chose it (the last known good
    /// before the release it blamed); `None` when typed, and the plan chooses from the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
}

impl ProposedAction {
    /// `kind` on `target`.
    pub fn new(kind: ActionKind, target: &str) -> Self {
        Self {
            kind,
            target: target.to_owned(),
            release: None,
        }
    }

    /// The same action, deploying `release` (the engine's choice), when there is one.
    #[must_use]
    pub fn deploying(mut self, release: Option<&str>) -> Self {
        self.release = release.map(str::to_owned);
        self
    }

    /// Whether `other` is the same kind of action on the same target, whatever release either
    /// names: what the engine waits for when its recommendation is already in flight.
    pub fn same_move(&self, other: &Self) -> bool {
        self.kind == other.kind && self.target == other.target
    }

    /// `redeploy func-orders-prod-krc` (`… (release 2026.03.28)` when one is named).
    pub fn words(&self) -> String {
        match &self.release {
            Some(r) => format!("{} {} (release {r})", self.kind.name(), self.target),
            None => format!("{} {}", self.kind.name(), self.target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_kind() {
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.name()), Some(k));
        }
        assert_eq!(ActionKind::parse("swapp"), None);
    }

    #[test]
    fn a_release_named_by_the_engine_is_the_same_move_and_stays_out_of_old_journals() {
        let typed = ProposedAction::new(ActionKind::Redeploy, "func-a");
        let chosen = typed.clone().deploying(Some("2026.03.28"));
        assert!(typed.same_move(&chosen) && chosen.same_move(&typed));
        assert_ne!(typed, chosen);
        assert!(!typed.same_move(&ProposedAction::new(ActionKind::Rebuild, "func-a")));
        assert_eq!(
            serde_json::to_string(&typed).expect("json"),
            r#"{"kind":"redeploy","target":"func-a"}"#
        );
        let back: ProposedAction =
            serde_json::from_str(r#"{"kind":"redeploy","target":"func-a"}"#).expect("old line");
        assert_eq!(back, typed);
        let line = serde_json::to_string(&chosen).expect("json");
        assert!(line.ends_with(r#""release":"2026.03.28"}"#), "{line}");
        assert_eq!(
            serde_json::from_str::<ProposedAction>(&line).expect("new line"),
            chosen
        );
        assert_eq!(chosen.words(), "redeploy func-a (release 2026.03.28)");
    }
}
