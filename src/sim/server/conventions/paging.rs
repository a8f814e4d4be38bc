//! ARM list paging: a page of at most the scenario's page size, and a `nextLink` that is the
//! absolute URL of the same request with a `$skiptoken`. The token is opaque to clients.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::ArmRequest;
use super::errors::{Fail, bad_request};
use crate::azure::wire::Page;

/// The token for "continue at `offset`".
pub fn token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("skip:{offset}"))
}

/// The offset a token stands for.
pub fn offset(token: &str) -> Option<usize> {
    let raw = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.strip_prefix("skip:")?.parse().ok()
}

/// The absolute URL of this request with `$skiptoken` set to `token` (other parameters kept).
pub fn next_link(base_url: &str, req: &ArmRequest, token: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &req.query {
        if !k.eq_ignore_ascii_case("$skiptoken") {
            q.append_pair(k, v);
        }
    }
    q.append_pair("$skiptoken", token);
    format!("{base_url}{}?{}", req.raw_path, q.finish())
}

/// One page of `items` for this request.
pub fn page<T>(
    base_url: &str,
    req: &ArmRequest,
    items: Vec<T>,
    size: usize,
) -> Result<Page<T>, Fail> {
    let start = match req.param("$skiptoken") {
        Some(t) => offset(t).ok_or_else(|| {
            bad_request(
                "InvalidSkipToken",
                format!("The $skiptoken '{t}' is not valid for this request."),
            )
        })?,
        None => 0,
    };
    let total = items.len();
    let end = start.saturating_add(size.max(1)).min(total);
    let value: Vec<T> = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let next_link = (end < total).then(|| next_link(base_url, req, &token(end)));
    Ok(Page { value, next_link })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::http::{HeaderMap, Method};

    #[test]
    fn pages_link_to_the_rest_until_the_end() {
        let req = ArmRequest::new(
            Method::GET,
            "/x",
            Some("api-version=1&includeSlots=true"),
            HeaderMap::new(),
            Bytes::new(),
        );
        let p = page("http://h", &req, (0..7).collect(), 3).expect("page");
        assert_eq!(p.value, [0, 1, 2]);
        let link = p.next_link.expect("more");
        assert!(
            link.starts_with("http://h/x?api-version=1&includeSlots=true&%24skiptoken="),
            "{link}"
        );
        let (path, query) = link
            .trim_start_matches("http://h")
            .split_once('?')
            .expect("query");
        let req2 = ArmRequest::new(
            Method::GET,
            path,
            Some(query),
            HeaderMap::new(),
            Bytes::new(),
        );
        let p2 = page("http://h", &req2, (0..7).collect(), 3).expect("page");
        assert_eq!(p2.value, [3, 4, 5]);
        assert!(p2.next_link.is_some());
        assert_eq!(offset(&token(6)), Some(6));
        assert!(offset("garbage!").is_none());
    }
}
