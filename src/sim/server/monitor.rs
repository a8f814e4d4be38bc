//! Microsoft.Insights over ARM: metrics of a resource (`/{resourceUri}/providers/
//! Microsoft.Insights/metrics`, computed in `metrics`) and the activity log
//! (`/subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values`), which
//! accepts only the `$filter` shapes Azure does: a time window, optionally narrowed by resource
//! group, resource URI, resource provider or correlation id.

use axum::http::Method;
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{bad_request, no_such_path, resource_not_found};
use super::conventions::iso;
use super::metrics::{MetricsQuery, metrics_for};
use super::resources::{Target, resolve};
use crate::azure::wire::monitor::{ActivityLogEvent, LocalizableString, MetricsResponse};
use crate::sim::world::{ActivityRecord, World};

/// Routes a Microsoft.Insights request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    cx.expect_method(&Method::GET)?;
    if cx.path.scope_is_resource() && cx.path.rest_is(&["metrics"]) {
        return metrics(w, cx);
    }
    if cx.path.scope.len() == 2 && cx.path.rest_is(&["eventtypes", "management", "values"]) {
        return activity_log(w, cx);
    }
    Err(no_such_path(&cx.req.raw_path))
}

fn metrics(w: &World, cx: &Ctx<'_>) -> Reply {
    let scope = &cx.path.scope;
    let target = resolve(w, scope).ok_or_else(|| {
        resource_not_found(
            scope
                .get(5..7)
                .map(|s| s.join("/"))
                .unwrap_or_default()
                .as_str(),
            scope.last().map_or("", String::as_str),
            cx.resource_group(),
        )
    })?;
    let param = |n: &str| cx.req.param(n).map(str::to_owned);
    let q = MetricsQuery::from_arm(&param, w.now()).map_err(|m| bad_request("BadRequest", m))?;
    let resource_id = cx.path.scope_id();
    let value = metrics_for(w, target, &resource_id, &q)?;
    let (namespace, region) = match target {
        Target::Site(a, s) => (
            if s == 0 {
                "Microsoft.Web/sites"
            } else {
                "Microsoft.Web/sites/slots"
            },
            w.apps()[a].location.clone(),
        ),
        _ => ("Microsoft.Cdn/profiles", "global".to_owned()),
    };
    cx.ok(&MetricsResponse {
        cost: Some(
            u64::try_from(q.grains().count()).unwrap_or(0)
                * u64::try_from(value.len()).unwrap_or(0),
        ),
        timespan: format!("{}/{}", iso(q.start), iso(q.end)),
        interval: Some(q.interval_text()),
        namespace: Some(namespace.to_owned()),
        resourceregion: Some(region),
        value,
    })
}

/// What an activity log `$filter` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    narrow: Option<(String, String)>,
}

fn parse_filter(text: &str) -> Result<Filter, String> {
    let unsupported = || {
        format!(
            "The $filter '{text}' is not supported. Use \"eventTimestamp ge 'T1' and eventTimestamp le 'T2'\", \
             optionally followed by \"and\" one of resourceGroupName, resourceUri, resourceProvider or correlationId \"eq 'value'\"."
        )
    };
    let lower = text.to_ascii_lowercase();
    let mut clauses = Vec::new();
    let mut rest = 0;
    while let Some(i) = lower[rest..].find(" and ") {
        clauses.push(text[rest..rest + i].trim());
        rest += i + 5;
    }
    clauses.push(text[rest..].trim());
    let parse = |c: &str| -> Option<(String, String, String)> {
        let mut parts = c.splitn(3, ' ');
        let field = parts.next()?.to_owned();
        let op = parts.next()?.to_ascii_lowercase();
        let value = parts.next()?.trim();
        let value = value.strip_prefix('\'')?.strip_suffix('\'')?.to_owned();
        Some((field, op, value))
    };
    let time = |v: &str| {
        DateTime::parse_from_rfc3339(v)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let parsed: Vec<(String, String, String)> = clauses
        .iter()
        .map(|c| parse(c))
        .collect::<Option<_>>()
        .ok_or_else(unsupported)?;
    let (from, to) = match parsed.as_slice() {
        [(f1, o1, v1), (f2, o2, v2), ..]
            if f1.eq_ignore_ascii_case("eventTimestamp")
                && o1 == "ge"
                && f2.eq_ignore_ascii_case("eventTimestamp")
                && o2 == "le" =>
        {
            (
                time(v1).ok_or_else(unsupported)?,
                time(v2).ok_or_else(unsupported)?,
            )
        }
        _ => return Err(unsupported()),
    };
    let narrow = match &parsed[2..] {
        [] => None,
        [(f, o, v)] if o == "eq" => {
            let known = [
                "resourceGroupName",
                "resourceUri",
                "resourceProvider",
                "correlationId",
            ];
            let field = known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(f))
                .ok_or_else(unsupported)?;
            Some(((*field).to_owned(), v.clone()))
        }
        _ => return Err(unsupported()),
    };
    Ok(Filter { from, to, narrow })
}

fn matches(f: &Filter, r: &ActivityRecord) -> bool {
    if r.timestamp < f.from || r.timestamp > f.to {
        return false;
    }
    match &f.narrow {
        None => true,
        Some((field, v)) => match field.as_str() {
            "resourceGroupName" => r.resource_group.eq_ignore_ascii_case(v),
            "resourceUri" => r
                .resource_id
                .to_ascii_lowercase()
                .starts_with(&v.to_ascii_lowercase()),
            "resourceProvider" => r.provider.eq_ignore_ascii_case(v),
            _ => r.correlation_id.eq_ignore_ascii_case(v),
        },
    }
}

fn activity_log(w: &World, cx: &Ctx<'_>) -> Reply {
    let text = cx.req.param("$filter").ok_or_else(|| {
        bad_request(
            "BadRequest",
            "The $filter query parameter is required, with an eventTimestamp window.",
        )
    })?;
    let filter = parse_filter(text).map_err(|m| bad_request("BadRequest", m))?;
    let sub = cx.path.subscription().unwrap_or_default();
    let mut events: Vec<&ActivityRecord> = w
        .activity()
        .filter(|r| r.subscription_id.eq_ignore_ascii_case(sub) && matches(&filter, r))
        .collect();
    events.sort_by_key(|r| std::cmp::Reverse(r.timestamp));
    let items = events.into_iter().map(event).collect();
    cx.ok(&cx.page(w, items)?)
}

fn named(v: &str) -> LocalizableString {
    LocalizableString {
        value: v.to_owned(),
        localized_value: Some(v.to_owned()),
    }
}

fn event(r: &ActivityRecord) -> ActivityLogEvent {
    let mut props = serde_json::Map::new();
    for (k, v) in &r.properties {
        props.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    props.insert(
        "statusCode".to_owned(),
        serde_json::Value::String(
            if r.status == "Started" {
                "Accepted"
            } else {
                "OK"
            }
            .to_owned(),
        ),
    );
    ActivityLogEvent {
        caller: Some(r.caller.clone()),
        correlation_id: Some(r.correlation_id.clone()),
        event_data_id: Some(r.event_data_id.clone()),
        category: Some(named("Administrative")),
        level: Some("Informational".to_owned()),
        operation_id: Some(r.operation_id.clone()),
        operation_name: named(&r.operation),
        resource_group_name: Some(r.resource_group.clone()),
        resource_id: Some(r.resource_id.clone()),
        resource_provider_name: Some(named(&r.provider)),
        resource_type: Some(named(&r.resource_type)),
        subscription_id: Some(r.subscription_id.clone()),
        event_name: Some(named(if r.status == "Started" {
            "BeginRequest"
        } else {
            "EndRequest"
        })),
        status: Some(named(r.status)),
        event_timestamp: iso(r.timestamp),
        submission_timestamp: Some(iso(r.submitted)),
        properties: Some(serde_json::Value::Object(props)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_only_in_azure_shapes() {
        let f = parse_filter(
            "eventTimestamp ge '2026-04-04T08:00:00Z' and eventTimestamp le '2026-04-04T10:00:00Z'",
        )
        .expect("window");
        assert_eq!(f.narrow, None);
        let f = parse_filter(
            "eventTimestamp ge '2026-04-04T08:00:00Z' and eventTimestamp le '2026-04-04T10:00:00Z' and resourceGroupName eq 'rg-functions-prod-krc'",
        )
        .expect("narrowed");
        assert_eq!(
            f.narrow,
            Some((
                "resourceGroupName".to_owned(),
                "rg-functions-prod-krc".to_owned()
            ))
        );
        for bad in [
            "operationName eq 'x'",
            "eventTimestamp ge '2026-04-04T08:00:00Z'",
            "eventTimestamp ge '2026-04-04T08:00:00Z' and eventTimestamp le '2026-04-04T10:00:00Z' and operationName eq 'x'",
            "eventTimestamp ge 'yesterday' and eventTimestamp le '2026-04-04T10:00:00Z'",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}
