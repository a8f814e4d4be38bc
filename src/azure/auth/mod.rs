//! Credential selection: which azure_identity credential warroom uses, chosen by name (the
//! `--credential` flag or `WARROOM_CREDENTIAL`) or by the default chain.
//!
//! Owns [`CredentialKind`], [`CredentialOptions`], the chain's plan and [`build_credential`].
//! Building each single credential is `single`'s; the OAuth scopes are `scope`'s (re-exported
//! here). It must not read tokens or print them, and it reads the environment only through
//! [`CredentialOptions::env`] (except managed identity, whose endpoint azure_identity reads from
//! the process environment itself).

use super::chain::{CachedCredential, ChainCredential, ChainLink};
use super::error::Result;
use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::TokenCredential;
use azure_core::http::ClientOptions;
use azure_identity::Executor;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

mod scope;
mod single;

pub use scope::{STORAGE_SCOPE, arm_scope, metrics_scope};
use single::{Unavailable, single};

/// Which credential to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CredentialKind {
    /// No credential: requests carry no `Authorization` header (the simulator on loopback).
    None,
    /// The Azure CLI's logged-in account (`az account get-access-token`).
    AzureCli,
    /// The Azure CLI, then the Azure Developer CLI.
    DeveloperTools,
    /// The managed identity of the App Service or VM warroom runs on.
    ManagedIdentity,
    /// Kubernetes workload identity (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
    /// `AZURE_FEDERATED_TOKEN_FILE`).
    WorkloadIdentity,
    /// A service principal secret (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`).
    ClientSecret,
    /// The default: client secret if its variables are set, then workload identity if its
    /// variables are set, then managed identity, then developer tools.
    #[default]
    Chain,
}

impl CredentialKind {
    /// Every kind, in the order `--help` lists them.
    pub const ALL: [Self; 7] = [
        Self::Chain,
        Self::None,
        Self::AzureCli,
        Self::DeveloperTools,
        Self::ManagedIdentity,
        Self::WorkloadIdentity,
        Self::ClientSecret,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::AzureCli => "azure-cli",
            Self::DeveloperTools => "developer-tools",
            Self::ManagedIdentity => "managed-identity",
            Self::WorkloadIdentity => "workload-identity",
            Self::ClientSecret => "client-secret",
            Self::Chain => "chain",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A credential name that is not one of [`CredentialKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown credential {given:?}; expected one of: chain, none, azure-cli, developer-tools, managed-identity, workload-identity, client-secret"
)]
pub struct UnknownCredential {
    /// What was given.
    pub given: String,
}

impl FromStr for CredentialKind {
    type Err = UnknownCredential;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let normal = s.trim().to_ascii_lowercase().replace('_', "-");
        let kind = match normal.as_str() {
            "none" | "sim" | "simulator" => Self::None,
            "azure-cli" | "az" | "cli" => Self::AzureCli,
            "developer-tools" | "dev" | "developer" => Self::DeveloperTools,
            "managed-identity" | "mi" | "msi" => Self::ManagedIdentity,
            "workload-identity" | "workload" => Self::WorkloadIdentity,
            "client-secret" | "env" | "environment" => Self::ClientSecret,
            "chain" | "default" | "auto" => Self::Chain,
            _ => {
                return Err(UnknownCredential {
                    given: s.to_string(),
                });
            }
        };
        Ok(kind)
    }
}

/// Reads one environment variable; injectable so tests never touch the process environment.
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Inputs to [`build_credential`] beyond the kind.
#[derive(Clone)]
pub struct CredentialOptions {
    /// Entra ID authority host for sovereign clouds; `AZURE_AUTHORITY_HOST` or the public
    /// cloud when unset.
    pub authority_host: Option<Url>,
    /// Runs `az`/`azd` for the developer-tool credentials; azure_identity's own when unset.
    pub executor: Option<Arc<dyn Executor>>,
    /// Environment variable lookup; the process environment by default.
    pub env: EnvLookup,
    /// In the chain, how long managed identity may take before the chain moves on (until some
    /// credential has worked).
    pub probe_timeout: Duration,
}

impl fmt::Debug for CredentialOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialOptions")
            .field("authority_host", &self.authority_host)
            .field("executor", &self.executor.is_some())
            .field("probe_timeout", &self.probe_timeout)
            .finish_non_exhaustive()
    }
}

impl Default for CredentialOptions {
    fn default() -> Self {
        Self {
            authority_host: None,
            executor: None,
            env: Arc::new(|name| std::env::var(name).ok().filter(|v| !v.is_empty())),
            probe_timeout: Duration::from_secs(5),
        }
    }
}

impl CredentialOptions {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.trim().is_empty())
    }

    fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.var(n).is_some())
    }

    fn client_options(&self) -> ClientOptions {
        let authority = match &self.authority_host {
            Some(url) => Some(url.to_string()),
            None => self.var("AZURE_AUTHORITY_HOST"),
        };
        let mut options = ClientOptions::default();
        if let Some(host) = authority {
            let mut custom = CustomConfiguration::default();
            custom.authority_host = host;
            options.cloud = Some(Arc::new(CloudConfiguration::Custom(custom)));
        }
        options
    }
}

const CLIENT_SECRET_VARS: [&str; 3] = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"];
const WORKLOAD_VARS: [&str; 3] = [
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_FEDERATED_TOKEN_FILE",
];

/// The kinds the default chain will try, in order, given the environment.
pub fn chain_plan(options: &CredentialOptions) -> Vec<CredentialKind> {
    let mut plan = Vec::with_capacity(4);
    if options.has_all(&CLIENT_SECRET_VARS) {
        plan.push(CredentialKind::ClientSecret);
    }
    if options.has_all(&WORKLOAD_VARS) {
        plan.push(CredentialKind::WorkloadIdentity);
    }
    plan.push(CredentialKind::ManagedIdentity);
    plan.push(CredentialKind::DeveloperTools);
    plan
}

/// Builds the credential for `kind`: `None` for [`CredentialKind::None`], otherwise a token
/// credential wrapped in a cache (tokens are reused until five minutes before they expire).
pub fn build_credential(
    kind: CredentialKind,
    options: &CredentialOptions,
) -> Result<Option<Arc<dyn TokenCredential>>> {
    let credential: Arc<dyn TokenCredential> = match kind {
        CredentialKind::None => return Ok(None),
        CredentialKind::Chain => {
            let links = chain_plan(options)
                .into_iter()
                .map(|k| {
                    let credential = single(k, options).unwrap_or_else(|e| {
                        Arc::new(Unavailable(e.to_string())) as Arc<dyn TokenCredential>
                    });
                    ChainLink {
                        name: k.name(),
                        credential,
                        probe_timeout: (k == CredentialKind::ManagedIdentity)
                            .then_some(options.probe_timeout),
                    }
                })
                .collect();
            Arc::new(ChainCredential::new(links))
        }
        other => single(other, options)?,
    };
    Ok(Some(Arc::new(CachedCredential::new(credential))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::error::Error;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> CredentialOptions {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CredentialOptions {
            env: Arc::new(move |name| map.get(name).cloned()),
            ..CredentialOptions::default()
        }
    }

    #[test]
    fn parses_names_and_aliases() {
        for kind in CredentialKind::ALL {
            assert_eq!(kind.name().parse::<CredentialKind>(), Ok(kind));
        }
        assert_eq!("AZ".parse(), Ok(CredentialKind::AzureCli));
        assert_eq!(
            "managed_identity".parse(),
            Ok(CredentialKind::ManagedIdentity)
        );
        assert_eq!(" default ".parse(), Ok(CredentialKind::Chain));
        let err = "kerberos".parse::<CredentialKind>().expect_err("unknown");
        assert!(err.to_string().contains("\"kerberos\""), "{err}");
        assert_eq!(CredentialKind::default(), CredentialKind::Chain);
    }

    #[test]
    fn chain_plan_follows_the_environment() {
        use CredentialKind::*;
        assert_eq!(chain_plan(&env_of(&[])), [ManagedIdentity, DeveloperTools]);
        let secret = [
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
        ];
        assert_eq!(
            chain_plan(&env_of(&secret)),
            [ClientSecret, ManagedIdentity, DeveloperTools]
        );
        let both = [
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
            ("AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"),
        ];
        assert_eq!(
            chain_plan(&env_of(&both)),
            [
                ClientSecret,
                WorkloadIdentity,
                ManagedIdentity,
                DeveloperTools
            ]
        );
        // A blank value counts as unset.
        let blank = [
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", " "),
        ];
        assert_eq!(
            chain_plan(&env_of(&blank)),
            [ManagedIdentity, DeveloperTools]
        );
    }

    #[test]
    fn none_builds_no_credential() {
        let built = build_credential(CredentialKind::None, &env_of(&[])).expect("none");
        assert!(built.is_none());
    }

    #[test]
    fn client_secret_needs_its_variables() {
        let err =
            build_credential(CredentialKind::ClientSecret, &env_of(&[])).expect_err("no vars");
        assert!(
            matches!(err, Error::Auth(ref m) if m.contains("AZURE_CLIENT_SECRET")),
            "{err}"
        );
        let ok = [
            ("AZURE_TENANT_ID", "tenant1"),
            ("AZURE_CLIENT_ID", "client1"),
            ("AZURE_CLIENT_SECRET", "s3cret-value"),
        ];
        let cred = build_credential(CredentialKind::ClientSecret, &env_of(&ok))
            .expect("built")
            .expect("some");
        assert!(!format!("{cred:?}").contains("s3cret-value"));
    }

    #[test]
    fn an_http_authority_is_refused() {
        let mut options = env_of(&[
            ("AZURE_TENANT_ID", "tenant1"),
            ("AZURE_CLIENT_ID", "client1"),
            ("AZURE_CLIENT_SECRET", "s"),
        ]);
        options.authority_host = Some(Url::parse("http://127.0.0.1:9/").expect("url"));
        let err = build_credential(CredentialKind::ClientSecret, &options).expect_err("http");
        assert!(
            matches!(err, Error::Auth(ref m) if m.contains("HTTPS")),
            "{err}"
        );
    }
}
