//! The report from hand-written journals: the demo's bad-release recovery (closed, validated)
//! and a failed action on a still-open incident, as snapshots, plus the rules behind them.

use chrono::{DateTime, TimeZone as _, Utc};
use serde_json::json;

use super::{Targets, render};
use crate::decide::{ActionKind, GateId, NodeId, Override, OverrideTarget, ProposedAction};
use crate::journal::entry::{
    ActionOutcome, Entry, FORMAT_VERSION, Intent, IntentStep, Record, StepDone, Warning,
};

const APP: &str = "func-orders-prod-krc";
const CANARY: &str = "CANARY-5d1f0e-not-a-setting";

fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 4, h, m, s)
        .single()
        .expect("valid time")
}

fn records(entries: Vec<(DateTime<Utc>, Entry)>) -> Vec<Record> {
    entries
        .into_iter()
        .zip(1..)
        .map(|((at, entry), seq)| Record {
            v: FORMAT_VERSION,
            seq,
            at,
            entry,
        })
        .collect()
}

fn demo_targets() -> Targets {
    Targets {
        rto_minutes: Some(30),
        rpo_minutes: Some(5),
        estate_name: Some("Orders platform (prod)".into()),
    }
}

fn swap_plan_id() -> String {
    format!("swap:{APP}@20260404T090300Z")
}

fn swap_intent(overrides: Vec<Override>, confirmed_at: DateTime<Utc>) -> Entry {
    Entry::Intent(Intent {
        plan_id: swap_plan_id(),
        action: ProposedAction {
            kind: ActionKind::Swap,
            target: APP.into(),
        },
        title: format!("Roll {APP} back by swapping staging into production"),
        risk: "medium".into(),
        steps: vec![
            IntentStep {
                n: 1,
                what: format!("Swap slot staging into production of {APP}"),
                effect: json!({"op": "swap", "source_slot": "staging", "target_slot": "production"}),
                az: Some(format!(
                    "az functionapp deployment slot swap --resource-group rg-functions-prod-krc \
                     --name {APP} --slot staging --target-slot production"
                )),
            },
            IntentStep {
                n: 2,
                what: format!("Verify {APP} reports Healthy and version 2026.03.28"),
                effect: json!({"op": "verify", "check": "app_healthy", "app": APP}),
                az: Some(format!(
                    "curl -fsS https://{APP}.azurewebsites.net/api/health"
                )),
            },
        ],
        overrides,
        confirmed_at,
    })
}

fn step(n: usize, of: usize, plan_id: &str, what: &str, report: &str) -> Entry {
    Entry::Step(StepDone {
        plan_id: plan_id.into(),
        n,
        of,
        what: what.into(),
        report: report.into(),
        names: Vec::new(),
    })
}

fn declared() -> (DateTime<Utc>, Entry) {
    (
        t(9, 1, 15),
        Entry::Declared {
            detected_at: t(9, 1, 15),
            apps: vec![APP.into()],
        },
    )
}

fn first_decision() -> (DateTime<Utc>, Entry) {
    (
        t(9, 1, 20),
        Entry::Decision {
            path: ["Detected", "Scope", "DeployRelated", "SlotsHealthy", "SlotSwap"]
                .map(String::from)
                .to_vec(),
            recommendation: Some(ProposedAction {
                kind: ActionKind::Swap,
                target: APP.into(),
            }),
            summary: format!("Bad release on {APP}: roll back by slot swap"),
            evidence: vec![
                format!("Assess scope: Yes: 1 app failing ({APP}), krc dependencies healthy"),
                "Deployment related?: Yes: failure rate 31.2 % from 09:00:40, 38 s after deployment 2026.04.04 finished".into(),
                "Slots available and healthy dependencies?: Yes: staging runs 2026.03.28, Healthy".into(),
            ],
        },
    )
}

/// The demo's bad-release recovery: declared, decided, noted, overridden, swapped, validated.
fn bad_release_recovery() -> Vec<Record> {
    let gate_override = Override {
        target: OverrideTarget::Gate {
            gate: GateId::AlertSuppression,
        },
        reason: "on-call paged already; alerts stay loud".into(),
        at: t(9, 3, 2),
    };
    let plan = swap_plan_id();
    records(vec![
        declared(),
        first_decision(),
        (
            t(9, 2, 5),
            Entry::Note {
                text: format!("Checkout team confirms the 09:00 release; ticket {CANARY}"),
            },
        ),
        (
            t(9, 2, 40),
            Entry::Override(Override {
                target: OverrideTarget::Node {
                    node: NodeId::DeployRelated,
                    answer: true,
                },
                reason: "release notes list the breaking change".into(),
                at: t(9, 2, 40),
            }),
        ),
        (t(9, 3, 5), swap_intent(vec![gate_override], t(9, 3, 4))),
        (
            t(9, 3, 41),
            step(
                1,
                2,
                &plan,
                "Swap slot staging into production",
                "swapped staging into production",
            ),
        ),
        (
            t(9, 4, 10),
            step(
                2,
                2,
                &plan,
                "Verify Healthy and version",
                "Healthy, version 2026.03.28",
            ),
        ),
        (
            t(9, 4, 10),
            Entry::Outcome(ActionOutcome {
                plan_id: plan.clone(),
                result: "succeeded".into(),
                steps_done: 2,
                failed_step: None,
                error: None,
            }),
        ),
        (
            t(9, 9, 30),
            Entry::Decision {
                path: [
                    "Detected",
                    "Scope",
                    "DeployRelated",
                    "SlotsHealthy",
                    "SlotSwap",
                    "Verify",
                    "Validated",
                    "Close",
                ]
                .map(String::from)
                .to_vec(),
                recommendation: None,
                summary: "Recovery validated: failure rate back to baseline for 5 min".into(),
                evidence: vec![
                    "Recovery validated?: Yes: failure rate 0.3 % for 5 min, baseline 0.4 %".into(),
                ],
            },
        ),
        (
            t(9, 10, 2),
            Entry::Closed {
                validated: true,
                text: "rolled back; release 2026.04.04 blocked pending fix".into(),
            },
        ),
    ])
}

/// A swap that held, then a redeploy that failed at its second step; the incident still open.
fn failed_and_open() -> Vec<Record> {
    let plan = swap_plan_id();
    let redeploy = format!("redeploy:{APP}@20260404T091200Z");
    records(vec![
        declared(),
        first_decision(),
        (t(9, 3, 5), swap_intent(Vec::new(), t(9, 3, 4))),
        (
            t(9, 3, 41),
            step(1, 2, &plan, "Swap staging into production", "swapped"),
        ),
        (
            t(9, 4, 10),
            step(2, 2, &plan, "Verify Healthy", "Healthy, version 2026.03.28"),
        ),
        (
            t(9, 4, 10),
            Entry::Outcome(ActionOutcome {
                plan_id: plan,
                result: "succeeded".into(),
                steps_done: 2,
                failed_step: None,
                error: None,
            }),
        ),
        (
            t(9, 12, 3),
            Entry::Intent(Intent {
                plan_id: redeploy.clone(),
                action: ProposedAction {
                    kind: ActionKind::Redeploy,
                    target: APP.into(),
                },
                title: format!("Redeploy 2026.03.28 to {APP}"),
                risk: "medium".into(),
                steps: vec![
                    IntentStep {
                        n: 1,
                        what: "Fetch package 2026.03.28".into(),
                        effect: json!({"op": "fetch_package"}),
                        az: None,
                    },
                    IntentStep {
                        n: 2,
                        what: format!("Deploy the package to {APP}"),
                        effect: json!({"op": "deploy"}),
                        az: Some(format!(
                            "az functionapp deployment source config-zip --resource-group \
                             rg-functions-prod-krc --name {APP} --src <package 2026.03.28>"
                        )),
                    },
                ],
                overrides: Vec::new(),
                confirmed_at: t(9, 12, 1),
            }),
        ),
        (
            t(9, 12, 20),
            step(
                1,
                2,
                &redeploy,
                "Fetch package",
                "package 2026.03.28 fetched",
            ),
        ),
        (
            t(9, 13, 2),
            Entry::Outcome(ActionOutcome {
                plan_id: redeploy,
                result: "failed".into(),
                steps_done: 1,
                failed_step: Some(2),
                error: Some(
                    "Azure answered 409 Conflict: another deployment is in progress".into(),
                ),
            }),
        ),
    ])
}

#[test]
fn the_bad_release_recovery_report() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    insta::assert_snapshot!("bad_release_recovery", md);
}

#[test]
fn the_failed_action_still_open_report() {
    let warnings = [Warning::TornLastLine { line: 11 }];
    let md = render(&failed_and_open(), &warnings, &demo_targets());
    insta::assert_snapshot!("failed_and_open", md);
}

#[test]
fn a_validated_close_measures_the_rto_from_detection_and_compares_it_with_the_target() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    // 09:01:15 → 09:10:02 is 8 min 47 s, inside 30 min.
    assert!(md.contains("Achieved: 8 min 47 s"), "{md}");
    assert!(
        md.contains("**met** (target 30 min, 21 min 13 s to spare)"),
        "{md}"
    );
    assert!(!md.contains("provisional"), "{md}");

    let tight = Targets {
        rto_minutes: Some(5),
        ..demo_targets()
    };
    let md = render(&bad_release_recovery(), &[], &tight);
    assert!(md.contains("**missed by 4 min**"), "{md}");
}

#[test]
fn an_open_incident_measures_a_provisional_rto_to_its_last_successful_action() {
    let md = render(&failed_and_open(), &[], &demo_targets());
    assert!(md.contains("Achieved (provisional"), "{md}");
    assert!(md.contains("last successful action 09:04:10"), "{md}");
    assert!(md.contains("Still open"), "{md}");
    assert!(
        md.contains("failed (1 of 2 steps done), at step 2: Azure answered 409"),
        "{md}"
    );
}

#[test]
fn the_rpo_is_never_invented_and_a_mention_is_quoted_not_measured() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    assert!(md.contains("estimate not recorded by this journal"), "{md}");

    let mut rs = bad_release_recovery();
    rs.push(Record {
        v: FORMAT_VERSION,
        seq: 99,
        at: t(9, 11, 0),
        entry: Entry::Note {
            text: "storage last sync 09:00:12, RPO looks like 1 min".into(),
        },
    });
    let md = render(&rs, &[], &demo_targets());
    assert!(!md.contains("estimate not recorded"), "{md}");
    assert!(
        md.contains("- 09:11:00 note: storage last sync 09:00:12"),
        "{md}"
    );
}

#[test]
fn without_an_estate_the_targets_are_said_to_be_unknown() {
    let md = render(&bad_release_recovery(), &[], &Targets::default());
    assert!(md.starts_with("# Incident report: unknown estate, 2026-04-04 09:01:15 UTC"));
    assert!(md.contains("- Target: not known"), "{md}");
    assert!(md.contains("target not known"), "{md}");
}

#[test]
fn journal_warnings_are_listed_and_become_follow_ups() {
    let warnings = [Warning::TornLastLine { line: 11 }];
    let md = render(&failed_and_open(), &warnings, &demo_targets());
    assert!(
        md.contains("## Journal warnings\n\n- line 11 was cut short"),
        "{md}"
    );
    assert!(md.contains("- [ ] Journal: line 11 was cut short"), "{md}");
    let clean = render(&failed_and_open(), &[], &demo_targets());
    assert!(!clean.contains("## Journal warnings"));
}

#[test]
fn a_note_is_printed_as_written_and_nothing_else_carries_a_value() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    // The commander's words appear once, on the note's timeline line.
    assert_eq!(md.matches(CANARY).count(), 1, "{md}");
    let line = md.lines().find(|l| l.contains(CANARY)).expect("printed");
    assert!(line.starts_with("- 09:02:05 **note**: "), "{line}");
    // Steps' `az` equivalents and intents carry no value: the masked command is all there is.
    assert!(
        md.contains("--slot staging --target-slot production"),
        "{md}"
    );
    assert!(!md.contains("\"op\""), "effects are not dumped: {md}");
}

#[test]
fn an_action_without_an_outcome_is_flagged_for_reconciliation() {
    let mut rs = failed_and_open();
    rs.truncate(rs.len() - 1);
    let md = render(&rs, &[], &demo_targets());
    assert!(md.contains("Outcome: NOT journaled"), "{md}");
    assert!(
        md.contains("- [ ] Reconcile `redeploy:func-orders-prod-krc@20260404T091200Z`"),
        "{md}"
    );
}

#[test]
fn an_empty_journal_says_so() {
    let md = render(&[], &[], &Targets::default());
    assert!(md.contains("The journal holds no entry."), "{md}");
    assert!(md.contains("no declaration"), "{md}");
}
