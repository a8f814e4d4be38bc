//! Storage Shared Key signing (the `Authorization: SharedKey account:signature` header), as a
//! pipeline policy that signs every attempt afresh.
//!
//! Owns the string-to-sign and the HMAC. It must never log or format the key or the signature;
//! the key lives in a [`Redacted`] and is only exposed to the HMAC.

use super::error::{Error, Result};
use super::redacted::Redacted;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{Context, Request};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use url::Url;

/// The standard headers that take a line each in the string-to-sign, in order.
const STANDARD_HEADERS: [&str; 11] = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
];

/// A storage account name and its decoded key.
#[derive(Clone)]
pub struct SharedKey {
    account: String,
    key: Redacted<Vec<u8>>,
}

impl fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKey")
            .field("account", &self.account)
            .field("key", &self.key)
            .finish()
    }
}

impl SharedKey {
    /// Decodes the account key (base64, as the portal shows it).
    pub fn new(account: &str, key: &Redacted<String>) -> Result<Self> {
        let decoded = B64.decode(key.expose().trim()).map_err(|_| {
            Error::Auth(format!(
                "the key for storage account {account} is not valid base64"
            ))
        })?;
        Ok(Self {
            account: account.to_string(),
            key: Redacted::new(decoded),
        })
    }

    /// The account name.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// `SharedKey account:base64(HMAC-SHA256(key, string_to_sign))`.
    pub fn authorization(&self, string_to_sign: &str) -> String {
        // Any key length is valid for HMAC, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.key.expose())
            .expect("HMAC accepts keys of any length");
        mac.update(string_to_sign.as_bytes());
        format!(
            "SharedKey {}:{}",
            self.account,
            B64.encode(mac.finalize().into_bytes())
        )
    }
}

/// The Shared Key string-to-sign (x-ms-version 2015-02-21 and later) for a request.
///
/// `headers` are the request's headers (any case); `content_length` is the body length, which
/// signs as empty when zero. The canonicalized resource is `/account` + the URL path (so a
/// path-style emulator URL names the account twice), then each query parameter, lowercased and
/// sorted, as `\nname:value[,value…]`.
pub fn string_to_sign(
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    content_length: usize,
    account: &str,
) -> String {
    let lower: BTreeMap<String, &str> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str()))
        .collect();
    let mut out = String::with_capacity(256);
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    for name in STANDARD_HEADERS {
        let value = match name {
            "content-length" if content_length > 0 => content_length.to_string(),
            "content-length" => String::new(),
            _ => lower
                .get(name)
                .map(|v| v.trim().to_string())
                .unwrap_or_default(),
        };
        out.push_str(&value);
        out.push('\n');
    }
    // BTreeMap keeps the x-ms-* headers sorted by lowercased name.
    for (name, value) in lower.iter().filter(|(k, _)| k.starts_with("x-ms-")) {
        let folded = value.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(name);
        out.push(':');
        out.push_str(&folded);
        out.push('\n');
    }
    out.push('/');
    out.push_str(account);
    out.push_str(url.path());
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url.query_pairs() {
        params
            .entry(k.to_ascii_lowercase())
            .or_default()
            .push(v.into_owned());
    }
    for (name, mut values) in params {
        values.sort();
        out.push('\n');
        out.push_str(&name);
        out.push(':');
        out.push_str(&values.join(","));
    }
    out
}

/// RFC 1123 date for `x-ms-date`, for example `Sat, 21 Nov 2026 21:00:00 GMT`.
pub fn http_date(now: chrono::DateTime<chrono::Utc>) -> String {
    now.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Per-attempt policy: sets `x-ms-date` and signs the request.
#[derive(Debug)]
pub struct SharedKeyPolicy(pub SharedKey);

#[async_trait::async_trait]
impl Policy for SharedKeyPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        request.insert_header("x-ms-date", http_date(chrono::Utc::now()));
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.as_str().to_string()))
            .collect();
        let length = usize::try_from(request.body().len().unwrap_or(0)).unwrap_or(usize::MAX);
        let sts = string_to_sign(
            request.method().as_ref(),
            request.url(),
            &headers,
            length,
            self.0.account(),
        );
        request.insert_header("authorization", self.0.authorization(&sts));
        next[0].send(ctx, request, &next[1..]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Azurite's published development key (not a secret).
    const DEV_KEY: &str =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn string_to_sign_for_a_path_style_metadata_get() {
        let url = Url::parse("http://127.0.0.1:10001/devstoreaccount1/orders?comp=metadata")
            .expect("url");
        let sts = string_to_sign(
            "GET",
            &url,
            &headers(&[
                ("X-MS-Version", "2026-02-06"),
                ("x-ms-date", "Sat, 21 Nov 2026 21:00:00 GMT"),
                ("user-agent", "warroom"),
            ]),
            0,
            "devstoreaccount1",
        );
        let expected = "GET\n\n\n\n\n\n\n\n\n\n\n\n\
            x-ms-date:Sat, 21 Nov 2026 21:00:00 GMT\n\
            x-ms-version:2026-02-06\n\
            /devstoreaccount1/devstoreaccount1/orders\ncomp:metadata";
        assert_eq!(sts, expected);
    }

    #[test]
    fn string_to_sign_with_a_body_and_sorted_query() {
        let url = Url::parse(
            "https://acct.queue.core.windows.net/orders/messages?peekonly=true&NumOfMessages=1",
        )
        .expect("url");
        let sts = string_to_sign(
            "post",
            &url,
            &headers(&[
                ("content-type", "application/xml"),
                ("x-ms-version", "2026-02-06"),
                ("x-ms-client-request-id", "  id   with  spaces "),
                ("x-ms-date", "Sat, 21 Nov 2026 21:00:00 GMT"),
            ]),
            62,
            "acct",
        );
        let expected = "POST\n\n\n62\n\napplication/xml\n\n\n\n\n\n\n\
            x-ms-client-request-id:id with spaces\n\
            x-ms-date:Sat, 21 Nov 2026 21:00:00 GMT\n\
            x-ms-version:2026-02-06\n\
            /acct/orders/messages\nnumofmessages:1\npeekonly:true";
        assert_eq!(sts, expected);
    }

    #[test]
    fn signature_matches_a_hand_computed_hmac() {
        // Computed independently with:
        //   printf %s "$STS" | openssl dgst -sha256 -mac HMAC \
        //     -macopt "hexkey:$(printf %s "$DEV_KEY" | base64 -d | xxd -p -c 256)" -binary | base64
        let sts = "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Sat, 21 Nov 2026 21:00:00 GMT\nx-ms-version:2026-02-06\n/devstoreaccount1/devstoreaccount1/orders\ncomp:metadata";
        let key =
            SharedKey::new("devstoreaccount1", &Redacted::new(DEV_KEY.to_string())).expect("key");
        assert_eq!(
            key.authorization(sts),
            format!("SharedKey devstoreaccount1:{EXPECTED_SIG}")
        );
    }

    const EXPECTED_SIG: &str = "jwvh1vkVs76lKD99/bteiFuQk1YK5yS5y23WsWWqSHk=";

    #[test]
    fn bad_key_is_an_auth_error_without_the_key() {
        let err = SharedKey::new("acct", &Redacted::new("not base64 !!".to_string()))
            .expect_err("bad key");
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
        assert!(!err.to_string().contains("not base64 !!"), "{err}");
        let key = SharedKey::new("acct", &Redacted::new(DEV_KEY.to_string())).expect("key");
        assert!(!format!("{key:?}").contains("Eby8"), "{key:?}");
    }

    #[test]
    fn http_dates_are_rfc1123() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-01T09:05:03Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        assert_eq!(http_date(t), "Sun, 01 Nov 2026 09:05:03 GMT");
    }
}
