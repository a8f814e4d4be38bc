//! Timeline entries from the activity log: swaps, restarts, configuration writes and (when
//! Kudu's deployment history cannot be read) deployments that appeared since the last read. One
//! operation is one line: a later record of the same operation supersedes its earlier ones.
//!
//! Owns only the reading of `Snapshot::activity` for the timeline. It must not define entry kinds
//! or order entries (the parent's), nor look at health, queues or source errors. Pure.

use std::collections::HashSet;

use crate::model::{ActivityKind, Snapshot};
use crate::tui::derive::{site_of, superseded};

use super::{EntryKind, TimelineEntry, entry};

/// The lines the activity log adds between `prev` and `next`.
pub(super) fn activity(prev: &Snapshot, next: &Snapshot, out: &mut Vec<TimelineEntry>) {
    // As with deployments, the first read of the log is history, not news.
    let Some(seen) = prev.activity.get().map(|log| {
        log.iter()
            .map(|e| (e.at, e.resource_id.as_str(), e.operation.as_str()))
            .collect::<HashSet<_>>()
    }) else {
        return;
    };
    let log = next.activity.get().map_or(&[][..], Vec::as_slice);
    for ev in log {
        if seen.contains(&(ev.at, ev.resource_id.as_str(), ev.operation.as_str()))
            || superseded(ev, log)
        {
            continue;
        }
        let what = match ev.kind {
            ActivityKind::Swap => "swap",
            // Kudu's history says more about a deployment (version, deployer); the log's line
            // is only news when that history cannot be read.
            ActivityKind::Deployment if kudu_read(next, &ev.resource_id) => continue,
            ActivityKind::Deployment => "deployment",
            ActivityKind::Restart => "restart",
            ActivityKind::ConfigWrite => "configuration write",
            ActivityKind::Other => continue,
        };
        let target = match site_of(&ev.resource_id) {
            Some((app, Some(slot))) => format!("{app}/{slot}"),
            Some((app, None)) => app.to_owned(),
            None => ev.resource_id.clone(),
        };
        let by = ev
            .caller
            .as_deref()
            .map(|c| format!(" by {c}"))
            .unwrap_or_default();
        // Success is the rule; only other outcomes are worth words.
        let status = ev
            .status
            .as_deref()
            .filter(|s| !s.eq_ignore_ascii_case("succeeded"))
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        out.push(entry(
            ev.at,
            EntryKind::Activity,
            format!("{target}: {what}{by}{status}"),
        ));
    }
}

/// Whether the deployment history of the app a resource id names has been read.
fn kudu_read(snap: &Snapshot, resource_id: &str) -> bool {
    site_of(resource_id).is_some_and(|(app, _)| {
        snap.apps
            .iter()
            .any(|a| a.name == app && a.deployments.get().is_some())
    })
}
#[cfg(test)]
mod tests {
    use chrono::Duration;

    use crate::model::ActivityKind;
    use crate::tui::derive::timeline::{EntryKind, diff};
    use crate::tui::fixtures;

    #[test]
    fn one_operation_is_one_line_and_kudu_speaks_for_deployments() {
        let calm = fixtures::calm();
        let mut bad = fixtures::first_failure();
        let log = bad.activity.value.as_mut().expect("a log");
        let swap = log
            .iter()
            .find(|e| e.kind == ActivityKind::Swap)
            .expect("the swap")
            .clone();
        let deploy = crate::model::ActivityEvent {
            kind: ActivityKind::Deployment,
            operation: "Microsoft.Web/sites/slots/deployments/write".to_owned(),
            ..swap.clone()
        };
        log.push(crate::model::ActivityEvent {
            at: swap.at - Duration::seconds(40),
            status: Some("Started".to_owned()),
            ..swap
        });
        log.push(deploy);
        let e = diff(Some(&calm), &bad);
        let activity: Vec<&str> = e
            .iter()
            .filter(|e| e.kind == EntryKind::Activity)
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(
            activity,
            ["func-orders-prod-krc/staging: swap by release-pipeline"]
        );
        // Without Kudu's history, the log's deployment line is the only trace: it stays.
        for app in &mut bad.apps {
            app.deployments.value = None;
        }
        let e = diff(Some(&calm), &bad);
        assert!(
            e.iter()
                .any(|e| e.kind == EntryKind::Activity && e.text.contains(": deployment by")),
            "{e:#?}"
        );
    }
}
