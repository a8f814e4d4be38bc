//! Kudu's deployment logs under `/_kudu/{app}`: `GET /api/deployments/{id}/log` answers the
//! entries of one deployment, oldest first, in Kudu's `LogEntry` shape (`log_time`, `id`,
//! `message`, `type` 0 message / 1 warning / 2 error, `details_url` or `null`), and
//! `GET /api/deployments/{id}/log/{entry}` an entry's detail lines in the same shape.
//!
//! The lines are made from the deployment record: the package received, the deployment command,
//! the result (a failed deployment's reason). Like a deployment script that prints its
//! environment, the command's details echo the slot's `AzureWebJobsStorage` connection string,
//! key and all: whoever keeps a log must mask it first. A deployment still running has the lines
//! logged so far. The app's region down answers 502, as the records do; an unknown deployment or
//! entry answers Kudu's 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};

use super::Shared;
use super::apps::resolve_host;
use super::conventions::errors::Fail;
use super::conventions::iso;
use super::kudu::{answer, not_found};
use super::web::running_status;
use crate::azure::wire::kudu::{LogEntry, LogEntryType};
use crate::sim::rng::stable_guid;
use crate::sim::world::{OperationKind, World};

/// What a log is made from: one deployment, finished or running.
struct Facts {
    id: String,
    version: String,
    deployer: String,
    author: String,
    received: DateTime<Utc>,
    start: DateTime<Utc>,
    /// The end and whether it succeeded, once finished.
    end: Option<(DateTime<Utc>, bool)>,
    /// Kudu's status now (1 building, 2 deploying, 3 failed, 4 success).
    status: i32,
    failure: Option<String>,
}

/// One line of the log and its detail lines.
struct Line {
    at: DateTime<Utc>,
    message: String,
    kind: LogEntryType,
    details: Vec<(DateTime<Utc>, String, LogEntryType)>,
}

/// The deployment `id` of a host's slot, or the response to give instead.
fn facts(w: &World, host: &str, id: &str) -> Result<(Facts, Option<String>), Fail> {
    let (app, slot) =
        resolve_host(w, host).ok_or_else(|| Fail::from(not_found_host().into_response()))?;
    let a = &w.apps()[app];
    if w.region_out(&a.region, w.now()) {
        return Err(Fail::from(StatusCode::BAD_GATEWAY.into_response()));
    }
    let s = &a.slots[slot];
    let storage = s.settings.get("AzureWebJobsStorage").cloned();
    if let Some(d) = s.deployments.iter().find(|d| d.id.eq_ignore_ascii_case(id)) {
        return Ok((
            Facts {
                id: d.id.clone(),
                version: d.version.clone(),
                deployer: d.deployer.clone(),
                author: d.author.clone(),
                received: d.received,
                start: d.start,
                end: Some((d.end, d.succeeded)),
                status: d.status_code(),
                failure: w.deployment_failure(&d.id).map(str::to_owned),
            },
            storage,
        ));
    }
    let o = w
        .running_deployment(app, &s.name)
        .ok_or_else(|| Fail::from(not_found(id)))?;
    match &o.kind {
        OperationKind::Deploy {
            version,
            deployment_id,
            ..
        } if deployment_id.eq_ignore_ascii_case(id) => Ok((
            Facts {
                id: deployment_id.clone(),
                version: version.clone(),
                deployer: crate::sim::world::ZIP_DEPLOYER.to_owned(),
                author: o.caller.clone(),
                received: o.started,
                start: o.started + TimeDelta::seconds(1),
                end: None,
                status: running_status(o, w.now()),
                failure: None,
            },
            storage,
        )),
        _ => Err(Fail::from(not_found(id))),
    }
}

fn not_found_host() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "no such SCM site")
}

/// The lines of a deployment's log logged by now.
fn lines(f: &Facts, storage: Option<&str>) -> Vec<Line> {
    use LogEntryType::{Error, Message};
    let mut out =
        vec![
            Line {
                at: f.received,
                message: "Fetching changes.".to_owned(),
                kind: Message,
                details: vec![
                (
                    f.received,
                    format!("Received package {} from {} ({})", f.version, f.deployer, f.author),
                    Message,
                ),
                (
                    f.received + TimeDelta::seconds(1),
                    "Cleaning up temp folders from previous zip deployments and extracting the \
                     pushed zip file"
                        .to_owned(),
                    Message,
                ),
            ],
            },
            Line {
                at: f.start,
                message: format!(
                    "Preparing deployment for commit id '{}'.",
                    f.id.chars().take(10).collect::<String>()
                ),
                kind: Message,
                details: Vec::new(),
            },
        ];
    if f.status == 1 {
        return out;
    }
    let command_at = match f.end {
        Some((end, _)) => f.start + (end - f.start) / 2,
        None => f.start + TimeDelta::seconds(2),
    };
    let mut details = vec![(command_at, "Command: \"deploy.sh\"".to_owned(), Message)];
    if let Some(conn) = storage {
        details.push((command_at, format!("AzureWebJobsStorage={conn}"), Message));
    }
    details.push((
        command_at + TimeDelta::seconds(1),
        "Copying the package to /home/site/wwwroot".to_owned(),
        Message,
    ));
    let failed = matches!(f.end, Some((_, false)));
    if failed {
        details.push((
            command_at + TimeDelta::seconds(2),
            f.failure
                .clone()
                .unwrap_or_else(|| "The deployment command exited with code 1".to_owned()),
            Error,
        ));
    } else {
        details.push((
            command_at + TimeDelta::seconds(2),
            "Syncing function triggers".to_owned(),
            Message,
        ));
    }
    out.push(Line {
        at: command_at,
        message: "Running deployment command...".to_owned(),
        kind: if failed { Error } else { Message },
        details,
    });
    if let Some((end, ok)) = f.end {
        out.push(Line {
            at: end,
            message: if ok {
                format!("Deployment successful. deployer = {}", f.deployer)
            } else {
                "Deployment Failed.".to_owned()
            },
            kind: if ok { Message } else { Error },
            details: Vec::new(),
        });
    }
    out
}

fn entry_id(w: &World, deployment: &str, parts: &[usize]) -> String {
    let mut key = vec!["kudu-log".to_owned(), deployment.to_owned()];
    key.extend(parts.iter().map(ToString::to_string));
    let refs: Vec<&str> = key.iter().map(String::as_str).collect();
    stable_guid(w.seed(), &refs)
}

fn entry(at: DateTime<Utc>, id: String, message: String, kind: LogEntryType) -> LogEntry {
    LogEntry {
        log_time: iso(at),
        id,
        message,
        entry_type: kind.code(),
        details_url: None,
    }
}

/// `GET /api/deployments/{id}/log`.
pub(crate) async fn log(
    State(sim): State<Shared>,
    Path((host, id)): Path<(String, String)>,
) -> Response {
    let body = {
        let w = sim.world();
        let (f, storage) = match facts(&w, &host, &id) {
            Ok(x) => x,
            Err(r) => return r.into_response(),
        };
        let base = format!(
            "{}/_kudu/{host}/api/deployments/{}/log",
            sim.base_url(),
            f.id
        );
        lines(&f, storage.as_deref())
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let id = entry_id(&w, &f.id, &[i]);
                let url = (!l.details.is_empty()).then(|| format!("{base}/{id}"));
                LogEntry {
                    details_url: url,
                    ..entry(l.at, id, l.message, l.kind)
                }
            })
            .collect::<Vec<_>>()
    };
    answer(&sim, &body)
}

/// `GET /api/deployments/{id}/log/{entry}`.
pub(crate) async fn details(
    State(sim): State<Shared>,
    Path((host, id, entry_wanted)): Path<(String, String, String)>,
) -> Response {
    let body = {
        let w = sim.world();
        let (f, storage) = match facts(&w, &host, &id) {
            Ok(x) => x,
            Err(r) => return r.into_response(),
        };
        let found = lines(&f, storage.as_deref())
            .into_iter()
            .enumerate()
            .find(|(i, _)| entry_id(&w, &f.id, &[*i]).eq_ignore_ascii_case(&entry_wanted));
        let Some((i, line)) = found else {
            return not_found(&entry_wanted);
        };
        line.details
            .into_iter()
            .enumerate()
            .map(|(j, (at, message, kind))| entry(at, entry_id(&w, &f.id, &[i, j]), message, kind))
            .collect::<Vec<_>>()
    };
    answer(&sim, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(end: Option<(DateTime<Utc>, bool)>, status: i32) -> Facts {
        let t = DateTime::parse_from_rfc3339("2026-04-04T09:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Facts {
            id: "3f2a9c0d1e4b5a69".to_owned(),
            version: "2026.04.04".to_owned(),
            deployer: "GitHub Actions".to_owned(),
            author: "release-pipeline".to_owned(),
            received: t,
            start: t + TimeDelta::seconds(2),
            end: end.map(|(d, ok)| (t + (d - DateTime::<Utc>::UNIX_EPOCH), ok)),
            status,
            failure: Some("the package could not be fetched".to_owned()),
        }
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
    }

    #[test]
    fn a_successful_deployment_logs_its_command_with_the_echo_and_ends_in_success() {
        let l = lines(&facts(Some((at(40), true)), 4), Some("Conn=x;AccountKey=k"));
        let words: Vec<&str> = l.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(words.len(), 4, "{words:?}");
        assert!(words[3].starts_with("Deployment successful"));
        assert!(l.iter().all(|l| l.kind == LogEntryType::Message));
        assert!(
            l[2].details
                .iter()
                .any(|(_, m, _)| m == "AzureWebJobsStorage=Conn=x;AccountKey=k")
        );
        assert!(l.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    }

    #[test]
    fn a_failed_deployment_ends_in_an_error_with_its_reason() {
        let l = lines(&facts(Some((at(40), false)), 3), None);
        let last = l.last().expect("a last line");
        assert_eq!(
            (last.message.as_str(), last.kind),
            ("Deployment Failed.", LogEntryType::Error)
        );
        assert!(
            l[2].details
                .iter()
                .any(|(_, m, k)| m == "the package could not be fetched"
                    && *k == LogEntryType::Error)
        );
    }

    #[test]
    fn a_deployment_still_building_has_only_the_lines_logged_so_far() {
        let l = lines(&facts(None, 1), Some("Conn=x"));
        assert_eq!(l.len(), 2);
        let l = lines(&facts(None, 2), Some("Conn=x"));
        assert_eq!(l.len(), 3, "deploying: the command runs, no result yet");
    }
}
