//! `warroom drill` as a process: `drill list` names every built-in drill with its expected
//! strategy (and README's drill table names them all); `drill run b-redeploy --autopilot` exits
//! 0, prints the score and the report's path, and the report is there; two drills run at once
//! into one state directory keep their own incident folders; an unknown drill, a speed of 0 and a
//! console without a terminal are refused with exit 2 and say why.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use warroom::cli::drill::drills;

fn warroom(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .env("WARROOM_STATE_DIR", state)
        .env_remove("WARROOM_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("warroom runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("warroom-cli-drill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a state dir");
    d
}

/// The incident folders under the state directory, by name.
fn incidents(state: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(state.join("incidents"))
        .map(|rd| rd.map(|e| e.expect("an entry").path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn drill_list_names_every_built_in_drill_with_its_expected_strategy() {
    let state = tempdir("list");
    let out = warroom(&state, &["drill", "list"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    let head = lines.next().expect("a header");
    for col in ["NAME", "TITLE", "EXPECTED STRATEGY", "RTO TARGET"] {
        assert!(head.contains(col), "{head}");
    }
    let rows: Vec<&str> = lines.collect();
    let built_in = drills();
    assert!(
        built_in.len() >= 9,
        "the nine drills at least: {}",
        built_in.len()
    );
    assert_eq!(rows.len(), built_in.len(), "one row a drill\n{stdout}");
    for (scenario, spec) in &built_in {
        let row = rows
            .iter()
            .find(|r| r.split_whitespace().next() == Some(scenario.name.as_str()))
            .unwrap_or_else(|| panic!("{} listed\n{stdout}", scenario.name));
        assert!(row.contains(&spec.title), "{row}");
        assert!(row.contains(spec.expected_strategy.label()), "{row}");
        assert!(
            row.trim_end().ends_with(&spec.targets.rto.to_string()),
            "{row}"
        );
    }
    // What the runbook expects of the first drills, in its words.
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.starts_with(&format!("{name} ")))
            .copied()
            .unwrap_or_default()
    };
    assert!(
        row("a-slot-swap").contains("Rollback via slot swap"),
        "{stdout}"
    );
    assert!(
        row("b-redeploy").contains("Redeploy last known good artifact"),
        "{stdout}"
    );
    assert!(
        row("d-rebuild").contains("Rebuild app or infra component"),
        "{stdout}"
    );
    assert!(incidents(&state).is_empty(), "listing starts no incident");

    // README's drill table names every drill.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    for (scenario, _) in &built_in {
        assert!(
            readme.contains(&format!("| `{}` |", scenario.name)),
            "README's drill table has {}",
            scenario.name
        );
    }
    let _ = std::fs::remove_dir_all(&state);
}

/// The report's path the score ends with.
fn report_path(stdout: &str) -> PathBuf {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Drill report: "))
        .unwrap_or_else(|| panic!("the report's path printed\n{stdout}"));
    PathBuf::from(line.trim())
}

#[test]
fn b_redeploy_on_autopilot_passes_and_writes_its_report() {
    let state = tempdir("autopilot");
    let out = warroom(&state, &["drill", "run", "b-redeploy", "--autopilot"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("Drill b-redeploy (B: a bad release without slots)"),
        "{stdout}"
    );
    assert!(stdout.contains("PASSED: every target met."), "{stdout}");
    assert!(
        stdout.contains("✓ Branch chosen      Redeploy last known good artifact"),
        "{stdout}"
    );
    let report = report_path(&stdout);
    assert_eq!(
        report.file_name().and_then(|n| n.to_str()),
        Some("drill-report.md")
    );
    let folder = report.parent().expect("the incident folder");
    assert_eq!(incidents(&state), [folder.to_path_buf()], "{stdout}");
    assert!(folder.join("journal.jsonl").is_file());
    let markdown = std::fs::read_to_string(&report).expect("the report");
    for want in [
        "# Drill report: B: a bad release without slots",
        "Driven by the autopilot.",
        "## Result: PASSED ✓",
        "## Drill checklist",
        "- [x] Tested rollback command set (it succeeded)",
        "## The incident report",
    ] {
        assert!(
            markdown.contains(want),
            "the report has {want:?}\n{markdown}"
        );
    }
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn two_drills_run_at_once_keep_their_own_incident_folders() {
    let state = tempdir("twice");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["drill", "run", "b-redeploy", "--autopilot"])
            .env("WARROOM_STATE_DIR", &state)
            .env_remove("WARROOM_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("warroom starts")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("the first ends"),
        b.wait_with_output().expect("the second ends"),
    );
    for o in [&a, &b] {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    }
    let (ra, rb) = (report_path(&text(&a.stdout)), report_path(&text(&b.stdout)));
    assert_ne!(ra.parent(), rb.parent(), "each run its own folder");
    assert_eq!(incidents(&state).len(), 2);
    for report in [&ra, &rb] {
        let journal =
            std::fs::read_to_string(report.with_file_name("journal.jsonl")).expect("the journal");
        let declared = journal
            .lines()
            .filter(|l| l.contains("\"kind\":\"declared\""))
            .count();
        assert_eq!(declared, 1, "one incident a journal\n{journal}");
        assert!(
            std::fs::read_to_string(report)
                .expect("the report")
                .contains("PASSED")
        );
    }
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn an_unknown_drill_is_refused_with_the_drills_there_are() {
    let state = tempdir("nosuch");
    let out = warroom(&state, &["drill", "run", "nosuch"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no drill named `nosuch`"), "{stderr}");
    for (scenario, _) in drills() {
        assert!(
            stderr.contains(&scenario.name),
            "{} named\n{stderr}",
            scenario.name
        );
    }
    // A scenario that is not a drill is not one either.
    let out = warroom(&state, &["drill", "run", "bad-release", "--autopilot"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("no drill named `bad-release`"));
    assert!(incidents(&state).is_empty());
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn a_speed_of_zero_and_a_console_without_a_terminal_are_refused() {
    let state = tempdir("refused");
    let out = warroom(&state, &["drill", "run", "a-slot-swap", "--speed", "0"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr).contains("the speed must be above 0"),
        "{out:?}"
    );

    // stdin is not a terminal here: the console is not opened, nothing is journaled.
    let out = warroom(&state, &["drill", "run", "a-slot-swap", "--speed", "10"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the console needs a terminal"), "{stderr}");
    assert!(
        stderr.contains("warroom drill run a-slot-swap --autopilot"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(incidents(&state).is_empty(), "no incident was started");
    let _ = std::fs::remove_dir_all(&state);
}
