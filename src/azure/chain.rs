//! Two credential wrappers: [`ChainCredential`] (try several credentials in order, then stick
//! with the first that works) and [`CachedCredential`] (keep each token until shortly before it
//! expires).
//!
//! Owns only token acquisition order and caching. It must not log or format tokens: they travel
//! inside azure_core's `Secret`, whose `Debug` hides them.

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::error::ErrorKind;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long before expiry a cached token is replaced (azure_core's own policy uses 5 minutes).
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_mins(5);

/// One credential in a chain, with the name used in error reports.
pub struct ChainLink {
    /// Short name, for example `managed-identity`.
    pub name: &'static str,
    /// The credential.
    pub credential: Arc<dyn TokenCredential>,
    /// A bound on this link's attempts until some link has worked: a managed-identity probe
    /// on a laptop must fail in seconds, not after the SDK's minute of retries.
    pub probe_timeout: Option<Duration>,
}

impl fmt::Debug for ChainLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainLink")
            .field("name", &self.name)
            .field("probe_timeout", &self.probe_timeout)
            .finish_non_exhaustive()
    }
}

const NONE_CHOSEN: usize = usize::MAX;

/// Tries its links in order; the first that returns a token is used for every later request.
/// When all fail, the error lists every link's failure.
pub struct ChainCredential {
    links: Vec<ChainLink>,
    chosen: AtomicUsize,
}

impl fmt::Debug for ChainCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainCredential")
            .field("links", &self.links)
            .field("chosen", &self.chosen())
            .finish()
    }
}

impl ChainCredential {
    /// A chain over `links`, tried in the given order.
    pub fn new(links: Vec<ChainLink>) -> Self {
        Self {
            links,
            chosen: AtomicUsize::new(NONE_CHOSEN),
        }
    }

    /// The names of the links, in order.
    pub fn link_names(&self) -> Vec<&'static str> {
        self.links.iter().map(|l| l.name).collect()
    }

    /// The name of the link that produced a token, once one has.
    pub fn chosen(&self) -> Option<&'static str> {
        self.links
            .get(self.chosen.load(Ordering::Acquire))
            .map(|l| l.name)
    }
}

#[async_trait::async_trait]
impl TokenCredential for ChainCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        if let Some(link) = self.links.get(self.chosen.load(Ordering::Acquire)) {
            return link.credential.get_token(scopes, options).await;
        }
        let mut failures = Vec::with_capacity(self.links.len());
        for (index, link) in self.links.iter().enumerate() {
            let attempt = link.credential.get_token(scopes, options.clone());
            let result = match link.probe_timeout {
                Some(limit) => tokio::time::timeout(limit, attempt)
                    .await
                    .unwrap_or_else(|_| {
                        Err(azure_core::Error::with_message(
                            ErrorKind::Credential,
                            format!("no answer within {}s", limit.as_secs_f32()),
                        ))
                    }),
                None => attempt.await,
            };
            match result {
                Ok(token) => {
                    self.chosen.store(index, Ordering::Release);
                    tracing::info!(
                        credential = link.name,
                        "credential chain chose a credential"
                    );
                    return Ok(token);
                }
                Err(e) => failures.push(format!(
                    "{}: {}",
                    link.name,
                    super::error::describe_cause(&e)
                )),
            }
        }
        Err(azure_core::Error::with_message(
            ErrorKind::Credential,
            if failures.is_empty() {
                "the credential chain is empty".to_string()
            } else {
                format!(
                    "no credential in the chain produced a token: {}",
                    failures.join("; ")
                )
            },
        ))
    }
}

/// Caches tokens per scope set and fetches a new one only when the cached one is within
/// [`REFRESH_BEFORE_EXPIRY`] of expiring. Concurrent callers share one fetch.
pub struct CachedCredential {
    inner: Arc<dyn TokenCredential>,
    cache: tokio::sync::Mutex<HashMap<Vec<String>, AccessToken>>,
}

impl fmt::Debug for CachedCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedCredential")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl CachedCredential {
    /// Wraps `inner` with a token cache.
    pub fn new(inner: Arc<dyn TokenCredential>) -> Self {
        Self {
            inner,
            cache: tokio::sync::Mutex::new(HashMap::new()),
        }
    }
}

fn fresh(token: &AccessToken) -> bool {
    let margin = azure_core::time::Duration::seconds(
        i64::try_from(REFRESH_BEFORE_EXPIRY.as_secs()).unwrap_or(i64::MAX),
    );
    token.expires_on > azure_core::time::OffsetDateTime::now_utc() + margin
}

#[async_trait::async_trait]
impl TokenCredential for CachedCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let key: Vec<String> = scopes.iter().map(ToString::to_string).collect();
        // Held across the fetch on purpose: a second caller waits for the first fetch rather
        // than starting another `az` process.
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.get(&key).filter(|t| fresh(t)) {
            return Ok(token.clone());
        }
        let token = self.inner.get_token(scopes, options).await?;
        cache.insert(key, token.clone());
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::time::OffsetDateTime;
    use std::sync::atomic::AtomicU32;

    #[derive(Debug)]
    struct Fake {
        calls: AtomicU32,
        answer: Result<i64, &'static str>,
    }

    impl Fake {
        fn ok(lifetime_secs: i64) -> Arc<Self> {
            Arc::new(Self {
                calls: AtomicU32::new(0),
                answer: Ok(lifetime_secs),
            })
        }
        fn failing(message: &'static str) -> Arc<Self> {
            Arc::new(Self {
                calls: AtomicU32::new(0),
                answer: Err(message),
            })
        }
        fn calls(&self) -> u32 {
            self.calls.load(Ordering::SeqCst)
        }
    }

    #[async_trait::async_trait]
    impl TokenCredential for Fake {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            match self.answer {
                Ok(secs) => Ok(AccessToken::new(
                    format!("token-{n}"),
                    OffsetDateTime::now_utc() + azure_core::time::Duration::seconds(secs),
                )),
                Err(m) => Err(azure_core::Error::with_message(ErrorKind::Credential, m)),
            }
        }
    }

    fn link(name: &'static str, credential: Arc<Fake>) -> ChainLink {
        ChainLink {
            name,
            credential,
            probe_timeout: None,
        }
    }

    #[tokio::test]
    async fn chain_falls_through_and_remembers() {
        let first = Fake::failing("no identity here");
        let second = Fake::ok(3600);
        let third = Fake::ok(3600);
        let chain = ChainCredential::new(vec![
            link("a", first.clone()),
            link("b", second.clone()),
            link("c", third.clone()),
        ]);
        assert_eq!(chain.chosen(), None);
        let token = chain.get_token(&["s/.default"], None).await.expect("token");
        assert_eq!(token.token.secret(), "token-0");
        assert_eq!(chain.chosen(), Some("b"));
        chain.get_token(&["s/.default"], None).await.expect("token");
        assert_eq!((first.calls(), second.calls(), third.calls()), (1, 2, 0));
    }

    #[tokio::test]
    async fn chain_reports_every_failure() {
        let chain = ChainCredential::new(vec![
            link("managed-identity", Fake::failing("IMDS unreachable")),
            link("developer-tools", Fake::failing("az not found on PATH")),
        ]);
        let err = chain
            .get_token(&["s/.default"], None)
            .await
            .expect_err("all fail");
        let text = err.to_string();
        assert!(
            text.contains("managed-identity: IMDS unreachable"),
            "{text}"
        );
        assert!(
            text.contains("developer-tools: az not found on PATH"),
            "{text}"
        );
        assert_eq!(chain.chosen(), None);
    }

    #[tokio::test]
    async fn cache_reuses_fresh_tokens_per_scope() {
        let inner = Fake::ok(3600);
        let cached = CachedCredential::new(inner.clone());
        let a = cached.get_token(&["arm/.default"], None).await.expect("a");
        let b = cached.get_token(&["arm/.default"], None).await.expect("b");
        assert_eq!(a.token.secret(), b.token.secret());
        cached
            .get_token(&["storage/.default"], None)
            .await
            .expect("c");
        assert_eq!(inner.calls(), 2);
    }

    #[tokio::test]
    async fn cache_refreshes_tokens_near_expiry() {
        // Every token expires inside the refresh window, so each call fetches anew.
        let inner = Fake::ok(60);
        let cached = CachedCredential::new(inner.clone());
        let a = cached.get_token(&["arm/.default"], None).await.expect("a");
        let b = cached.get_token(&["arm/.default"], None).await.expect("b");
        assert_ne!(a.token.secret(), b.token.secret());
        assert_eq!(inner.calls(), 2);
    }
}
