//! What the kill test reads in an incident journal: the open intents and what their effects
//! name, whether a write's path is covered by one, the reconciled plans, and the checks of a
//! journal at the end of a round.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use warroom::journal::{self, Entry, Journal, Record, Resumed};

/// The only incident journal's folder under `state`, if there is one yet.
pub fn incident(state: &Path) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = std::fs::read_dir(state.join("incidents"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(journal::FILE_NAME).exists())
        .collect();
    assert!(dirs.len() <= 1, "one incident per round: {dirs:?}");
    dirs.into_iter().next()
}

/// The intents with neither an outcome nor a reconciliation, by plan id, with their effects'
/// strings.
pub fn open_intents(records: &[Record]) -> BTreeMap<String, Vec<String>> {
    let mut open = BTreeMap::new();
    for r in records {
        match &r.entry {
            Entry::Intent(i) => {
                let mut names = Vec::new();
                for s in &i.steps {
                    strings(&s.effect, &mut names);
                }
                open.insert(i.plan_id.clone(), names);
            }
            Entry::Outcome(o) => {
                open.remove(&o.plan_id);
            }
            Entry::Reconciled(c) => {
                open.remove(&c.plan_id);
            }
            _ => {}
        }
    }
    open
}

pub fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.to_ascii_lowercase()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Whether a write's path names a resource one of the effect strings names: an ARM id it
/// starts with, or a name that is one of its path segments.
pub fn covers(names: &[String], path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    let segments: BTreeSet<&str> = path.split('/').collect();
    names.iter().any(|s| {
        if s.starts_with("/subscriptions/") {
            path.starts_with(s.as_str())
        } else {
            let last = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            last.len() >= 3 && segments.contains(last)
        }
    })
}

/// The plan ids with a `reconciled` entry.
pub fn reconciled(records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Reconciled(c) => Some(c.plan_id.clone()),
            _ => None,
        })
        .collect()
}

/// The journal after the round: it opens as warroom opens it, holds committed lines only,
/// numbers 1..=N once each, one intent per plan, and a reconciliation of each intent a kill
/// left open.
pub fn check_journal(dir: &Path, left_open: &BTreeSet<String>) {
    let j = Journal::open_or_create(dir).expect("the journal always opens");
    drop(j);
    let (records, warnings) = journal::read(dir);
    assert_eq!(warnings, [], "committed lines only");
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    let want: Vec<u64> = (1..=records.len() as u64).collect();
    assert_eq!(seqs, want, "no entry lost or used twice");
    let mut plans = BTreeSet::new();
    for r in &records {
        if let Entry::Intent(i) = &r.entry {
            assert!(
                plans.insert(i.plan_id.clone()),
                "two intents of {}",
                i.plan_id
            );
        }
    }
    // A kill never makes an action fail: what it interrupted is reconciled, not repeated into
    // a conflict.
    for r in &records {
        if let Entry::Outcome(o) = &r.entry {
            assert_eq!(o.result, "succeeded", "{o:?}");
        }
    }
    let done = reconciled(&records);
    assert!(
        left_open.is_subset(&done),
        "unreconciled: {:?}",
        left_open.difference(&done).collect::<Vec<_>>()
    );
    // What is still unfinished was started by the last run, after every reconciliation.
    let resumed = Resumed::from_records(&records);
    let last_reconciled = records
        .iter()
        .filter(|r| matches!(r.entry, Entry::Reconciled(_)))
        .map(|r| r.seq)
        .max()
        .unwrap_or(0);
    for u in &resumed.unfinished {
        assert!(
            u.seq > last_reconciled,
            "intent {} (seq {}) was left unfinished and never reconciled",
            u.intent.plan_id,
            u.seq
        );
    }
}
