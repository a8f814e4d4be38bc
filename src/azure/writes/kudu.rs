//! Kudu: zip deploy from a package URI (async, polled until done) and the artifact store's listing.
//!
//! Zip deploy follows AZURE-API.md section 3 rows 17a/17b: `POST {scm}/api/zipdeploy?isAsync=true`
//! with `{"packageUri": …}` (the ARM token, as for Kudu reads), 409 when a deployment is already
//! running, then `GET` the answer's `Location` (else `/api/deployments/latest`) until Kudu says
//! Success (4, or Complete 5) or Failed (3). The listing is the Blob service's List Blobs on the
//! estate's `[artifact-store]` container, every page, zips only.
//!
//! Owns these calls only. A package URI may carry a SAS token: it travels in a [`Redacted`] and
//! is never put into an error or a log line.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use url::Url;

use crate::azure::auth::STORAGE_SCOPE;
use crate::azure::client::{AzureClient, Method, RawAuth, RawOptions};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::pipeline::{self, RequireTls, RetryClass};
use crate::azure::queues::{QueueAuth, QueueClient, STORAGE_VERSION};
use crate::azure::redacted::Redacted;
use crate::azure::shared_key::{SharedKey, SharedKeyPolicy, http_date};
use crate::azure::wire::blob::BlobList;
use crate::azure::wire::kudu::{DeployResult, DeployStatus, ZipDeployRequest};
use azure_core::http::Request;
use azure_core::http::policies::Policy;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;

/// A Kudu deployment record, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KuduDeployment {
    /// Deployment id.
    pub id: String,
    /// Status.
    pub status: DeployStatus,
    /// Kudu's message: the release version for warroom's estates.
    pub message: Option<String>,
    /// Status text (why it failed, when it did).
    pub status_text: Option<String>,
    /// Deployer, e.g. `ZipDeploy`.
    pub deployer: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Start time, as Kudu wrote it.
    pub start_time: Option<String>,
    /// End time, as Kudu wrote it.
    pub end_time: Option<String>,
    /// Whether it completed.
    pub complete: bool,
    /// Whether it is the slot's active deployment.
    pub active: bool,
}

impl From<DeployResult> for KuduDeployment {
    fn from(d: DeployResult) -> Self {
        Self {
            status: d.deploy_status(),
            id: d.id,
            message: d.message,
            status_text: d.status_text.filter(|t| !t.is_empty()),
            deployer: d.deployer,
            author: d.author,
            start_time: d.start_time,
            end_time: d.end_time,
            complete: d.complete,
            active: d.active,
        }
    }
}

/// Why a zip deployment did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipDeployError {
    /// Kudu answered 409: a deployment is already running on the site.
    #[error("Kudu refused the deployment: another deployment is in progress (409 Conflict)")]
    InProgress,
    /// The deployment ran and failed (status 3).
    #[error("deployment {} failed: {}", .0.id, .0.status_text.as_deref().unwrap_or("no reason given"))]
    Failed(Box<KuduDeployment>),
    /// The calls failed, or the wait ran out ([`Error::Timeout`]).
    #[error(transparent)]
    Azure(#[from] Error),
}

fn kudu_url(kudu_base: &str, path: &str) -> Result<Url> {
    let s = format!("{}{path}", kudu_base.trim_end_matches('/'));
    Url::parse(&s).map_err(|e| Error::Decode {
        what: "Kudu URL".into(),
        detail: format!("{s:?}: {e}"),
    })
}

const KUDU_READ: RawOptions = RawOptions {
    auth: RawAuth::Arm,
    retry: true,
};

/// The latest deployment record, or `None` when the site has none yet (404).
async fn latest(client: &AzureClient, url: Url) -> Result<Option<DeployResult>> {
    let reply = client.get_raw(url, KUDU_READ).await?;
    if reply.status == 404 {
        return Ok(None);
    }
    reply.error_for_status()?.json("Kudu deployment").map(Some)
}

/// Deploys the zip at `package_uri` to the SCM site at `kudu_base` (`{scm}` of one app or slot)
/// and waits until Kudu reports it done, reporting each poll to `progress` (status `building`,
/// `deploying`, …).
pub async fn zip_deploy(
    client: &AzureClient,
    kudu_base: &str,
    package_uri: &Redacted<String>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<KuduDeployment, ZipDeployError> {
    let clock = TokioClock::start();
    zip_deploy_with_clock(client, kudu_base, package_uri, options, progress, &clock).await
}

/// [`zip_deploy`] with an injected clock (tests drive a virtual one).
pub async fn zip_deploy_with_clock(
    client: &AzureClient,
    kudu_base: &str,
    package_uri: &Redacted<String>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<KuduDeployment, ZipDeployError> {
    let latest_url = kudu_url(kudu_base, "/api/deployments/latest")?;
    // What was latest before, so that it is not taken for ours before Kudu registers ours.
    let before = latest(client, latest_url.clone()).await?.map(|d| d.id);
    let body = serde_json::to_value(ZipDeployRequest {
        package_uri: package_uri.expose().clone(),
    })
    .map_err(|e| Error::Decode {
        what: "zip deploy body".into(),
        detail: e.to_string(),
    })?;
    let post = kudu_url(kudu_base, "/api/zipdeploy?isAsync=true")?;
    let accepted = match client.send(Method::Post, post, Some(&body)).await {
        Ok(reply) => reply,
        Err(e) if e.status() == Some(409) => return Err(ZipDeployError::InProgress),
        Err(e) => return Err(e.into()),
    };
    let poll_url = accepted
        .header("location")
        .and_then(|l| Url::parse(l).ok())
        .filter(|l| l.origin() == latest_url.origin())
        .unwrap_or(latest_url);
    let interval = options.default_interval.max(options.poll_floor);
    let mut polls = 0u32;
    loop {
        if clock.elapsed() + interval > options.timeout {
            return Err(Error::Timeout.into());
        }
        clock.sleep(interval).await;
        polls += 1;
        let status = match latest(client, poll_url.clone()).await? {
            Some(d) if before.as_deref() == Some(d.id.as_str()) && d.complete => {
                "pending".to_owned()
            }
            Some(d) => match d.deploy_status() {
                DeployStatus::Success | DeployStatus::Complete => return Ok(d.into()),
                DeployStatus::Failed => {
                    return Err(ZipDeployError::Failed(Box::new(d.into())));
                }
                other => other.label().to_owned(),
            },
            None => "pending".to_owned(),
        };
        progress(&LroProgress {
            polls,
            status,
            percent_complete: None,
            elapsed: clock.elapsed(),
            next_poll_in: interval,
        });
    }
}

/// One release zip in the artifact store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Blob name, e.g. `orders-api/2026.04.04.zip`.
    pub name: String,
    /// The folder part of the name (the service), when there is one.
    pub service: Option<String>,
    /// The file name without `.zip` (the version).
    pub version: String,
    /// When the blob was last written.
    pub last_modified: DateTime<Utc>,
    /// Size in bytes.
    pub size: u64,
}

impl Artifact {
    /// The artifact a blob name stands for, if it is a zip.
    fn from_blob(name: String, last_modified: DateTime<Utc>, size: u64) -> Option<Self> {
        let (service, file) = match name.rsplit_once('/') {
            Some((dir, file)) => (Some(dir.to_owned()), file),
            None => (None, name.as_str()),
        };
        let version = file
            .strip_suffix(".zip")
            .or_else(|| file.strip_suffix(".ZIP"))
            .filter(|v| !v.is_empty())?
            .to_owned();
        Some(Self {
            name,
            service,
            version,
            last_modified,
            size,
        })
    }
}

/// The read pipeline for the Blob service with `auth` (as the queue client builds its own).
fn blob_pipeline(client: &AzureClient, auth: QueueAuth) -> Result<azure_core::http::Pipeline> {
    let policies: Vec<Arc<dyn Policy>> = match auth {
        QueueAuth::None => Vec::new(),
        QueueAuth::Bearer(credential) => vec![
            Arc::new(RequireTls),
            Arc::new(BearerTokenAuthorizationPolicy::new(
                credential,
                [STORAGE_SCOPE],
            )),
        ],
        QueueAuth::SharedKey { account, key } => {
            vec![Arc::new(SharedKeyPolicy(SharedKey::new(&account, &key)?))]
        }
    };
    Ok(pipeline::build(
        client.settings(),
        client.transport(),
        RetryClass::Reads,
        policies,
    ))
}

/// Every zip in a container of the Blob service at `account_url` (the estate's blob endpoint
/// with its `{account}` filled in), following `NextMarker` to the last page.
pub async fn list_artifacts(
    client: &AzureClient,
    auth: QueueAuth,
    account_url: &Url,
    container: &str,
) -> Result<Vec<Artifact>> {
    let pipeline = blob_pipeline(client, auth)?;
    list_with(&pipeline, client.settings().timeout, account_url, container).await
}

/// [`list_artifacts`] through a Storage data-plane client's reads, with its authorisation (the
/// observer's: it lists the store with the deployment history).
pub async fn list_artifacts_with(
    queues: &QueueClient,
    account_url: &Url,
    container: &str,
) -> Result<Vec<Artifact>> {
    let (pipeline, timeout) = queues.read_pipeline();
    list_with(pipeline, timeout, account_url, container).await
}

async fn list_with(
    pipeline: &azure_core::http::Pipeline,
    timeout: std::time::Duration,
    account_url: &Url,
    container: &str,
) -> Result<Vec<Artifact>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..crate::azure::client::MAX_PAGES {
        let mut url = account_url.clone();
        url.set_query(None);
        url.path_segments_mut()
            .map_err(|()| Error::Decode {
                what: "blob URL".into(),
                detail: "the account URL cannot take a path".into(),
            })?
            .pop_if_empty()
            .push(container);
        url.query_pairs_mut()
            .append_pair("restype", "container")
            .append_pair("comp", "list");
        if let Some(m) = &marker {
            url.query_pairs_mut().append_pair("marker", m);
        }
        let mut request = Request::new(url, Method::Get);
        request.insert_header("x-ms-version", STORAGE_VERSION);
        request.insert_header("x-ms-date", http_date(Utc::now()));
        let reply = pipeline::send(pipeline, &mut request, timeout)
            .await?
            .error_for_status()?;
        let text = std::str::from_utf8(&reply.body).map_err(|_| Error::Decode {
            what: "blob list".into(),
            detail: "body is not UTF-8".into(),
        })?;
        let page = BlobList::parse(text).ok_or_else(|| Error::Decode {
            what: "blob list".into(),
            detail: "not an EnumerationResults body with named, dated, sized blobs".into(),
        })?;
        for b in page.blobs {
            let at = DateTime::parse_from_rfc2822(b.last_modified.trim())
                .map_err(|e| Error::Decode {
                    what: "blob Last-Modified".into(),
                    detail: format!("{:?}: {e}", b.last_modified),
                })?
                .with_timezone(&Utc);
            out.extend(Artifact::from_blob(b.name, at, b.content_length));
        }
        match page.next_marker {
            Some(m) => marker = Some(m),
            None => return Ok(out),
        }
    }
    Err(Error::Decode {
        what: "blob list paging".into(),
        detail: "NextMarker did not end".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_are_zips_named_by_service_and_version() {
        let t = Utc::now();
        let a = Artifact::from_blob("orders-api/2026.04.04.zip".into(), t, 3).expect("zip");
        assert_eq!(a.service.as_deref(), Some("orders-api"));
        assert_eq!(a.version, "2026.04.04");
        let bare = Artifact::from_blob("1.2.3.zip".into(), t, 1).expect("zip");
        assert_eq!((bare.service, bare.version.as_str()), (None, "1.2.3"));
        assert!(Artifact::from_blob("orders-api/readme.txt".into(), t, 1).is_none());
        assert!(Artifact::from_blob("orders-api/.zip".into(), t, 1).is_none());
    }

    #[test]
    fn a_failed_deployment_names_its_reason_but_not_its_package() {
        let d = KuduDeployment::from(DeployResult {
            id: "abc".into(),
            status: 3,
            status_text: Some("Failed to download the package".into()),
            ..DeployResult::default()
        });
        assert_eq!(d.status, DeployStatus::Failed);
        let e = ZipDeployError::Failed(Box::new(d));
        assert_eq!(
            e.to_string(),
            "deployment abc failed: Failed to download the package"
        );
    }
}
