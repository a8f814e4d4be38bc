//! `Page<T>`: one page of an ARM collection, `{"value":[…],"nextLink":"…"}`.
//!
//! Owns only the envelope; the item types live beside it in `wire`. Used by the client to follow
//! `nextLink` and by the simulator to serve paged lists.

use serde::{Deserialize, Serialize};

/// One page of an ARM list response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items on this page (ARM omits the field on some empty lists).
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The absolute URL of the next page; absent (or null, or empty) on the last page.
    #[serde(rename = "nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

impl<T> Page<T> {
    /// The next page's URL, treating an empty string as none.
    pub fn next(&self) -> Option<&str> {
        self.next_link.as_deref().filter(|l| !l.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arm_pages() {
        let p: Page<u32> =
            serde_json::from_str(r#"{"value":[1,2],"nextLink":"https://m/next?$skiptoken=a"}"#)
                .expect("page");
        assert_eq!(p.value, [1, 2]);
        assert_eq!(p.next(), Some("https://m/next?$skiptoken=a"));
        let last: Page<u32> =
            serde_json::from_str(r#"{"value":[3],"nextLink":null}"#).expect("last");
        assert_eq!(last.next(), None);
        let empty: Page<u32> = serde_json::from_str(r#"{"nextLink":""}"#).expect("empty");
        assert!(empty.value.is_empty());
        assert_eq!(empty.next(), None);
    }

    #[test]
    fn writes_without_a_null_next_link() {
        let p = Page {
            value: vec![1u8],
            next_link: None,
        };
        assert_eq!(serde_json::to_string(&p).expect("json"), r#"{"value":[1]}"#);
    }
}
