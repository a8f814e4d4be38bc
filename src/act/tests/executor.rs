//! The executor with a recording fake: intent on disk before the first call, outcome journaled
//! on failure, nothing called when the journal fails, no secret value in the journal.

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::sync::mpsc;

use super::super::testkit::{ORDERS_JPE, ORDERS_KRC, PLANTED, gate, now};
use super::super::{
    ActError, Effect, Effects, OutcomeStatus, ProgressEvent, StepProgress, StepReport, confirm,
    execute, run_preview,
};
use super::{plan_ok, plan_on};
use crate::decide::{ActionKind, GateId, GateStatus, OverrideTarget};
use crate::journal::tests::TempDir;
use crate::journal::{self, Entry, Journal};

/// Records every call; reads the journal file at each call to see what was on disk then.
struct Fake {
    journal_dir: PathBuf,
    fail_at: Option<usize>,
    calls: Mutex<Vec<Effect>>,
    intent_on_disk: Mutex<Vec<bool>>,
    /// A value the fake holds, as a real read-modify-write would.
    secret: String,
    /// What every forensic step reports it could not read.
    gap: Option<String>,
}

impl Fake {
    fn new(journal_dir: PathBuf, fail_at: Option<usize>) -> Self {
        Self {
            journal_dir,
            fail_at,
            calls: Mutex::new(Vec::new()),
            intent_on_disk: Mutex::new(Vec::new()),
            secret: PLANTED.to_owned(),
            gap: None,
        }
    }

    fn calls(&self) -> Vec<Effect> {
        self.calls.lock().expect("lock").clone()
    }
}

#[async_trait::async_trait]
impl Effects for Fake {
    async fn run(&self, effect: &Effect, progress: &StepProgress) -> Result<StepReport, ActError> {
        let (records, _) = journal::read(&self.journal_dir);
        let intent = records
            .iter()
            .any(|r| matches!(&r.entry, Entry::Intent(i) if !i.steps.is_empty()));
        self.intent_on_disk.lock().expect("lock").push(intent);
        let n = {
            let mut calls = self.calls.lock().expect("lock");
            calls.push(effect.clone());
            calls.len()
        };
        progress.poll(1, "InProgress", Some(50.0));
        if Some(n) == self.fail_at {
            return Err(ActError::Azure(
                "Azure answered 409 Conflict: another operation is in progress".into(),
            ));
        }
        let names = match effect {
            // The value is in hand here, as in a real merge; only names leave.
            Effect::MergeSettings { set, .. } if !self.secret.is_empty() => {
                set.keys().cloned().collect()
            }
            _ => Vec::new(),
        };
        let gaps = match effect {
            Effect::Forensics { .. } => self.gap.iter().cloned().collect(),
            _ => Vec::new(),
        };
        Ok(StepReport {
            words: format!("call {n} done"),
            names,
            gaps,
        })
    }
}

fn drain(rx: &mut mpsc::UnboundedReceiver<super::super::Progress>) -> Vec<ProgressEvent> {
    let mut out = Vec::new();
    while let Ok(p) = rx.try_recv() {
        out.push(p.event);
    }
    out
}

#[tokio::test]
async fn the_intent_is_on_disk_before_the_first_call_and_every_step_and_the_outcome_follow() {
    let tmp = TempDir::new("act-exec-ok");
    let mut journal = Journal::open_or_create(&tmp.0).expect("journal");
    let fake = Fake::new(tmp.0.clone(), None);
    let p = plan_ok(ActionKind::Restart, ORDERS_KRC);
    let confirmed = confirm(&p, "", &[], now()).expect("confirms");
    let (tx, mut rx) = mpsc::unbounded_channel();

    let outcome = execute(confirmed, &mut journal, &fake, tx).await;

    assert!(outcome.succeeded(), "{}", outcome.words());
    assert_eq!(outcome.steps_done, 2);
    assert_eq!(*fake.intent_on_disk.lock().expect("lock"), [true, true]);
    assert_eq!(fake.calls().len(), 2);
    let (records, warnings) = journal::read(&tmp.0);
    assert!(warnings.is_empty());
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| match &r.entry {
            Entry::Intent(_) => "intent",
            Entry::Step(_) => "step",
            Entry::Outcome(_) => "outcome",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["intent", "step", "step", "outcome"]);
    let Entry::Intent(intent) = &records[0].entry else {
        panic!("intent first");
    };
    assert_eq!(intent.plan_id, p.id);
    assert_eq!(intent.steps.len(), 2);
    assert_eq!(intent.steps[0].effect["op"], "restart");
    // The intent carries each step's masked `az` equivalent, as the plan shows it.
    for (step, planned) in intent.steps.iter().zip(&p.steps) {
        assert_eq!(step.az, planned.az);
    }
    assert!(intent.steps.iter().any(|s| s.az.is_some()));
    let events = drain(&mut rx);
    assert!(matches!(
        events.first(),
        Some(ProgressEvent::Started { .. })
    ));
    assert!(events.iter().any(|e| matches!(e, ProgressEvent::Poll { percent: Some(p), .. } if (*p - 50.0).abs() < f64::EPSILON)));
    assert!(
        matches!(events.last(), Some(ProgressEvent::Finished { outcome }) if outcome.starts_with("succeeded"))
    );
}

#[tokio::test]
async fn a_failing_step_stops_the_action_and_the_outcome_is_journaled() {
    let tmp = TempDir::new("act-exec-fail");
    let mut journal = Journal::open_or_create(&tmp.0).expect("journal");
    let fake = Fake::new(tmp.0.clone(), Some(1));
    let p = plan_ok(ActionKind::Swap, ORDERS_KRC);
    let confirmed = confirm(&p, "y", &[], now()).expect("confirms");
    let (tx, _rx) = mpsc::unbounded_channel();

    let outcome = execute(confirmed, &mut journal, &fake, tx).await;

    assert_eq!(
        fake.calls().len(),
        1,
        "the verify step after the failed swap must not run"
    );
    match &outcome.status {
        OutcomeStatus::Failed { step, error, .. } => {
            assert_eq!(*step, 1);
            assert!(error.contains("409 Conflict"));
        }
        other => panic!("{other:?}"),
    }
    let (records, _) = journal::read(&tmp.0);
    let Some(Entry::Outcome(o)) = records.last().map(|r| &r.entry) else {
        panic!("outcome last");
    };
    assert_eq!(
        (o.result.as_str(), o.failed_step, o.steps_done),
        ("failed", Some(1), 0)
    );
    assert!(
        o.error
            .as_deref()
            .is_some_and(|e| e.contains("another operation"))
    );
    assert!(outcome.journal_error.is_none());
}

#[tokio::test]
async fn when_the_journal_cannot_be_written_nothing_is_called() {
    let tmp = TempDir::new("act-exec-nojournal");
    let mut journal = Journal::open_or_create(&tmp.0).expect("journal");
    std::fs::remove_dir_all(&tmp.0).expect("remove the incident folder");
    let fake = Fake::new(tmp.0.clone(), None);
    let p = plan_ok(ActionKind::Restart, ORDERS_KRC);
    let confirmed = confirm(&p, "", &[], now()).expect("confirms");
    let (tx, mut rx) = mpsc::unbounded_channel();

    let outcome = execute(confirmed, &mut journal, &fake, tx).await;

    assert!(fake.calls().is_empty());
    assert!(
        matches!(outcome.status, OutcomeStatus::NotStarted { ref error } if error.contains("nothing was called"))
    );
    assert_eq!(outcome.steps_done, 0);
    let events = drain(&mut rx);
    assert_eq!(events.len(), 1);
    assert!(
        matches!(&events[0], ProgressEvent::Finished { outcome } if outcome.starts_with("NOT STARTED"))
    );
}

#[tokio::test]
async fn overrides_and_names_are_journaled_but_no_secret_value_is() {
    let tmp = TempDir::new("act-exec-secret");
    let mut journal = Journal::open_or_create(&tmp.0).expect("journal");
    let fake = Fake::new(tmp.0.clone(), None);
    let p = super::super::plan(
        &super::action(ActionKind::SyncSecondary, ORDERS_JPE),
        &crate::config::Estate::demo(),
        &super::super::testkit::bad_release(),
        vec![gate(GateId::AlertSuppression, GateStatus::Fail)],
        vec![],
    )
    .expect("plans");
    let reason = (
        OverrideTarget::Gate {
            gate: GateId::AlertSuppression,
        },
        "sync does not page anyone".to_owned(),
    );
    let confirmed = confirm(&p, "y", &[reason], now()).expect("confirms");
    let (tx, _rx) = mpsc::unbounded_channel();

    let outcome = execute(confirmed, &mut journal, &fake, tx).await;

    assert!(outcome.succeeded());
    let text = std::fs::read_to_string(tmp.0.join(journal::FILE_NAME)).expect("journal file");
    assert!(
        !text.contains(PLANTED),
        "a secret value reached the journal"
    );
    assert!(text.contains("sync does not page anyone"));
    assert!(text.contains("QUEUE_CONN") && text.contains("FEATURE_X"));
    let (records, _) = journal::read(&tmp.0);
    let Entry::Intent(intent) = &records[0].entry else {
        panic!("intent first");
    };
    assert_eq!(intent.overrides.len(), 1);
}

#[tokio::test]
async fn the_preview_runs_read_only_and_unlocks_confirmation() {
    let tmp = TempDir::new("act-exec-preview");
    let fake = Fake::new(tmp.0.clone(), None);
    let mut p = plan_on(
        ActionKind::Rebuild,
        ORDERS_KRC,
        &super::super::testkit::bad_release(),
    )
    .expect("plans");
    let (tx, _rx) = mpsc::unbounded_channel();
    run_preview(&mut p, &fake, tx).await.expect("preview");
    assert!(matches!(fake.calls().as_slice(), [Effect::WhatIf { .. }]));
    assert_eq!(p.preview_result.as_deref(), Some("call 1 done"));
    assert!(confirm(&p, ORDERS_KRC, &[], now()).is_ok());
}

#[tokio::test]
async fn what_a_step_could_not_read_is_named_in_the_outcome_on_screen_and_in_the_journal() {
    let tmp = TempDir::new("act-exec-gaps");
    let mut journal = Journal::open_or_create(&tmp.0).expect("journal");
    let mut fake = Fake::new(tmp.0.clone(), None);
    fake.gap = Some("deployment log of func-orders-prod-krc (Kudu answered 502)".to_owned());
    let p = plan_ok(ActionKind::Forensics, ORDERS_KRC);
    let confirmed = confirm(&p, "", &[], now()).expect("confirms");
    let (tx, mut rx) = mpsc::unbounded_channel();

    let outcome = execute(confirmed, &mut journal, &fake, tx).await;

    assert!(
        outcome.succeeded(),
        "a missing part does not fail the action"
    );
    assert_eq!(outcome.gaps.len(), p.steps.len(), "one per forensic step");
    let words = outcome.words();
    assert!(
        words.starts_with("succeeded")
            && words
                .contains("MISSING: deployment log of func-orders-prod-krc (Kudu answered 502)"),
        "{words}"
    );
    let events = drain(&mut rx);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, ProgressEvent::Note { words } if words.starts_with("MISSING: "))),
        "each gap is told as it happens: {events:?}"
    );
    assert!(
        matches!(events.last(), Some(ProgressEvent::Finished { outcome }) if outcome.contains("MISSING")),
        "{events:?}"
    );
    let (records, _) = journal::read(&tmp.0);
    let journaled = records
        .iter()
        .find_map(|r| match &r.entry {
            Entry::Outcome(o) => Some(o.clone()),
            _ => None,
        })
        .expect("the outcome is journaled");
    assert_eq!(journaled.gaps, outcome.gaps);
}
