//! Alert suppression on and off: an alert processing rule that removes all action groups for
//! the region's resource group during a scheduled window (twice the RTO, at least an hour, from
//! the snapshot's time). The undo deletes the rule; the window also ends it on its own.

use chrono::Duration;

use super::super::catalogue::PlanError;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, steps, steps_verify};
use crate::decide::{ActionKind, ProposedAction};

/// The suppression window's length for an RTO.
pub fn window(rto_minutes: u32) -> Duration {
    Duration::minutes(i64::from(rto_minutes.saturating_mul(2)).max(60))
}

/// Plans a suppression on or off.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let region = cx.target_region()?;
    let on = cx.action.kind == ActionKind::SuppressOn;
    let from = cx.snap.taken_at;
    let until = from + window(cx.estate.rto_minutes);
    let step = steps::alert_rule(region, on.then_some((from, until)));
    let mut d = Draft::new(
        if on {
            format!("Hold alert notifications for {}", region.resource_group)
        } else {
            format!("Resume alert notifications for {}", region.resource_group)
        },
        if on {
            format!(
                "Alerts still fire and are recorded; their action groups are not notified until {} UTC.",
                until.format("%H:%M")
            )
        } else {
            "Action groups are notified again for alerts in the group.".to_owned()
        },
        Risk::Low,
        Expected {
            min_secs: 5,
            max_secs: 60,
        },
    );
    let name = steps::suppress_rule_name(region);
    let what = if on {
        format!(
            "Verify the rule {name} reads back over {} from {} to {} UTC, removing all action groups",
            region.resource_group,
            from.format("%H:%M"),
            until.format("%H:%M")
        )
    } else {
        format!("Verify the rule {name} is gone")
    };
    let az = vec![format!(
        "az monitor alert-processing-rule show --resource-group {} --name {name}{}",
        region.resource_group,
        if on {
            ""
        } else {
            "  # expect ResourceNotFound"
        }
    )];
    let check = steps_verify::read_back(what, std::slice::from_ref(&step), az);
    d.steps.push(step);
    d.steps.push(check);
    d.undo = Some(ProposedAction {
        kind: if on {
            ActionKind::SuppressOff
        } else {
            ActionKind::SuppressOn
        },
        target: region.name.clone(),
        release: None,
    });
    Ok(d)
}
