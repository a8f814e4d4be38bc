//! End to end: `warroom drill run a-slot-swap --speed 10` at the console in a real terminal
//! (tmux, 160×48), recovered from the keyboard reading only the screen: the walkthrough pane tells
//! the narrative, `h` reveals a hint (journaled as a note, its pane marked `◀ look here`), `a`
//! plans the recommended swap, `y` confirms it, `Esc` closes the plan, `a` at Close closes the
//! incident, `q` quits. After the console has given the terminal back, the score is printed
//! (PASSED, the hint counted) with the drill report's path, and `drill-report.md` in the incident
//! folder under `WARROOM_STATE_DIR` holds the drill checklist. Then the same drill quit before any
//! recovery: exit 1, and the printed reasons say what was not done.
//!
//! Each run uses its own tmux server socket. Without tmux the tests print SKIPPED, and fail under
//! `CI=true`. No fixed sleeps: every wait polls `capture-pane`.

#[path = "common/tmux.rs"]
#[allow(dead_code)] // this test reads screens one by one and knows its shell
mod tmux;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tmux::{Tmux, have_tmux};

/// How long an action may take end to end at 10× (polls follow `Retry-After`, checks probe
/// every few seconds).
const ACTION_WAIT: Duration = Duration::from_secs(90);

/// The drill at 10×, then its exit status on a line of its own.
fn script(state: &Path) -> String {
    format!(
        "WARROOM_STATE_DIR='{state}' '{bin}' drill run a-slot-swap --speed 10\n\
         echo \"EXIT $?\"\n\
         sleep 60\n",
        state = state.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    )
}

/// The console's screen is gone and warroom's exit status is printed; returns the screen.
fn after_exit(t: &Tmux) -> (String, String) {
    let s = t.wait_up_to(ACTION_WAIT, "warroom's exit", |s| {
        s.lines().any(|l| l.starts_with("EXIT "))
    });
    let status = s
        .lines()
        .find(|l| l.starts_with("EXIT "))
        .map(|l| l.trim().to_owned())
        .expect("the line");
    assert!(!s.contains("Tab pane"), "the console's screen is gone\n{s}");
    (s, status)
}

/// The line of the printed score that starts (after spaces) with `prefix`.
fn line<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.lines()
        .find(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("a line starting {prefix:?}\n{s}"))
}

#[test]
fn a_slot_swap_drill_is_recovered_at_the_console_and_scored_after_it() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("recover");
    let t = Tmux::start("drill", &script(&state));

    // The walkthrough: the drill's title and RTO, and nothing heard before its time.
    let s = t.wait_for("the walkthrough pane", |s| {
        s.contains("Drill: A: a bad release with slots") && s.contains("RTO 15m")
    });
    assert!(s.contains("h reveals a hint · 3 available"), "{s}");
    let header = s.lines().nth(1).unwrap_or_default();
    assert!(
        ["RTO target 15m", " of 15m", "/15m"]
            .iter()
            .any(|w| header.contains(w)),
        "the header's RTO target is the drill's\n{s}"
    );

    // The bad release lands a minute in (6 s at 10×); the war room hears of it and the screen
    // says what to do.
    let s = t.wait_up_to(ACTION_WAIT, "the swap recommended", |s| {
        s.contains("▶ Slot swap") && s.contains("a plan the recommended action")
    });
    assert!(
        s.contains("release pipeline: Release 2026.04.04"),
        "a narrative line with its time and who said it\n{s}"
    );
    assert!(s.contains("fault +"), "the time since the fault\n{s}");

    t.keys(&["h"]);
    let s = t.wait_for("the first hint", |s| s.contains("hint 1 of 3"));
    assert!(s.contains("look at deployments (key 4)"), "{s}");
    assert!(
        s.contains("┌ Deployments ─ ◀ look here"),
        "the pane the hint names is marked\n{s}"
    );
    t.wait_for("the hint journaled", |s| s.contains("note journaled"));

    recover(&t);

    t.keys(&["q"]);
    let (s, status) = after_exit(&t);
    assert_eq!(status, "EXIT 0", "a passed drill exits 0\n{s}");
    check_passed(&s, &state);
    let _ = std::fs::remove_dir_all(&state);
}

/// From the swap offered to the incident closed: `a`, `y`, `Esc`, and `a` at Close.
fn recover(t: &Tmux) {
    t.keys(&["a"]);
    let s = t.wait_for("the plan", |s| s.contains("Press y to run this plan"));
    assert!(
        s.contains("PLAN · MEDIUM RISK") && s.contains("az functionapp deployment slot swap"),
        "{s}"
    );
    t.keys(&["y"]);
    let s = t.wait_up_to(ACTION_WAIT, "the outcome", |s| {
        s.contains("DONE ✓") || s.contains("FAILED ✗")
    });
    assert!(s.contains("DONE ✓ succeeded"), "{s}");

    t.keys(&["Escape"]);
    let s = t.wait_up_to(ACTION_WAIT, "recovery validated", |s| {
        s.contains("✓ RECOVERED") && s.contains("▶ Close") && s.contains("a close the incident")
    });
    assert!(s.contains("✓ Validated?"), "{s}");
    t.keys(&["a"]);
    t.wait_for("the incident closed", |s| {
        s.contains("incident closed (recovery validated)")
    });
}

/// The printed score of the recovered drill, and its report in the one incident folder.
fn check_passed(s: &str, state: &Path) {
    assert!(
        line(s, "Drill a-slot-swap").contains("A: a bad release with slots"),
        "{s}"
    );
    assert!(
        s.contains("PASSED: every target met."),
        "the score, after the terminal was given back\n{s}"
    );
    assert!(
        line(s, "✓ Branch chosen").contains("Rollback via slot swap"),
        "{s}"
    );
    assert!(
        line(s, "✓ Recovery").contains("validated and closed"),
        "{s}"
    );
    assert!(line(s, "· Hints").contains("1 of 3 revealed"), "{s}");
    assert!(
        !s.contains("The console was quit"),
        "nothing left undone\n{s}"
    );

    // The report where the score says, in the incident folder the console journaled into.
    let report = PathBuf::from(
        line(s, "Drill report: ")
            .trim()
            .trim_start_matches("Drill report: "),
    );
    let folder = report.parent().expect("the incident folder");
    let incidents: Vec<PathBuf> = std::fs::read_dir(state.join("incidents"))
        .expect("the incidents under the state dir")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(
        incidents,
        [folder.to_path_buf()],
        "the one incident folder under the state dir\n{s}"
    );
    let markdown = std::fs::read_to_string(&report).expect("drill-report.md");
    assert_eq!(
        report.file_name().and_then(|n| n.to_str()),
        Some("drill-report.md")
    );
    for want in [
        "# Drill report: A: a bad release with slots",
        "Driven by the commander at the console.",
        "## Result: PASSED ✓",
        "## Drill checklist",
        "- [x] Documented owner and escalation path",
        "- [x] Tested rollback command set (it succeeded)",
        "az functionapp deployment slot swap",
        "- [x] Measured achieved RTO/RPO versus targets",
        "Hints: 1 of 3 revealed",
        "## The incident report",
    ] {
        assert!(
            markdown.contains(want),
            "the report has {want:?}\n{markdown}"
        );
    }
    let journal = std::fs::read_to_string(folder.join("journal.jsonl")).expect("the journal");
    assert!(
        journal.contains("hint revealed: Line up the failure onset"),
        "the hint is journaled as a note\n{journal}"
    );
}

#[test]
fn a_drill_quit_before_recovery_scores_not_recovered_with_its_reasons() {
    if !have_tmux() {
        return;
    }
    let state = tempdir("quit");
    let t = Tmux::start("drill-quit", &script(&state));
    // Quit once the incident is declared and the swap is offered, without taking it.
    t.wait_up_to(ACTION_WAIT, "the swap recommended", |s| {
        s.contains("▶ Slot swap") && s.contains("✗ INCIDENT")
    });
    t.keys(&["q"]);
    let (s, status) = after_exit(&t);
    assert_eq!(status, "EXIT 1", "a missed drill exits 1\n{s}");
    assert!(
        line(&s, "The console was quit at").contains("before the recovery was validated"),
        "{s}"
    );
    assert!(line(&s, "✓ Time to detect").contains("declared"), "{s}");
    let reasons: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.starts_with("FAILED:"))
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .collect();
    for want in [
        "Time to decide: no action confirmed",
        "Branch chosen: no recovery strategy taken",
        "Expected actions: swap ✗ not taken",
        "Recovery: not recovered: the incident was never closed",
        "RTO: not achieved: not recovered",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(want)),
            "the reason {want:?} in {reasons:#?}\n{s}"
        );
    }
    assert!(line(&s, "· Hints").contains("none of 3 revealed"), "{s}");
    let report = PathBuf::from(
        line(&s, "Drill report: ")
            .trim()
            .trim_start_matches("Drill report: "),
    );
    let markdown = std::fs::read_to_string(&report).expect("drill-report.md");
    assert!(markdown.contains("## Result: FAILED ✗"), "{markdown}");
    assert!(
        markdown.contains("- [ ] Recovery: find why the recovery was not validated in time"),
        "an action item for what missed\n{markdown}"
    );
    let _ = std::fs::remove_dir_all(&state);
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("warroom-e2e-drill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a state dir");
    d
}
