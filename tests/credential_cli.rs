//! Credentials through the Azure CLI, with a fake `az` on a private PATH (injected executor):
//! the token request, caching, failures, and the token on ARM and Storage requests.

mod common;

use azure_core::credentials::TokenCredential;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{AsyncRawResponse, Context, Request, StatusCode, Transport};
use common::{CLI_TOKEN, TempDir, az_calls, az_last_args, options_with_fake_az, write_fake_az};
use std::sync::{Arc, Mutex};
use url::Url;
use warroom::azure::{
    AzureClient, ClientConfig, CredentialKind, Error, QueueAuth, build_credential,
};

const ARM_SCOPE: &str = "https://management.azure.com/.default";

#[tokio::test]
async fn azure_cli_credential_runs_az_and_caches_the_token() {
    let dir = TempDir::new("az-ok");
    write_fake_az(&dir.0, None);
    let cred = build_credential(CredentialKind::AzureCli, &options_with_fake_az(&dir.0))
        .expect("build")
        .expect("a credential");
    let token = cred.get_token(&[ARM_SCOPE], None).await.expect("token");
    assert_eq!(token.token.secret(), CLI_TOKEN);
    assert_eq!(token.expires_on.unix_timestamp(), 4_070_908_800);
    assert_eq!(
        az_last_args(&dir.0),
        format!("account get-access-token -o json --scope {ARM_SCOPE}")
    );
    cred.get_token(&[ARM_SCOPE], None).await.expect("cached");
    assert_eq!(
        az_calls(&dir.0),
        1,
        "the second request is served from the cache"
    );
    assert!(
        !format!("{token:?}").contains(CLI_TOKEN),
        "tokens never print"
    );
}

#[tokio::test]
async fn developer_tools_uses_the_same_az() {
    let dir = TempDir::new("az-dev");
    write_fake_az(&dir.0, None);
    let cred = build_credential(
        CredentialKind::DeveloperTools,
        &options_with_fake_az(&dir.0),
    )
    .expect("build")
    .expect("a credential");
    let token = cred.get_token(&[ARM_SCOPE], None).await.expect("token");
    assert_eq!(token.token.secret(), CLI_TOKEN);
    assert_eq!(az_calls(&dir.0), 1);
}

#[tokio::test]
async fn a_failing_az_reports_why() {
    let dir = TempDir::new("az-fail");
    write_fake_az(&dir.0, Some("Please run 'az login' to setup account."));
    let cred = build_credential(CredentialKind::AzureCli, &options_with_fake_az(&dir.0))
        .expect("build")
        .expect("a credential");
    let err = cred
        .get_token(&[ARM_SCOPE], None)
        .await
        .expect_err("not logged in");
    assert!(err.to_string().contains("az login"), "{err}");
}

/// What the capturing transport saw of one request: URL, `Authorization`, `x-ms-version`, and
/// whether `x-ms-date` was present.
type Seen = (String, Option<String>, Option<String>, bool);

/// A transport that answers 200 `{}` and records each request's URL and headers.
#[derive(Debug, Default)]
struct Capture(Mutex<Vec<Seen>>);

#[async_trait::async_trait]
impl Policy for Capture {
    async fn send(
        &self,
        _: &Context,
        request: &mut Request,
        _: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let header = |name: &'static str| {
            request
                .headers()
                .get_optional_str(&azure_core::http::headers::HeaderName::from_static(name))
                .map(str::to_string)
        };
        self.0.lock().expect("lock").push((
            request.url().to_string(),
            header("authorization"),
            header("x-ms-version"),
            header("x-ms-date").is_some(),
        ));
        let mut headers = azure_core::http::headers::Headers::new();
        headers.insert("x-ms-approximate-messages-count", "5");
        Ok(AsyncRawResponse::from_bytes(StatusCode::Ok, headers, "{}"))
    }
}

#[tokio::test]
async fn the_token_goes_on_arm_and_storage_requests_and_is_fetched_once_per_scope() {
    let dir = TempDir::new("az-wire");
    write_fake_az(&dir.0, None);
    let cred: Arc<dyn TokenCredential> =
        build_credential(CredentialKind::AzureCli, &options_with_fake_az(&dir.0))
            .expect("build")
            .expect("a credential");
    let capture = Arc::new(Capture::default());
    let mut config = ClientConfig::new(Url::parse("https://management.azure.com").expect("url"))
        .with_credential(Some(cred.clone()));
    config.transport = Some(Transport::with_policy(capture.clone()));
    let client = AzureClient::new(config).expect("client");

    let _: serde_json::Value = client
        .get_json("/subscriptions", "2022-12-01")
        .await
        .expect("get");
    let _: serde_json::Value = client
        .get_json("/subscriptions", "2022-12-01")
        .await
        .expect("get");
    assert_eq!(az_calls(&dir.0), 1, "one az run serves both ARM calls");

    let queues = client.queues(QueueAuth::Bearer(cred)).expect("queues");
    let account = Url::parse("https://acct.queue.core.windows.net").expect("url");
    assert_eq!(
        queues
            .queue_metadata(&account, "orders")
            .await
            .expect("count"),
        5
    );
    assert_eq!(az_calls(&dir.0), 2, "storage needs its own scope");
    assert!(az_last_args(&dir.0).ends_with("--scope https://storage.azure.com/.default"));

    let seen = capture.0.lock().expect("lock").clone();
    assert!(seen[2].3, "x-ms-date sent");
    assert_eq!(seen.len(), 3);
    let bearer = format!("Bearer {CLI_TOKEN}");
    for (url, auth, _, _) in &seen {
        assert_eq!(auth.as_deref(), Some(bearer.as_str()), "{url}");
    }
    assert_eq!(
        seen[2].0,
        "https://acct.queue.core.windows.net/orders?comp=metadata"
    );
    assert_eq!(seen[2].2.as_deref(), Some("2026-02-06"));
}

#[tokio::test]
async fn bearer_queues_refuse_plain_http() {
    let dir = TempDir::new("az-http");
    write_fake_az(&dir.0, None);
    let cred = build_credential(CredentialKind::AzureCli, &options_with_fake_az(&dir.0))
        .expect("build")
        .expect("a credential");
    let queues = warroom::azure::QueueClient::new(QueueAuth::Bearer(cred)).expect("queues");
    let account = Url::parse("http://127.0.0.1:9/devstoreaccount1").expect("url");
    let err = queues
        .queue_metadata(&account, "q")
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(az_calls(&dir.0), 0, "no token was even fetched");
}

#[tokio::test]
async fn a_credential_failure_is_a_typed_auth_error_on_a_call() {
    let dir = TempDir::new("az-call-fail");
    write_fake_az(&dir.0, Some("Please run 'az login' to setup account."));
    let cred = build_credential(CredentialKind::AzureCli, &options_with_fake_az(&dir.0))
        .expect("build")
        .expect("a credential");
    let capture = Arc::new(Capture::default());
    let mut config = ClientConfig::new(Url::parse("https://management.azure.com").expect("url"))
        .with_credential(Some(cred));
    config.transport = Some(Transport::with_policy(capture.clone()));
    let err = AzureClient::new(config)
        .expect("client")
        .get_json::<serde_json::Value>("/subscriptions", "2022-12-01")
        .await
        .expect_err("no token");
    assert!(
        matches!(err, Error::Auth(ref m) if m.contains("az login")),
        "{err:?}"
    );
    assert!(
        capture.0.lock().expect("lock").is_empty(),
        "nothing sent without a token"
    );
}
