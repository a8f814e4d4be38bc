//! Building one named credential: the Azure CLI, developer tools, managed identity, workload
//! identity or a client secret, from [`CredentialOptions`] (its environment lookup, authority
//! host and executor). A credential that cannot be built is an [`Error::Auth`] saying what is
//! missing; in the chain it becomes an `Unavailable` link that fails with that reason.
//!
//! Owns the construction of each azure_identity credential. It must not choose between kinds or
//! order the chain (the parent's), cache tokens (`chain`'s), or read or print a token or secret.

use super::{CredentialKind, CredentialOptions, WORKLOAD_VARS};
use crate::azure::error::{Error, Result, describe_cause};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{
    AzureCliCredential, AzureCliCredentialOptions, ClientAssertionCredentialOptions,
    ClientSecretCredential, ClientSecretCredentialOptions, DeveloperToolsCredential,
    DeveloperToolsCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId, WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};
use std::sync::Arc;
use std::time::Duration;

fn auth_error(what: &str, e: &azure_core::Error) -> Error {
    Error::Auth(format!("{what}: {}", describe_cause(e)))
}

/// Builds the one credential `kind` names; [`CredentialKind::None`] and
/// [`CredentialKind::Chain`] are not single credentials and are refused.
pub(super) fn single(
    kind: CredentialKind,
    options: &CredentialOptions,
) -> Result<Arc<dyn TokenCredential>> {
    match kind {
        CredentialKind::AzureCli => AzureCliCredential::new(Some(AzureCliCredentialOptions {
            executor: options.executor.clone(),
            ..AzureCliCredentialOptions::default()
        }))
        .map(|c| c as Arc<dyn TokenCredential>)
        .map_err(|e| auth_error("Azure CLI credential", &e)),
        CredentialKind::DeveloperTools => {
            DeveloperToolsCredential::new(Some(DeveloperToolsCredentialOptions {
                executor: options.executor.clone(),
            }))
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| auth_error("developer tools credential", &e))
        }
        CredentialKind::ManagedIdentity => {
            // A short connect timeout: on a machine without IMDS the address does not answer.
            let http = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(2))
                .timeout(Duration::from_secs(20))
                .build()
                .map_err(|e| Error::Auth(format!("managed identity HTTP client: {e}")))?;
            let client_options = ClientOptions {
                transport: Some(Transport::new(Arc::new(http))),
                ..options.client_options()
            };
            ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
                // The convention of Azure's other SDKs: AZURE_CLIENT_ID names a user-assigned
                // identity.
                user_assigned_id: options.var("AZURE_CLIENT_ID").map(UserAssignedId::ClientId),
                client_options,
            }))
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| auth_error("managed identity credential", &e))
        }
        CredentialKind::WorkloadIdentity => {
            let missing: Vec<&str> = WORKLOAD_VARS
                .into_iter()
                .filter(|n| options.var(n).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(Error::Auth(format!(
                    "workload identity needs {} to be set",
                    missing.join(", ")
                )));
            }
            WorkloadIdentityCredential::new(Some(WorkloadIdentityCredentialOptions {
                credential_options: ClientAssertionCredentialOptions {
                    client_options: options.client_options(),
                },
                client_id: options.var("AZURE_CLIENT_ID"),
                tenant_id: options.var("AZURE_TENANT_ID"),
                token_file_path: options.var("AZURE_FEDERATED_TOKEN_FILE").map(Into::into),
            }))
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| auth_error("workload identity credential", &e))
        }
        CredentialKind::ClientSecret => {
            let (Some(tenant), Some(client), Some(secret)) = (
                options.var("AZURE_TENANT_ID"),
                options.var("AZURE_CLIENT_ID"),
                options.var("AZURE_CLIENT_SECRET"),
            ) else {
                return Err(Error::Auth(
                    "client secret credential needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET".into(),
                ));
            };
            ClientSecretCredential::new(
                &tenant,
                client,
                Secret::new(secret),
                Some(ClientSecretCredentialOptions {
                    client_options: options.client_options(),
                }),
            )
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| auth_error("client secret credential", &e))
        }
        CredentialKind::None | CredentialKind::Chain => {
            Err(Error::Auth(format!("{kind} is not a single credential")))
        }
    }
}

/// A chain link whose credential could not even be constructed; it fails with the reason.
#[derive(Debug)]
pub(super) struct Unavailable(pub(super) String);

#[async_trait::async_trait]
impl TokenCredential for Unavailable {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Credential,
            self.0.clone(),
        ))
    }
}
