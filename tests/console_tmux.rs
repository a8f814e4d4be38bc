//! End to end: the real `warroom demo` in a real terminal (tmux, 160×48). It waits for the
//! estate, moves between panes, opens help and presenter mode, quits, and checks that the
//! terminal was given back (the shell's next line runs, `stty` shows echo and canonical mode);
//! then the same after a SIGTERM. A wrong name typed for an action planned from the command line
//! is refused on screen and changes nothing. The keyboard recovery ends with the canary sweep: no secret of
//! the simulated world on any screen shown, in the debug log, the journal, the report or the
//! incident folder. Each run uses its own tmux server socket, so it never touches
//! a user's sessions. Without tmux the tests print SKIPPED, and fail under `CI=true`.
//!
//! No fixed sleeps: every wait polls `capture-pane` at a short interval, a bounded number of
//! times.

#[path = "common/secrets.rs"]
mod secrets;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tmux::{Tmux, have_tmux};

/// The script: the demo at 10× speed (with `extra` arguments), then proof that the shell has the
/// terminal back.
fn script(state: &Path, extra: &str) -> String {
    script_logging(state, extra, "warn")
}

/// [`script`] with the log filter `log` (the canary sweep reads a debug-level log).
fn script_logging(state: &Path, extra: &str, log: &str) -> String {
    format!(
        "RUST_LOG={log} WARROOM_STATE_DIR='{state}' '{bin}' demo --speed 10 {extra}\n\
         echo \"RESTORED $?\"\n\
         stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '\n\
         echo\n\
         sleep 60\n",
        state = state.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    )
}

/// The estate is on screen with data: both regions and a health word.
fn estate_up(s: &str) -> bool {
    s.contains("krc koreacentral") && s.contains("jpe japaneast") && s.contains("✓ healthy")
}

/// After the console left: the shell ran on, and the terminal has echo and canonical mode.
fn assert_restored(t: &Tmux) {
    let s = t.wait_for("the shell after warroom", |s| {
        s.lines().any(|l| l.starts_with("RESTORED")) && s.contains("icanon")
    });
    let restored = s
        .lines()
        .find(|l| l.starts_with("RESTORED"))
        .expect("the line");
    assert_eq!(restored.trim(), "RESTORED 0", "warroom's exit status\n{s}");
    let modes: Vec<&str> = s
        .lines()
        .find(|l| l.contains("icanon"))
        .expect("stty's modes")
        .split_whitespace()
        .collect();
    assert!(modes.contains(&"icanon") && modes.contains(&"echo"), "{s}");
    assert!(
        !modes.contains(&"-icanon") && !modes.contains(&"-echo"),
        "{s}"
    );
    // The console's screen is gone: the alternate screen was left.
    assert!(!s.contains("Tab pane"), "{s}");
}

#[test]
fn the_demo_moves_between_panes_opens_help_and_presenter_and_quits_cleanly() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("quit");
    let t = Tmux::start("quit", &script(&state, "--read-only"));
    // Each wait names the whole screen it expects: a capture can land between the writes of one
    // frame, so a part seen is not yet the whole frame.
    t.wait_for(
        "the estate, the regions pane focused, SIMULATED and READ-ONLY",
        |s| {
            estate_up(s)
                && s.contains("┏ Regions")
                && s.contains("SIMULATED")
                && s.contains("READ-ONLY")
        },
    );

    t.keys(&["Tab"]);
    t.wait_for("the focus on queues, the regions pane let go", |s| {
        s.contains("┏ Queues") && s.contains("┌ Regions")
    });

    t.keys(&["?"]);
    t.wait_for("help with its commands and the status words", |s| {
        s.contains("Help · Esc closes")
            && s.contains("Commands (after :)")
            && s.contains("✗ unhealthy")
    });
    t.keys(&["Escape"]);
    t.wait_for("help closed", |s| {
        !s.contains("Help · Esc closes") && estate_up(s)
    });

    t.keys(&["p"]);
    t.wait_for("presenter mode with both regions", |s| {
        !s.contains("┌ Runbook")
            && !s.contains("Regions")
            && s.contains("RTO")
            && s.contains("primary")
            && s.contains("secondary")
    });
    t.keys(&["p"]);
    t.wait_for("the dashboard again", |s| {
        s.contains("┌ Runbook") && estate_up(s)
    });

    t.keys(&["q"]);
    assert_restored(&t);
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("term");
    let t = Tmux::start("term", &script(&state, ""));
    t.wait_for("the estate", estate_up);
    let shell = t.pane_pid();
    let out = Command::new("pgrep")
        .args(["-P", &shell.to_string(), "-x", "warroom"])
        .output()
        .expect("pgrep runs");
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        !pid.is_empty() && !pid.contains('\n'),
        "one warroom: {out:?}"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_restored(&t);
    let _ = std::fs::remove_dir_all(&state);
}

/// How long an action may take end to end at 10× (polls follow `Retry-After`, checks probe
/// every few seconds).
const ACTION_WAIT: Duration = Duration::from_secs(90);

#[test]
fn the_default_demo_is_recovered_from_the_keyboard_reading_only_the_screen() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("recover");
    let t = Tmux::start("recover", &script_logging(&state, "", "debug"));
    // The bad release lands about a minute in (6 s at 10×); the screen says what to do.
    let s = t.wait_up_to(ACTION_WAIT, "the swap recommended", |s| {
        s.contains("▶ Slot swap") && s.contains("a plan the recommended action")
    });
    assert!(!s.contains("READ-ONLY"), "actions are offered\n{s}");

    t.keys(&[":", "note paged the orders team", "Enter"]);
    t.wait_for("the note journaled", |s| s.contains("note journaled"));

    t.keys(&["a"]);
    let s = t.wait_for("the plan", |s| s.contains("Press y to run this plan"));
    for want in [
        "PLAN · MEDIUM RISK",
        "slotsswap?api-version=2024-11-01",
        "az functionapp deployment slot swap",
        "✓ PASS  incident scope",
        "Undo: swap-back func-orders-prod-krc",
        "Journal: the intent is written to",
    ] {
        assert!(s.contains(want), "the plan shows {want:?}\n{s}");
    }

    t.keys(&["y"]);
    let s = t.wait_up_to(ACTION_WAIT, "the outcome", |s| {
        s.contains("DONE ✓") || s.contains("FAILED ✗")
    });
    assert!(s.contains("DONE ✓ succeeded"), "{s}");
    assert!(
        s.contains("u plans the undo (swap-back func-orders-prod-krc)"),
        "{s}"
    );

    t.keys(&["Escape"]);
    let s = t.wait_up_to(ACTION_WAIT, "recovery validated", |s| {
        s.contains("✓ RECOVERED") && s.contains("▶ Close")
    });
    assert!(s.contains("✓ Validated?"), "{s}");

    // `a` at Close closes the incident.
    t.keys(&["a"]);
    t.wait_for("the incident closed", |s| {
        s.contains("incident closed (recovery validated)")
    });
    // The header and the runbook keep saying so; nothing more is offered.
    let s = t.wait_for("the header reads CLOSED and Close is done", |s| {
        s.contains("■ CLOSED at") && s.contains("✓ Close")
    });
    assert!(!s.contains("a close the incident"), "{s}");

    // The journal, in order: the declaration, the engine's decisions, the note, the intent
    // before the step reports, the outcome after them, and the closing.
    let journal = find_journal(&state).expect("an incident journal under the state dir");
    let text = std::fs::read_to_string(&journal).expect("the journal");
    let kinds: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["entry"]["kind"].as_str().unwrap_or("?").to_owned()
        })
        .collect();
    let at = |k: &str| {
        kinds
            .iter()
            .position(|x| x == k)
            .unwrap_or_else(|| panic!("no {k} entry in {kinds:?}"))
    };
    assert_eq!(at("declared"), 0, "{kinds:?}");
    assert!(at("decision") < at("intent"), "{kinds:?}");
    assert!(at("note") < at("intent"), "{kinds:?}");
    assert!(
        at("planned") < at("intent"),
        "the plan shown is journaled: {kinds:?}"
    );
    assert!(
        at("intent") < at("step") && at("step") < at("outcome"),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("closed"),
        "{kinds:?}"
    );
    assert!(text.contains("paged the orders team"), "{text}");
    assert!(text.contains("\"result\":\"succeeded\""), "{text}");
    assert!(text.contains("\"validated\":true"), "{text}");

    t.keys(&["q"]);
    assert_restored(&t);
    no_secret_anywhere(&t, &state, &journal);
    let _ = std::fs::remove_dir_all(&state);
}

/// A typed name that does not match runs nothing, read only from the screen: an action that is
/// not the recommended one (`tm-disable`, its endpoint completed by Tab) planned from the command
/// line, its overrides given reasons, a wrong name typed and refused, the dialog closed, and the
/// endpoint still enabled in the app's detail.
#[test]
fn a_wrong_name_on_the_command_line_is_refused_on_screen_and_changes_nothing() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("wrong-name");
    let t = Tmux::start("wrong-name", &script(&state, ""));
    t.wait_for("the estate", estate_up);

    t.keys(&[":", "tm-disable pri", "Tab"]);
    t.wait_for("the endpoint completed", |s| {
        s.contains(":tm-disable primary-endpoint█")
    });
    t.keys(&["Enter"]);
    let s = t.wait_for("the plan", |s| s.contains("PLAN · HIGH RISK"));
    assert!(
        s.contains("Disable endpoint primary-endpoint") && s.contains("--endpoint-status Disabled"),
        "{s}"
    );
    // A reason for each override the plan asks for, then the name.
    let confirm = "Type primary-endpoint to run this plan";
    let mut s = t.wait_for("the first prompt", |s| {
        s.contains("OVERRIDE 1/") || s.contains(confirm)
    });
    while !s.contains(confirm) {
        let at = s.find("OVERRIDE ").expect("an override prompt");
        let token: String = s[at..].split(':').next().expect("the counter").to_owned();
        t.keys(&["the commander accepts this", "Enter"]);
        s = t.wait_for("the next prompt", |s| !s.contains(&token));
    }

    t.keys(&["primary-endpoin", "Enter"]);
    let s = t.wait_for("the refusal", |s| s.contains("REFUSED, nothing ran"));
    assert!(s.contains("does not match"), "{s}");
    assert!(!s.contains("DONE ✓") && !s.contains("Progress"), "{s}");

    t.keys(&["Escape"]);
    t.wait_for("the dialog closed", |s| {
        !s.contains("PLAN · HIGH RISK") && estate_up(s)
    });
    // The regions pane selects the first app, the orders API in krc, behind primary-endpoint.
    t.keys(&["Enter"]);
    let s = t.wait_for("the app's detail", |s| {
        s.contains("Route     TM primary-endpoint")
    });
    let route = s
        .lines()
        .find(|l| l.contains("TM primary-endpoint"))
        .expect("the route line");
    assert!(route.contains("(enabled"), "still enabled: {route}");
    assert!(!route.contains("disabled"), "{route}");
    t.keys(&["q"]);
    assert_restored(&t);
    let _ = std::fs::remove_dir_all(&state);
}

/// The canary sweep: no secret the simulated world holds (storage keys, SAS keys, API keys, host
/// and function keys) is on any screen the run showed, in the debug-level log, the journal, the
/// incident report or any file of the incident folder.
fn no_secret_anywhere(t: &Tmux, state: &Path, journal: &Path) {
    let secrets = secrets::demo_world_secrets("bad-release");
    let probe = secrets.iter().next().expect("a secret");
    assert_eq!(
        secrets::leaks(&secrets, "probe", &format!("[{probe}]")).len(),
        1,
        "the sweep finds a secret where there is one"
    );
    let mut leaks = Vec::new();
    let screens = t.seen();
    assert!(screens.len() > 5, "screens were read: {}", screens.len());
    for (i, screen) in screens.iter().enumerate() {
        leaks.extend(secrets::leaks(&secrets, &format!("screen {i}"), screen));
    }
    let log = std::fs::read_to_string(state.join("warroom.log")).expect("the console's log");
    assert!(log.contains("DEBUG"), "the log ran at debug level");
    leaks.extend(secrets::leaks(&secrets, "warroom.log", &log));
    let report = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("report")
        .env("WARROOM_STATE_DIR", state)
        .output()
        .expect("warroom report runs");
    assert!(report.status.success(), "{report:?}");
    let report = String::from_utf8_lossy(&report.stdout);
    assert!(report.contains("func-orders-prod-krc"), "{report}");
    leaks.extend(secrets::leaks(&secrets, "the report", &report));
    let folder = journal.parent().expect("the incident folder");
    for file in files_under(folder) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).expect("readable")).into_owned();
        leaks.extend(secrets::leaks(&secrets, &file.display().to_string(), &text));
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The first `journal.jsonl` under `dir/incidents/*/`.
fn find_journal(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir.join("incidents"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("journal.jsonl"))
        .find(|p| p.exists())
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("warroom-e2e-state-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("a state dir");
    d
}
