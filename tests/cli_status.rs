//! `warroom status --demo` and the commands' `--help`, run through the real binary.

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
fn status_demo_prints_the_whole_estate() {
    let out = warroom(&["status", "--demo"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let estate = warroom::config::Estate::demo();
    assert!(text.contains("SIMULATED"), "{text}");
    for region in &estate.regions {
        assert!(
            text.contains(&format!("REGION {}", region.name)),
            "region {} missing:\n{text}",
            region.name
        );
    }
    for app in &estate.apps {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&app.name))
            .unwrap_or_else(|| panic!("no line for {}:\n{text}", app.name));
        assert!(
            line.contains("prod 20"),
            "{} has no production version: {line}",
            app.name
        );
        for slot in &app.slots {
            assert!(
                line.contains(&format!("{slot} 20")),
                "{} slot {slot} missing: {line}",
                app.name
            );
        }
    }
    // Three minutes into the bad release: the orders API runs the bad version and is unhealthy,
    // staging keeps the last known good one.
    let orders = text
        .lines()
        .find(|l| l.trim_start().starts_with("func-orders-prod-krc"))
        .expect("orders line");
    assert!(orders.contains("✗ unhealthy"), "{orders}");
    assert!(orders.contains("prod 2026.04.04 ✗"), "{orders}");
    assert!(orders.contains("staging 2026.03.28 ✓"), "{orders}");
    for section in [
        "TRAFFIC MANAGER tm-functions-prod",
        "FRONT DOOR afd-functions-prod",
        "QUEUES",
        "RECENT DEPLOYMENTS",
        "ACTIVITY",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    assert!(text.contains("primary-endpoint"), "{text}");
    assert!(text.contains("orders-to-fulfil"), "{text}");
    assert!(
        text.contains("slot swap"),
        "the swap from the activity log is listed:\n{text}"
    );
    // Secrets never reach the output.
    assert!(!text.contains("AccountKey="), "{text}");
}

#[test]
fn status_demo_json_is_a_snapshot() {
    let out = warroom(&["status", "--demo", "--json", "--at", "0.5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["simulated"], true);
    let apps = v["apps"].as_array().expect("apps");
    assert_eq!(apps.len(), warroom::config::Estate::demo().apps.len());
    // Every datum carries its time and source.
    let slot = &apps[0]["slots"][0]["health"];
    assert!(slot["at"].is_string(), "{slot}");
    assert!(
        slot["source"]
            .as_str()
            .is_some_and(|s| s.contains("/api/health")),
        "{slot}"
    );
    assert_eq!(apps[0]["slots"][0]["health"]["value"]["status"], "healthy");
}

#[test]
fn status_without_an_estate_is_an_error() {
    let out = warroom(&["status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo or --config"));
}

#[test]
fn an_unknown_scenario_names_the_known_ones() {
    let out = warroom(&["status", "--demo", "--scenario", "no-such"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such") && err.contains("bad-release"),
        "{err}"
    );
}

#[test]
fn every_command_has_help() {
    for (args, expect) in [
        (vec!["--help"], "demo"),
        (vec!["status", "--help"], "--json"),
        (vec!["check", "--help"], "FILE"),
        (vec!["sim", "serve", "--help"], "--port"),
        (vec!["demo", "--help"], "--speed"),
    ] {
        let out = warroom(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        assert!(
            text.contains(expect),
            "{args:?} help lacks {expect}:\n{text}"
        );
    }
}
