//! `warroom plan ACTION --target T [--json]` through the real binary, on the demo estate: the plan
//! is printed with its calls, `az` equivalents, gates and safety verdicts, and nothing is executed.

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
