//! `AzureClient`: the one client every read and action goes through, against real ARM or the
//! simulator alike. JSON helpers for ARM paths, `nextLink` paging, and raw GETs for non-ARM
//! endpoints (health probes, Kudu).
//!
//! Owns URL building (ARM base + path + `api-version`), the choice of pipeline per call, and the
//! rule that a token only ever goes to the ARM origin (or where a caller explicitly asks, with the
//! scope it names: [`AzureClient::post_data_plane`]). It must not know which resources exist;
//! callers pass paths and api-versions.
//!
//! Paging is a plain loop rather than azure_core's `Pager`: the pager yields azure_core errors
//! (we would lose ARM's typed code), needs the `futures` stream traits, and every caller wants
//! the whole collection anyway. The loop checks each `nextLink` stays on the ARM origin.

use super::auth::arm_scope;
use super::error::{Error, Result};
use super::pipeline::{self, RequireTls, RetryClass, Settings};
use super::reply::RawReply;
use super::wire::Page;
use azure_core::credentials::TokenCredential;
use azure_core::http::policies::Policy;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use azure_core::http::{Pipeline, Request, Transport};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

mod data_plane;

pub use azure_core::http::Method;

/// The most pages [`AzureClient::get_all`] follows before it decides the service is looping.
pub const MAX_PAGES: usize = 1000;

/// How to build an [`AzureClient`].
#[derive(Clone)]
pub struct ClientConfig {
    /// ARM's base URL: `https://management.azure.com` or the simulator's loopback URL.
    pub arm_base: Url,
    /// The credential; `None` sends no `Authorization` header (the simulator accepts that).
    pub credential: Option<Arc<dyn TokenCredential>>,
    /// Scope for ARM tokens; defaults to [`arm_scope`] of `arm_base`.
    pub arm_scope: Option<String>,
    /// Deadline for one call including retries.
    pub timeout: Duration,
    /// Deadline for one attempt.
    pub try_timeout: Duration,
    /// Deadline for opening a connection.
    pub connect_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay; doubles per retry.
    pub retry_initial_delay: Duration,
    /// The longest `Retry-After` on a 429 worth waiting for; longer gives [`Error::Throttled`].
    pub max_retry_after: Duration,
    /// Replaces the reqwest transport (a proxy-aware client, or a test double).
    pub transport: Option<Transport>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("arm_base", &self.arm_base.as_str())
            .field("credential", &self.credential.is_some())
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// Defaults for `arm_base` with no credential: 60 s per call, 30 s per attempt, 4 retries.
    pub fn new(arm_base: Url) -> Self {
        let s = Settings::default();
        Self {
            arm_base,
            credential: None,
            arm_scope: None,
            timeout: s.timeout,
            try_timeout: s.try_timeout,
            connect_timeout: s.connect_timeout,
            max_retries: s.max_retries,
            retry_initial_delay: s.retry_initial_delay,
            max_retry_after: s.max_retry_after,
            transport: None,
        }
    }

    /// The same configuration with a credential.
    #[must_use]
    pub fn with_credential(mut self, credential: Option<Arc<dyn TokenCredential>>) -> Self {
        self.credential = credential;
        self
    }

    pub(crate) fn settings(&self) -> Settings {
        Settings {
            timeout: self.timeout,
            try_timeout: self.try_timeout,
            connect_timeout: self.connect_timeout,
            max_retries: self.max_retries,
            retry_initial_delay: self.retry_initial_delay,
            max_retry_after: self.max_retry_after,
        }
    }
}

/// Whether a raw request carries the ARM token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawAuth {
    /// No `Authorization` header (health probes: never hand a token to an app).
    None,
    /// The ARM-scoped token (Kudu accepts it); https only.
    Arm,
}

/// Options for [`AzureClient::get_raw`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawOptions {
    /// Whether to send the ARM token.
    pub auth: RawAuth,
    /// Whether to retry 429/5xx and transport failures (off for probes).
    pub retry: bool,
}

struct Inner {
    arm_base: Url,
    settings: Settings,
    transport: Transport,
    arm_reads: Pipeline,
    arm_writes: Pipeline,
    arm_once: Pipeline,
    anon_reads: Pipeline,
    anon_once: Pipeline,
    /// Kept to build bearer pipelines for other scopes (data planes) on first use.
    credential: Option<Arc<dyn TokenCredential>>,
    /// Read pipelines carrying a token for a non-ARM scope, one per scope, built lazily.
    scoped_reads: Mutex<HashMap<String, Pipeline>>,
}

/// The REST client. Cheap to clone; clones share connections and the token cache.
#[derive(Clone)]
pub struct AzureClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for AzureClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureClient")
            .field("arm_base", &self.inner.arm_base.as_str())
            .finish_non_exhaustive()
    }
}

impl AzureClient {
    /// Builds the client and its pipelines.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let settings = config.settings();
        let transport = match config.transport {
            Some(transport) => transport,
            None => pipeline::http_transport(&settings)?,
        };
        // One bearer policy shared by every ARM pipeline, so they share its token cache.
        let auth: Vec<Arc<dyn Policy>> = match &config.credential {
            Some(credential) => {
                let scope = config
                    .arm_scope
                    .clone()
                    .unwrap_or_else(|| arm_scope(&config.arm_base));
                vec![
                    Arc::new(RequireTls),
                    Arc::new(BearerTokenAuthorizationPolicy::new(
                        credential.clone(),
                        [scope],
                    )),
                ]
            }
            None => Vec::new(),
        };
        let build = |retry, auth: &Vec<Arc<dyn Policy>>| {
            pipeline::build(&settings, &transport, retry, auth.clone())
        };
        let inner = Inner {
            arm_reads: build(RetryClass::Reads, &auth),
            arm_writes: build(RetryClass::Writes, &auth),
            arm_once: build(RetryClass::None, &auth),
            anon_reads: build(RetryClass::Reads, &Vec::new()),
            anon_once: build(RetryClass::None, &Vec::new()),
            arm_base: config.arm_base,
            settings,
            transport,
            credential: config.credential,
            scoped_reads: Mutex::new(HashMap::new()),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The ARM base URL this client talks to.
    pub fn arm_base(&self) -> &Url {
        &self.inner.arm_base
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The URL for an ARM path (which may carry its own query, such as `$filter`) with
    /// `api-version` appended.
    pub fn arm_url(&self, path: &str, api_version: &str) -> Result<Url> {
        let base = self.inner.arm_base.as_str().trim_end_matches('/');
        let sep = if path.starts_with('/') { "" } else { "/" };
        let mut url = Url::parse(&format!("{base}{sep}{path}")).map_err(|e| Error::Decode {
            what: "request path".into(),
            detail: format!("{path:?} does not make a URL: {e}"),
        })?;
        if !url.query_pairs().any(|(k, _)| k == "api-version") {
            url.query_pairs_mut()
                .append_pair("api-version", api_version);
        }
        Ok(url)
    }

    /// Checks that an absolute link from a response (`nextLink`, an LRO status URL) points at
    /// the ARM origin, so the token never follows a link elsewhere.
    pub fn checked_arm_link(&self, link: &str, what: &str) -> Result<Url> {
        let url = Url::parse(link).map_err(|e| Error::Decode {
            what: what.to_string(),
            detail: format!("not a URL: {e}"),
        })?;
        if url.origin() != self.inner.arm_base.origin() {
            return Err(Error::Decode {
                what: what.to_string(),
                detail: format!(
                    "points to {}, not the ARM endpoint {}",
                    url.origin().ascii_serialization(),
                    self.inner.arm_base.origin().ascii_serialization()
                ),
            });
        }
        Ok(url)
    }

    /// Sends one ARM request and returns the reply if it is 2xx, else the typed error.
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<RawReply> {
        let pipeline = match method {
            Method::Get | Method::Head => &self.inner.arm_reads,
            _ => &self.inner.arm_writes,
        };
        let mut request = Request::new(url, method);
        request.insert_header("accept", "application/json");
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body).map_err(|e| Error::Decode {
                what: "request body".into(),
                detail: e.to_string(),
            })?;
            request.insert_header("content-type", "application/json");
            request.set_body(bytes);
        }
        pipeline::send(pipeline, &mut request, self.inner.settings.timeout)
            .await?
            .error_for_status()
    }

    async fn json_call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        api_version: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let url = self.arm_url(path, api_version)?;
        let value = body
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| Error::Decode {
                what: "request body".into(),
                detail: e.to_string(),
            })?;
        let reply = self.send(method, url, value.as_ref()).await?;
        reply.json(&format!("{method} {path} response"))
    }

    /// GET an ARM path and decode the JSON body.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str, api_version: &str) -> Result<T> {
        self.json_call::<(), T>(Method::Get, path, api_version, None)
            .await
    }

    /// POST a JSON body to an ARM path and decode the JSON answer.
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        body: &B,
    ) -> Result<T> {
        self.json_call(Method::Post, path, api_version, Some(body))
            .await
    }

    /// PUT a JSON body to an ARM path and decode the JSON answer.
    pub async fn put_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        body: &B,
    ) -> Result<T> {
        self.json_call(Method::Put, path, api_version, Some(body))
            .await
    }

    /// PATCH an ARM path with a JSON body and decode the JSON answer.
    pub async fn patch_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        body: &B,
    ) -> Result<T> {
        self.json_call(Method::Patch, path, api_version, Some(body))
            .await
    }

    /// Sends an ARM action whose answer may be empty or a long-running operation (202 with
    /// `Azure-AsyncOperation`/`Location`); hand the reply to [`super::lro::wait`].
    pub async fn begin(
        &self,
        method: Method,
        path: &str,
        api_version: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<RawReply> {
        let url = self.arm_url(path, api_version)?;
        self.send(method, url, body).await
    }

    /// GET an absolute URL on the ARM origin (a `nextLink` or an LRO status URL).
    pub async fn get_arm_link(&self, link: &str, what: &str) -> Result<RawReply> {
        let url = self.checked_arm_link(link, what)?;
        self.send(Method::Get, url, None).await
    }

    /// GET every item of an ARM collection, following `nextLink` until the last page.
    /// Any page failing fails the whole call: a partial list must not pass for a whole one.
    pub async fn get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
    ) -> Result<Vec<T>> {
        let first: Page<T> = self.get_json(path, api_version).await?;
        let mut items = first.value;
        let mut next = first.next_link.filter(|l| !l.trim().is_empty());
        let mut seen = HashSet::new();
        let mut pages = 1;
        while let Some(link) = next {
            if !seen.insert(link.clone()) || pages >= MAX_PAGES {
                return Err(Error::Decode {
                    what: format!("{path} paging"),
                    detail: format!("nextLink repeats or exceeds {MAX_PAGES} pages"),
                });
            }
            let reply = self.get_arm_link(&link, "nextLink").await?;
            let page: Page<T> = reply.json(&format!("{path} page {}", pages + 1))?;
            items.extend(page.value);
            next = page.next_link.filter(|l| !l.trim().is_empty());
            pages += 1;
        }
        Ok(items)
    }

    /// GET any URL and return status, headers and body whatever the status (health probes,
    /// Kudu). Only failures to get an answer are errors.
    pub async fn get_raw(&self, url: Url, options: RawOptions) -> Result<RawReply> {
        let pipeline = match (options.auth, options.retry) {
            (RawAuth::Arm, true) => &self.inner.arm_reads,
            (RawAuth::Arm, false) => &self.inner.arm_once,
            (RawAuth::None, true) => &self.inner.anon_reads,
            (RawAuth::None, false) => &self.inner.anon_once,
        };
        let mut request = Request::new(url, Method::Get);
        pipeline::send(pipeline, &mut request, self.inner.settings.timeout).await
    }
}
