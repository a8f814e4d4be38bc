//! `warroom plan ACTION --target T [--json]`: one snapshot of the estate (the demo's simulator or a
//! real estate), the engine's gates and safety rules for the action (within the incident the
//! snapshot shows, as the console sees it), and the plan `act` builds, printed. Nothing is
//! executed and nothing is journaled. A plan's read-only preview (a rebuild's template what-if, a
//! POST that changes nothing) is run through the same path the console runs before it asks for
//! confirmation (`act::run_preview`), and its result printed.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, eyre};
use serde::Serialize;

use crate::act::{self, AzureEffects, Plan};
use crate::azure::AzureClient;
use crate::config::Estate;
use crate::decide::{self, ActionKind, DecideContext, IncidentFacts, ProposedAction};
use crate::tui::derive::incident::Incident;

use super::PlanArgs;
use super::run::{finish, runtime};
use super::wiring::{DemoClock, VirtualWait, real, start_demo};

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
        release: None,
    };
    finish(runtime().and_then(|rt| rt.block_on(plan_async(args, &action, config, credential))))
}

async fn plan_async(
    args: &PlanArgs,
    action: &ProposedAction,
    config: Option<&Path>,
    credential: &str,
) -> Result<()> {
    if args.demo {
        let demo = start_demo(Estate::demo(), &args.scenario, DemoClock::FrozenAt(args.at)).await?;
        let snap = demo.observer.refresh_all().await;
        // The demo's clock stands still: the preview's waits move it, as the drills' do.
        let mut effects = preview_effects(demo.client.clone(), &demo.estate);
        let clock = demo.sim.clock().clone();
        let c = clock.clone();
        effects.now = Arc::new(move || c.now());
        effects.clock = Arc::new(move || Box::new(VirtualWait::on(clock.clone())));
        let shown = show(args, action, &demo.estate, &snap, &effects).await;
        demo.sim
            .shutdown()
            .await
            .wrap_err("stopping the simulator")?;
        shown
    } else {
        let path = config.ok_or_else(|| eyre!("give --demo or --config FILE"))?;
        let (estate, observer, client) = real(path, credential)?;
        let snap = observer.refresh_all().await;
        let effects = preview_effects(client, &estate);
        show(args, action, &estate, &snap, &effects).await
    }
}

/// The effects a preview runs through. A preview only reads (`run_preview` refuses anything
/// else) and its folder is never created: nothing is written, in Azure or locally.
fn preview_effects(client: AzureClient, estate: &Estate) -> AzureEffects {
    let dir = std::env::temp_dir().join(format!("warroom-plan-preview-{}", std::process::id()));
    AzureEffects::new(client, estate.clone(), dir)
}

/// Plans the action on `snap`, runs its preview, and prints it.
async fn show(
    args: &PlanArgs,
    action: &ProposedAction,
    estate: &Estate,
    snap: &crate::model::Snapshot,
    effects: &AzureEffects,
) -> Result<()> {
    let now = snap.taken_at;
    let cx = DecideContext {
        incident: Incident::observe(None, snap).map(|i| IncidentFacts {
            detected_at: i.detected_at,
            apps: i.apps,
        }),
        ..DecideContext::default()
    };
    let gates = decide::gates_for(action, snap, estate, &cx, now);
    let safety = decide::safety_for(action, snap, estate, &cx, now);
    let mut plan = act::plan_in(action, estate, snap, cx.incident.as_ref(), gates, safety)
        .map_err(|e| eyre!("{e}"))?;
    if plan.preview.is_some() {
        // Progress is not shown here: the result is printed with the plan.
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        act::run_preview(&mut plan, effects, tx)
            .await
            .map_err(|e| eyre!("the preview failed, so no plan is offered: {e}"))?;
    }
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
        let previewed = if plan.preview.is_some() {
            " (the preview above only read)"
        } else {
            ""
        };
        if plan.is_blocked() {
            println!("\nNothing was executed{previewed}.");
        } else {
            println!(
                "\nNothing was executed{previewed}. Run it from the console: `:{} {}`.",
                action.kind.name(),
                action.target
            );
        }
    }
    Ok(())
}
