//! The checks behind [`super::Bench`]: the journal's order for one plan, the write-ahead
//! wrapper around the effects, and the secret values of the simulated world to look for.
//! Included by `act.rs` only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use warroom::act::{
    ActError, AzureEffects, Effect, Effects, Outcome, Plan, StepProgress, StepReport,
};
use warroom::journal::{self, Entry, Record};
use warroom::sim::SimHandle;
use warroom::sim::world::World;

use crate::wire::Wire;

/// Checks the journal holds, for `plan`, its intent (with its steps and overrides), then each
/// completed step in order, then the outcome, and nothing of it before the intent.
pub fn assert_journaled(records: &[Record], plan: &Plan, outcome: &Outcome) {
    let mine: Vec<&Entry> = records
        .iter()
        .map(|r| &r.entry)
        .filter(|e| match e {
            Entry::Intent(i) => i.plan_id == plan.id,
            Entry::Step(s) => s.plan_id == plan.id,
            Entry::Outcome(o) => o.plan_id == plan.id,
            _ => false,
        })
        .collect();
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "sequence numbers grow: {seqs:?}"
    );
    let Some((Entry::Intent(intent), rest)) = mine.split_first() else {
        panic!("{}: the first entry is the intent: {mine:?}", plan.id);
    };
    assert_eq!(intent.action, plan.action);
    assert_eq!(intent.steps.len(), plan.steps.len());
    for (i, s) in intent.steps.iter().enumerate() {
        assert_eq!(s.n, i + 1);
        assert_eq!(
            s.effect,
            serde_json::to_value(&plan.steps[i].effect).expect("effect as JSON")
        );
    }
    let Some((Entry::Outcome(o), steps)) = rest.split_last() else {
        panic!("{}: the last entry is the outcome: {rest:?}", plan.id);
    };
    assert_eq!(
        steps.len(),
        outcome.steps_done,
        "one entry per completed step"
    );
    for (i, e) in steps.iter().enumerate() {
        let Entry::Step(s) = e else {
            panic!("{}: a step entry, got {e:?}", plan.id);
        };
        assert_eq!((s.n, s.of), (i + 1, plan.steps.len()));
        assert_eq!(s.what, plan.steps[i].what);
    }
    let result = if outcome.succeeded() {
        "succeeded"
    } else {
        "failed"
    };
    assert_eq!(o.result, result);
    assert_eq!(o.steps_done, outcome.steps_done);
}

/// A change someone else makes to the simulated world (a lock removed by hand, a setting
/// edited in the portal).
pub type Meddle<'a> = Box<dyn Fn(&mut World) + Send + Sync + 'a>;

/// [`AzureEffects`] behind a check: before each effect runs, the journal file on disk must hold
/// the plan's intent, every earlier step of it, and no outcome yet. With a meddler, the world is
/// changed just before each check step runs: after the writes, before they are read back.
pub struct WriteAhead<'a> {
    inner: AzureEffects,
    dir: PathBuf,
    plan_id: String,
    calls: AtomicUsize,
    meddle: Option<(&'a SimHandle, Meddle<'a>)>,
}

impl<'a> WriteAhead<'a> {
    /// Checks for `plan_id` in the journal of `dir`.
    pub fn new(inner: AzureEffects, dir: &Path, plan_id: &str) -> Self {
        Self {
            inner,
            dir: dir.to_path_buf(),
            plan_id: plan_id.to_owned(),
            calls: AtomicUsize::new(0),
            meddle: None,
        }
    }

    /// Runs `meddle` on the world of `sim` before each check step.
    #[must_use]
    pub fn meddling(mut self, sim: &'a SimHandle, meddle: Meddle<'a>) -> Self {
        self.meddle = Some((sim, meddle));
        self
    }

    /// Effects run so far.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl Effects for WriteAhead<'_> {
    async fn run(&self, effect: &Effect, progress: &StepProgress) -> Result<StepReport, ActError> {
        let earlier = self.calls.fetch_add(1, Ordering::SeqCst);
        let (records, _) = journal::read(&self.dir);
        let intent = records
            .iter()
            .any(|r| matches!(&r.entry, Entry::Intent(i) if i.plan_id == self.plan_id));
        assert!(
            intent,
            "{}: the intent is on disk before effect {} runs",
            self.plan_id,
            earlier + 1
        );
        let steps = records
            .iter()
            .filter(|r| matches!(&r.entry, Entry::Step(s) if s.plan_id == self.plan_id))
            .count();
        assert_eq!(steps, earlier, "every earlier step is journaled first");
        let ended = records
            .iter()
            .any(|r| matches!(&r.entry, Entry::Outcome(o) if o.plan_id == self.plan_id));
        assert!(!ended, "no outcome before the last effect");
        if let (Effect::Verify(_), Some((sim, meddle))) = (effect, &self.meddle) {
            sim.with_world(|w| meddle(w));
        }
        self.inner.run(effect, progress).await
    }
}

/// Every secret value in the simulated world: all settings values that hold a key or a
/// connection, every host, system and function key, and the key inside each connection string.
pub fn secret_values(w: &Wire) -> BTreeSet<String> {
    w.sim.with_world(|world| {
        let mut out = BTreeSet::new();
        for app in world.apps() {
            for slot in &app.slots {
                for (name, value) in &slot.settings {
                    let upper = name.to_ascii_uppercase();
                    if upper.contains("KEY")
                        || upper.contains("CONNECTION")
                        || value.contains("Key=")
                    {
                        out.insert(value.clone());
                    }
                    for part in value.split(';') {
                        if let Some((k, v)) = part.split_once('=')
                            && k.ends_with("Key")
                        {
                            out.insert(v.to_owned());
                        }
                    }
                }
                out.insert(slot.host_keys.master.clone());
                out.extend(slot.host_keys.function.values().cloned());
                out.extend(slot.host_keys.system.values().cloned());
                for keys in slot.function_keys.values() {
                    out.extend(keys.values().cloned());
                }
            }
        }
        out.retain(|s| s.len() >= 12);
        out
    })
}

/// Every file under `dir`, recursively.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}
