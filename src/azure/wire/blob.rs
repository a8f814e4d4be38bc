//! Blob service bodies: one page of List Blobs (`GET {account}/{container}?restype=container&
//! comp=list`), an XML `EnumerationResults` with `Blobs/Blob` (`Name`, `Properties` with
//! `Last-Modified`, `Content-Length`, `Content-Type`, `Etag`, `BlobType`) and `NextMarker`.
//! Written by the simulator, read by the client; only the fields warroom uses.

use std::fmt::Write as _;

use crate::azure::xml;

/// One blob of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobItem {
    /// Blob name (may contain `/`).
    pub name: String,
    /// `Last-Modified`, RFC 1123 as Storage writes it.
    pub last_modified: String,
    /// Size in bytes.
    pub content_length: u64,
    /// Content type.
    pub content_type: Option<String>,
    /// Entity tag.
    pub etag: Option<String>,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlobList {
    /// The blobs, in name order.
    pub blobs: Vec<BlobItem>,
    /// The marker of the next page; `None` on the last.
    pub next_marker: Option<String>,
}

impl BlobList {
    /// The XML body of this page for a container URL (the simulator writes this).
    pub fn to_xml(&self, service_endpoint: &str, container: &str) -> String {
        let mut out = format!(
            "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults \
             ServiceEndpoint=\"{}\" ContainerName=\"{}\"><Blobs>",
            xml::escape(service_endpoint),
            xml::escape(container)
        );
        for b in &self.blobs {
            out.push_str("<Blob><Name>");
            out.push_str(&xml::escape(&b.name));
            out.push_str("</Name><Properties><Last-Modified>");
            out.push_str(&xml::escape(&b.last_modified));
            out.push_str("</Last-Modified>");
            if let Some(etag) = &b.etag {
                let _ = write!(out, "<Etag>{}</Etag>", xml::escape(etag));
            }
            let _ = write!(out, "<Content-Length>{}</Content-Length>", b.content_length);
            if let Some(ct) = &b.content_type {
                let _ = write!(out, "<Content-Type>{}</Content-Type>", xml::escape(ct));
            }
            out.push_str("<BlobType>BlockBlob</BlobType></Properties></Blob>");
        }
        out.push_str("</Blobs>");
        match &self.next_marker {
            Some(m) => {
                let _ = write!(out, "<NextMarker>{}</NextMarker>", xml::escape(m));
            }
            None => out.push_str("<NextMarker />"),
        }
        out.push_str("</EnumerationResults>");
        out
    }

    /// Parses a List Blobs body; `None` unless it is an `EnumerationResults` whose blobs all
    /// have a name, a `Last-Modified` and a numeric `Content-Length`.
    pub fn parse(text: &str) -> Option<Self> {
        let results = xml::element(text, "EnumerationResults")?;
        let blobs_xml = xml::element(results, "Blobs").unwrap_or_default();
        let blobs = xml::elements(blobs_xml, "Blob")
            .map(|b| {
                let props = xml::element(b, "Properties")?;
                Some(BlobItem {
                    name: xml::element_text(b, "Name")?,
                    last_modified: xml::element_text(props, "Last-Modified")?,
                    content_length: xml::element_text(props, "Content-Length")?
                        .trim()
                        .parse()
                        .ok()?,
                    content_type: xml::element_text(props, "Content-Type"),
                    etag: xml::element_text(props, "Etag"),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let next_marker = xml::element_text(results, "NextMarker").filter(|m| !m.is_empty());
        Some(Self { blobs, next_marker })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_round_trips_through_xml() {
        let page = BlobList {
            blobs: vec![
                BlobItem {
                    name: "orders-api/2026.03.28.zip".into(),
                    last_modified: "Sat, 28 Mar 2026 08:00:00 GMT".into(),
                    content_length: 12_345_678,
                    content_type: Some("application/zip".into()),
                    etag: Some("\"0x8DC1\"".into()),
                },
                BlobItem {
                    name: "a&b/1.zip".into(),
                    last_modified: "Sun, 29 Mar 2026 08:00:00 GMT".into(),
                    content_length: 1,
                    content_type: None,
                    etag: None,
                },
            ],
            next_marker: Some("2".into()),
        };
        let xml = page.to_xml("https://acct.blob.core.windows.net/", "releases");
        assert!(xml.contains("<Name>a&amp;b/1.zip</Name>"), "{xml}");
        assert_eq!(BlobList::parse(&xml), Some(page));
        let last = BlobList::default().to_xml("x", "c");
        assert_eq!(BlobList::parse(&last), Some(BlobList::default()));
        assert_eq!(BlobList::parse("<Error><Code>x</Code></Error>"), None);
    }
}
