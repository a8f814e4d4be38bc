//! [`scrub`]: secret-shaped text masked in free text a service returns (the lines of a Kudu
//! deployment log, where build output may echo a connection string), before the text leaves the
//! client. [`super::Redacted`] guards values known to be secret; this guards text that only may
//! hold one.
//!
//! Two shapes are masked, the ones Azure's secrets take:
//! - the value of a `name=value` pair whose name ends in `Key`, `Password`, `Pwd`, `Secret`,
//!   `Token` or `Signature`, or is `sig` (connection strings: `AccountKey=…`, `SharedAccessKey=…`;
//!   SAS query strings: `sig=…`);
//! - a run of at least 32 base64 or URL-safe base64 characters with at least four upper-case and
//!   four lower-case letters (account keys, function keys, API keys). Commit ids, GUIDs, resource
//!   names and time stamps do not take that shape.
//!
//! Owns only the masking; it keeps everything else of the text as it was.

/// What a masked value reads as.
pub const MASK: &str = "***";

/// The shortest run of key characters masked on its own.
const MIN_KEY_RUN: usize = 32;

/// `text` with every secret-shaped part replaced by [`MASK`].
pub fn scrub(text: &str) -> String {
    mask_key_runs(&mask_pairs(text))
}

/// Whether the name of a `name=value` pair says its value is a secret.
fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "sig"
        || ["key", "password", "pwd", "secret", "token", "signature"]
            .iter()
            .any(|s| n.ends_with(s))
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'
}

fn value_end(c: char) -> bool {
    c == ';' || c == '&' || c == ',' || c == '"' || c == '\'' || c.is_whitespace()
}

/// Masks the values of secret-named pairs.
fn mask_pairs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after) = rest.split_at(eq);
        let after = &after[1..];
        let name_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !name_char(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = &before[name_start..];
        out.push_str(before);
        out.push('=');
        if !name.is_empty() && secret_name(name) {
            let end = after.find(value_end).unwrap_or(after.len());
            if end > 0 {
                out.push_str(MASK);
            }
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '_' || c == '-'
}

fn key_shaped(run: &str) -> bool {
    let upper = run.chars().filter(char::is_ascii_uppercase).count();
    let lower = run.chars().filter(char::is_ascii_lowercase).count();
    run.len() >= MIN_KEY_RUN && upper >= 4 && lower >= 4
}

/// Masks runs of key characters that look like key material.
fn mask_key_runs(text: &str) -> String {
    fn flush(run: &mut String, out: &mut String) {
        if key_shaped(run) {
            out.push_str(MASK);
        } else {
            out.push_str(run);
        }
        run.clear();
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if key_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "q8Vx3m+Jd0Lr9TzK1wPb7YhC2nGf5sEa4uRiOkN6lHc=";

    #[test]
    fn connection_string_keys_are_masked_and_the_rest_kept() {
        let line = format!(
            "AzureWebJobsStorage=DefaultEndpointsProtocol=https;AccountName=stordersprod;AccountKey={KEY};EndpointSuffix=core.windows.net"
        );
        let s = scrub(&line);
        assert!(!s.contains(KEY), "{s}");
        assert!(s.contains("AccountKey=***;"), "{s}");
        assert!(s.contains("AccountName=stordersprod"), "{s}");
        assert!(s.contains("EndpointSuffix=core.windows.net"), "{s}");
        let sb = scrub(
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc",
        );
        assert!(
            sb.ends_with("SharedAccessKeyName=Root;SharedAccessKey=***"),
            "{sb}"
        );
    }

    #[test]
    fn sas_signatures_and_bare_keys_are_masked() {
        let url = "https://a.blob.core.windows.net/c/1.zip?sv=2024-01-01&sig=abc%2Fdef&se=x";
        let s = scrub(url);
        assert!(s.contains("sig=***&se=x"), "{s}");
        let bare = format!("api key is {KEY} here");
        assert_eq!(scrub(&bare), "api key is ***= here");
        let url_safe = "Zx_1-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd==";
        assert!(!scrub(url_safe).contains("AbCdEf"));
    }

    #[test]
    fn ids_names_and_times_are_not_masked() {
        for keep in [
            "Preparing deployment for commit id '3f2a9c0d1e4b5a6978877665544332211aabbccd'.",
            "deployment 6f1c2a7e-0b7d-4e39-9a55-1f0e2d3c4b5a of func-orders-prod-krc-20260314T030430Z",
            "Deployment successful. deployer = ZipDeploy deploymentPath = /home/site/wwwroot",
            "SharedAccessKeyName=RootManageSharedAccessKey",
        ] {
            assert_eq!(scrub(keep), keep);
        }
    }
}
