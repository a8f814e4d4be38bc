//! Microsoft.Web reads: sites, slots, deployment history (ARM and Kudu) and Kudu's deployment
//! logs (masked with [`crate::azure::scrub`] before they leave the client), app settings, keys,
//! functions, and the apps' own health endpoints.

use url::Url;

use crate::azure::client::{AzureClient, RawAuth, RawOptions};
use crate::azure::error::Error;
use crate::azure::wire::api;
use crate::azure::wire::health::AppHealthReport;
use crate::azure::wire::kudu::{DeployResult, LogEntry};
use crate::azure::wire::web::{ArmDeployment, FunctionEnvelope, HostKeys, Site, StringDictionary};

use super::arm_ids::{ResourceGroupRef, enc};

/// What an app's health endpoint said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthProbe {
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The report, when the body parsed as one.
    pub report: Option<AppHealthReport>,
}

impl AzureClient {
    /// Lists the sites of a resource group (every page), slots included when asked.
    pub async fn list_sites(
        &self,
        rg: &ResourceGroupRef,
        include_slots: bool,
    ) -> Result<Vec<Site>, Error> {
        let path = format!(
            "{}?includeSlots={include_slots}",
            rg.provider("Microsoft.Web", "sites")
        );
        self.get_all(&path, api::WEB).await
    }

    /// Gets one site (`slot` = `production`) or slot.
    pub async fn get_site(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
        slot: &str,
    ) -> Result<Site, Error> {
        self.get_json(&rg.site(app, slot), api::WEB).await
    }

    /// Lists an app's slots (not production).
    pub async fn list_slots(&self, rg: &ResourceGroupRef, app: &str) -> Result<Vec<Site>, Error> {
        let path = format!("{}/slots", rg.site(app, "production"));
        self.get_all(&path, api::WEB).await
    }

    /// An app's ARM deployment records for one slot.
    pub async fn list_arm_deployments(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
        slot: &str,
    ) -> Result<Vec<ArmDeployment>, Error> {
        let path = format!("{}/deployments", rg.site(app, slot));
        self.get_all(&path, api::WEB).await
    }

    /// An app's Kudu deployment records; `kudu_base` is the SCM site's base URL.
    pub async fn kudu_deployments(&self, kudu_base: &str) -> Result<Vec<DeployResult>, Error> {
        let url = parse_url(&format!(
            "{}/api/deployments",
            kudu_base.trim_end_matches('/')
        ))?;
        let reply = self
            .get_raw(
                url,
                RawOptions {
                    auth: RawAuth::Arm,
                    retry: true,
                },
            )
            .await?
            .error_for_status()?;
        reply.json("Kudu deployments")
    }

    /// The log of one Kudu deployment (`GET /api/deployments/{id}/log`), oldest entry first. Each
    /// message is masked ([`crate::azure::scrub::scrub`]): build output can echo a connection
    /// string, and no secret leaves the client.
    pub async fn kudu_deployment_log(
        &self,
        kudu_base: &str,
        deployment_id: &str,
    ) -> Result<Vec<LogEntry>, Error> {
        let base = kudu_base.trim_end_matches('/');
        let url = parse_url(&format!(
            "{base}/api/deployments/{}/log",
            enc(deployment_id)
        ))?;
        self.kudu_log_at(url, "Kudu deployment log").await
    }

    /// The detail lines of a log entry, from the entry's `details_url`, masked like the log.
    /// The URL must be on the same SCM site as `kudu_base`: the ARM token goes nowhere else.
    pub async fn kudu_log_details(
        &self,
        kudu_base: &str,
        details_url: &str,
    ) -> Result<Vec<LogEntry>, Error> {
        let base = parse_url(kudu_base.trim_end_matches('/'))?;
        let url = parse_url(details_url)?;
        let same_site = url.origin() == base.origin() && url.path().starts_with(base.path());
        if !same_site {
            return Err(Error::Decode {
                what: "Kudu log details URL".into(),
                detail: format!(
                    "{} is not on the SCM site {}; not followed",
                    url.origin().ascii_serialization(),
                    base.origin().ascii_serialization()
                ),
            });
        }
        self.kudu_log_at(url, "Kudu deployment log details").await
    }

    async fn kudu_log_at(&self, url: Url, what: &str) -> Result<Vec<LogEntry>, Error> {
        let reply = self
            .get_raw(
                url,
                RawOptions {
                    auth: RawAuth::Arm,
                    retry: true,
                },
            )
            .await?
            .error_for_status()?;
        let mut entries: Vec<LogEntry> = reply.json(what)?;
        for e in &mut entries {
            e.message = crate::azure::scrub::scrub(&e.message);
        }
        Ok(entries)
    }

    /// An app's (or slot's) app settings. The values are secrets: callers digest them at once.
    pub async fn list_app_settings(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
        slot: &str,
    ) -> Result<StringDictionary, Error> {
        let path = format!("{}/config/appsettings/list", rg.site(app, slot));
        self.post_json(&path, api::WEB, &serde_json::json!({}))
            .await
    }

    /// An app's host keys (secrets).
    pub async fn list_host_keys(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
    ) -> Result<HostKeys, Error> {
        let path = format!("{}/host/default/listkeys", rg.site(app, "production"));
        self.post_json(&path, api::WEB, &serde_json::json!({}))
            .await
    }

    /// One function's keys (secrets).
    pub async fn list_function_keys(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
        function: &str,
    ) -> Result<StringDictionary, Error> {
        let path = format!(
            "{}/functions/{}/listkeys",
            rg.site(app, "production"),
            enc(function)
        );
        self.post_json(&path, api::WEB, &serde_json::json!({}))
            .await
    }

    /// An app's functions with their disabled state.
    pub async fn list_functions(
        &self,
        rg: &ResourceGroupRef,
        app: &str,
    ) -> Result<Vec<FunctionEnvelope>, Error> {
        let path = format!("{}/functions", rg.site(app, "production"));
        self.get_all(&path, api::WEB).await
    }

    /// Calls an app's health endpoint. A non-2xx answer is not an error here: the status and
    /// whatever report came with it are returned, because an unhealthy app answers 503.
    pub async fn probe_health(&self, url: &str) -> Result<HealthProbe, Error> {
        // No token goes to an app, and a probe is not retried: its answer now is the data.
        let raw = self
            .get_raw(
                parse_url(url)?,
                RawOptions {
                    auth: RawAuth::None,
                    retry: false,
                },
            )
            .await?;
        let report = serde_json::from_slice::<AppHealthReport>(&raw.body).ok();
        Ok(HealthProbe {
            http_status: raw.status,
            report,
        })
    }
}

/// Parses a URL built from an endpoint template.
pub(super) fn parse_url(s: &str) -> Result<Url, Error> {
    Url::parse(s).map_err(|e| Error::Decode {
        what: "endpoint URL".into(),
        detail: format!("{s:?}: {e}"),
    })
}
