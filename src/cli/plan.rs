//! `warroom plan ACTION --target T [--json]`: one snapshot of the estate (the demo's simulator or a
//! real estate), the engine's gates and safety rules for the action, and the plan `act` builds,
//! printed. Nothing is executed and nothing is journaled; a rebuild's what-if is shown as a step
//! the console runs before it asks for confirmation.

use std::path::Path;
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr, eyre};
use serde::Serialize;

use crate::act::{self, Plan};
use crate::config::Estate;
use crate::decide::{self, ActionKind, DecideContext, IncidentFacts, ProposedAction};
use crate::tui::derive::incident::Incident;

use super::PlanArgs;
use super::run::{finish, runtime};
use super::wiring::{DemoClock, real, start_demo};

/// The JSON `--json` prints.
#[derive(Serialize)]
struct PlanJson<'a> {
    plan: &'a Plan,
    /// Why it cannot run as it stands (failed gates, refusing rules); empty when it may.
    blocked: Vec<String>,
    /// Nothing was executed.
    executed: bool,
}

/// `warroom plan`.
pub fn run(args: &PlanArgs, config: Option<&Path>, credential: &str) -> ExitCode {
    crate::logging::to_stderr();
    let Some(kind) = ActionKind::parse(&args.action) else {
        let names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        eprintln!(
            "warroom: no action `{}`; actions: {}",
            args.action,
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let action = ProposedAction {
        kind,
        target: args.target.clone(),
    };
    finish(runtime().and_then(|rt| rt.block_on(plan_async(args, &action, config, credential))))
}

async fn plan_async(
    args: &PlanArgs,
    action: &ProposedAction,
    config: Option<&Path>,
    credential: &str,
) -> Result<()> {
    let (estate, snap) = if args.demo {
        let demo = start_demo(Estate::demo(), &args.scenario, DemoClock::FrozenAt(args.at)).await?;
        let snap = demo.observer.refresh_all().await;
        demo.sim
            .shutdown()
            .await
            .wrap_err("stopping the simulator")?;
        (demo.estate, snap)
    } else {
        let path = config.ok_or_else(|| eyre!("give --demo or --config FILE"))?;
        let (estate, observer, _) = real(path, credential)?;
        (estate, observer.refresh_all().await)
    };
    let now = snap.taken_at;
    let cx = DecideContext {
        incident: Incident::observe(None, &snap).map(|i| IncidentFacts {
            detected_at: i.detected_at,
            apps: i.apps,
        }),
        ..DecideContext::default()
    };
    let gates = decide::gates_for(action, &snap, &estate, &cx, now);
    let safety = decide::safety_for(action, &snap, &estate, &cx, now);
    let plan = act::plan(action, &estate, &snap, gates, safety).map_err(|e| eyre!("{e}"))?;
    if args.json {
        let out = PlanJson {
            plan: &plan,
            blocked: plan.blocked_reasons(),
            executed: false,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&out).wrap_err("writing JSON")?
        );
    } else {
        print!("{}", plan.render_text());
        if plan.is_blocked() {
            println!("\nNothing was executed.");
        } else {
            println!(
                "\nNothing was executed. Run it from the console: `:{} {}`.",
                action.kind.name(),
                action.target
            );
        }
    }
    Ok(())
}
