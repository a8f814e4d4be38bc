//! Changes made outside the console during an incident: a swap or a deployment to an affected
//! app's production after detection, seen in the deployment history, the activity log or the
//! site's last swap, counts as an action taken (by whoever made it). Without this, an estate
//! recovered by someone at the portal would be walked as a fresh incident and sent to a rebuild.
//! Pure; owns only the merge of outside changes into the context.

use std::borrow::Cow;

use chrono::{DateTime, Duration, Utc};

use super::context::{ActionRecord, DecideContext};
use super::evidence::{ChangeKind, changes};
use super::{ActionKind, ProposedAction, Strategy};
use crate::model::Snapshot;

/// How close an outside change must be to a recorded action on the same app to be that action.
const SAME_CHANGE: Duration = Duration::minutes(5);

/// The context with every outside change to the incident's apps after detection added as a
/// finished, successful action; borrowed unchanged when there is none.
pub fn with_outside_changes<'a>(
    snap: &Snapshot,
    cx: &'a DecideContext,
    now: DateTime<Utc>,
) -> Cow<'a, DecideContext> {
    let Some(incident) = &cx.incident else {
        return Cow::Borrowed(cx);
    };
    let mut found = Vec::new();
    for app in snap.apps.iter().filter(|a| incident.apps.contains(&a.name)) {
        for c in changes(snap, app, now) {
            if c.at <= incident.detected_at || c.at > now {
                continue;
            }
            let known = cx
                .actions
                .iter()
                .chain(&found)
                .any(|r| r.action.target == c.app && (r.started - c.at).abs() <= SAME_CHANGE);
            if known {
                continue;
            }
            let (kind, strategy) = match c.kind {
                ChangeKind::Swap => (ActionKind::Swap, Strategy::SlotSwap),
                ChangeKind::Deployment => (ActionKind::Redeploy, Strategy::Redeploy),
                ChangeKind::Promoted | ChangeKind::SwappedOut => continue,
            };
            found.push(ActionRecord {
                action: ProposedAction {
                    kind,
                    target: c.app.clone(),
                    release: None,
                },
                strategy: Some(strategy),
                started: c.at,
                finished: Some(c.at),
                succeeded: Some(true),
            });
        }
    }
    if found.is_empty() {
        return Cow::Borrowed(cx);
    }
    let mut out = cx.clone();
    out.actions.extend(found);
    out.actions.sort_by_key(|r| r.started);
    Cow::Owned(out)
}
