//! `warroom plan ACTION --target T [--json]` through the real binary, on the demo estate: the plan
//! is printed with its calls, `az` equivalents, gates and safety verdicts, and nothing is executed.
//! A rebuild's what-if (a read-only POST) is run and its changes printed, text and JSON; against
//! a simulator the test holds, the what-if is seen to arrive and no write is counted.

use std::process::Command;

fn warroom(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .env_remove("WARROOM_CONFIG")
        .env_remove("RUST_LOG")
        .output()
        .expect("the warroom binary runs")
}

#[test]
fn the_swap_plan_names_its_call_its_az_command_its_gates_and_its_undo() {
    let out = warroom(&["plan", "swap", "--target", "func-orders-prod-krc", "--demo"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "/providers/Microsoft.Web/sites/func-orders-prod-krc/slots/staging/slotsswap?api-version=2024-11-01",
        "az functionapp deployment slot swap --resource-group rg-functions-prod-krc --name func-orders-prod-krc",
        "incident scope",
        "no swap while a deployment to the app is running",
        "Undo: swap-back func-orders-prod-krc",
        "Confirm: press y",
        "Nothing was executed.",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn a_high_risk_plan_as_json_is_blocked_by_its_gates_and_asks_for_the_target_name() {
    let out = warroom(&[
        "plan",
        "tm-disable",
        "--target",
        "primary-endpoint",
        "--demo",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["executed"], false);
    assert_eq!(v["plan"]["risk"], "high");
    assert_eq!(v["plan"]["confirmation"]["prompt"]["kind"], "type_target");
    assert_eq!(
        v["plan"]["confirmation"]["prompt"]["expected"],
        "primary-endpoint"
    );
    let blocked: Vec<&str> = v["blocked"]
        .as_array()
        .expect("blocked list")
        .iter()
        .filter_map(|b| b.as_str())
        .collect();
    assert!(
        blocked.iter().any(|b| b.contains("alert suppression")),
        "{blocked:?}"
    );
    assert_eq!(v["plan"]["undo"]["kind"], "tm-enable");
}

#[test]
fn an_unknown_action_or_target_is_a_clear_error() {
    let out = warroom(&["plan", "swapp", "--target", "x", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no action `swapp`") && err.contains("swap-back"),
        "{err}"
    );
    let out = warroom(&["plan", "tm-disable", "--target", "nope", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("primary-endpoint"),
        "the known names are listed: {err}"
    );
}

/// The change lines the demo's what-if predicts for a rebuild of the orders app in krc: the site
/// is there already, the other resources of the group are left alone (incremental mode).
const WHAT_IF_LINES: [&str; 3] = [
    "NoChange func-orders-prod-krc",
    "Ignore func-catalog-prod-krc",
    "Ignore stordersprodkrc",
];

#[test]
fn the_rebuild_plan_runs_its_what_if_and_prints_the_changes() {
    let out = warroom(&[
        "plan",
        "rebuild",
        "--target",
        "func-orders-prod-krc",
        "--demo",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("not run yet"), "{text}");
    let preview = text
        .split("Preview before confirming:")
        .nth(1)
        .and_then(|rest| rest.split("Steps:").next())
        .unwrap_or_else(|| panic!("a preview section in:\n{text}"));
    assert!(preview.contains("/whatIf?api-version="), "{preview}");
    for want in WHAT_IF_LINES {
        assert!(
            preview.contains(&format!("result: {want}")),
            "missing {want:?} in the preview:\n{preview}"
        );
    }
    assert!(
        text.contains("Nothing was executed (the preview above only read)."),
        "{text}"
    );

    let out = warroom(&[
        "plan",
        "rebuild",
        "--target",
        "func-orders-prod-krc",
        "--demo",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["executed"], false);
    let result = v["plan"]["preview_result"]
        .as_str()
        .unwrap_or_else(|| panic!("the preview's result: {}", v["plan"]));
    for want in WHAT_IF_LINES {
        assert!(result.lines().any(|l| l == want), "{want:?} in {result}");
    }
    let window = v["plan"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["what"].as_str())
        .find(|w| w.contains("activity log"))
        .expect("the activity log step");
    assert!(
        window.contains("before the incident was detected at"),
        "the window follows the incident: {window}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_a_simulator_the_what_if_arrives_and_nothing_is_written() {
    use warroom::sim::{Scenario, SimClock, SimOptions, SimServer};
    // The scenario's timeline starts five minutes before the wall clock's now, as `sim serve`
    // lines it up for a console reading with the wall clock; the clock runs four times faster so
    // the what-if's ten seconds pass within a couple of polls.
    let now = chrono::Utc::now();
    let now = now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
    let mut scenario = Scenario::builtin("bad-release").expect("scenario");
    scenario.start = now - chrono::Duration::minutes(5);
    let clock = SimClock::wall(now, 4.0);
    let sim = SimServer::start(
        warroom::config::Estate::demo(),
        scenario,
        clock.clone(),
        SimOptions::default(),
    )
    .await
    .expect("the simulator starts");
    let estate = warroom::config::DEMO_ESTATE.replace(
        "[endpoints]\ncloud = \"public\"",
        &format!(
            "[endpoints]\ncloud = \"simulator\"\narm = \"{}\"",
            sim.base_url()
        ),
    );
    let dir = std::env::temp_dir().join(format!("warroom-plan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("estate.toml");
    std::fs::write(&file, estate).expect("writes the estate");

    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args([
                "plan",
                "rebuild",
                "--target",
                "func-orders-prod-krc",
                "--config",
            ])
            .arg(&file)
            .env_remove("WARROOM_CONFIG")
            .env_remove("RUST_LOG")
            .output()
            .expect("runs plan")
    })
    .await
    .expect("the plan command ran");
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in WHAT_IF_LINES {
        assert!(
            text.contains(&format!("result: {want}")),
            "{want:?} in:\n{text}"
        );
    }
    assert!(
        sim.write_log().is_empty(),
        "the plan wrote nothing: {:?}",
        sim.write_log()
    );
    assert_eq!(sim.counts().writes, 0);
    // The what-if did reach the simulator: its operation is in the activity log once ingested.
    clock.advance(std::time::Duration::from_mins(1));
    let seen = sim.with_world(|w| {
        w.activity()
            .any(|r| r.operation == "Microsoft.Resources/deployments/whatIf/action")
    });
    assert!(seen, "the what-if was asked of the simulator");
    sim.shutdown().await.expect("stops");
}
