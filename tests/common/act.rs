//! Helpers for the end-to-end action tests (`act_*_against_sim`): the console's whole chain on
//! the simulated demo estate. A [`Bench`] observes the simulator through warroom's client
//! (`Observer::refresh_all`), asks the decision engine for the gates and safety verdicts
//! (`decide::gates_for`, `decide::safety_for`, the incident from `decide::evaluate`), plans with
//! `act::plan`, confirms with `act::confirm` and executes with `act::execute` through
//! [`AzureEffects`] on the virtual clock, wrapped in [`WriteAhead`], which checks on disk before
//! every call that the plan's intent (and every earlier step) is already journaled.
//!
//! The helpers panic only when the chain breaks (a plan that cannot be made, a refused
//! confirmation where one must pass); the journal order and the write-ahead rule are asserted
//! here because every action must keep them. What an action changed is asserted by the tests.
//! Changes reach the simulator only through warroom's client; the world is read directly only
//! for its write log and its secret values (to look for them where they must never be).

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;
use warroom::act::{self, AzureEffects, ConfirmKey, Outcome, Plan, PlanError, Progress, Prompt};
use warroom::config::Estate;
use warroom::decide::{
    self, ActionKind, ActionRecord, DecideContext, GateId, IncidentFacts, OverrideTarget,
    ProposedAction, SafetyRule,
};
use warroom::journal::{self, Journal, Record};
use warroom::model::{AppState, SecretDigest, Snapshot};
use warroom::observe::{Clock, Observer};
use warroom::sim::{Scenario, WriteRequest};

use crate::wire::{VirtualWait, Wire};

#[path = "act_checks.rs"]
mod checks;
use checks::walk;
pub use checks::{Meddle, WriteAhead, assert_journaled, secret_values};

/// The reason typed for every override the tests give.
pub const REASON: &str = "e2e test: the commander accepts this risk";

/// The simulator, the incident folder and the decision context of one incident.
pub struct Bench {
    /// The simulator and the client.
    pub w: Wire,
    /// The incident folder (journal, forensic files); removed on drop.
    pub dir: PathBuf,
    /// What the engine is told besides the snapshot: the incident, the actions taken.
    pub cx: DecideContext,
    /// Every progress event of every run, for the secret check.
    pub progress: Vec<Progress>,
}

impl Drop for Bench {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An action's run: the plan as confirmed, its outcome and the writes the simulator saw.
pub struct Ran {
    /// The plan.
    pub plan: Plan,
    /// How it ended.
    pub outcome: Outcome,
    /// The write requests the simulator received while it ran.
    pub writes: Vec<WriteRequest>,
    /// The overrides the plan needed before confirmation.
    pub needed: Vec<OverrideTarget>,
}

impl Ran {
    /// Whether a write with this method went to a path ending in `suffix` (ARM paths are
    /// case-insensitive).
    pub fn wrote(&self, method: &str, suffix: &str) -> bool {
        let suffix = suffix.to_ascii_lowercase();
        self.writes
            .iter()
            .any(|r| r.method == method && r.path.to_ascii_lowercase().ends_with(&suffix))
    }
}

impl Bench {
    /// The demo estate under a built-in scenario, the clock `secs` after its start.
    pub async fn start(scenario: &str, secs: i64) -> Self {
        let s = Scenario::builtin(scenario).expect("built-in scenario");
        Self::start_with(Estate::demo(), s, secs).await
    }

    /// Any estate and scenario, the clock `secs` after its start.
    pub async fn start_with(estate: Estate, scenario: Scenario, secs: i64) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let w = Wire::start_with(estate, scenario).await;
        w.at(secs);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "warroom-act-e2e-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        Self {
            w,
            dir,
            cx: DecideContext::default(),
            progress: Vec::new(),
        }
    }

    /// A fresh snapshot: a new observer, every source read once through the client.
    pub async fn snapshot(&self) -> Snapshot {
        let clock = self.w.sim.clock().clone();
        Observer::new(
            Arc::new(self.w.client.clone()),
            Arc::new(self.w.queues.clone()),
            Arc::new(self.w.estate.clone()),
            Clock::custom(move || clock.now(), 1.0),
            true,
        )
        .refresh_all()
        .await
    }

    /// The decision context for `snap`: the incident is the engine's affected apps, from the
    /// first snapshot that shows any (as the console declares it), and stays.
    pub fn context(&mut self, snap: &Snapshot) -> DecideContext {
        if self.cx.incident.is_none() {
            let d = decide::evaluate(snap, &self.w.estate, &self.cx, self.w.now());
            if !d.affected_apps.is_empty() {
                self.cx.incident = Some(IncidentFacts {
                    detected_at: d.onset.unwrap_or(snap.taken_at),
                    apps: d.affected_apps,
                });
            }
        }
        self.cx.clone()
    }

    /// The plan for `kind` on `target` from a fresh snapshot, within the incident, with the
    /// engine's gates and safety verdicts, its preview (what-if) run when it has one.
    pub async fn try_plan(&mut self, kind: ActionKind, target: &str) -> Result<Plan, PlanError> {
        self.try_plan_action(ProposedAction::new(kind, target))
            .await
    }

    /// [`Self::try_plan`] of an action as given: the engine's recommendation (`a` in the
    /// console), which may name a release.
    pub async fn try_plan_action(&mut self, action: ProposedAction) -> Result<Plan, PlanError> {
        let snap = self.snapshot().await;
        let cx = self.context(&snap);
        let now = self.w.now();
        let gates = decide::gates_for(&action, &snap, &self.w.estate, &cx, now);
        let safety = decide::safety_for(&action, &snap, &self.w.estate, &cx, now);
        let mut plan = act::plan_in(
            &action,
            &self.w.estate,
            &snap,
            cx.incident.as_ref(),
            gates,
            safety,
        )?;
        if plan.preview.is_some() {
            let (tx, mut rx) = mpsc::unbounded_channel();
            act::run_preview(&mut plan, &self.effects(), tx)
                .await
                .expect("the preview runs");
            while let Ok(p) = rx.try_recv() {
                self.progress.push(p);
            }
        }
        Ok(plan)
    }

    /// [`Self::try_plan`], which must make a plan.
    pub async fn plan(&mut self, kind: ActionKind, target: &str) -> Plan {
        self.try_plan(kind, target)
            .await
            .unwrap_or_else(|e| panic!("no plan for {} {target}: {e}", kind.name()))
    }

    /// The effects against the simulator, every wait on its virtual clock.
    pub fn effects(&self) -> AzureEffects {
        let mut e = AzureEffects::new(
            self.w.client.clone(),
            self.w.estate.clone(),
            self.dir.clone(),
        );
        let c = self.w.sim.clock().clone();
        e.clock = Arc::new(move || Box::new(VirtualWait::on(&c)));
        let c = self.w.sim.clock().clone();
        e.now = Arc::new(move || c.now());
        e.artifact_auth = Some(warroom::azure::QueueAuth::None);
        e
    }

    /// The incident's journal, stamped with virtual time.
    pub fn journal(&self) -> Journal {
        let c = self.w.sim.clock().clone();
        Journal::open_or_create(&self.dir)
            .expect("journal")
            .with_clock(Arc::new(move || c.now()))
    }

    /// Every record of the journal (panics on a warning: nothing here tears a line).
    pub fn records(&self) -> Vec<Record> {
        let (records, warnings) = journal::read(&self.dir);
        assert!(warnings.is_empty(), "journal warnings: {warnings:?}");
        records
    }

    /// Confirms `plan` with `typed` and `reasons`, executes it through [`WriteAhead`], and checks
    /// the journal holds its intent, each step and its outcome, in that order.
    pub async fn execute(
        &mut self,
        plan: &Plan,
        typed: &str,
        reasons: &[(OverrideTarget, String)],
    ) -> Ran {
        self.execute_with(plan, typed, reasons, None).await
    }

    /// [`Self::execute`], with `meddle` changing the world just before each check step runs
    /// (between the plan's writes and their read-back).
    pub async fn execute_meddled(
        &mut self,
        plan: &Plan,
        typed: &str,
        reasons: &[(OverrideTarget, String)],
        meddle: Meddle<'_>,
    ) -> Ran {
        self.execute_with(plan, typed, reasons, Some(meddle)).await
    }

    async fn execute_with(
        &mut self,
        plan: &Plan,
        typed: &str,
        reasons: &[(OverrideTarget, String)],
        meddle: Option<Meddle<'_>>,
    ) -> Ran {
        let needed: Vec<OverrideTarget> = plan
            .confirmation
            .overrides_needed
            .iter()
            .map(|o| o.target.clone())
            .collect();
        let now = self.w.now();
        let confirmed = act::confirm(plan, typed, reasons, now)
            .unwrap_or_else(|r| panic!("{} not confirmed: {r}", plan.id));
        let mut checked = WriteAhead::new(self.effects(), &self.dir, &plan.id);
        if let Some(meddle) = meddle {
            checked = checked.meddling(&self.w.sim, meddle);
        }
        let before = self.w.sim.write_log().len();
        let mut journal = self.journal();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let outcome = act::execute(confirmed, &mut journal, &checked, tx).await;
        while let Ok(p) = rx.try_recv() {
            self.progress.push(p);
        }
        let writes = self.w.sim.write_log().split_off(before);
        self.cx.actions.push(ActionRecord {
            action: plan.action.clone(),
            strategy: None,
            started: now,
            finished: Some(self.w.now()),
            succeeded: Some(outcome.succeeded()),
        });
        assert_eq!(
            checked.calls(),
            outcome.steps_done + usize::from(!outcome.succeeded()),
            "every effect called went through the write-ahead check"
        );
        assert_journaled(&self.records(), plan, &outcome);
        Ran {
            plan: plan.clone(),
            outcome,
            writes,
            needed,
        }
    }

    /// Plans, confirms as the plan asks (the right key or name, a reason for every needed
    /// override) and executes; the outcome must be a success.
    pub async fn run(&mut self, kind: ActionKind, target: &str) -> Ran {
        let plan = self.plan(kind, target).await;
        let ran = self.execute(&plan, &typed(&plan), &reasons(&plan)).await;
        assert!(
            ran.outcome.succeeded(),
            "{}: {}",
            plan.id,
            ran.outcome.words()
        );
        ran
    }

    /// What each step of `plan` reported, as journaled: (step number, report).
    pub fn step_reports(&self, plan: &Plan) -> Vec<(usize, String)> {
        self.records()
            .into_iter()
            .filter_map(|r| match r.entry {
                journal::Entry::Step(s) if s.plan_id == plan.id => Some((s.n, s.report)),
                _ => None,
            })
            .collect()
    }

    /// When `plan` was confirmed, as its journaled intent records it.
    pub fn confirmed_at(&self, plan: &Plan) -> chrono::DateTime<chrono::Utc> {
        self.records()
            .iter()
            .find_map(|r| match &r.entry {
                journal::Entry::Intent(i) if i.plan_id == plan.id => Some(i.confirmed_at),
                _ => None,
            })
            .expect("the intent")
    }

    /// An app's state in a snapshot.
    pub fn app<'s>(snap: &'s Snapshot, app: &str) -> &'s AppState {
        snap.apps
            .iter()
            .find(|a| a.name == app)
            .unwrap_or_else(|| panic!("{app} in the snapshot"))
    }

    /// Checks that no secret value of the world (settings, keys, the key inside a connection
    /// string) is in any file of the incident folder or in any progress event so far.
    pub fn assert_secret_free(&self) {
        let secrets = secret_values(&self.w);
        assert!(
            secrets.len() > 20,
            "the world has secrets to look for: {}",
            secrets.len()
        );
        let mut files = Vec::new();
        walk(&self.dir, &mut files);
        assert!(!files.is_empty(), "the incident folder has files");
        for f in &files {
            let text = std::fs::read_to_string(f).expect("a text file");
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{} holds a secret value ({} chars)",
                    f.display(),
                    s.len()
                );
            }
        }
        let words = serde_json::to_string(&self.progress).expect("progress as JSON");
        for s in &secrets {
            assert!(!words.contains(s.as_str()), "progress holds a secret value");
        }
    }
}

/// What the plan's prompt asks to be typed.
pub fn typed(plan: &Plan) -> String {
    match &plan.confirmation.prompt {
        Prompt::Key {
            key: ConfirmKey::Enter,
        } => String::new(),
        Prompt::Key { key: ConfirmKey::Y } => "y".to_owned(),
        Prompt::TypeTarget { expected } => expected.clone(),
    }
}

/// A reason for every override the plan needs.
pub fn reasons(plan: &Plan) -> Vec<(OverrideTarget, String)> {
    plan.confirmation
        .overrides_needed
        .iter()
        .map(|o| (o.target.clone(), REASON.to_owned()))
        .collect()
}

/// A gate override target.
pub fn gate(gate: GateId) -> OverrideTarget {
    OverrideTarget::Gate { gate }
}

/// A safety rule override target.
pub fn rule(rule: SafetyRule, target: &str) -> OverrideTarget {
    OverrideTarget::Safety {
        rule,
        target: target.to_owned(),
    }
}

/// The gates a plan needs overridden, in order.
pub fn gates_needed(plan: &Plan) -> Vec<GateId> {
    plan.confirmation
        .overrides_needed
        .iter()
        .filter_map(|o| match o.target {
            OverrideTarget::Gate { gate } => Some(gate),
            _ => None,
        })
        .collect()
}

/// The `az` commands of the plan's steps, one string.
pub fn az(plan: &Plan) -> String {
    plan.steps
        .iter()
        .filter_map(|s| s.az.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The digest of a setting in a snapshot's app (panics when the settings were not read).
pub fn setting_digest<'s>(snap: &'s Snapshot, app: &str, name: &str) -> Option<&'s SecretDigest> {
    Bench::app(snap, app)
        .settings
        .get()
        .unwrap_or_else(|| panic!("settings of {app} read"))
        .get(name)
}
