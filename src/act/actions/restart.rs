//! Restart an app (`POST …/restart`, a full restart answered 200), then check
//! its health. Low risk; no undo needed.

use super::super::catalogue::PlanError;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, steps};

/// Plans a restart.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    let health = cx
        .state(&app.name)
        .map_or("unknown", |s| s.health().label());
    let mut d = Draft::new(
        format!("Restart {}", app.name),
        format!(
            "{} is {health}. A restart recycles its host on every instance; in-flight executions are cut.",
            app.name
        ),
        Risk::Low,
        Expected::minutes(1, 3),
    );
    d.steps.push(steps::restart(cx.estate, app));
    d.steps.push(steps::verify_app(cx.estate, app, None));
    d.notes
        .push("No undo: a restart changes no configuration.".to_owned());
    Ok(d)
}
