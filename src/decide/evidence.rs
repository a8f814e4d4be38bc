//! The raw evidence readers the decisions share: how fresh a datum is (in words), and the
//! changes made to an app — deployments and swaps from Kudu's deployment history, the activity
//! log and ARM's last-swap record — each marked with whether its source is fresh. Also the
//! versions involved: what a change put into production (the last known good is `lkg`'s).
//!
//! Pure reads of the snapshot; decisions built on them live in `deploy` and `scope`.

use chrono::{DateTime, Duration, Utc};

use crate::model::{ActivityEvent, ActivityKind, AppState, Freshness, Observed, Snapshot};

use super::Evidence;

/// One piece of evidence.
pub fn ev(text: impl Into<String>, at: Option<DateTime<Utc>>, source: &str) -> Evidence {
    Evidence {
        text: text.into(),
        at,
        source: source.to_owned(),
    }
}

/// `HH:MM:SS` in UTC.
pub fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// `HH:MM` in UTC.
pub fn hhmm(t: DateTime<Utc>) -> String {
    t.format("%H:%M").to_string()
}

/// A duration in words: `45s`, `12m`, `3m20s`, `2h05m`.
pub fn age(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 if s % 60 == 0 => format!("{}m", s / 60),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s / 60 % 60),
    }
}

/// The value of a datum when it is fresh; otherwise words saying what is wrong with it.
pub fn fresh<T>(o: &Observed<T>, now: DateTime<Utc>) -> Result<&T, String> {
    match o.freshness(now) {
        Freshness::Fresh => o.get().ok_or_else(|| format!("{}: no data", o.source)),
        Freshness::Stale => Err(format!(
            "{}: stale, {} old (refreshed every {})",
            o.source,
            o.age(now).map_or_else(|| "?".to_owned(), age),
            age(o.refresh)
        )),
        Freshness::Failing => Err(format!(
            "{}: failing ({}); last good {} old",
            o.source,
            o.error.as_ref().map_or("error", |e| e.message.as_str()),
            o.age(now).map_or_else(|| "?".to_owned(), age)
        )),
        Freshness::Missing => Err(format!("{}: no data", o.source)),
    }
}

/// The app (and slot) an ARM resource id names: `…/sites/{app}[/slots/{slot}]…`.
pub fn site_of(resource_id: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = resource_id.split('/');
    parts.by_ref().find(|p| p.eq_ignore_ascii_case("sites"))?;
    let app = parts.next()?;
    let slot = match parts.next() {
        Some(p) if p.eq_ignore_ascii_case("slots") => parts.next(),
        _ => None,
    };
    Some((app, slot))
}

/// What a change was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A deployment to production.
    Deployment,
    /// A slot swap into production.
    Swap,
    /// A release deployed to a slot that production now runs, before the swap that put it
    /// there shows in any read (the activity log lags by minutes).
    Promoted,
    /// A release deployed to a slot that production ran until the commander's swap moved it
    /// back out, before the swap that had put it there shows in any read.
    SwappedOut,
}

impl ChangeKind {
    /// A word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deployment => "deployment",
            Self::Swap => "slot swap",
            Self::Promoted => "release promoted",
            Self::SwappedOut => "release swapped out",
        }
    }
}

/// A completed change to an app's production slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The app.
    pub app: String,
    /// Deployment or swap.
    pub kind: ChangeKind,
    /// When it completed.
    pub at: DateTime<Utc>,
    /// The slot it came from (swaps) or went to (deployments).
    pub slot: String,
    /// The version it put into production, when known.
    pub version: Option<String>,
    /// Who did it.
    pub who: Option<String>,
    /// The read it was seen in.
    pub source: String,
    /// Whether that read is fresh.
    pub fresh: bool,
}

impl Change {
    /// Plain words: `slot swap staging→production on func-x at 09:02:10 by ci`.
    pub fn words(&self) -> String {
        let what = match self.kind {
            ChangeKind::Swap => format!("slot swap {}→production", self.slot),
            ChangeKind::Promoted | ChangeKind::SwappedOut => {
                let by = self
                    .who
                    .as_deref()
                    .map(|w| format!(" by {w}"))
                    .unwrap_or_default();
                let how = if self.kind == ChangeKind::Promoted {
                    "now runs in production"
                } else {
                    "ran in production until the commander's swap"
                };
                return format!(
                    "{} on {}, deployed to {} at {}{by}, {how} (the swap is not in the activity log yet)",
                    self.version.as_deref().unwrap_or("a release"),
                    self.app,
                    self.slot,
                    clock(self.at)
                );
            }
            ChangeKind::Deployment => match &self.version {
                Some(v) => format!("deployment of {v} to production"),
                None => "deployment to production".to_owned(),
            },
        };
        let by = self
            .who
            .as_deref()
            .map(|w| format!(" by {w}"))
            .unwrap_or_default();
        format!("{what} on {} at {}{by}", self.app, clock(self.at))
    }
}

fn is_failed(status: &str) -> bool {
    status.to_ascii_lowercase().contains("fail")
}

/// Whether an activity event only records the start of an operation.
pub fn is_start(ev: &ActivityEvent) -> bool {
    ev.status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("started") || s.eq_ignore_ascii_case("accepted"))
}

/// The version deployed to `slot` of `app` most recently before `before` (Kudu's history).
pub fn version_in_slot(app: &AppState, slot: &str, before: DateTime<Utc>) -> Option<String> {
    app.deployments
        .get()?
        .iter()
        .filter(|d| d.slot == slot && !d.in_progress && !is_failed(&d.status))
        .filter(|d| d.ended.or(d.started).is_some_and(|t| t <= before))
        .max_by_key(|d| d.ended.or(d.started))
        .and_then(|d| d.version.clone())
}

/// Every completed change to `app`'s production, newest first, from the three sources.
pub fn changes(snap: &Snapshot, app: &AppState, now: DateTime<Utc>) -> Vec<Change> {
    let mut out = Vec::new();
    let deploys_fresh = fresh(&app.deployments, now).is_ok();
    for d in app.deployments.get().into_iter().flatten() {
        let Some(at) = d.ended else { continue };
        if d.in_progress || is_failed(&d.status) || d.slot != "production" {
            continue;
        }
        out.push(Change {
            app: app.name.clone(),
            kind: ChangeKind::Deployment,
            at,
            slot: d.slot.clone(),
            version: d.version.clone(),
            who: d.deployer.clone().or_else(|| d.author.clone()),
            source: app.deployments.source.clone(),
            fresh: deploys_fresh,
        });
    }
    let log_fresh = fresh(&snap.activity, now).is_ok();
    for e in snap.activity.get().into_iter().flatten() {
        let Some((name, slot)) = site_of(&e.resource_id) else {
            continue;
        };
        if name != app.name || is_start(e) || e.status.as_deref().is_some_and(is_failed) {
            continue;
        }
        let (kind, slot, version) = match e.kind {
            ActivityKind::Swap => {
                let from = slot.unwrap_or("staging");
                (ChangeKind::Swap, from, version_in_slot(app, from, e.at))
            }
            ActivityKind::Deployment if slot.is_none() => {
                (ChangeKind::Deployment, "production", None)
            }
            _ => continue,
        };
        out.push(Change {
            app: app.name.clone(),
            kind,
            at: e.at,
            slot: slot.to_owned(),
            version,
            who: e.caller.clone(),
            source: snap.activity.source.clone(),
            fresh: log_fresh,
        });
    }
    let site_fresh = fresh(&app.site, now).is_ok();
    if let Some((at, src, dst)) = app.site.get().and_then(|s| s.last_swap.clone()) {
        let (from, into_production) = if dst == "production" {
            (src, true)
        } else {
            (dst, src == "production")
        };
        if into_production {
            out.push(Change {
                app: app.name.clone(),
                kind: ChangeKind::Swap,
                at,
                version: version_in_slot(app, &from, at),
                slot: from,
                who: None,
                source: format!("{} (last swap)", app.site.source),
                fresh: site_fresh,
            });
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then(b.fresh.cmp(&a.fresh)));
    out
}

/// The release production runs (by its health report) when it was deployed to another slot
/// within `window` before `onset` and no read shows how it reached production yet.
pub fn promoted(
    app: &AppState,
    running: Option<&str>,
    onset: DateTime<Utc>,
    window: Duration,
    now: DateTime<Utc>,
) -> Option<Change> {
    let running = running?;
    let d = app
        .deployments
        .get()
        .into_iter()
        .flatten()
        .filter(|d| d.slot != "production" && !d.in_progress && !is_failed(&d.status))
        .filter(|d| d.version.as_deref() == Some(running))
        .filter_map(|d| Some((d, d.ended?)))
        .filter(|(_, at)| *at <= onset && onset - *at <= window)
        .max_by_key(|(_, at)| *at)?;
    Some(Change {
        app: app.name.clone(),
        kind: ChangeKind::Promoted,
        at: d.1,
        slot: d.0.slot.clone(),
        version: Some(running.to_owned()),
        who: d.0.deployer.clone().or_else(|| d.0.author.clone()),
        source: format!("{} and GET /api/health", app.deployments.source),
        fresh: fresh(&app.deployments, now).is_ok(),
    })
}

/// Deployments to `app` still running, in words, or why that cannot be known.
pub fn running_deployments(
    snap: &Snapshot,
    app: &AppState,
    now: DateTime<Utc>,
) -> Result<Vec<String>, String> {
    let records = fresh(&app.deployments, now)?;
    let mut out: Vec<String> = records
        .iter()
        .filter(|d| d.in_progress)
        .map(|d| {
            let since = d
                .started
                .map(|t| format!(" since {}", clock(t)))
                .unwrap_or_default();
            format!(
                "deployment {} to {}{since}",
                d.version.as_deref().unwrap_or(&d.id),
                d.slot
            )
        })
        .collect();
    if let Ok(log) = fresh(&snap.activity, now) {
        for e in log.iter().filter(|e| e.kind == ActivityKind::Deployment) {
            let ours = site_of(&e.resource_id).is_some_and(|(a, _)| a == app.name);
            let ended = log.iter().any(|o| {
                o.resource_id == e.resource_id
                    && o.operation == e.operation
                    && !is_start(o)
                    && o.at >= e.at
            });
            if ours && is_start(e) && !ended {
                out.push(format!("{} started {}", e.operation, clock(e.at)));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn freshness_reads_as_words_with_ages() {
        let at = Utc
            .with_ymd_and_hms(2026, 4, 4, 9, 0, 0)
            .single()
            .expect("t");
        let mut o = Observed::ok(3, at, "Kudu deployments", Duration::minutes(1));
        assert_eq!(fresh(&o, at + Duration::seconds(30)), Ok(&3));
        assert_eq!(
            fresh(&o, at + Duration::minutes(12)),
            Err("Kudu deployments: stale, 12m old (refreshed every 1m)".to_owned())
        );
        o.fail("429 TooManyRequests", at + Duration::seconds(50));
        let e = fresh(&o, at + Duration::seconds(55)).expect_err("failing");
        assert!(e.contains("failing (429 TooManyRequests)"), "{e}");
        let m: Observed<u8> = Observed::missing("ARM sites", Duration::minutes(1));
        assert_eq!(fresh(&m, at), Err("ARM sites: no data".to_owned()));
    }

    #[test]
    fn ages_read_well() {
        assert_eq!(age(Duration::seconds(45)), "45s");
        assert_eq!(age(Duration::seconds(200)), "3m20s");
        assert_eq!(age(Duration::seconds(7500)), "2h05m");
    }

    #[test]
    fn site_of_reads_apps_and_slots() {
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-a/slots/staging/slotsswap";
        assert_eq!(site_of(id), Some(("func-a", Some("staging"))));
        assert_eq!(site_of("/subscriptions/s/resourceGroups/rg"), None);
    }
}
