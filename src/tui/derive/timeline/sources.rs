//! Timeline entries for the sources behind a snapshot: a read (a site, a slot's health, metrics,
//! routes, a queue, the activity log, …) that starts failing, and one that answers again. Each
//! part is labelled in words so the line says what stopped answering.
//!
//! Owns only the comparison of `Observed` errors between two snapshots. It must not look at what
//! a part contains (health, deployments, queues are the parent's and `activity`'s), define entry
//! kinds or order entries. Pure.

use crate::model::{Observed, Snapshot, SourceError};

use super::{EntryKind, TimelineEntry, entry};

/// Every observed part of a snapshot, labelled, with its error.
fn source_errors(snap: &Snapshot) -> Vec<(String, Option<&SourceError>)> {
    fn add<'a, T>(v: &mut Vec<(String, Option<&'a SourceError>)>, what: &str, o: &'a Observed<T>) {
        v.push((what.to_owned(), o.error.as_ref()));
    }
    let mut v = Vec::new();
    for a in &snap.apps {
        add(&mut v, &format!("site {}", a.name), &a.site);
        for s in &a.slots {
            add(&mut v, &format!("health {}/{}", a.name, s.name), &s.health);
        }
        add(&mut v, &format!("Resource Health {}", a.name), &a.platform);
        add(&mut v, &format!("metrics {}", a.name), &a.metrics);
        add(&mut v, &format!("deployments {}", a.name), &a.deployments);
        add(&mut v, &format!("settings {}", a.name), &a.settings);
        add(&mut v, &format!("keys {}", a.name), &a.keys);
        add(&mut v, &format!("functions {}", a.name), &a.functions);
    }
    for (name, o) in [&snap.routes.traffic_manager, &snap.routes.front_door]
        .into_iter()
        .flatten()
    {
        add(&mut v, &format!("routes {name}"), o);
    }
    for q in &snap.queues {
        add(
            &mut v,
            &format!("queue {} ({})", q.name, q.region),
            &q.depth,
        );
    }
    for s in &snap.storage {
        add(&mut v, &format!("storage {}", s.name), &s.state);
    }
    for a in &snap.aliases {
        add(&mut v, &format!("alias {}", a.name), &a.state);
    }
    add(&mut v, "activity log", &snap.activity);
    add(&mut v, "inventory", &snap.inventory);
    v
}

/// The lines for sources that started failing or answered again between `prev` and `next`
/// (with no `prev`, every source failing in `next`).
pub(super) fn sources(prev: Option<&Snapshot>, next: &Snapshot, out: &mut Vec<TimelineEntry>) {
    let before: Vec<_> = prev.map(source_errors).unwrap_or_default();
    for (label, err) in source_errors(next) {
        let was = before
            .iter()
            .find(|(l, _)| *l == label)
            .and_then(|(_, e)| *e);
        match (was, err) {
            (None, Some(e)) => out.push(entry(
                e.at,
                EntryKind::SourceFailing,
                format!("{label} failing: {}", e.message),
            )),
            (Some(_), None) => out.push(entry(
                next.taken_at,
                EntryKind::SourceRecovered,
                format!("{label} answering again"),
            )),
            _ => {}
        }
    }
}
