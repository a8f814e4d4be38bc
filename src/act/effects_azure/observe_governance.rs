//! Reading back the governance effects: a management lock (there at its level, or gone), a tag
//! on a scope (there with its value, or gone), an alert processing rule (there with the planned
//! scopes, removing all action groups, enabled, over the planned window; or gone). Reads only;
//! shared by the reconciliation of an unfinished intent and by the plans' read-back checks.

use chrono::{DateTime, Utc};

use super::{AzureEffects, last};
use crate::act::effect::{Effect, LockLevel};
use crate::act::executor::Observation;
use crate::azure::wire::governance::{AlertProcessingRule, AlertSchedule};
use crate::azure::writes::governance;

type Window = Option<(DateTime<Utc>, DateTime<Utc>)>;

/// What a read found: `Ok(None)` on 404.
fn found<T>(r: Result<T, crate::azure::Error>) -> Result<Option<T>, crate::azure::Error> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The last segments of ARM ids, joined.
fn names(ids: &[String]) -> String {
    ids.iter().map(|s| last(s)).collect::<Vec<_>>().join(", ")
}

/// Whether two lists of ARM ids name the same scopes (ARM ids are case-insensitive).
fn same_scopes(a: &[String], b: &[String]) -> bool {
    let norm = |v: &[String]| {
        let mut v: Vec<String> = v
            .iter()
            .map(|s| s.trim_end_matches('/').to_ascii_lowercase())
            .collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

/// A schedule's window as its two times (as ARM writes them), for comparing.
type Span = Option<(Option<String>, Option<String>)>;

fn span(s: Option<&AlertSchedule>) -> Span {
    s.map(|s| (s.effective_from.clone(), s.effective_until.clone()))
}

fn span_words(w: &Span) -> String {
    w.as_ref().map_or_else(
        || "none".to_owned(),
        |(f, u)| {
            format!(
                "{} to {}",
                f.as_deref().unwrap_or("?"),
                u.as_deref().unwrap_or("?")
            )
        },
    )
}

/// What differs between a rule as read and as planned (empty when it is as planned).
fn rule_differences(rule: &AlertProcessingRule, scopes: &[String], window: Window) -> Vec<String> {
    let p = &rule.properties;
    let planned = governance::suppression_rule(scopes.to_vec(), "", window);
    let mut wrong = Vec::new();
    if !same_scopes(&p.scopes, scopes) {
        wrong.push(format!(
            "its scopes are {} (planned {})",
            names(&p.scopes),
            names(scopes)
        ));
    }
    if !p
        .actions
        .iter()
        .any(|a| a.action_type.eq_ignore_ascii_case("RemoveAllActionGroups"))
    {
        wrong.push("it does not remove action groups".to_owned());
    }
    if p.enabled == Some(false) {
        wrong.push("it is disabled".to_owned());
    }
    let (now, want) = (
        span(p.schedule.as_ref()),
        span(planned.properties.schedule.as_ref()),
    );
    if now != want {
        wrong.push(format!(
            "its window is {} (planned {})",
            span_words(&now),
            span_words(&want)
        ));
    }
    wrong
}

impl AzureEffects {
    /// Reads back a lock, tag or alert rule effect.
    pub(super) async fn governance_back(
        &self,
        effect: &Effect,
    ) -> Result<Observation, crate::azure::Error> {
        match effect {
            Effect::Lock {
                scope,
                name,
                level,
                on,
                ..
            } => self.lock_back(scope, name, *level, *on).await,
            Effect::Tag {
                scope,
                name,
                value,
                on,
            } => self.tag_back(scope, name, value, *on).await,
            Effect::AlertRule {
                id,
                scopes,
                on,
                window,
            } => self.rule_back(id, scopes, *on, *window).await,
            _ => Ok(Observation::unknown("not a governance effect")),
        }
    }

    async fn lock_back(
        &self,
        scope: &str,
        name: &str,
        level: LockLevel,
        on: bool,
    ) -> Result<Observation, crate::azure::Error> {
        let id = format!("{scope}/providers/Microsoft.Authorization/locks/{name}");
        Ok(
            match found(governance::get_lock(&self.client, &id).await)? {
                None => Observation::holds(
                    !on,
                    format!("lock {name} does not exist on {}", last(scope)),
                ),
                Some(lock) => {
                    let now = lock.properties.level;
                    let right = now.eq_ignore_ascii_case(level.word());
                    let planned = if on && !right {
                        format!("; the plan put {}", level.word())
                    } else {
                        String::new()
                    };
                    Observation::holds(
                        on && right,
                        format!("lock {name} exists ({now}) on {}{planned}", last(scope)),
                    )
                }
            },
        )
    }

    async fn tag_back(
        &self,
        scope: &str,
        name: &str,
        value: &str,
        on: bool,
    ) -> Result<Observation, crate::azure::Error> {
        let tags = governance::get_tags(&self.client, scope).await?;
        let have = tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        Ok(match have {
            None => Observation::holds(!on, format!("tag {name} is not on {}", last(scope))),
            Some(v) => {
                let other = if on && v != value {
                    " with another value than the plan's"
                } else {
                    ""
                };
                Observation::holds(
                    on && v == value,
                    format!("tag {name} is on {}{other}", last(scope)),
                )
            }
        })
    }

    async fn rule_back(
        &self,
        id: &str,
        scopes: &[String],
        on: bool,
        window: Window,
    ) -> Result<Observation, crate::azure::Error> {
        let name = last(id);
        let rule = found(governance::get_alert_processing_rule(&self.client, id).await)?;
        Ok(match rule {
            None => Observation::holds(!on, format!("alert processing rule {name} does not exist")),
            Some(_) if !on => {
                Observation::not_in_place(format!("alert processing rule {name} exists"))
            }
            Some(rule) => {
                let wrong = rule_differences(&rule, scopes, window);
                if wrong.is_empty() {
                    let window_words = window.map_or_else(String::new, |(from, until)| {
                        format!(
                            ", window {}–{} UTC",
                            from.format("%H:%M"),
                            until.format("%H:%M")
                        )
                    });
                    Observation::in_place(format!(
                        "alert processing rule {name} exists: removes action groups on {}{window_words}",
                        names(scopes)
                    ))
                } else {
                    Observation::not_in_place(format!(
                        "alert processing rule {name} exists but {}",
                        wrong.join("; ")
                    ))
                }
            }
        })
    }
}
