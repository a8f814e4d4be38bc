//! The forensic snapshot's plan: the activity log window follows the incident (its detection
//! less an hour, or the change before it, whichever is earlier), the plan says the window, and
//! it names the parts the last snapshot already could not read.

use chrono::{DateTime, Duration, Utc};

use super::super::testkit::{BAD, ORDERS_KRC, app_mut, bad_release, now};
use super::super::{Effect, ForensicPart, Plan, plan_in};
use super::action;
use crate::config::Estate;
use crate::decide::{ActionKind, IncidentFacts};
use crate::model::Snapshot;

fn planned(kind: ActionKind, snap: &Snapshot, detected: Option<DateTime<Utc>>) -> Plan {
    let incident = detected.map(|detected_at| IncidentFacts {
        detected_at,
        apps: vec![ORDERS_KRC.to_owned()],
    });
    plan_in(
        &action(kind, ORDERS_KRC),
        &Estate::demo(),
        snap,
        incident.as_ref(),
        Vec::new(),
        Vec::new(),
    )
    .unwrap_or_else(|e| panic!("{} plans: {e}", kind.name()))
}

/// The activity log step: its words and where its window starts.
fn activity(p: &Plan) -> (String, DateTime<Utc>) {
    p.steps
        .iter()
        .find_map(|s| match &s.effect {
            Effect::Forensics {
                part: ForensicPart::ActivityLog,
                since: Some(since),
                ..
            } => Some((s.what.clone(), *since)),
            _ => None,
        })
        .expect("an activity log step with its window")
}

/// The bad release deployed to staging `ago` before the snapshot.
fn deployed_ago(ago: Duration) -> Snapshot {
    let mut s = bad_release();
    let app = app_mut(&mut s, ORDERS_KRC);
    let d = app
        .deployments
        .value
        .as_mut()
        .and_then(|d| d.iter_mut().find(|d| d.version.as_deref() == Some(BAD)))
        .expect("the bad release's record");
    d.ended = Some(now() - ago);
    d.started = Some(now() - ago - Duration::seconds(90));
    s
}

#[test]
fn without_an_incident_the_window_is_the_last_six_hours_and_says_so() {
    let p = planned(ActionKind::Forensics, &bad_release(), None);
    let (what, since) = activity(&p);
    assert_eq!(since, now() - Duration::hours(6));
    assert!(
        what.contains("the last 6 hours (no incident declared)"),
        "{what}"
    );
}

#[test]
fn the_window_opens_an_hour_before_the_detection_when_the_change_is_later() {
    // The bad release went to staging 24 minutes ago, after the margin's start.
    let detected = now() - Duration::minutes(10);
    let p = planned(ActionKind::Forensics, &bad_release(), Some(detected));
    let (what, since) = activity(&p);
    assert_eq!(since, detected - Duration::hours(1));
    assert!(
        what.contains("from 1 hour before the incident was detected at 2026-03-14 02:54 UTC")
            && what.contains("(2026-03-14T01:54:30Z)"),
        "{what}"
    );
    assert!(p.render_text().contains(&what), "the plan shows the window");
}

#[test]
fn a_long_incident_keeps_its_cause_the_deployment_before_the_detection() {
    // Detected eight hours ago, the release deployed an hour before that: a fixed six-hour
    // window would have lost both.
    let detected = now() - Duration::hours(8);
    let snap = deployed_ago(Duration::hours(9));
    let p = planned(ActionKind::Rebuild, &snap, Some(detected));
    let (what, since) = activity(&p);
    let started = now() - Duration::hours(9) - Duration::seconds(90);
    assert_eq!(since, started);
    assert!(
        what.contains(&format!(
            "from the deployment of {BAD} to staging at 2026-03-13 18:03 UTC, the last change \
             before the incident was detected at 2026-03-13 19:04 UTC"
        )),
        "{what}"
    );
    let call = p
        .steps
        .iter()
        .find_map(|s| s.call.as_ref().filter(|c| c.path.contains("eventtypes")))
        .expect("the activity log call");
    assert!(
        call.path
            .contains("eventTimestamp ge '2026-03-13T18:03:00Z'"),
        "{}",
        call.path
    );
}

#[test]
fn the_plan_names_the_parts_the_last_snapshot_could_not_read() {
    let mut snap = bad_release();
    let at = now();
    // The front end answers for the app without the app: a 502 and no report.
    if let Some(h) = app_mut(&mut snap, ORDERS_KRC).slots[0]
        .health
        .value
        .as_mut()
    {
        h.http_status = Some(502);
        h.version = None;
        h.checks.clear();
    }
    snap.activity.fail("ARM answered 503", at);
    let p = planned(ActionKind::Rebuild, &snap, Some(now()));
    let likely = p
        .notes
        .iter()
        .find(|n| n.starts_with("LIKELY MISSING"))
        .unwrap_or_else(|| panic!("a note on the likely missing parts: {:?}", p.notes));
    assert!(
        likely.contains(
            "deployment history and deployment log (the app's host answered 502 without a health \
             report: its SCM site, Kudu, is likely down too)"
        ) && likely.contains("activity log (ARM answered 503)")
            && !likely.contains("setting names"),
        "{likely}"
    );
    assert!(p.render_text().contains(likely.as_str()));
    // Every forensic plan says what happens to a part that cannot be read.
    let calm = planned(ActionKind::Forensics, &bad_release(), None);
    assert!(
        calm.notes
            .iter()
            .any(|n| n.contains("written to its file as missing")
                && n.contains("outcome lists every missing part")),
        "{:?}",
        calm.notes
    );
    assert!(!calm.notes.iter().any(|n| n.starts_with("LIKELY MISSING")));
}

#[test]
fn a_change_more_than_a_day_before_the_detection_is_not_taken_for_the_cause() {
    let detected = now() - Duration::minutes(10);
    let snap = deployed_ago(Duration::hours(30));
    let p = planned(ActionKind::Forensics, &snap, Some(detected));
    let (what, since) = activity(&p);
    assert_eq!(since, detected - Duration::hours(1), "{what}");
}
