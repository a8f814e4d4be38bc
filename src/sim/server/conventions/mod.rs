//! ARM's conventions, as the simulator applies them to every ARM request: the parsed request
//! ([`ArmRequest`], [`ArmPath`]), the api-versions each provider accepts, ARM's error bodies
//! ([`errors`]), `nextLink` paging ([`paging`]), and the per-request pipeline (request counting,
//! api-version checks, fault windows, ARM's headers: [`middleware`]).
//!
//! Owns these cross-cutting rules; the providers' resources are the sibling modules' job.

pub mod errors;
pub mod middleware;
pub mod paging;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use chrono::{DateTime, SecondsFormat, Utc};

/// An ARM request, parsed once.
#[derive(Debug, Clone)]
pub struct ArmRequest {
    /// Method.
    pub method: Method,
    /// The path as received (still percent-encoded).
    pub raw_path: String,
    /// Decoded path segments.
    pub segments: Vec<String>,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
}

impl ArmRequest {
    /// Builds a request from its parts.
    pub fn new(
        method: Method,
        path: &str,
        query: Option<&str>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect();
        let query = query
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self {
            method,
            raw_path: path.to_owned(),
            segments,
            query,
            headers,
            body,
        }
    }

    /// A query parameter by name, case-insensitively (ARM's parameter names are).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `%XX` escapes in a path segment (a `+` stays a `+` in paths).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An ARM path split at its last `providers` segment: the scope before it (tenant, subscription,
/// resource group, or a whole resource for extension resources such as metrics), the provider
/// namespace, and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmPath {
    /// Segments before the last `providers`.
    pub scope: Vec<String>,
    /// The provider namespace, e.g. `Microsoft.Web`, if the path has one.
    pub namespace: Option<String>,
    /// Segments after the namespace.
    pub rest: Vec<String>,
}

impl ArmPath {
    /// Splits decoded segments.
    pub fn parse(segments: &[String]) -> Self {
        match segments
            .iter()
            .rposition(|s| s.eq_ignore_ascii_case("providers"))
        {
            Some(i) if i + 1 < segments.len() => Self {
                scope: segments[..i].to_vec(),
                namespace: Some(segments[i + 1].clone()),
                rest: segments[i + 2..].to_vec(),
            },
            _ => Self {
                scope: segments.to_vec(),
                namespace: None,
                rest: Vec::new(),
            },
        }
    }

    /// The subscription id, when the scope starts with one.
    pub fn subscription(&self) -> Option<&str> {
        match self.scope.as_slice() {
            [s, id, ..] if s.eq_ignore_ascii_case("subscriptions") => Some(id),
            _ => None,
        }
    }

    /// The resource group, when the scope names one.
    pub fn resource_group(&self) -> Option<&str> {
        match self.scope.as_slice() {
            [_, _, g, rg, ..] if g.eq_ignore_ascii_case("resourceGroups") => Some(rg),
            _ => None,
        }
    }

    /// Whether the scope is a whole resource (an extension resource such as metrics).
    pub fn scope_is_resource(&self) -> bool {
        self.scope.len() > 4
    }

    /// The scope as an ARM id (`/subscriptions/…`).
    pub fn scope_id(&self) -> String {
        format!("/{}", self.scope.join("/"))
    }

    /// The lower-case resource type the request addresses (`sites`, `metrics`, …).
    pub fn resource_type(&self) -> Option<String> {
        self.rest.first().map(|s| s.to_ascii_lowercase())
    }

    /// Whether `rest` matches a pattern, case-insensitively; `*` matches any one segment.
    pub fn rest_is(&self, pattern: &[&str]) -> bool {
        self.rest.len() == pattern.len()
            && self
                .rest
                .iter()
                .zip(pattern)
                .all(|(s, p)| *p == "*" || s.eq_ignore_ascii_case(p))
    }
}

/// The api-versions a provider's resource type accepts (lower-case keys), or `None` when ARM
/// does not know the type. Each list has the pinned version of AZURE-API.md section 0 and the
/// other stable versions current SDKs send.
pub fn supported_versions(namespace: &str, resource_type: &str) -> Option<&'static [&'static str]> {
    let ns = namespace.to_ascii_lowercase();
    let rt = resource_type.to_ascii_lowercase();
    Some(match (ns.as_str(), rt.as_str()) {
        ("microsoft.web", "sites") => &[
            "2023-12-01",
            "2024-04-01",
            "2024-11-01",
            "2025-03-01",
            "2025-05-01",
        ],
        ("microsoft.network", "trafficmanagerprofiles") => &["2022-04-01", "2026-09-01"],
        ("microsoft.cdn", "profiles" | "operationresults") => {
            &["2024-02-01", "2024-09-01", "2025-04-15"]
        }
        ("microsoft.resourcehealth", "availabilitystatuses") => &["2024-02-01", "2025-05-01"],
        ("microsoft.insights", "metrics") => {
            &["2018-01-01", "2021-05-01", "2023-10-01", "2024-02-01"]
        }
        ("microsoft.insights", "eventtypes") => &["2015-04-01"],
        ("microsoft.resourcegraph", "resources") => &["2021-03-01", "2022-10-01", "2024-04-01"],
        ("microsoft.storage", "storageaccounts") => &["2023-05-01", "2024-01-01", "2025-01-01"],
        // Storage's own async-operation links carry an older version.
        ("microsoft.storage", "locations") => {
            &["2022-09-01", "2023-05-01", "2024-01-01", "2025-01-01"]
        }
        ("microsoft.servicebus" | "microsoft.eventhub", "namespaces") => {
            &["2021-11-01", "2024-01-01"]
        }
        ("microsoft.resources", "resourcegroups" | "deployments") => {
            &["2021-04-01", "2022-09-01", "2024-03-01", "2025-04-01"]
        }
        ("microsoft.resources", "tags") => {
            &["2019-10-01", "2021-04-01", "2022-09-01", "2024-03-01"]
        }
        ("microsoft.authorization", "locks") => &["2016-09-01", "2020-05-01"],
        ("microsoft.alertsmanagement", "actionrules") => &["2021-08-08"],
        _ => return None,
    })
}

/// The provider namespaces the simulator serves (lower case).
pub fn known_namespace(namespace: &str) -> bool {
    matches!(
        namespace.to_ascii_lowercase().as_str(),
        "microsoft.web"
            | "microsoft.network"
            | "microsoft.cdn"
            | "microsoft.resourcehealth"
            | "microsoft.insights"
            | "microsoft.resourcegraph"
            | "microsoft.storage"
            | "microsoft.servicebus"
            | "microsoft.eventhub"
            | "microsoft.resources"
            | "microsoft.authorization"
            | "microsoft.alertsmanagement"
    )
}

/// RFC 3339 in UTC with whole seconds, as ARM writes times: `2026-04-04T09:11:23Z`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 in UTC with milliseconds: `2026-04-04T09:11:23.000Z`.
pub fn iso_ms(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// RFC 1123, as Storage writes times: `Sat, 04 Apr 2026 09:11:23 GMT`.
pub fn rfc1123(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<String> {
        ArmRequest::new(Method::GET, p, None, HeaderMap::new(), Bytes::new()).segments
    }

    #[test]
    fn paths_split_at_the_last_providers_segment() {
        let p = ArmPath::parse(&segs(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/providers/Microsoft.Insights/metrics",
        ));
        assert_eq!(p.namespace.as_deref(), Some("Microsoft.Insights"));
        assert_eq!(p.rest, ["metrics"]);
        assert!(p.scope_is_resource());
        assert_eq!(p.subscription(), Some("s"));
        assert_eq!(p.resource_group(), Some("rg"));
        assert_eq!(
            p.scope_id(),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app"
        );
        let t = ArmPath::parse(&segs("/providers/Microsoft.ResourceGraph/resources"));
        assert!(t.scope.is_empty());
        assert_eq!(t.resource_type().as_deref(), Some("resources"));
        let rg = ArmPath::parse(&segs("/subscriptions/s/resourcegroups/rg"));
        assert_eq!(rg.namespace, None);
        assert_eq!(rg.resource_group(), Some("rg"));
    }

    #[test]
    fn segments_and_query_are_decoded() {
        let r = ArmRequest::new(
            Method::GET,
            "/a/My%20endpoint/b",
            Some("api-version=2024-11-01&%24filter=eventTimestamp%20ge%20%27x%27"),
            HeaderMap::new(),
            Bytes::new(),
        );
        assert_eq!(r.segments, ["a", "My endpoint", "b"]);
        assert_eq!(r.param("API-VERSION"), Some("2024-11-01"));
        assert_eq!(r.param("$filter"), Some("eventTimestamp ge 'x'"));
        assert_eq!(percent_decode("50%"), "50%");
    }

    #[test]
    fn rest_patterns_match_case_insensitively() {
        let p = ArmPath::parse(&segs(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/Sites/app/Slots/staging",
        ));
        assert!(p.rest_is(&["sites", "*", "slots", "*"]));
        assert!(!p.rest_is(&["sites", "*"]));
        assert!(
            supported_versions("Microsoft.Web", "Sites").is_some_and(|v| v.contains(&"2025-05-01"))
        );
        assert!(supported_versions("Microsoft.Web", "nothing").is_none());
    }
}
