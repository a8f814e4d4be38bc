//! Hand-written journals of the demo estate for the report's tests: the bad-release recovery
//! (closed, validated) and a failed action on a still-open incident.

use chrono::{DateTime, TimeZone as _, Utc};
use serde_json::json;

use super::super::Targets;
use crate::decide::{ActionKind, GateId, NodeId, Override, OverrideTarget, ProposedAction};
use crate::journal::entry::{
    ActionOutcome, Entry, FORMAT_VERSION, Intent, IntentStep, Record, StepDone,
};

pub(super) const APP: &str = "func-orders-prod-krc";
pub(super) const CANARY: &str = "CANARY-5d1f0e-not-a-setting";

pub(super) fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 4, h, m, s)
        .single()
        .expect("valid time")
}

pub(super) fn records(entries: Vec<(DateTime<Utc>, Entry)>) -> Vec<Record> {
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

pub(super) fn demo_targets() -> Targets {
    Targets {
        rto_minutes: Some(30),
        rpo_minutes: Some(5),
        estate_name: Some("Orders platform (prod)".into()),
    }
}

pub(super) fn swap_plan_id() -> String {
    format!("swap:{APP}@20260404T090300Z")
}

pub(super) fn swap_intent(overrides: Vec<Override>, confirmed_at: DateTime<Utc>) -> Entry {
    Entry::Intent(Intent {
        plan_id: swap_plan_id(),
        action: ProposedAction {
            kind: ActionKind::Swap,
            target: APP.into(),
            release: None,
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

pub(super) fn step(n: usize, of: usize, plan_id: &str, what: &str, report: &str) -> Entry {
    Entry::Step(StepDone {
        plan_id: plan_id.into(),
        n,
        of,
        what: what.into(),
        report: report.into(),
        names: Vec::new(),
    })
}

pub(super) fn declared() -> (DateTime<Utc>, Entry) {
    (
        t(9, 1, 15),
        Entry::Declared {
            detected_at: t(9, 1, 15),
            apps: vec![APP.into()],
        },
    )
}

pub(super) fn first_decision() -> (DateTime<Utc>, Entry) {
    (
        t(9, 1, 20),
        Entry::Decision {
            path: ["Detected", "Scope", "DeployRelated", "SlotsHealthy", "SlotSwap"]
                .map(String::from)
                .to_vec(),
            recommendation: Some(ProposedAction {
                kind: ActionKind::Swap,
                target: APP.into(),
                release: None,
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
pub(super) fn bad_release_recovery() -> Vec<Record> {
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
                gaps: Vec::new(),
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
pub(super) fn failed_and_open() -> Vec<Record> {
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
                gaps: Vec::new(),
            }),
        ),
        (
            t(9, 12, 3),
            Entry::Intent(Intent {
                plan_id: redeploy.clone(),
                action: ProposedAction {
                    kind: ActionKind::Redeploy,
                    target: APP.into(),
                    release: None,
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
                gaps: Vec::new(),
            }),
        ),
    ])
}
