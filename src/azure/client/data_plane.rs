//! Calls to data planes outside ARM that take an Entra token of their own scope (Azure Monitor's
//! regional metrics endpoint): one bearer pipeline per scope, built on first use from the
//! client's credential and kept for the client's life.
//!
//! Owns the per-scope pipelines and the data-plane POST. It must not send a token for one scope
//! to a call made for another, nor send any token when the client has no credential.

use super::{AzureClient, Method, Policy, Request, RetryClass, pipeline};
use crate::azure::error::{Error, Result};
use crate::azure::pipeline::RequireTls;
use azure_core::http::Pipeline;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use url::Url;

impl AzureClient {
    /// The read pipeline that carries a token for `scope`: built on first use and kept, so every
    /// call for one scope shares one bearer policy and its token cache (and, under it, the
    /// credential's own per-scope cache). With no credential, the anonymous read pipeline.
    fn scoped_reads(&self, scope: &str) -> Pipeline {
        let Some(credential) = &self.inner.credential else {
            return self.inner.anon_reads.clone();
        };
        // A poisoned lock only means another call panicked while inserting; the map is intact.
        let mut map = self
            .inner
            .scoped_reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(scope.to_owned())
            .or_insert_with(|| {
                let auth: Vec<Arc<dyn Policy>> = vec![
                    Arc::new(RequireTls),
                    Arc::new(BearerTokenAuthorizationPolicy::new(
                        credential.clone(),
                        [scope.to_owned()],
                    )),
                ];
                pipeline::build(
                    &self.inner.settings,
                    &self.inner.transport,
                    RetryClass::Reads,
                    auth,
                )
            })
            .clone()
    }

    /// POSTs a JSON body to a data-plane URL outside ARM (Azure Monitor's batch metrics) with a
    /// token for `scope`, and decodes the JSON answer. The POST must be a query that changes
    /// nothing: it is retried as reads are (429, 5xx, transport failures). With no credential it
    /// carries no `Authorization` header. `what` names the call in errors.
    pub async fn post_data_plane<B: Serialize, T: DeserializeOwned>(
        &self,
        url: Url,
        scope: &str,
        body: &B,
        what: &str,
    ) -> Result<T> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Decode {
            what: format!("{what} request body"),
            detail: e.to_string(),
        })?;
        let pipeline = self.scoped_reads(scope);
        let mut request = Request::new(url, Method::Post);
        request.insert_header("accept", "application/json");
        request.insert_header("content-type", "application/json");
        request.set_body(bytes);
        pipeline::send(&pipeline, &mut request, self.inner.settings.timeout)
            .await?
            .error_for_status()?
            .json(&format!("{what} response"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::client::ClientConfig;
    use crate::azure::error::Error;
    use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
    use azure_core::http::headers::{AUTHORIZATION, Headers};
    use azure_core::http::{AsyncRawResponse, HttpClient, StatusCode, Transport};
    use azure_core::time::OffsetDateTime;
    use std::sync::Mutex;

    const METRICS_SCOPE: &str = "https://metrics.monitor.azure.com/.default";

    /// Hands out a token named after the scope asked for, and records the scopes.
    #[derive(Debug, Default)]
    struct ScopeCredential {
        asked: Mutex<Vec<String>>,
    }

    #[async_trait::async_trait]
    impl TokenCredential for ScopeCredential {
        async fn get_token(
            &self,
            scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            let scope = scopes.join(" ");
            self.asked.lock().expect("lock").push(scope.clone());
            Ok(AccessToken::new(
                format!("token-for {scope}"),
                OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1),
            ))
        }
    }

    /// Answers every request with `{"value":[]}` and records URL and `Authorization` header.
    #[derive(Debug, Default)]
    struct Recorder {
        seen: Mutex<Vec<(String, Option<String>)>>,
    }

    #[async_trait::async_trait]
    impl HttpClient for Recorder {
        async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
            let auth = request
                .headers()
                .get_optional_str(&AUTHORIZATION)
                .map(str::to_owned);
            self.seen
                .lock()
                .expect("lock")
                .push((request.url().to_string(), auth));
            Ok(AsyncRawResponse::from_bytes(
                StatusCode::Ok,
                Headers::new(),
                br#"{"value":[]}"#.to_vec(),
            ))
        }
    }

    fn client(arm: &str, credential: Option<Arc<ScopeCredential>>) -> (AzureClient, Arc<Recorder>) {
        let recorder = Arc::new(Recorder::default());
        let mut config = ClientConfig::new(Url::parse(arm).expect("url"));
        config.credential = credential.map(|c| c as Arc<dyn TokenCredential>);
        config.transport = Some(Transport::new(recorder.clone()));
        (AzureClient::new(config).expect("client"), recorder)
    }

    #[tokio::test]
    async fn a_data_plane_call_carries_a_token_for_its_own_scope() {
        let credential = Arc::new(ScopeCredential::default());
        let (client, recorder) = client("https://management.azure.com", Some(credential.clone()));
        let url = Url::parse(
            "https://koreacentral.metrics.monitor.azure.com/subscriptions/s/metrics:getBatch",
        )
        .expect("url");
        for _ in 0..2 {
            let _: serde_json::Value = client
                .post_data_plane(url.clone(), METRICS_SCOPE, &serde_json::json!({}), "batch")
                .await
                .expect("answer");
        }
        let _: serde_json::Value = client
            .get_json("/subscriptions/s", "2024-01-01")
            .await
            .expect("ARM answer");
        let seen = recorder.seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 3);
        for (_, auth) in &seen[..2] {
            assert_eq!(
                auth.as_deref(),
                Some(&*format!("Bearer token-for {METRICS_SCOPE}"))
            );
        }
        assert_eq!(
            seen[2].1.as_deref(),
            Some("Bearer token-for https://management.azure.com/.default"),
            "ARM calls keep the ARM token"
        );
        let asked = credential.asked.lock().expect("lock").clone();
        assert_eq!(
            asked.iter().filter(|s| *s == METRICS_SCOPE).count(),
            1,
            "the metrics token is cached across calls: {asked:?}"
        );
    }

    #[tokio::test]
    async fn without_a_credential_no_authorization_header_is_sent() {
        let (client, recorder) = client("http://127.0.0.1:9", None);
        let url = Url::parse("http://127.0.0.1:9/_metrics/koreacentral/x").expect("url");
        let _: serde_json::Value = client
            .post_data_plane(url, METRICS_SCOPE, &serde_json::json!({}), "batch")
            .await
            .expect("answer");
        let seen = recorder.seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].1, None);
    }

    #[tokio::test]
    async fn a_token_is_never_sent_over_plain_http() {
        let credential = Arc::new(ScopeCredential::default());
        let (client, recorder) = client("https://management.azure.com", Some(credential));
        let url = Url::parse("http://metrics.example/x").expect("url");
        let r: Result<serde_json::Value> = client
            .post_data_plane(url, METRICS_SCOPE, &serde_json::json!({}), "batch")
            .await;
        assert!(matches!(r, Err(Error::Auth(_))), "{r:?}");
        assert!(recorder.seen.lock().expect("lock").is_empty());
    }
}
