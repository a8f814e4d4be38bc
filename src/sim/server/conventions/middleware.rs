//! The per-request pipeline: request counting for every surface, and for ARM requests the
//! api-version check, the subscription and resource group check, the fault windows active at the
//! request's virtual time (429 + `Retry-After`, 500/503, delays) and ARM's response headers.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::errors::{
    Fail, arm_error, invalid_api_version, invalid_namespace, invalid_resource_type,
    missing_api_version, resource_group_not_found, subscription_not_found, unsupported_api_version,
};
use super::{ArmPath, ArmRequest, known_namespace, supported_versions};
use crate::sim::rng::stable_guid;
use crate::sim::world::World;

/// What the server has been asked, for tests and request-cost measurements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestCounts {
    /// Every request.
    pub total: u64,
    /// Requests that change state (not GET/HEAD, and not a read-only POST such as `…/list`).
    pub writes: u64,
    /// By HTTP method.
    pub by_method: BTreeMap<String, u64>,
    /// By surface: `arm`, `kudu`, `app`, `queue`, `metrics`, `blob`.
    pub by_surface: BTreeMap<String, u64>,
}

/// One request that changed (or asked to change) state: its method and path, never its query
/// or body (a package URI's SAS, a setting's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRequest {
    /// The request's sequence number.
    pub number: u64,
    /// HTTP method.
    pub method: String,
    /// The path as received.
    pub path: String,
}

/// Called with each write as it arrives, before it is handled (a test's observer).
pub type WriteHook = std::sync::Arc<dyn Fn(&WriteRequest) + Send + Sync>;

/// Live counters.
#[derive(Default)]
pub struct Counters {
    total: AtomicU64,
    writes: AtomicU64,
    detail: Mutex<(BTreeMap<String, u64>, BTreeMap<String, u64>)>,
    write_log: Mutex<Vec<WriteRequest>>,
    on_write: Mutex<Option<WriteHook>>,
}

impl std::fmt::Debug for Counters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counters")
            .field("total", &self.total)
            .field("writes", &self.writes)
            .finish_non_exhaustive()
    }
}

/// Which surface a path belongs to.
pub fn surface(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "_kudu" => "kudu",
        "_apps" => "app",
        "_queue" => "queue",
        "_metrics" => "metrics",
        "_blob" => "blob",
        "_logs" => "logs",
        _ => "arm",
    }
}

/// Whether a request changes state. POSTs that only read (`…/list`, `…/listkeys`, Resource
/// Graph queries, batch metrics) do not.
pub fn is_write(method: &Method, path: &str) -> bool {
    if *method == Method::GET || *method == Method::HEAD {
        return false;
    }
    if *method == Method::POST {
        let p = path.trim_end_matches('/').to_ascii_lowercase();
        // Log Analytics queries read.
        if p.starts_with("/_logs/") {
            return false;
        }
        let read_only = [
            "/list",
            "/listkeys",
            "/listsecrets",
            "/microsoft.resourcegraph/resources",
            "metrics:getbatch",
            // A template's what-if and validation preview a deployment and change nothing.
            "/whatif",
            "/validate",
        ];
        return !read_only.iter().any(|s| p.ends_with(s));
    }
    true
}

impl Counters {
    /// Counts one request; returns its sequence number (from 1).
    pub fn record(&self, method: &Method, path: &str) -> u64 {
        let n = self.total.fetch_add(1, Ordering::Relaxed) + 1;
        if is_write(method, path) {
            self.writes.fetch_add(1, Ordering::Relaxed);
            let w = WriteRequest {
                number: n,
                method: method.as_str().to_owned(),
                path: path.to_owned(),
            };
            let hook = self
                .on_write
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            if let Some(hook) = hook {
                hook(&w);
            }
            self.write_log
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(w);
        }
        let mut d = self
            .detail
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *d.0.entry(method.as_str().to_owned()).or_default() += 1;
        *d.1.entry(surface(path).to_owned()).or_default() += 1;
        n
    }

    /// Sets the hook called with each write as it arrives.
    pub fn on_write(&self, hook: WriteHook) {
        *self
            .on_write
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(hook);
    }

    /// Every write so far, in arrival order.
    pub fn write_log(&self) -> Vec<WriteRequest> {
        self.write_log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The counts so far.
    pub fn snapshot(&self) -> RequestCounts {
        let d = self
            .detail
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        RequestCounts {
            total: self.total.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            by_method: d.0.clone(),
            by_surface: d.1.clone(),
        }
    }
}

/// Whether a string is shaped like an api-version: `YYYY-MM-DD` with an optional `-suffix`.
fn version_shaped(v: &str) -> bool {
    let date = v.get(..10).unwrap_or("");
    let rest = v.get(10..).unwrap_or("");
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
        && (rest.is_empty() || rest.starts_with('-'))
}

/// Checks the api-version against the provider's supported versions.
pub fn check_api_version(req: &ArmRequest, path: &ArmPath) -> Result<(), Fail> {
    let version = req.param("api-version").ok_or_else(missing_api_version)?;
    let (namespace, resource_type) = match &path.namespace {
        Some(ns) => (ns.clone(), path.resource_type().unwrap_or_default()),
        None => (
            "Microsoft.Resources".to_owned(),
            "resourcegroups".to_owned(),
        ),
    };
    if !known_namespace(&namespace) {
        return Err(invalid_namespace(&namespace));
    }
    let supported = supported_versions(&namespace, &resource_type)
        .ok_or_else(|| invalid_resource_type(&namespace, &resource_type, version))?;
    if !version_shaped(version) {
        return Err(invalid_api_version(version, supported));
    }
    if !supported.contains(&version) {
        return Err(unsupported_api_version(version, &resource_type, supported));
    }
    Ok(())
}

/// Checks that the subscription and resource group in the path exist in the estate.
pub fn check_scope(w: &World, path: &ArmPath) -> Result<(), Fail> {
    let Some(sub) = path.subscription() else {
        return Ok(());
    };
    let estate = w.estate();
    if !estate
        .subscriptions
        .iter()
        .any(|s| s.id.eq_ignore_ascii_case(sub))
    {
        return Err(subscription_not_found(sub));
    }
    if let Some(rg) = path.resource_group() {
        let known = estate.regions.iter().any(|r| {
            r.subscription_id.eq_ignore_ascii_case(sub) && r.resource_group.eq_ignore_ascii_case(rg)
        });
        if !known {
            return Err(resource_group_not_found(rg));
        }
    }
    Ok(())
}

/// Applies the fault windows active at `t`: an error response, or the delay to add.
pub fn apply_faults(w: &World, t: DateTime<Utc>) -> Result<Duration, Fail> {
    let f = w.api_faults(t);
    if let Some(retry_after) = f.throttle {
        let mut r = arm_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "The request is being throttled as the limit has been reached for operation type - \
             Read_ObservationWindow_00:05:00. For more information, see - \
             https://aka.ms/srpthrottlinglimits",
        );
        r.0.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            HeaderValue::from(retry_after),
        );
        return Err(r);
    }
    match f.error {
        Some(503) => Err(arm_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "The server is currently unable to handle the request. Please retry your request.",
        )),
        Some(status) => Err(arm_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "InternalServerError",
            format!(
                "Encountered internal server error. Diagnostic information: timestamp '{}'.",
                t.format("%Y%m%dT%H%M%SZ")
            ),
        )),
        None => Ok(Duration::from_millis(f.delay_ms)),
    }
}

/// Adds ARM's response headers: request and correlation ids, remaining rate-limit budget.
pub fn add_arm_headers(
    resp: &mut Response,
    seed: u64,
    n: u64,
    req: &ArmRequest,
    location: &str,
    t: DateTime<Utc>,
) {
    let id = stable_guid(seed, &["request", &n.to_string()]);
    let correlation = req
        .headers
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| id.clone(), str::to_owned);
    let write = is_write(&req.method, &req.raw_path);
    let remaining = if write {
        199 - (n % 50)
    } else {
        249 - (n % 50)
    };
    let budget_header = if write {
        "x-ms-ratelimit-remaining-subscription-writes"
    } else {
        "x-ms-ratelimit-remaining-subscription-reads"
    };
    let h = resp.headers_mut();
    let mut put = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(HeaderName::from_static(name), v);
        }
    };
    put("x-ms-request-id", &id);
    put("x-ms-correlation-request-id", &correlation);
    put(budget_header, &remaining.to_string());
    put(
        "x-ms-routing-request-id",
        &format!(
            "{}:{}:{id}",
            location.to_ascii_uppercase(),
            t.format("%Y%m%dT%H%M%SZ")
        ),
    );
    put("cache-control", "no-cache");
    set_date(resp, t);
}

/// Sets the `Date` header to the virtual time (hyper would write the real one).
pub fn set_date(resp: &mut Response, t: DateTime<Utc>) {
    if let Ok(v) = HeaderValue::from_str(&super::rfc1123(t)) {
        resp.headers_mut().insert(axum::http::header::DATE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_mutations_only() {
        assert!(!is_write(&Method::GET, "/x"));
        assert!(!is_write(&Method::POST, "/s/config/appsettings/list"));
        assert!(!is_write(
            &Method::POST,
            "/providers/Microsoft.ResourceGraph/resources"
        ));
        assert!(is_write(&Method::POST, "/s/slots/staging/slotsswap"));
        assert!(is_write(&Method::PATCH, "/x"));
    }

    #[test]
    fn the_infrastructure_writes_count_as_writes() {
        let rg = "/subscriptions/s/resourceGroups/g/providers";
        for (m, p) in [
            (
                Method::PATCH,
                "Microsoft.Network/trafficmanagerprofiles/p/AzureEndpoints/e",
            ),
            (
                Method::PATCH,
                "Microsoft.Cdn/profiles/p/originGroups/g/origins/o",
            ),
            (
                Method::POST,
                "Microsoft.ServiceBus/namespaces/n/disasterRecoveryConfigs/a/failover",
            ),
            (
                Method::POST,
                "Microsoft.EventHub/namespaces/n/disasterRecoveryConfigs/a/breakPairing",
            ),
            (Method::POST, "Microsoft.Storage/storageAccounts/a/failover"),
            (Method::PUT, "Microsoft.Authorization/locks/l"),
            (Method::DELETE, "Microsoft.AlertsManagement/actionRules/r"),
            (Method::PUT, "Microsoft.Resources/deployments/d"),
        ] {
            assert!(is_write(&m, &format!("{rg}/{p}")), "{m} {p}");
        }
        // A what-if or a validation previews a deployment: it changes nothing.
        for p in ["whatIf", "validate"] {
            let path = format!("{rg}/Microsoft.Resources/deployments/d/{p}");
            assert!(!is_write(&Method::POST, &path), "{path}");
        }
        assert!(!is_write(
            &Method::GET,
            "/subscriptions/s/operationresults/x"
        ));
    }

    #[test]
    fn counters_count_by_method_and_surface() {
        let c = Counters::default();
        c.record(&Method::GET, "/subscriptions/x");
        c.record(&Method::HEAD, "/_queue/a/q");
        c.record(&Method::PUT, "/_queue/a/q");
        let s = c.snapshot();
        assert_eq!((s.total, s.writes), (3, 1));
        let log = c.write_log();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].number, log[0].method.as_str()), (3, "PUT"));
        assert_eq!(log[0].path, "/_queue/a/q");
        assert_eq!(s.by_method.get("HEAD"), Some(&1));
        assert_eq!(s.by_surface.get("queue"), Some(&2));
        assert_eq!(s.by_surface.get("arm"), Some(&1));
        assert_eq!(surface("/_logs/v1/workspaces/w/query"), "logs");
        assert!(!is_write(&Method::POST, "/_logs/v1/workspaces/w/query"));
    }

    #[test]
    fn api_versions_are_date_shaped() {
        assert!(version_shaped("2024-11-01"));
        assert!(version_shaped("2022-10-01-preview"));
        assert!(!version_shaped("latest"));
        assert!(!version_shaped("2024-13-01"));
    }
}
