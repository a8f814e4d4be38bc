//! [`DecideContext`]: what the engine is told besides the snapshot — the incident as declared,
//! the commander's overrides, the actions carried out so far (with their outcomes), the actions
//! in flight, and how long a recovery has to prove itself before escalation.
//!
//! Plain data with serde, filled by the console and the journal; nothing here reads a clock or
//! touches `act`, `tui` or `azure`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{ActionKind, Override, ProposedAction, Strategy};

/// The incident as declared or detected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFacts {
    /// When it was declared or first detected.
    pub detected_at: DateTime<Utc>,
    /// The apps known to be affected, in the order they were seen.
    pub apps: Vec<String>,
}

/// One action carried out (or under way) during the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// What was done.
    pub action: ProposedAction,
    /// The strategy it carried out, when the commander or the engine said so.
    pub strategy: Option<Strategy>,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it finished, if it has.
    pub finished: Option<DateTime<Utc>>,
    /// Whether it succeeded, once known.
    pub succeeded: Option<bool>,
}

impl ActionRecord {
    /// The strategy this action carried out: the one recorded, else the one its kind belongs to.
    pub fn strategy(&self) -> Option<Strategy> {
        self.strategy.or_else(|| strategy_of(self.action.kind))
    }

    /// Whether the action is still running.
    pub fn running(&self) -> bool {
        self.finished.is_none()
    }
}

/// The strategy an action kind belongs to, if it carries one out on its own.
pub fn strategy_of(kind: ActionKind) -> Option<Strategy> {
    match kind {
        ActionKind::Swap | ActionKind::SwapBack => Some(Strategy::SlotSwap),
        ActionKind::Redeploy | ActionKind::Restart => Some(Strategy::Redeploy),
        ActionKind::Failover
        | ActionKind::TmDisable
        | ActionKind::FdDisable
        | ActionKind::AliasFailover
        | ActionKind::StorageFailover
        | ActionKind::Timers => Some(Strategy::Failover),
        ActionKind::Rebuild => Some(Strategy::Rebuild),
        ActionKind::TmEnable
        | ActionKind::FdEnable
        | ActionKind::SyncSecondary
        | ActionKind::FreezeOn
        | ActionKind::FreezeOff
        | ActionKind::SuppressOn
        | ActionKind::SuppressOff
        | ActionKind::Forensics => None,
    }
}

/// Everything the engine needs besides the snapshot, the estate and `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideContext {
    /// The incident, once declared or detected.
    pub incident: Option<IncidentFacts>,
    /// The commander's overrides, in the order typed.
    pub overrides: Vec<Override>,
    /// Actions carried out or started, in order.
    pub actions: Vec<ActionRecord>,
    /// Actions planned or confirmed and not finished (one per target at most).
    pub in_flight: Vec<ProposedAction>,
    /// How long after an action finishes its recovery must be validated before escalating.
    #[serde(with = "seconds")]
    pub verify_window: Duration,
    /// When the engine first validated the recovery after the last action, as the runtime
    /// recorded it; once set, verification stands (the runbook's window has been met).
    #[serde(default)]
    pub validated_at: Option<DateTime<Utc>>,
    /// When the commander closed the incident (journaled by the runtime): the runbook ends
    /// there, and nothing more is recommended.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

/// The default verification window.
pub const DEFAULT_VERIFY_WINDOW: Duration = Duration::minutes(10);

impl Default for DecideContext {
    fn default() -> Self {
        Self {
            incident: None,
            overrides: Vec::new(),
            actions: Vec::new(),
            in_flight: Vec::new(),
            verify_window: DEFAULT_VERIFY_WINDOW,
            validated_at: None,
            closed_at: None,
        }
    }
}

impl DecideContext {
    /// The strategies tried so far, in the order first tried.
    pub fn tried(&self) -> Vec<Strategy> {
        let mut out = Vec::new();
        for s in self.actions.iter().filter_map(ActionRecord::strategy) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The latest action that carried out a strategy (by start time), if any.
    pub fn last_strategy_action(&self) -> Option<&ActionRecord> {
        self.actions
            .iter()
            .filter(|a| a.strategy().is_some())
            .max_by_key(|a| a.started)
    }

    /// When the first action started: the metrics before it describe the incident untouched.
    pub fn first_action_at(&self) -> Option<DateTime<Utc>> {
        self.actions.iter().map(|a| a.started).min()
    }
}

/// A [`Duration`] as whole seconds in serde.
mod seconds {
    use chrono::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        i64::deserialize(d).map(Duration::seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 4, 9, 0, 0)
            .single()
            .expect("valid")
            + Duration::minutes(min)
    }

    fn rec(kind: ActionKind, started: i64) -> ActionRecord {
        ActionRecord {
            action: ProposedAction {
                kind,
                target: "x".into(),
                release: None,
            },
            strategy: None,
            started: t(started),
            finished: None,
            succeeded: None,
        }
    }

    #[test]
    fn the_default_window_is_ten_minutes_and_survives_a_round_trip() {
        let mut cx = DecideContext::default();
        assert_eq!(cx.verify_window, Duration::minutes(10));
        cx.actions.push(rec(ActionKind::Swap, 3));
        let json = serde_json::to_string(&cx).expect("serialises");
        assert!(json.contains("\"verify_window\":600"), "{json}");
        let back: DecideContext = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, cx);
    }

    #[test]
    fn tried_strategies_come_from_kinds_unless_recorded() {
        let mut cx = DecideContext::default();
        cx.actions.push(rec(ActionKind::SuppressOn, 1));
        cx.actions.push(rec(ActionKind::Swap, 2));
        let mut restart = rec(ActionKind::Restart, 5);
        restart.strategy = Some(Strategy::Rebuild);
        cx.actions.push(restart);
        cx.actions.push(rec(ActionKind::SwapBack, 4));
        assert_eq!(cx.tried(), [Strategy::SlotSwap, Strategy::Rebuild]);
        assert_eq!(
            cx.last_strategy_action().map(|a| a.action.kind),
            Some(ActionKind::Restart)
        );
        assert_eq!(cx.first_action_at(), Some(t(1)));
    }
}
