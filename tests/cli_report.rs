//! `warroom report` run as a real process against a state directory holding journals written
//! here through the library's own `Journal`: the report on stdout, `--out`, the default choice
//! of the latest incident, a folder named by path, and the errors (no incident yet, unknown name).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone as _, Utc};
use common::TempDir;
use warroom::journal::{ActionOutcome, Entry, Journal};

fn t(d: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, d, h, m, s)
        .single()
        .expect("valid time")
}

fn report(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("report")
        .args(args)
        .env("WARROOM_STATE_DIR", state)
        .env_remove("WARROOM_CONFIG")
        .output()
        .expect("runs warroom")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes an incident journal under `state/incidents/{name}`: declared at `at`, a note a minute
/// later, an action's success, and a validated close ten minutes after the declaration.
fn incident(state: &Path, name: &str, at: DateTime<Utc>, note: &str) -> PathBuf {
    let dir = state.join("incidents").join(name);
    let now = Arc::new(Mutex::new(at));
    let clock_now = Arc::clone(&now);
    let mut j = Journal::open_or_create(&dir)
        .expect("journal")
        .with_clock(Arc::new(move || *clock_now.lock().expect("clock")));
    let mut write = |when: DateTime<Utc>, e: Entry| {
        *now.lock().expect("clock") = when;
        j.append(&e).expect("append");
    };
    let minutes = |m: i64| at + chrono::Duration::minutes(m);
    write(
        at,
        Entry::Declared {
            detected_at: at,
            apps: vec!["func-orders-prod-krc".into()],
        },
    );
    write(minutes(1), Entry::Note { text: note.into() });
    write(
        minutes(2),
        Entry::Outcome(ActionOutcome {
            plan_id: "restart:func-orders-prod-krc@x".into(),
            result: "succeeded".into(),
            steps_done: 1,
            failed_step: None,
            error: None,
            gaps: Vec::new(),
        }),
    );
    write(
        minutes(10),
        Entry::Closed {
            validated: true,
            text: "recovered".into(),
        },
    );
    dir
}

#[test]
fn a_named_demo_incident_is_reported_on_stdout_with_the_demo_targets() {
    let tmp = TempDir::new("report-named");
    incident(
        &tmp.0,
        "orders-platform-prod-20260404T090115Z",
        t(4, 9, 1, 15),
        "checkout team paged",
    );
    let o = report(&tmp.0, &["orders-platform-prod-20260404T090115Z"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.starts_with("# Incident report: Orders platform (prod), 2026-04-04 09:01:15 UTC\n"),
        "{md}"
    );
    assert!(
        md.contains("- 09:02:15 **note**: checkout team paged"),
        "{md}"
    );
    assert!(md.contains("- Target: 30 min"), "{md}");
    assert!(md.contains("Achieved: 10 min 0 s"), "{md}");
    assert!(md.contains("**met**"), "{md}");
}

#[test]
fn without_a_name_the_latest_incident_is_reported_and_an_unknown_estate_has_no_targets() {
    let tmp = TempDir::new("report-latest");
    incident(
        &tmp.0,
        "orders-platform-prod-20260403T080000Z",
        t(3, 8, 0, 0),
        "the older one",
    );
    incident(
        &tmp.0,
        "payments-20260405T070000Z",
        t(5, 7, 0, 0),
        "the newer one",
    );
    let o = report(&tmp.0, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("the newer one"), "{md}");
    assert!(!md.contains("the older one"), "{md}");
    assert!(
        md.starts_with("# Incident report: unknown estate, 2026-04-05"),
        "{md}"
    );
    assert!(md.contains("- Target: not known"), "{md}");

    // A folder given by its path is reported too.
    let older = tmp
        .0
        .join("incidents/orders-platform-prod-20260403T080000Z");
    let o = report(&tmp.0, &[older.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("the older one"));
}

#[test]
fn out_writes_the_report_to_a_file_and_says_where() {
    let tmp = TempDir::new("report-out");
    let name = "orders-platform-prod-20260404T090115Z";
    incident(&tmp.0, name, t(4, 9, 1, 15), "written to a file");
    let file = tmp.0.join("report.md");
    let o = report(&tmp.0, &[name, "--out", file.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&file).expect("the report file");
    let printed = stdout(&report(&tmp.0, &[name]));
    assert_eq!(written, printed);
    assert!(written.contains("written to a file"));
    let said = stdout(&o);
    assert!(said.contains("report.md") && said.contains(name), "{said}");
    assert!(
        !said.contains("## Timeline"),
        "the report goes to the file only: {said}"
    );
}

#[test]
fn with_no_incident_yet_it_exits_2_naming_the_directory() {
    let tmp = TempDir::new("report-none");
    let o = report(&tmp.0, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no incidents yet"), "{err}");
    assert!(
        err.contains(&tmp.0.join("incidents").display().to_string()),
        "{err}"
    );
    assert!(stdout(&o).is_empty());

    let o = report(&tmp.0, &["no-such-incident"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no incident `no-such-incident`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_torn_last_line_is_reported_as_a_journal_warning() {
    let tmp = TempDir::new("report-torn");
    let name = "orders-platform-prod-20260404T090115Z";
    let dir = incident(&tmp.0, name, t(4, 9, 1, 15), "before the crash");
    let file = dir.join("journal.jsonl");
    let mut text = std::fs::read_to_string(&file).expect("journal");
    text.push_str("{\"v\":1,\"seq\":5,\"at\":\"2026-04-");
    std::fs::write(&file, text).expect("tear the last line");
    let o = report(&tmp.0, &[name]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("## Journal warnings\n\n- line 5 was cut short"),
        "{md}"
    );
    assert!(md.contains("before the crash"), "{md}");
}
