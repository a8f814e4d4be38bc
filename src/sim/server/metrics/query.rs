//! The parameters of a metrics query: timespan (`start/end`, `start/duration`, `duration`),
//! interval (ISO 8601 duration or `FULL`), metric names, aggregations, result type, filter,
//! namespace. Owns their parsing and the grain grid.

use chrono::{DateTime, TimeDelta, Utc};

/// An aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Agg {
    Average,
    Minimum,
    Maximum,
    Total,
    Count,
}

impl Agg {
    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "average" => Self::Average,
            "minimum" => Self::Minimum,
            "maximum" => Self::Maximum,
            "total" => Self::Total,
            "count" => Self::Count,
            _ => return None,
        })
    }
}

/// A parsed metrics query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetricsQuery {
    /// Start of the window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// Grain; `None` is `FULL` (one grain for the whole window).
    pub interval: Option<TimeDelta>,
    /// Metric names asked for (empty: the default metric).
    pub names: Vec<String>,
    /// Aggregations asked for (`None`: each metric's primary one).
    pub aggregations: Option<Vec<Agg>>,
    /// `resultType=Metadata`.
    pub metadata_only: bool,
    /// `$filter`.
    pub filter: Option<String>,
    /// `metricnamespace`.
    pub namespace: Option<String>,
}

/// Points one answer may hold.
const MAX_POINTS: i64 = 20_000;

/// Parses an ISO 8601 duration of days, hours, minutes and seconds (`PT5M`, `P1D`, `PT1H30M`).
pub(crate) fn parse_duration(s: &str) -> Option<TimeDelta> {
    let s = s.trim().to_ascii_uppercase();
    let body = s.strip_prefix('P')?;
    let (date, time) = body.split_once('T').unwrap_or((body, ""));
    let mut total = TimeDelta::zero();
    let mut take = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                let (_, secs) = units.iter().find(|(u, _)| *u == c)?;
                total += TimeDelta::seconds(num.parse::<i64>().ok()? * secs);
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    take(date, &[('D', 86_400), ('W', 604_800)])?;
    take(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    (total > TimeDelta::zero()).then_some(total)
}

/// Writes a duration as ISO 8601 (`PT5M`, `PT1H`, `P1D`).
pub(crate) fn duration_text(d: TimeDelta) -> String {
    let s = d.num_seconds();
    if s % 86_400 == 0 {
        format!("P{}D", s / 86_400)
    } else if s % 3_600 == 0 {
        format!("PT{}H", s / 3_600)
    } else if s % 60 == 0 {
        format!("PT{}M", s / 60)
    } else {
        format!("PT{s}S")
    }
}

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses `timespan`: `start/end`, `start/duration`, or a duration ending now.
fn timespan(s: Option<&str>, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let Some(s) = s else {
        return Ok((now - TimeDelta::hours(1), now));
    };
    let bad = || format!("Invalid timespan '{s}': use 'start/end' in ISO 8601.");
    match s.split_once('/') {
        Some((a, b)) => {
            let start = time(a).ok_or_else(bad)?;
            let end = time(b)
                .or_else(|| parse_duration(b).map(|d| start + d))
                .ok_or_else(bad)?;
            if end <= start {
                return Err(format!(
                    "Invalid timespan '{s}': the end must be after the start."
                ));
            }
            Ok((start, end))
        }
        None => parse_duration(s).map(|d| (now - d, now)).ok_or_else(bad),
    }
}

fn interval(s: Option<&str>) -> Result<Option<TimeDelta>, String> {
    match s {
        None => Ok(Some(TimeDelta::minutes(1))),
        Some(v) if v.eq_ignore_ascii_case("FULL") => Ok(None),
        Some(v) => {
            let d = parse_duration(v).ok_or_else(|| format!("Invalid interval '{v}'."))?;
            if d.num_seconds() % 60 != 0 {
                return Err(format!(
                    "Invalid interval '{v}': the smallest grain is PT1M."
                ));
            }
            Ok(Some(d))
        }
    }
}

fn aggregations(s: Option<&str>) -> Result<Option<Vec<Agg>>, String> {
    s.map(|list| {
        list.split(',')
            .map(|a| Agg::parse(a).ok_or_else(|| format!("Invalid aggregation '{}'.", a.trim())))
            .collect()
    })
    .transpose()
}

impl MetricsQuery {
    fn build(
        param: &dyn Fn(&str) -> Option<String>,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Self, String> {
        let q = Self {
            start,
            end,
            interval: interval(param("interval").as_deref())?,
            names: param("metricnames")
                .map(|n| {
                    n.split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            aggregations: aggregations(param("aggregation").as_deref())?,
            metadata_only: param("resultType").is_some_and(|r| r.eq_ignore_ascii_case("Metadata")),
            filter: param("$filter").or_else(|| param("filter")),
            namespace: param("metricnamespace"),
        };
        let points = (q.end - q.start).num_seconds() / q.grain().num_seconds().max(1);
        if points > MAX_POINTS {
            return Err(format!(
                "The query asks for {points} points; the limit is {MAX_POINTS}. Use a larger interval."
            ));
        }
        Ok(q)
    }

    /// From the ARM call's query parameters.
    pub(crate) fn from_arm(
        param: &dyn Fn(&str) -> Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let span = timespan(param("timespan").as_deref(), now)?;
        Self::build(param, span)
    }

    /// From the batch call's query parameters (`starttime`, `endtime`).
    pub(crate) fn from_batch(
        param: &dyn Fn(&str) -> Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let start = param("starttime")
            .map(|s| time(&s).ok_or_else(|| format!("Invalid starttime '{s}'.")))
            .transpose()?;
        let end = param("endtime")
            .map(|s| time(&s).ok_or_else(|| format!("Invalid endtime '{s}'.")))
            .transpose()?;
        let end = end.unwrap_or(now);
        let start = start.unwrap_or(end - TimeDelta::hours(1));
        if end <= start {
            return Err("The endtime must be after the starttime.".to_owned());
        }
        Self::build(param, (start, end))
    }

    /// The grain length.
    pub(crate) fn grain(&self) -> TimeDelta {
        self.interval.unwrap_or(self.end - self.start)
    }

    /// The interval as Azure writes it.
    pub(crate) fn interval_text(&self) -> String {
        duration_text(self.grain())
    }

    /// The start of each grain: aligned to grain boundaries (whole minutes for `FULL`).
    pub(crate) fn grains(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let g = self.grain().num_seconds().max(60);
        let aligned = if self.interval.is_some() {
            self.start.timestamp() - self.start.timestamp().rem_euclid(g)
        } else {
            self.start.timestamp() - self.start.timestamp().rem_euclid(60)
        };
        let end = self.end.timestamp();
        (0..)
            .map(move |k| aligned + k * g)
            .take_while(move |s| *s < end)
            .filter_map(|s| DateTime::from_timestamp(s, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        time("2026-04-04T10:00:00Z").expect("time")
    }

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("PT5M"), Some(TimeDelta::minutes(5)));
        assert_eq!(parse_duration("P1D"), Some(TimeDelta::days(1)));
        assert_eq!(parse_duration("PT1H30M"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("5M"), None);
        assert_eq!(duration_text(TimeDelta::minutes(5)), "PT5M");
        assert_eq!(duration_text(TimeDelta::hours(1)), "PT1H");
    }

    #[test]
    fn queries_parse_with_defaults_and_grains_align() {
        let p = |n: &str| match n {
            "timespan" => Some("2026-04-04T09:02:30Z/2026-04-04T09:20:00Z".to_owned()),
            "interval" => Some("PT5M".to_owned()),
            "metricnames" => Some("Requests,Http5xx".to_owned()),
            "aggregation" => Some("Total,count".to_owned()),
            _ => None,
        };
        let q = MetricsQuery::from_arm(&p, now()).expect("valid");
        assert_eq!(q.names, ["Requests", "Http5xx"]);
        assert_eq!(q.aggregations, Some(vec![Agg::Total, Agg::Count]));
        let grains: Vec<String> = q.grains().map(|g| g.format("%H:%M").to_string()).collect();
        assert_eq!(grains, ["09:00", "09:05", "09:10", "09:15"]);
        let none = |_: &str| None;
        let d = MetricsQuery::from_arm(&none, now()).expect("defaults");
        assert_eq!(
            (d.end - d.start, d.grain()),
            (TimeDelta::hours(1), TimeDelta::minutes(1))
        );
    }

    #[test]
    fn bad_parameters_are_explained() {
        for (k, v) in [
            ("timespan", "yesterday"),
            ("interval", "PT30S"),
            ("aggregation", "median"),
        ] {
            let p = |n: &str| (n == k).then(|| v.to_owned());
            let e = MetricsQuery::from_arm(&p, now()).expect_err(v);
            assert!(e.contains(v), "{e}");
        }
        let p = |n: &str| (n == "timespan").then(|| "P60D".to_owned());
        assert!(
            MetricsQuery::from_arm(&p, now()).is_err(),
            "too many points"
        );
    }
}
