//! Timer functions on in the app that becomes active and off in its counterpart (seed 004): the
//! app setting `AzureWebJobs.<fn>.Disabled`, written by read-modify-write so no other setting is
//! touched. The new region is switched on first: if the old region cannot be reached, the timers
//! still run somewhere; for a moment both may run, which the seed accepts (duplicate runs only
//! repeat corrective work). The plan ends by reading the flags back in every app it wrote.

use std::collections::BTreeMap;

use super::super::catalogue::PlanError;
use super::super::effect::SettingSource;
use super::super::plan::{Expected, PlanStep, Risk};
use super::{Ctx, Draft, steps, steps_verify};
use crate::config::App;
use crate::decide::ProposedAction;

/// The setting that disables a function.
pub fn flag_name(function: &str) -> String {
    format!("AzureWebJobs.{function}.Disabled")
}

fn flags(app: &App, disabled: bool) -> BTreeMap<String, SettingSource> {
    app.timer_functions
        .iter()
        .map(|f| (flag_name(f), SettingSource::Flag { value: disabled }))
        .collect()
}

/// Enable the timers of `new`, then disable those of `old`.
pub fn steps_for(cx: &Ctx<'_>, new: &App, old: &[&App]) -> Vec<PlanStep> {
    let mut out = vec![steps::merge_settings(
        cx.estate,
        new,
        format!(
            "Enable timer functions {} in {}",
            new.timer_functions.join(", "),
            new.name
        ),
        flags(new, false),
    )];
    for o in old.iter().filter(|o| !o.timer_functions.is_empty()) {
        out.push(steps::merge_settings(
            cx.estate,
            o,
            format!(
                "Disable timer functions {} in {}",
                o.timer_functions.join(", "),
                o.name
            ),
            flags(o, true),
        ));
    }
    out
}

/// Plans the timer flip towards the target app.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let new = cx.target_app()?;
    if new.timer_functions.is_empty() {
        return Err(PlanError::NotApplicable(format!(
            "{} has no timer functions",
            new.name
        )));
    }
    let old: Vec<&App> = cx
        .estate
        .counterparts(new)
        .filter(|a| !a.timer_functions.is_empty())
        .collect();
    let disabled_now = |app: &App| -> Option<Vec<String>> {
        let fns = cx.state(&app.name)?.functions.get()?;
        Some(
            fns.iter()
                .filter(|f| f.disabled && app.timer_functions.contains(&f.name))
                .map(|f| f.name.clone())
                .collect(),
        )
    };
    let words = |app: &App| match disabled_now(app) {
        Some(d) if d.is_empty() => format!("{}: timers enabled", app.name),
        Some(d) => format!("{}: {} disabled", app.name, d.join(", ")),
        None => format!("{}: timer state not observed", app.name),
    };
    let mut state: Vec<String> = vec![words(new)];
    state.extend(old.iter().map(|o| words(o)));
    let mut d = Draft::new(
        format!("Make {} the active timer app", new.name),
        format!(
            "Now: {}. Each settings write restarts the app it touches.",
            state.join("; ")
        ),
        Risk::Medium,
        Expected::minutes(1, 4),
    );
    d.steps = steps_for(cx, new, &old);
    let mut apps = vec![format!("enabled in {}", new.name)];
    apps.extend(old.iter().map(|o| format!("disabled in {}", o.name)));
    let check = steps_verify::read_back(
        format!("Verify the timer flags read back {}", apps.join(" and ")),
        &d.steps,
        Vec::new(),
    );
    d.steps.push(check);
    if let [only] = old.as_slice() {
        d.undo = Some(ProposedAction {
            kind: crate::decide::ActionKind::Timers,
            target: only.name.clone(),
            release: None,
        });
    }
    d.notes.push(
        "The new region is switched on first, so timers keep running if the old region cannot be reached."
            .to_owned(),
    );
    Ok(d)
}
