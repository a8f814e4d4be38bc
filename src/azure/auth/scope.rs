//! OAuth scopes: which scope a token is asked for, per endpoint — ARM, the Storage data plane and
//! Azure Monitor's regional metrics. The ARM and metrics scopes are derived from the endpoint URLs
//! so sovereign clouds and the simulator get their own.
//!
//! Owns the scope strings only. It must not choose or build credentials (the parent's) nor ask
//! for tokens.

use url::Url;

/// The OAuth scope for the Storage data plane (queues).
pub const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

/// The OAuth scope for an ARM endpoint: its origin plus `/.default`
/// (`https://management.azure.com/.default` for the public cloud).
pub fn arm_scope(arm_base: &Url) -> String {
    format!("{}/.default", arm_base.origin().ascii_serialization())
}

/// The OAuth scope for Azure Monitor's regional metrics data plane, from the endpoint template
/// (`https://{region}.metrics.monitor.azure.com` gives `https://metrics.monitor.azure.com/.default`;
/// a sovereign cloud's template gives its own host the same way): the template's origin without
/// the `{region}.` label, plus `/.default`.
pub fn metrics_scope(template: &str) -> String {
    let base = template.replace("{region}.", "").replace("{region}", "");
    match Url::parse(&base) {
        Ok(url) => format!("{}/.default", url.origin().ascii_serialization()),
        Err(_) => "https://metrics.monitor.azure.com/.default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_scope_drops_the_region_label() {
        assert_eq!(
            metrics_scope("https://{region}.metrics.monitor.azure.com"),
            "https://metrics.monitor.azure.com/.default"
        );
        assert_eq!(
            metrics_scope("https://{region}.metrics.monitor.azure.cn/"),
            "https://metrics.monitor.azure.cn/.default"
        );
        assert_eq!(
            metrics_scope("http://127.0.0.1:8080/_metrics/{region}"),
            "http://127.0.0.1:8080/.default"
        );
    }

    #[test]
    fn scopes() {
        let public = Url::parse("https://management.azure.com/").expect("url");
        assert_eq!(arm_scope(&public), "https://management.azure.com/.default");
        let gov = Url::parse("https://management.usgovcloudapi.net").expect("url");
        assert_eq!(
            arm_scope(&gov),
            "https://management.usgovcloudapi.net/.default"
        );
    }
}
