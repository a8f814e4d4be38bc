//! The `warroom status` table: one snapshot as plain text a person can read in a terminal or a
//! chat window. Every section carries its data's age and freshness; a failing source shows its
//! error beside the last good value. Secrets never appear: the snapshot holds none.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::model::observed::short_age;
use crate::model::{Freshness, Health, Observed, Snapshot};

/// Renders a snapshot as a text report.
pub fn render(snap: &Snapshot) -> String {
    let now = snap.taken_at;
    let mut out = String::new();
    let env = if snap.simulated {
        "SIMULATED"
    } else {
        "PRODUCTION"
    };
    let _ = writeln!(
        out,
        "{} · {env} · {} · RTO target {}m · RPO target {}m · read-only",
        snap.estate,
        now.format("%Y-%m-%d %H:%M:%S UTC"),
        snap.rto_minutes,
        snap.rpo_minutes
    );
    regions(&mut out, snap, now);
    routes(&mut out, snap, now);
    queues(&mut out, snap, now);
    data(&mut out, snap, now);
    deployments(&mut out, snap, now);
    out
}

/// `[fresh 12s]`, `[STALE 3m]`, `[FAILING 40s: code: message]`, `[no data]`.
pub fn badge<T>(o: &Observed<T>, now: DateTime<Utc>) -> String {
    let f = o.freshness(now);
    let age = o.age(now).map(short_age).unwrap_or_default();
    match (f, &o.error) {
        (Freshness::Failing | Freshness::Missing, Some(e)) => {
            format!("[{} {age}: {}]", f.label(), e.message).replace(" :", ":")
        }
        (Freshness::Missing, None) => "[no data]".to_owned(),
        _ => format!("[{} {age}]", f.label()),
    }
}

fn regions(out: &mut String, snap: &Snapshot, now: DateTime<Utc>) {
    for region in &snap.regions {
        let role = if region.primary {
            "primary"
        } else {
            "secondary"
        };
        let _ = writeln!(
            out,
            "\nREGION {} ({}, {role}, {})",
            region.name, region.location, region.resource_group
        );
        let _ = writeln!(
            out,
            "  {:<26} {:<13} {:<13} {:>6} {:>6} {:>7}  slots: version and health",
            "app", "health", "platform", "req/m", "5xx %", "avg ms"
        );
        for app in snap.apps.iter().filter(|a| a.region == region.name) {
            let h = app.health();
            let platform = app.platform.get().map_or_else(
                || "? unknown".to_owned(),
                |p| format!("{} {}", p.state.symbol(), p.word),
            );
            let slots = app
                .slots
                .iter()
                .map(|s| {
                    let (sym, v) = s.health.get().map_or(("?", "?".to_owned()), |r| {
                        (
                            r.status.symbol(),
                            r.version.clone().unwrap_or_else(|| "?".into()),
                        )
                    });
                    let short = if s.name == "production" {
                        "prod"
                    } else {
                        s.name.as_str()
                    };
                    format!("{short} {v} {sym}")
                })
                .collect::<Vec<_>>()
                .join(", ");
            let last = app
                .metrics
                .get()
                .and_then(|m| m.iter().rev().nth(1).or(m.last()));
            let (req, fail, avg) =
                last.map_or(("-".to_owned(), "-".to_owned(), "-".to_owned()), |p| {
                    (
                        format!("{:.0}", p.requests),
                        format!("{:.1}", p.failure_rate() * 100.0),
                        p.avg_ms.map_or("-".to_owned(), |a| format!("{a:.0}")),
                    )
                });
            let _ = writeln!(
                out,
                "  {:<26} {:<13} {:<13} {:>6} {:>6} {:>7}  {}",
                app.name,
                format!("{} {}", h.symbol(), h.label()),
                platform,
                req,
                fail,
                avg,
                slots
            );
            if let Some(prod) = app.production().and_then(|s| s.health.get()) {
                let bad: Vec<String> = prod
                    .checks
                    .iter()
                    .filter(|(_, v)| **v != Health::Healthy)
                    .map(|(k, v)| format!("{k} {} {}", v.symbol(), v.label()))
                    .collect();
                if !bad.is_empty() {
                    let _ = writeln!(out, "    checks failing: {}", bad.join(", "));
                }
            }
            for (what, badge) in [
                ("health", app.production().map(|s| badge(&s.health, now))),
                ("platform", Some(badge(&app.platform, now))),
                ("metrics", Some(badge(&app.metrics, now))),
            ] {
                if let Some(b) = badge.filter(|b| !b.starts_with("[fresh")) {
                    let _ = writeln!(out, "    {what} {b}");
                }
            }
        }
    }
}

fn routes(out: &mut String, snap: &Snapshot, now: DateTime<Utc>) {
    for (label, route) in [
        ("TRAFFIC MANAGER", &snap.routes.traffic_manager),
        ("FRONT DOOR", &snap.routes.front_door),
    ] {
        let Some((name, obs)) = route else { continue };
        let _ = writeln!(out, "\n{label} {name} {}", badge(obs, now));
        for r in obs.get().into_iter().flatten() {
            let _ = writeln!(
                out,
                "  {:<20} → {:<26} {} {:<9} monitor {:<10} priority {}",
                r.name,
                r.app,
                r.routing.symbol(),
                r.routing.label(),
                r.monitor.as_deref().unwrap_or("-"),
                r.priority.map_or("-".to_owned(), |p| p.to_string())
            );
        }
    }
}

fn queues(out: &mut String, snap: &Snapshot, now: DateTime<Utc>) {
    if snap.queues.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nQUEUES");
    for q in &snap.queues {
        let depth = q.depth.get().map_or("-".to_owned(), ToString::to_string);
        let age = q.oldest_age(now).map_or("-".to_owned(), short_age);
        let rate = q
            .rate_per_minute()
            .map_or(String::new(), |r| format!(" {r:+.0}/min"));
        let _ = writeln!(
            out,
            "  {:<18} {:<12} {:<26} {:<4} depth {:>7}  oldest {:>5}{rate}  → {} {}",
            q.name,
            q.kind,
            q.account,
            q.region,
            depth,
            age,
            q.app,
            if q.kind == "event-hubs" {
                "[lag: not exposed by ARM]".to_owned()
            } else {
                badge(&q.depth, now)
            }
        );
    }
}

fn data(out: &mut String, snap: &Snapshot, now: DateTime<Utc>) {
    let _ = writeln!(out, "\nSTORAGE AND MESSAGING");
    for s in &snap.storage {
        let facts = s.state.get();
        let geo = match (
            facts.and_then(|f| f.geo_status.as_deref()),
            facts.and_then(|f| f.last_sync),
        ) {
            (Some(status), Some(t)) => {
                format!("geo {status}, last sync {} ago", short_age(now - t))
            }
            (Some(status), None) => format!("geo {status}, last sync unknown"),
            (None, _) if facts.is_some() => "no geo-replication".to_owned(),
            (None, _) => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<22} {:<16} {:<34}{} {}",
            s.name,
            facts.map_or("-", |f| f.sku.as_str()),
            geo,
            s.task_hub
                .as_ref()
                .map_or(String::new(), |h| format!("  task hub {h}")),
            badge(&s.state, now)
        );
    }
    for a in &snap.aliases {
        let facts = a.state.get();
        let _ = writeln!(
            out,
            "  alias {:<16} {:<11} on {:<24} role {:<9} pending ops {} {}",
            a.name,
            a.kind,
            a.primary_namespace,
            facts.map_or("-", |f| f.role.as_str()),
            facts.map_or("-".to_owned(), |f| f.pending_operations.to_string()),
            badge(&a.state, now)
        );
    }
}

/// How many deployments and activity events are listed.
const RECENT: usize = 8;

fn deployments(out: &mut String, snap: &Snapshot, now: DateTime<Utc>) {
    let _ = writeln!(out, "\nRECENT DEPLOYMENTS");
    let mut all: Vec<(&str, &crate::model::DeploymentRecord)> = snap
        .apps
        .iter()
        .flat_map(|a| {
            a.deployments
                .get()
                .into_iter()
                .flatten()
                .map(move |d| (a.name.as_str(), d))
        })
        .collect();
    all.sort_by_key(|d| std::cmp::Reverse(d.1.started));
    for (app, d) in all.into_iter().take(RECENT) {
        let _ = writeln!(
            out,
            "  {} {:<26} {:<10} {:<12} {:<9} by {}",
            d.started
                .map_or("-".to_owned(), |t| t.format("%m-%d %H:%M:%S").to_string()),
            app,
            d.slot,
            d.version.as_deref().unwrap_or("?"),
            d.status,
            d.deployer.as_deref().unwrap_or("?")
        );
    }
    let _ = writeln!(
        out,
        "\nACTIVITY (swaps, restarts, config) {}",
        badge(&snap.activity, now)
    );
    for e in snap.activity.get().into_iter().flatten().take(RECENT) {
        let _ = writeln!(
            out,
            "  {} {:<13} {} {}",
            e.at.format("%m-%d %H:%M:%S"),
            e.kind.label(),
            e.resource_id
                .rsplit("/sites/")
                .next()
                .unwrap_or(&e.resource_id),
            e.status.as_deref().unwrap_or("")
        );
    }
}
