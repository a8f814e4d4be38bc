//! Managed identity through the App Service endpoint (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`)
//! served by a loopback fake, and the default chain falling through a failing managed identity
//! to the Azure CLI.
//!
//! azure_identity reads those variables from the process environment, and this crate forbids the
//! `unsafe` that changing it needs, so each parent test starts the fake and re-runs this test
//! binary as a child process (one ignored test, selected with `--exact`) with the variables set.

mod common;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::{CLI_TOKEN, TempDir, az_calls, options_with_fake_az, write_fake_az};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use warroom::azure::{CredentialKind, build_credential};

const MI_TOKEN: &str = "fake-mi-token";
const IDENTITY_HEADER: &str = "identity-header-value";
const ARM_SCOPE: &str = "https://management.azure.com/.default";
const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

#[derive(Clone, Default)]
struct Msi {
    /// `true`: answer with a token; `false`: 400, "identity not assigned".
    grant: bool,
    /// (resource query value, x-identity-header value) per request.
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

async fn token(
    State(msi): State<Msi>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let header = headers
        .get("x-identity-header")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    msi.seen
        .lock()
        .expect("lock")
        .push((q.get("resource").cloned().unwrap_or_default(), header));
    if !msi.grant {
        return (StatusCode::BAD_REQUEST, r#"{"error":"invalid_request"}"#).into_response();
    }
    let body = format!(
        r#"{{"access_token":"{MI_TOKEN}","expires_on":"4070908800","resource":"{}","token_type":"Bearer"}}"#,
        q.get("resource").cloned().unwrap_or_default()
    );
    ([("content-type", "application/json")], body).into_response()
}

async fn start_msi(grant: bool) -> (Msi, String) {
    let msi = Msi {
        grant,
        ..Msi::default()
    };
    let app = Router::new()
        .route("/msi/token", get(token))
        .with_state(msi.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (msi, format!("http://{addr}/msi/token"))
}

/// Re-runs this binary's ignored test `name` with the managed-identity variables set.
async fn run_child(name: &str, endpoint: &str, az_dir: Option<&Path>) {
    let exe = std::env::current_exe().expect("current exe");
    let mut cmd = Command::new(exe);
    cmd.args([
        name,
        "--exact",
        "--ignored",
        "--test-threads=1",
        "--nocapture",
    ])
    .env("IDENTITY_ENDPOINT", endpoint)
    .env("IDENTITY_HEADER", IDENTITY_HEADER)
    .env_remove("IDENTITY_SERVER_THUMBPRINT")
    .env_remove("IMDS_ENDPOINT")
    .env_remove("AZURE_CLIENT_ID");
    if let Some(dir) = az_dir {
        cmd.env("WARROOM_TEST_AZ_DIR", dir);
    }
    // The fake serves from this runtime, so the blocking wait runs on another thread.
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child {name} failed:\n{stdout}\n{stderr}"
    );
}

fn child_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} unset: this test is run by its parent test in a child process")
    })
}

#[tokio::test]
async fn managed_identity_via_the_app_service_endpoint() {
    let (msi, endpoint) = start_msi(true).await;
    run_child("child_managed_identity_gets_a_token", &endpoint, None).await;
    let seen = msi.seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [(
            "https://management.azure.com".to_string(),
            IDENTITY_HEADER.to_string()
        )],
        "one request, ARM resource, the identity header; the second token came from the cache"
    );
}

#[tokio::test]
#[ignore = "run by managed_identity_via_the_app_service_endpoint in a child process"]
async fn child_managed_identity_gets_a_token() {
    child_env("IDENTITY_ENDPOINT");
    let options = warroom::azure::CredentialOptions {
        env: Arc::new(|_| None),
        ..warroom::azure::CredentialOptions::default()
    };
    let cred = build_credential(CredentialKind::ManagedIdentity, &options)
        .expect("build")
        .expect("a credential");
    let token = cred.get_token(&[ARM_SCOPE], None).await.expect("token");
    assert_eq!(token.token.secret(), MI_TOKEN);
    assert_eq!(token.expires_on.unix_timestamp(), 4_070_908_800);
    cred.get_token(&[ARM_SCOPE], None).await.expect("cached");
}

#[tokio::test]
async fn the_chain_falls_through_managed_identity_to_the_cli_and_sticks() {
    let (msi, endpoint) = start_msi(false).await;
    let dir = TempDir::new("chain");
    write_fake_az(&dir.0, None);
    run_child("child_chain_falls_through", &endpoint, Some(&dir.0)).await;
    assert_eq!(
        msi.seen.lock().expect("lock").len(),
        1,
        "managed identity is asked once, then the chain remembers the CLI"
    );
    assert_eq!(az_calls(&dir.0), 2, "one az run per scope");
}

#[tokio::test]
#[ignore = "run by the_chain_falls_through_managed_identity_to_the_cli_and_sticks in a child process"]
async fn child_chain_falls_through() {
    child_env("IDENTITY_ENDPOINT");
    let dir = std::path::PathBuf::from(child_env("WARROOM_TEST_AZ_DIR"));
    let options = options_with_fake_az(&dir);
    assert_eq!(
        warroom::azure::auth::chain_plan(&options),
        [
            CredentialKind::ManagedIdentity,
            CredentialKind::DeveloperTools
        ]
    );
    let cred = build_credential(CredentialKind::Chain, &options)
        .expect("build")
        .expect("a credential");
    let arm = cred.get_token(&[ARM_SCOPE], None).await.expect("token");
    assert_eq!(arm.token.secret(), CLI_TOKEN);
    // A new scope misses the cache and goes straight to the chosen link.
    let storage = cred.get_token(&[STORAGE_SCOPE], None).await.expect("token");
    assert_eq!(storage.token.secret(), CLI_TOKEN);
}
