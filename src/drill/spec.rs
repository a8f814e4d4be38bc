//! The `[drill]` table of a scenario file: narrative, hints, the expected strategy and the
//! scoring targets. Owns the format and its checks; pure data.

use serde::{Deserialize, Serialize};

use crate::decide::{ActionKind, GateId, Strategy};
use crate::sim::scenario::Offset;

/// What a drill adds to a scenario.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DrillSpec {
    /// Its title, as `warroom drill list` shows it ("A: a bad release with slots").
    pub title: String,
    /// The runbook path or seed it rehearses ("seed 000, scenario A").
    pub rehearses: String,
    /// When the fault begins (time to detect is measured from here).
    pub fault_at: Offset,
    /// The strategy the runbook expects.
    pub expected_strategy: Strategy,
    /// The actions a good run takes, in order (the first is the one that decides the branch);
    /// empty when only the strategy is scored.
    #[serde(default)]
    pub expected_actions: Vec<ActionKind>,
    /// The targets the score is measured against.
    pub targets: Targets,
    /// Gates the drill lets the commander override, each with the reason the autopilot types;
    /// an override of any other gate (or of any safety rule or answer) fails the drill.
    #[serde(default, rename = "allow-override")]
    pub allowed_overrides: Vec<AllowedOverride>,
    /// Who owns the service and how the incident escalates (the runbook's drill checklist).
    pub owner: String,
    /// The escalation path, in order.
    #[serde(default)]
    pub escalation: Vec<String>,
    /// What the war room is told, and when.
    #[serde(default, rename = "narrative")]
    pub narrative: Vec<NarrativeLine>,
    /// Hints, shown on demand in order.
    #[serde(default, rename = "hint")]
    pub hints: Vec<Hint>,
}

/// A gate the drill lets the commander override, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowedOverride {
    /// The gate (`data_consistency`, `secondary_readiness`, …).
    pub gate: GateId,
    /// The reason typed when overriding it (the runbook's, not the autopilot's).
    pub reason: String,
}

/// The drill's targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Targets {
    /// Recovery time objective: detection to validated recovery.
    pub rto: Offset,
    /// Recovery point objective: the data the estate may lose.
    pub rpo: Offset,
    /// Detect within this long of the fault.
    pub detect_within: Offset,
    /// Decide (confirm the first action) within this long of detection.
    pub decide_within: Offset,
    /// The drill ends unrecovered after this long from the scenario's start.
    pub time_limit: Offset,
}

/// One line of the narrative.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NarrativeLine {
    /// When the war room hears it.
    pub at: Offset,
    /// Who says it ("on-call", "customer support", "Azure status page").
    pub from: String,
    /// What is said.
    pub text: String,
}

/// One hint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Hint {
    /// The hint.
    pub text: String,
    /// Where to look: a pane of the console ("regions", "deployments", "queues", "runbook",
    /// "gates").
    pub look: String,
}

impl DrillSpec {
    /// What is wrong with the spec, if anything (checked when the scenario is parsed).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("drill.title is empty".to_owned());
        }
        if self.owner.trim().is_empty() {
            out.push("drill.owner is empty".to_owned());
        }
        let t = self.targets;
        for (name, v) in [
            ("rto", t.rto),
            ("rpo", t.rpo),
            ("detect-within", t.detect_within),
            ("decide-within", t.decide_within),
            ("time-limit", t.time_limit),
        ] {
            if v.as_secs() < 0 {
                out.push(format!("drill.targets.{name} must not be negative"));
            }
        }
        if t.time_limit <= self.fault_at {
            out.push("drill.targets.time-limit must be after drill.fault-at".to_owned());
        }
        if self.narrative.windows(2).any(|w| w[1].at < w[0].at) {
            out.push("drill.narrative lines must be in time order".to_owned());
        }
        if self
            .allowed_overrides
            .iter()
            .any(|a| a.reason.trim().is_empty())
        {
            out.push("drill.allow-override needs a reason".to_owned());
        }
        if self.hints.is_empty() {
            out.push("a drill needs at least one [[drill.hint]]".to_owned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
title = "A: a bad release with slots"
rehearses = "seed 000, scenario A"
fault-at = "1m10s"
expected-strategy = "slot_swap"
expected-actions = ["swap-back"]
owner = "Orders team (on-call: orders-oncall)"
escalation = ["orders on-call", "platform lead", "head of engineering"]

[targets]
rto = "15m"
rpo = "0s"
detect-within = "5m"
decide-within = "10m"
time-limit = "1h"

[[narrative]]
at = "2m"
from = "customer support"
text = "Customers report failed checkouts."

[[hint]]
text = "Compare the error onset with the deployment history."
look = "deployments"
"#;

    #[test]
    fn a_spec_parses_and_has_no_problems() {
        let s: DrillSpec = toml::from_str(SPEC).expect("parses");
        assert_eq!(s.expected_strategy, Strategy::SlotSwap);
        assert_eq!(s.expected_actions, vec![ActionKind::SwapBack]);
        assert_eq!(s.targets.rto.as_secs(), 900);
        assert_eq!(s.narrative[0].at.as_secs(), 120);
        assert!(s.problems().is_empty(), "{:?}", s.problems());
    }

    #[test]
    fn problems_name_the_key() {
        let mut s: DrillSpec = toml::from_str(SPEC).expect("parses");
        s.hints.clear();
        s.targets.time_limit = Offset::seconds(10);
        let p = s.problems().join("; ");
        assert!(p.contains("time-limit"), "{p}");
        assert!(p.contains("drill.hint"), "{p}");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let bad = SPEC.replace("owner =", "ownr =");
        let err = toml::from_str::<DrillSpec>(&bad).expect_err("refused");
        assert!(err.to_string().contains("ownr"), "{err}");
    }
}
