use chrono::{Duration, TimeZone};

use super::*;
use crate::decide::{ActionKind, NodeId, OverrideTarget};
use crate::journal::entry::{ActionOutcome, FORMAT_VERSION, IntentStep, Reconciled};

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 4, 9, 0, 0)
        .single()
        .expect("a valid time")
        + Duration::seconds(secs)
}

/// Records from entries, numbered from 1, a minute apart.
fn records(entries: Vec<Entry>) -> Vec<Record> {
    entries
        .into_iter()
        .zip(1..)
        .map(|(entry, seq)| Record {
            v: FORMAT_VERSION,
            seq,
            at: t(i64::try_from(seq).expect("small") * 60),
            entry,
        })
        .collect()
}

fn intent(plan: &str, kind: ActionKind, target: &str, at: i64, steps: usize) -> Entry {
    Entry::Intent(Intent {
        plan_id: plan.into(),
        action: ProposedAction::new(kind, target),
        title: format!("{} {target}", kind.name()),
        risk: "medium".into(),
        steps: (1..=steps)
            .map(|n| IntentStep {
                n,
                what: format!("step {n}"),
                effect: serde_json::json!({"op": "restart"}),
                az: None,
            })
            .collect(),
        overrides: vec![],
        confirmed_at: t(at),
    })
}

fn step(plan: &str, n: usize, of: usize) -> Entry {
    Entry::Step(StepDone {
        plan_id: plan.into(),
        n,
        of,
        what: format!("step {n}"),
        report: "done".into(),
        names: vec![],
    })
}

fn outcome(plan: &str, ok: bool) -> Entry {
    Entry::Outcome(ActionOutcome {
        plan_id: plan.into(),
        result: if ok { "succeeded" } else { "failed" }.into(),
        steps_done: 1,
        failed_step: (!ok).then_some(1),
        error: (!ok).then(|| "boom".into()),
        gaps: Vec::new(),
    })
}

fn declared() -> Entry {
    Entry::Declared {
        detected_at: t(5),
        apps: vec!["func-a".into()],
    }
}

#[test]
fn an_incident_with_no_records_resumes_empty() {
    let r = Resumed::from_records(&[]);
    assert_eq!(r, Resumed::default());
    assert_eq!(r.next_seq(), 1);
    assert!(!r.closed && r.unfinished.is_empty() && r.declared.is_none());
}

#[test]
fn finished_actions_become_records_with_their_outcomes_and_times() {
    let o = Override::new(
        OverrideTarget::Node {
            node: NodeId::DeployRelated,
            answer: true,
        },
        "the release notes say so",
        t(30),
    )
    .expect("an override");
    let recs = records(vec![
        declared(),
        Entry::Override(o.clone()),
        intent("p1", ActionKind::SwapBack, "func-a", 170, 2),
        step("p1", 1, 2),
        step("p1", 2, 2),
        outcome("p1", true),
        intent("p2", ActionKind::Restart, "func-b", 400, 1),
        outcome("p2", false),
    ]);
    let r = Resumed::from_records(&recs);
    assert_eq!(
        r.declared,
        Some(IncidentFacts {
            detected_at: t(5),
            apps: vec!["func-a".into()]
        })
    );
    assert_eq!(r.overrides, [o]);
    assert_eq!(r.actions.len(), 2);
    let (a, b) = (&r.actions[0], &r.actions[1]);
    assert_eq!(
        a.action,
        ProposedAction::new(ActionKind::SwapBack, "func-a")
    );
    assert_eq!(
        (a.started, a.finished, a.succeeded),
        (t(170), Some(t(6 * 60)), Some(true))
    );
    assert_eq!(
        (b.started, b.finished, b.succeeded),
        (t(400), Some(t(8 * 60)), Some(false))
    );
    assert!(r.unfinished.is_empty());
    assert_eq!(r.last, Some((8, t(8 * 60))));
    assert_eq!(r.next_seq(), 9);
    assert!(!r.closed);
}

#[test]
fn an_intent_without_outcome_is_unfinished_with_the_steps_done() {
    let recs = records(vec![
        declared(),
        intent("p1", ActionKind::Failover, "krc", 100, 4),
        step("p1", 1, 4),
        step("p1", 2, 4),
        intent("p2", ActionKind::SuppressOn, "jpe", 300, 1),
    ]);
    let r = Resumed::from_records(&recs);
    assert_eq!(r.unfinished.len(), 2, "{:#?}", r.unfinished);
    let first = &r.unfinished[0];
    assert_eq!(first.intent.plan_id, "p1");
    assert_eq!(first.seq, 2);
    assert_eq!(
        first.steps_done.iter().map(|s| s.n).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(r.unfinished[1].steps_done.is_empty());
    // Both are still running as far as the journal knows.
    assert!(r.actions.iter().all(ActionRecord::running));
}

#[test]
fn a_reconciled_intent_is_finished_by_what_was_found() {
    let recon = |plan: &str, found| {
        Entry::Reconciled(Reconciled {
            plan_id: plan.into(),
            found,
            checks: vec!["x".into()],
        })
    };
    let recs = records(vec![
        intent("p1", ActionKind::SwapBack, "func-a", 60, 2),
        recon("p1", Found::InPlace),
        intent("p2", ActionKind::TmDisable, "ep", 200, 1),
        recon("p2", Found::NotInPlace),
        intent("p3", ActionKind::Restart, "func-a", 300, 1),
        recon("p3", Found::Unknown),
        intent("p4", ActionKind::Restart, "func-b", 400, 1),
    ]);
    let r = Resumed::from_records(&recs);
    let ends: Vec<_> = r
        .actions
        .iter()
        .map(|a| (a.finished, a.succeeded))
        .collect();
    // The TM disable a crash interrupted before it took effect is no attempt of its strategy.
    assert_eq!(
        ends,
        [
            (Some(t(120)), Some(true)),
            (Some(t(360)), None),
            (None, None),
        ]
    );
    assert_eq!(r.unfinished.len(), 1);
    assert_eq!(r.unfinished[0].intent.plan_id, "p4");
}

#[test]
fn validation_stands_until_a_new_action_starts() {
    let mut entries = vec![
        intent("p1", ActionKind::SwapBack, "func-a", 60, 1),
        outcome("p1", true),
        Entry::Validated { at: t(200) },
    ];
    let r = Resumed::from_records(&records(entries.clone()));
    assert_eq!(r.validated_at, Some(t(200)));
    entries.push(intent("p2", ActionKind::Restart, "func-a", 300, 1));
    let r = Resumed::from_records(&records(entries));
    assert_eq!(r.validated_at, None);
}

#[test]
fn the_last_decision_and_the_closing_are_restored() {
    let decision = |summary: &str| Entry::Decision {
        path: vec!["Declared".into(), "DeployRelated".into()],
        recommendation: Some(ProposedAction::new(ActionKind::SwapBack, "func-a")),
        summary: summary.into(),
        evidence: vec![],
    };
    let recs = records(vec![declared(), decision("first"), decision("second")]);
    let r = Resumed::from_records(&recs);
    let last = r.last_decision.expect("a decision");
    assert_eq!(last.summary, "second");
    assert_eq!(last.at, t(180));
    assert_eq!(
        last.recommendation.map(|a| a.kind),
        Some(ActionKind::SwapBack)
    );
    assert!(!r.closed);
    let mut more = recs;
    more.extend(records(vec![
        declared(),
        declared(),
        declared(),
        Entry::Closed {
            validated: true,
            text: "done".into(),
        },
    ]));
    assert!(Resumed::from_records(&more).closed);
}

#[test]
fn a_plan_run_twice_keeps_its_steps_and_outcome_with_the_latest_intent() {
    let recs = records(vec![
        intent("p1", ActionKind::Restart, "func-a", 60, 1),
        outcome("p1", false),
        intent("p1", ActionKind::Restart, "func-a", 180, 2),
        step("p1", 1, 2),
    ]);
    let r = Resumed::from_records(&recs);
    assert_eq!(r.actions[0].succeeded, Some(false));
    assert!(r.actions[1].running());
    assert_eq!(r.unfinished.len(), 1);
    assert_eq!(r.unfinished[0].steps_done.len(), 1);
    assert_eq!(r.unfinished[0].seq, 3);
}

#[test]
fn a_torn_last_line_is_ignored_and_the_rest_resumes() {
    let tmp = crate::journal::tests::TempDir::new("resume-torn");
    let mut j = crate::journal::Journal::open_or_create(&tmp.0).expect("opens");
    j.append(&declared()).expect("append");
    j.append(&intent("p1", ActionKind::SwapBack, "func-a", 60, 2))
        .expect("append");
    j.append(&step("p1", 1, 2)).expect("append");
    let path = tmp.0.join(crate::journal::FILE_NAME);
    let mut text = std::fs::read_to_string(&path).expect("reads");
    text.push_str("{\"v\":1,\"seq\":4,\"at\":\"2026-04-04T09:0");
    std::fs::write(&path, text).expect("writes");
    let (recs, warnings) = crate::journal::read(&tmp.0);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let r = Resumed::from_records(&recs);
    assert_eq!(r.next_seq(), 4);
    assert_eq!(r.unfinished.len(), 1);
    assert_eq!(r.unfinished[0].steps_done.len(), 1);
    // The journal reopened continues after the torn line on a fresh line.
    let mut j = crate::journal::Journal::open_or_create(&tmp.0).expect("reopens");
    assert_eq!(
        j.append(&Entry::Note { text: "x".into() }).expect("append"),
        4
    );
    let (recs, _) = crate::journal::read(&tmp.0);
    assert_eq!(recs.len(), 4);
}

#[test]
fn observations_are_on_the_resumed_timeline_with_their_data_times() {
    use crate::journal::entry::{Observation, ObservationKind};
    let observed = Entry::Observed {
        changes: vec![
            Observation {
                kind: ObservationKind::Platform,
                at: t(65),
                subject: "region krc (koreacentral) platform".into(),
                from: Some("Available".into()),
                to: "Unavailable".into(),
                detail: Some("Resource Health Unavailable on func-orders-prod-krc".into()),
            },
            Observation {
                kind: ObservationKind::Swap,
                at: t(70),
                subject: "func-orders-prod-krc".into(),
                from: None,
                to: "slot swap of staging into production".into(),
                detail: None,
            },
        ],
    };
    let r = Resumed::from_records(&records(vec![declared(), observed]));
    assert_eq!(
        r.timeline[1],
        (
            t(120),
            "observed: region krc (koreacentral) platform: Available → Unavailable (Resource \
             Health Unavailable on func-orders-prod-krc) at 09:01:05; func-orders-prod-krc: slot \
             swap of staging into production at 09:01:10"
                .to_owned()
        )
    );
    assert_eq!(r.last, Some((2, t(120))));
}
