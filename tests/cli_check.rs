//! `warroom check` run as a real process: every broken estate in `tests/data/invalid/` must exit
//! 2 and name, for each problem, the file, the line, the key and the reason; the demo estate must
//! pass. Each file's expectations are written out below, one per error it must produce, and no
//! other error may appear.

use std::path::Path;
use std::process::{Command, Output};

/// One error line `warroom check` must print: `FILE:LINE:COL: key `KEY`: …FRAGMENT…`.
struct Expected {
    line: usize,
    key: &'static str,
    reason: &'static str,
}

const fn e(line: usize, key: &'static str, reason: &'static str) -> Expected {
    Expected { line, key, reason }
}

/// Every file in `tests/data/invalid/` with the errors it must produce, in file order.
// One row per error reads as a table; rustfmt would spread each row over five lines.
#[rustfmt::skip]
const CASES: &[(&str, &[Expected])] = &[
    ("syntax-error.toml", &[e(6, "estate.owner", "TOML syntax error")]),
    ("unknown-key.toml", &[e(38, "app[1].healthpath", "unknown key `healthpath`; the keys allowed here are `name`")]),
    ("wrong-type.toml", &[e(4, "estate.rto-minutes", "wrong type: found string \"30\", expected a whole number")]),
    ("unknown-value.toml", &[e(30, "app[0].plan", "unknown value `serverless`; expected one of `consumption`")]),
    ("missing-key.toml", &[e(19, "region[1]", "required key `resource-group` is missing")]),
    ("dangling-tm-endpoint.toml", &[e(53, "traffic-manager.endpoint[1].app", "no app is named `func-api-eus`; known apps: `func-api-weu`, `func-api-neu`")]),
    ("unknown-region.toml", &[e(37, "app[1].region", "no region is named `eus`; known regions: `weu`, `neu`")]),
    ("no-secondary.toml", &[e(14, "region", "no region has `role = \"secondary\"`")]),
    ("two-primaries.toml", &[
        e(14, "region", "at least one secondary region is needed"),
        e(21, "region[1].role", "region `neu` is a second primary (`weu` is already primary)"),
    ]),
    ("duplicate-app.toml", &[e(35, "app[1].name", "duplicate app name `func-api-weu`: `app[0]` already has it")]),
    ("bad-subscription-id.toml", &[e(10, "subscription[0].id", "`prod-subscription` is not a subscription id")]),
    ("slots-on-consumption.toml", &[e(31, "app[0].slots", "plan `consumption` has no deployment slots")]),
    ("event-hubs-no-consumer-group.toml", &[e(44, "queue[0].consumer-group", "an `event-hubs` queue needs `consumer-group`")]),
    ("geo-dr-same-region.toml", &[e(48, "geo-dr-alias[0].secondary-region", "needs two different regions")]),
    ("task-hub-without-hub.toml", &[e(33, "app[0].task-hub-storage", "storage account `stapiweu` has no `task-hub`")]),
    ("simulator-without-arm.toml", &[e(9, "endpoints.arm", "`cloud = \"simulator\"` needs `arm`")]),
    ("many-errors.toml", &[
        e(5, "estate.rpo-minutes", "must be more than 0 minutes"),
        e(37, "app[1].region", "no region is named `eus`"),
        e(41, "app[1].health-path", "must start with `/`"),
        e(42, "app[1].timer-functions", "do not include `timer`"),
        e(54, "front-door.origin[1].name", "duplicate Front Door origin name `origin-weu`"),
        e(56, "front-door.origin[1].priority", "Front Door takes 1 to 5"),
    ]),
];

const INVALID_DIR: &str = "tests/data/invalid";

/// Runs `warroom ARGS…` from the crate root, so paths in its output are the relative ones given.
fn warroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the warroom binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

#[test]
fn every_invalid_file_exits_2_and_names_file_line_key_and_reason() {
    let mut failures = Vec::new();
    for (name, expected) in CASES {
        let path = format!("{INVALID_DIR}/{name}");
        let out = warroom(&["check", &path]);
        let stderr = text(&out.stderr);
        if out.status.code() != Some(2) {
            failures.push(format!("{name}: exit {:?}, expected 2", out.status.code()));
        }
        if !out.stdout.is_empty() {
            failures.push(format!("{name}: printed to stdout: {}", text(&out.stdout)));
        }
        let lines: Vec<&str> = stderr.lines().collect();
        if lines.len() != expected.len() {
            failures.push(format!(
                "{name}: {} error lines, expected {}:\n{stderr}",
                lines.len(),
                expected.len()
            ));
            continue;
        }
        for (got, want) in lines.iter().zip(expected.iter()) {
            let prefix = format!("{path}:{}:", want.line);
            let key = format!(": key `{}`: ", want.key);
            if !(got.starts_with(&prefix) && got.contains(&key) && got.contains(want.reason)) {
                failures.push(format!(
                    "{name}: `{got}`\n  expected it to start with `{prefix}`, contain `{key}` and `{}`",
                    want.reason
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_file_has_expectations() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(INVALID_DIR))
            .expect("the invalid estates directory exists")
            .map(|entry| {
                entry
                    .expect("directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| Path::new(n).extension().is_some_and(|x| x == "toml"))
            .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn the_demo_estate_checks_ok() {
    let out = warroom(&["check", "assets/estates/demo.toml"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("assets/estates/demo.toml: ok (12 apps in 2 regions (primary krc), "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_missing_file_exits_2_and_says_so() {
    let out = warroom(&["check", "tests/data/no-such-estate.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("tests/data/no-such-estate.toml: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn help_describes_check() {
    let out = warroom(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("check"), "{}", text(&out.stdout));
    let out = warroom(&["check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("Usage: warroom check") && text(&out.stdout).contains("<FILE>"),
        "{}",
        text(&out.stdout)
    );
}
