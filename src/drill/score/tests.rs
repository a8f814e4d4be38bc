//! The score from hand-made journals: a good run passes; a late detection, a wrong branch, a
//! gate overridden without the drill's leave, an unvalidated recovery and a lag beyond the RPO
//! each fail with their reason.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::decide::{GateId, Override, ProposedAction};
use crate::drill::spec::AllowedOverride;
use crate::journal::{ActionOutcome, FORMAT_VERSION, Intent};

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-04T09:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn at(secs: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(secs)
}

const SPEC: &str = r#"
title = "A: a bad release with slots"
rehearses = "seed 000, scenario A"
fault-at = "1m"
expected-strategy = "slot_swap"
expected-actions = ["swap"]
owner = "Orders team"

[targets]
rto = "15m"
rpo = "0s"
detect-within = "5m"
decide-within = "10m"
time-limit = "1h"

[[hint]]
text = "Look at the deployments."
look = "deployments"
"#;

fn spec() -> DrillSpec {
    toml::from_str(SPEC).expect("spec")
}

/// A journal under construction.
#[derive(Default)]
struct J(Vec<Record>);

impl J {
    fn push(mut self, secs: i64, entry: Entry) -> Self {
        let seq = self.0.len() as u64 + 1;
        self.0.push(Record {
            v: FORMAT_VERSION,
            seq,
            at: at(secs),
            entry,
        });
        self
    }

    fn declared(self, secs: i64) -> Self {
        self.push(
            secs,
            Entry::Declared {
                detected_at: at(secs),
                apps: vec!["func-orders-prod-krc".into()],
            },
        )
    }

    fn note(self, secs: i64, text: &str) -> Self {
        self.push(secs, Entry::Note { text: text.into() })
    }

    /// An action confirmed at `secs` that succeeded 20 s later.
    fn action(self, secs: i64, kind: ActionKind, target: &str, overrides: Vec<Override>) -> Self {
        let plan_id = format!("{}:{target}@{secs}", kind.name());
        self.push(
            secs,
            Entry::Intent(Intent {
                plan_id: plan_id.clone(),
                action: ProposedAction::new(kind, target),
                title: "t".into(),
                risk: "medium".into(),
                steps: Vec::new(),
                overrides,
                confirmed_at: at(secs),
            }),
        )
        .push(
            secs + 20,
            Entry::Outcome(ActionOutcome {
                plan_id,
                result: "succeeded".into(),
                steps_done: 1,
                failed_step: None,
                error: None,
                gaps: Vec::new(),
            }),
        )
    }

    fn closed(self, secs: i64, validated: bool) -> Self {
        self.push(
            secs,
            Entry::Closed {
                validated,
                text: "done".into(),
            },
        )
    }
}

fn item<'a>(s: &'a Score, what: &str) -> &'a Item {
    s.items
        .iter()
        .find(|i| i.what == what)
        .unwrap_or_else(|| panic!("{what} in {:?}", s.items))
}

fn good() -> J {
    J::default()
        .declared(75)
        .action(180, ActionKind::Swap, "func-orders-prod-krc", Vec::new())
        .closed(400, true)
}

#[test]
fn a_good_run_passes_with_its_measures() {
    let s = score(&good().0, &spec(), t0());
    assert!(s.passed(), "{:?}", s.reasons());
    assert!(s.reasons().is_empty());
    assert_eq!(s.branch, Some(Strategy::SlotSwap));
    assert_eq!(s.rpo, RpoEstimate::NothingMoved);
    assert!(item(&s, "Time to detect").achieved.starts_with("15s "));
    assert!(item(&s, "Time to decide").achieved.starts_with("1m45s "));
    assert!(item(&s, "RTO").achieved.starts_with("5m25s "));
    assert!(
        item(&s, "Expected actions")
            .achieved
            .contains("swap ✓ taken")
    );
}

#[test]
fn a_late_detection_misses_its_target() {
    let j = J::default()
        .declared(60 + 6 * 60)
        .action(500, ActionKind::Swap, "func-orders-prod-krc", Vec::new())
        .closed(700, true);
    let s = score(&j.0, &spec(), t0());
    assert!(!s.passed());
    let d = item(&s, "Time to detect");
    assert!(!d.met);
    assert!(d.achieved.starts_with("6m "), "{}", d.achieved);
    assert_eq!(s.reasons().len(), 1, "{:?}", s.reasons());
    assert!(s.reasons()[0].starts_with("Time to detect: 6m"));
}

#[test]
fn a_wrong_branch_fails() {
    let j = J::default()
        .declared(75)
        .action(
            180,
            ActionKind::Redeploy,
            "func-orders-prod-krc",
            Vec::new(),
        )
        .closed(600, true);
    let s = score(&j.0, &spec(), t0());
    assert!(!s.passed());
    assert_eq!(s.branch, Some(Strategy::Redeploy));
    assert!(!item(&s, "Branch chosen").met);
    assert!(!item(&s, "Expected actions").met);
    assert!(
        item(&s, "Expected actions")
            .achieved
            .contains("swap ✗ not taken")
    );
}

#[test]
fn a_supporting_action_first_does_not_decide_the_branch() {
    let j = J::default()
        .declared(75)
        .action(
            100,
            ActionKind::Forensics,
            "func-orders-prod-krc",
            Vec::new(),
        )
        .action(180, ActionKind::Swap, "func-orders-prod-krc", Vec::new())
        .closed(400, true);
    let s = score(&j.0, &spec(), t0());
    assert_eq!(s.branch, Some(Strategy::SlotSwap));
    assert!(s.passed(), "{:?}", s.reasons());
}

fn gate_override(gate: GateId, secs: i64) -> Override {
    Override {
        target: OverrideTarget::Gate { gate },
        reason: "accepted".into(),
        at: at(secs),
    }
}

#[test]
fn an_override_the_drill_does_not_allow_fails_and_an_allowed_one_counts() {
    let mut sp = spec();
    sp.expected_strategy = Strategy::Failover;
    sp.expected_actions = vec![ActionKind::Failover];
    sp.targets.rpo = Offset::seconds(300);
    let j = || {
        J::default()
            .declared(60)
            .note(
                170,
                "RPO exposure: stworkflowprod last sync 09:01:00, 1m50s behind; \
                 stfuncartifactsprod last sync 09:01:30, 1m20s behind; \
                 sb-functions-prod: 3 pending replication operations",
            )
            .action(
                180,
                ActionKind::Failover,
                "krc",
                vec![gate_override(GateId::DataConsistency, 180)],
            )
            .closed(400, true)
    };
    let s = score(&j().0, &sp, t0());
    let g = item(&s, "Gates");
    assert!(!g.met, "{g:?}");
    assert!(
        g.achieved
            .contains("data consistency overridden (NOT allowed")
    );

    sp.allowed_overrides.push(AllowedOverride {
        gate: GateId::DataConsistency,
        reason: "accepted".into(),
    });
    let s = score(&j().0, &sp, t0());
    let g = item(&s, "Gates");
    assert!(g.met, "{g:?}");
    assert!(g.achieved.contains("data consistency overridden (allowed"));
    assert_eq!(s.rpo, RpoEstimate::Lag(Duration::seconds(110), 3));
    assert!(s.passed(), "{:?}", s.reasons());

    sp.targets.rpo = Offset::seconds(60);
    let s = score(&j().0, &sp, t0());
    assert!(!item(&s, "RPO (estimate)").met);
}

#[test]
fn a_failover_without_a_replication_figure_has_an_unknown_rpo() {
    let mut sp = spec();
    sp.expected_strategy = Strategy::Failover;
    sp.expected_actions = vec![ActionKind::Failover];
    let j = J::default()
        .declared(60)
        .action(180, ActionKind::Failover, "krc", Vec::new())
        .closed(400, true);
    let s = score(&j.0, &sp, t0());
    assert_eq!(s.rpo, RpoEstimate::Unknown);
    assert!(!item(&s, "RPO (estimate)").met);
}

#[test]
fn an_alias_failover_with_its_pending_figure_journaled_has_a_messaging_rpo() {
    let mut sp = spec();
    sp.expected_strategy = Strategy::Failover;
    sp.expected_actions = vec![ActionKind::AliasFailover];
    let j = |pending: u64| {
        J::default()
            .declared(60)
            .note(
                170,
                &format!(
                    "RPO exposure before alias-failover evh-functions-prod: PASS messaging \
                     replication caught up: evh-functions-prod {pending} pending; UNKNOWN queue \
                     backlog within RPO: not known: telemetry"
                ),
            )
            .action(
                180,
                ActionKind::AliasFailover,
                "evh-functions-prod",
                Vec::new(),
            )
            .closed(400, true)
    };
    let s = score(&j(0).0, &sp, t0());
    assert_eq!(s.rpo, RpoEstimate::Messaging(0));
    let rpo = item(&s, "RPO (estimate)");
    assert!(rpo.met, "{rpo:?}");
    assert!(rpo.achieved.contains("events not yet consumed"), "{rpo:?}");
    let s = score(&j(4).0, &sp, t0());
    assert_eq!(s.rpo, RpoEstimate::Messaging(4));
    assert!(!item(&s, "RPO (estimate)").met);
    // A regional failover with only a messaging figure still has no storage figure: unknown.
    let j = J::default()
        .declared(60)
        .note(
            170,
            "RPO exposure before failover krc: sb-functions-prod 0 pending",
        )
        .action(180, ActionKind::Failover, "krc", Vec::new())
        .closed(400, true);
    assert_eq!(score(&j.0, &sp, t0()).rpo, RpoEstimate::Unknown);
}

#[test]
fn a_close_the_engine_did_not_validate_is_not_a_recovery() {
    let j = J::default()
        .declared(75)
        .action(180, ActionKind::Swap, "func-orders-prod-krc", Vec::new())
        .closed(400, false);
    let s = score(&j.0, &spec(), t0());
    assert!(!item(&s, "Recovery").met);
    assert!(!item(&s, "RTO").met);
    assert!(!s.passed());
}

#[test]
fn an_empty_journal_fails_everything_it_can() {
    let s = score(&[], &spec(), t0());
    assert!(!s.passed());
    assert_eq!(item(&s, "Time to detect").achieved, "never declared");
    assert_eq!(item(&s, "Time to decide").achieved, "no action confirmed");
    assert!(item(&s, "Gates").met, "nothing overridden");
}

#[test]
fn hints_revealed_are_counted_once_each_and_do_not_change_the_result() {
    let mut spec = spec();
    spec.hints.push(crate::drill::spec::Hint {
        text: "Is staging healthy?".into(),
        look: "regions".into(),
    });
    let none = score(&good().0, &spec, t0());
    assert_eq!(
        none.hints,
        Hints {
            revealed: 0,
            available: 2
        }
    );
    assert_eq!(none.hints.words(), "none of 2 revealed");
    let journal = J::default()
        .declared(75)
        .note(90, &format!("{HINT_NOTE}Look at the deployments."))
        .note(
            95,
            "hint: a note of the commander's own, not a hint revealed",
        )
        .note(100, &format!("{HINT_NOTE}Look at the deployments."))
        .action(180, ActionKind::Swap, "func-orders-prod-krc", Vec::new())
        .closed(400, true);
    let s = score(&journal.0, &spec, t0());
    assert_eq!(s.hints.words(), "1 of 2 revealed");
    assert!(s.passed(), "{:?}", s.reasons());
    assert_eq!(s.items, none.items, "hints are told beside the measures");
}
