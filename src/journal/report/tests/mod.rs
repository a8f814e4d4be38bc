//! The report from hand-written journals ([`fixtures`]): the demo's bad-release recovery and a
//! failed action on a still-open incident, as snapshots, plus the rules behind them.

mod fixtures;

use super::{Targets, render};
use crate::journal::entry::{Entry, FORMAT_VERSION, Record, Warning};
use fixtures::{CANARY, bad_release_recovery, demo_targets, failed_and_open, t};

#[test]
fn the_bad_release_recovery_report() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    insta::assert_snapshot!("bad_release_recovery", md);
}

#[test]
fn the_failed_action_still_open_report() {
    let warnings = [Warning::TornLastLine { line: 11 }];
    let md = render(&failed_and_open(), &warnings, &demo_targets());
    insta::assert_snapshot!("failed_and_open", md);
}

#[test]
fn a_validated_close_measures_the_rto_from_detection_and_compares_it_with_the_target() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    // 09:01:15 → 09:10:02 is 8 min 47 s, inside 30 min.
    assert!(md.contains("Achieved: 8 min 47 s"), "{md}");
    assert!(
        md.contains("**met** (target 30 min, 21 min 13 s to spare)"),
        "{md}"
    );
    assert!(!md.contains("provisional"), "{md}");

    let tight = Targets {
        rto_minutes: Some(5),
        ..demo_targets()
    };
    let md = render(&bad_release_recovery(), &[], &tight);
    assert!(md.contains("**missed by 4 min**"), "{md}");
}

#[test]
fn an_open_incident_measures_a_provisional_rto_to_its_last_successful_action() {
    let md = render(&failed_and_open(), &[], &demo_targets());
    assert!(md.contains("Achieved (provisional"), "{md}");
    assert!(md.contains("last successful action 09:04:10"), "{md}");
    assert!(md.contains("Still open"), "{md}");
    assert!(
        md.contains("failed (1 of 2 steps done), at step 2: Azure answered 409"),
        "{md}"
    );
}

#[test]
fn the_rpo_is_never_invented_and_a_mention_is_quoted_not_measured() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    assert!(md.contains("estimate not recorded by this journal"), "{md}");

    let mut rs = bad_release_recovery();
    rs.push(Record {
        v: FORMAT_VERSION,
        seq: 99,
        at: t(9, 11, 0),
        entry: Entry::Note {
            text: "storage last sync 09:00:12, RPO looks like 1 min".into(),
        },
    });
    let md = render(&rs, &[], &demo_targets());
    assert!(!md.contains("estimate not recorded"), "{md}");
    assert!(
        md.contains("- 09:11:00 note: storage last sync 09:00:12"),
        "{md}"
    );
}

#[test]
fn observations_are_timeline_lines_with_their_data_times() {
    use crate::journal::entry::{Observation, ObservationKind};
    let mut rs = failed_and_open();
    rs.push(Record {
        v: FORMAT_VERSION,
        seq: 99,
        at: t(9, 11, 0),
        entry: Entry::Observed {
            changes: vec![Observation {
                kind: ObservationKind::Health,
                at: t(9, 10, 40),
                subject: "func-orders-prod-krc health".into(),
                from: Some("unhealthy".into()),
                to: "healthy".into(),
                detail: None,
            }],
        },
    });
    let md = render(&rs, &[], &demo_targets());
    assert!(
        md.contains(
            "- 09:11:00 **observed**: func-orders-prod-krc health: unhealthy → healthy at 09:10:40\n"
        ),
        "{md}"
    );
}

#[test]
fn without_an_estate_the_targets_are_said_to_be_unknown() {
    let md = render(&bad_release_recovery(), &[], &Targets::default());
    assert!(md.starts_with("# Incident report: unknown estate, 2026-04-04 09:01:15 UTC"));
    assert!(md.contains("- Target: not known"), "{md}");
    assert!(md.contains("target not known"), "{md}");
}

#[test]
fn journal_warnings_are_listed_and_become_follow_ups() {
    let warnings = [Warning::TornLastLine { line: 11 }];
    let md = render(&failed_and_open(), &warnings, &demo_targets());
    assert!(
        md.contains("## Journal warnings\n\n- line 11 was cut short"),
        "{md}"
    );
    assert!(md.contains("- [ ] Journal: line 11 was cut short"), "{md}");
    let clean = render(&failed_and_open(), &[], &demo_targets());
    assert!(!clean.contains("## Journal warnings"));
}

#[test]
fn a_note_is_printed_as_written_and_nothing_else_carries_a_value() {
    let md = render(&bad_release_recovery(), &[], &demo_targets());
    // The commander's words appear once, on the note's timeline line.
    assert_eq!(md.matches(CANARY).count(), 1, "{md}");
    let line = md.lines().find(|l| l.contains(CANARY)).expect("printed");
    assert!(line.starts_with("- 09:02:05 **note**: "), "{line}");
    // Steps' `az` equivalents and intents carry no value: the masked command is all there is.
    assert!(
        md.contains("--slot staging --target-slot production"),
        "{md}"
    );
    assert!(!md.contains("\"op\""), "effects are not dumped: {md}");
}

#[test]
fn an_action_without_an_outcome_is_flagged_for_reconciliation() {
    let mut rs = failed_and_open();
    rs.truncate(rs.len() - 1);
    let md = render(&rs, &[], &demo_targets());
    assert!(md.contains("Outcome: NOT journaled"), "{md}");
    assert!(
        md.contains("- [ ] Reconcile `redeploy:func-orders-prod-krc@20260404T091200Z`"),
        "{md}"
    );
}

#[test]
fn a_reconciled_action_shows_what_was_found_with_it() {
    let mut rs = failed_and_open();
    rs.truncate(rs.len() - 1);
    let plan = "redeploy:func-orders-prod-krc@20260404T091200Z";
    let last = rs.last().map_or(0, |r| r.seq);
    rs.push(Record {
        v: FORMAT_VERSION,
        seq: last + 1,
        at: t(9, 20, 0),
        entry: Entry::Reconciled(crate::journal::Reconciled {
            plan_id: plan.into(),
            found: crate::journal::Found::NotInPlace,
            checks: vec!["✗ func-orders-prod-krc reports 2026.04.04, not 2026.03.28".into()],
        }),
    });
    let md = render(&rs, &[], &demo_targets());
    assert!(
        md.contains("reconciled against Azure at 09:20:00 after a restart: not in place"),
        "{md}"
    );
    assert!(
        md.contains("  - ✗ func-orders-prod-krc reports 2026.04.04"),
        "{md}"
    );
    assert!(md.contains("**reconciled**"), "{md}");
    assert!(!md.contains(&format!("Reconcile `{plan}`")), "{md}");
}

#[test]
fn an_empty_journal_says_so() {
    let md = render(&[], &[], &Targets::default());
    assert!(md.contains("The journal holds no entry."), "{md}");
    assert!(md.contains("no declaration"), "{md}");
}
