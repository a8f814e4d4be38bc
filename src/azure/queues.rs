//! The Storage queue data plane: queue length (`x-ms-approximate-messages-count`), the oldest
//! message's insertion time (peek), and the two writes tests and the simulator need (create a
//! queue, put a message).
//!
//! Owns queue URLs, `x-ms-version`, the three auth modes and the XML bodies. It runs on the same
//! azure_core pipeline (reqwest underneath) as ARM calls, so Storage's 503 `ServerBusy` and 429
//! are retried the same way. It must not interpret queue depth; that is the observer's job.

use super::auth::STORAGE_SCOPE;
use super::client::AzureClient;
use super::error::{Error, Result};
use super::pipeline::{self, RequireTls, RetryClass, Settings};
use super::redacted::Redacted;
use super::reply::RawReply;
use super::shared_key::{SharedKey, SharedKeyPolicy, http_date};
use super::xml;
use azure_core::credentials::TokenCredential;
use azure_core::http::policies::Policy;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use azure_core::http::{Method, Pipeline, Request, Transport};
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;
use url::Url;

/// The Storage REST version warroom speaks (AZURE-API.md section 0).
pub const STORAGE_VERSION: &str = "2026-02-06";

/// How queue requests are authorized.
#[derive(Clone)]
pub enum QueueAuth {
    /// No `Authorization` header (the simulator).
    None,
    /// An Entra token for [`STORAGE_SCOPE`] (needs a queue data role such as Storage Queue Data
    /// Reader); https only.
    Bearer(Arc<dyn TokenCredential>),
    /// The account key, hand-signed per request (Azurite, or accounts with keys enabled).
    SharedKey {
        /// Storage account name.
        account: String,
        /// Base64 account key.
        key: Redacted<String>,
    },
}

impl fmt::Debug for QueueAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer"),
            Self::SharedKey { account, key } => f
                .debug_struct("SharedKey")
                .field("account", account)
                .field("key", key)
                .finish(),
        }
    }
}

/// The oldest message of a queue, as peek shows it (the text is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeekedMessage {
    /// Storage's message id.
    pub message_id: String,
    /// When the message was enqueued: queue lag is measured from here.
    pub insertion_time: DateTime<Utc>,
    /// When the message will expire.
    pub expiration_time: Option<DateTime<Utc>>,
    /// How many times it has been dequeued (a poison-message hint).
    pub dequeue_count: u32,
}

/// What Storage answers to a put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutReceipt {
    /// Storage's message id.
    pub message_id: String,
    /// When Storage recorded the message.
    pub insertion_time: DateTime<Utc>,
}

/// A client for queues in any storage account, with one auth mode.
#[derive(Clone)]
pub struct QueueClient {
    reads: Pipeline,
    writes: Pipeline,
    timeout: std::time::Duration,
}

impl fmt::Debug for QueueClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueClient").finish_non_exhaustive()
    }
}

impl AzureClient {
    /// A queue client sharing this client's connections, timeouts and retry limits.
    pub fn queues(&self, auth: QueueAuth) -> Result<QueueClient> {
        QueueClient::build(auth, self.settings(), self.transport())
    }
}

impl QueueClient {
    /// A standalone queue client with default timeouts and retries.
    pub fn new(auth: QueueAuth) -> Result<Self> {
        let settings = Settings::default();
        let transport = pipeline::http_transport(&settings)?;
        Self::build(auth, &settings, &transport)
    }

    fn build(auth: QueueAuth, settings: &Settings, transport: &Transport) -> Result<Self> {
        let policies: Vec<Arc<dyn Policy>> = match auth {
            QueueAuth::None => Vec::new(),
            QueueAuth::Bearer(credential) => vec![
                Arc::new(RequireTls),
                Arc::new(BearerTokenAuthorizationPolicy::new(
                    credential,
                    [STORAGE_SCOPE],
                )),
            ],
            QueueAuth::SharedKey { account, key } => {
                vec![Arc::new(SharedKeyPolicy(SharedKey::new(&account, &key)?))]
            }
        };
        Ok(Self {
            reads: pipeline::build(settings, transport, RetryClass::Reads, policies.clone()),
            // A retried put after a 500 could enqueue twice; writes retry only 429/503.
            writes: pipeline::build(settings, transport, RetryClass::Writes, policies),
            timeout: settings.timeout,
        })
    }

    /// The read pipeline and the request timeout, for the other Storage data-plane reads made
    /// with the same authorisation (the artifact store's blob listing).
    pub(crate) fn read_pipeline(&self) -> (&Pipeline, std::time::Duration) {
        (&self.reads, self.timeout)
    }

    async fn call(&self, method: Method, url: Url, body: Option<String>) -> Result<RawReply> {
        let pipeline = match method {
            Method::Get | Method::Head => &self.reads,
            _ => &self.writes,
        };
        let mut request = Request::new(url, method);
        request.insert_header("x-ms-version", STORAGE_VERSION);
        // Shared Key signing stamps a fresh date on every attempt; the others send this one.
        request.insert_header("x-ms-date", http_date(Utc::now()));
        if let Some(body) = body {
            request.insert_header("content-type", "application/xml");
            request.set_body(body.into_bytes());
        }
        pipeline::send(pipeline, &mut request, self.timeout)
            .await?
            .error_for_status()
    }

    /// Creates the queue; an existing queue is not an error.
    pub async fn create_queue(&self, account_url: &Url, queue: &str) -> Result<()> {
        let url = queue_url(account_url, queue, &[])?;
        match self.call(Method::Put, url, None).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("QueueAlreadyExists") => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The queue's approximate message count (`x-ms-approximate-messages-count`).
    pub async fn queue_metadata(&self, account_url: &Url, queue: &str) -> Result<u64> {
        let url = queue_url(account_url, queue, &[])?;
        let url = with_query(url, &[("comp", "metadata")]);
        let reply = self.call(Method::Get, url, None).await?;
        let raw = reply
            .header("x-ms-approximate-messages-count")
            .ok_or_else(|| Error::Decode {
                what: "queue metadata".into(),
                detail: "no x-ms-approximate-messages-count header".into(),
            })?;
        raw.trim().parse().map_err(|_| Error::Decode {
            what: "queue metadata".into(),
            detail: format!("x-ms-approximate-messages-count is {raw:?}, not a count"),
        })
    }

    /// The oldest visible message, without dequeuing it; `None` for an empty queue.
    pub async fn peek_oldest(
        &self,
        account_url: &Url,
        queue: &str,
    ) -> Result<Option<PeekedMessage>> {
        let url = queue_url(account_url, queue, &["messages"])?;
        let url = with_query(url, &[("peekonly", "true"), ("numofmessages", "1")]);
        let reply = self.call(Method::Get, url, None).await?;
        parse_peek(&reply.body)
    }

    /// Enqueues a message with `text` as its content (sent as given, XML-escaped).
    pub async fn put_message(
        &self,
        account_url: &Url,
        queue: &str,
        text: &str,
    ) -> Result<PutReceipt> {
        let url = queue_url(account_url, queue, &["messages"])?;
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{}</MessageText></QueueMessage>",
            xml::escape(text)
        );
        let reply = self.call(Method::Post, url, Some(body)).await?;
        let text = body_text(&reply.body, "put message reply")?;
        let message = xml::element(text, "QueueMessage")
            .ok_or_else(|| decode("put message reply", "no <QueueMessage>"))?;
        Ok(PutReceipt {
            message_id: required(message, "MessageId", "put message reply")?,
            insertion_time: parse_time(&required(message, "InsertionTime", "put message reply")?)?,
        })
    }
}

/// `account_url` + `/queue` + further segments; names are percent-encoded as path segments, so a
/// name can never change the URL's shape.
fn queue_url(account_url: &Url, queue: &str, rest: &[&str]) -> Result<Url> {
    if queue.is_empty() {
        return Err(decode("queue name", "empty"));
    }
    let mut url = account_url.clone();
    url.set_query(None);
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| decode("queue URL", "the account URL cannot take a path"))?;
        segments.pop_if_empty().push(queue).extend(rest);
    }
    Ok(url)
}

fn with_query(mut url: Url, pairs: &[(&str, &str)]) -> Url {
    url.query_pairs_mut().extend_pairs(pairs);
    url
}

fn decode(what: &str, detail: &str) -> Error {
    Error::Decode {
        what: what.to_string(),
        detail: detail.to_string(),
    }
}

fn body_text<'a>(body: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(body).map_err(|_| decode(what, "body is not UTF-8"))
}

fn required(message: &str, tag: &str, what: &str) -> Result<String> {
    xml::element_text(message, tag).ok_or_else(|| decode(what, &format!("no <{tag}>")))
}

fn parse_time(value: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| decode("queue message time", &format!("{value:?}: {e}")))
}

/// Parses a peek reply (`<QueueMessagesList>`), keeping the first message.
pub fn parse_peek(body: &[u8]) -> Result<Option<PeekedMessage>> {
    const WHAT: &str = "peek reply";
    let text = body_text(body, WHAT)?;
    if xml::element(text, "QueueMessagesList").is_none() {
        return Err(decode(WHAT, "no <QueueMessagesList>"));
    }
    let Some(message) = xml::element(text, "QueueMessage") else {
        return Ok(None);
    };
    let expiration_time = xml::element_text(message, "ExpirationTime")
        .map(|t| parse_time(&t))
        .transpose()?;
    let dequeue_count = xml::element_text(message, "DequeueCount")
        .map(|c| c.trim().parse::<u32>())
        .transpose()
        .map_err(|_| decode(WHAT, "DequeueCount is not a number"))?
        .unwrap_or(0);
    Ok(Some(PeekedMessage {
        message_id: required(message, "MessageId", WHAT)?,
        insertion_time: parse_time(&required(message, "InsertionTime", WHAT)?)?,
        expiration_time,
        dequeue_count,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls_for_service_and_path_style_accounts() {
        let service = Url::parse("https://acct.queue.core.windows.net").expect("url");
        assert_eq!(
            queue_url(&service, "orders", &["messages"])
                .expect("url")
                .as_str(),
            "https://acct.queue.core.windows.net/orders/messages"
        );
        let emulator = Url::parse("http://127.0.0.1:10001/devstoreaccount1/").expect("url");
        assert_eq!(
            queue_url(&emulator, "orders", &[]).expect("url").as_str(),
            "http://127.0.0.1:10001/devstoreaccount1/orders"
        );
        // A hostile name stays one segment.
        let odd = queue_url(&service, "a/../b?c", &[]).expect("url");
        assert_eq!(odd.path(), "/a%2F..%2Fb%3Fc");
        assert_eq!(odd.query(), None);
    }

    #[test]
    fn parses_a_peek_reply() {
        let body = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage>\
            <MessageId>9dfb0c1e</MessageId><InsertionTime>Sat, 21 Nov 2026 21:00:21 GMT</InsertionTime>\
            <ExpirationTime>Sat, 28 Nov 2026 21:00:21 GMT</ExpirationTime><DequeueCount>2</DequeueCount>\
            <MessageText>eyJvcmRlciI6MX0=</MessageText></QueueMessage></QueueMessagesList>";
        let m = parse_peek(body.as_bytes())
            .expect("parse")
            .expect("one message");
        assert_eq!(m.message_id, "9dfb0c1e");
        assert_eq!(m.insertion_time.to_rfc3339(), "2026-11-21T21:00:21+00:00");
        assert_eq!(
            m.expiration_time.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-28T21:00:21+00:00")
        );
        assert_eq!(m.dequeue_count, 2);
    }

    #[test]
    fn an_empty_queue_peeks_none_and_garbage_is_an_error() {
        let empty = "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />";
        assert_eq!(parse_peek(empty.as_bytes()).expect("parse"), None);
        let empty = "<QueueMessagesList></QueueMessagesList>";
        assert_eq!(parse_peek(empty.as_bytes()).expect("parse"), None);
        assert!(matches!(parse_peek(b"<html/>"), Err(Error::Decode { .. })));
        let bad_time = "<QueueMessagesList><QueueMessage><MessageId>x</MessageId><InsertionTime>yesterday</InsertionTime></QueueMessage></QueueMessagesList>";
        assert!(matches!(
            parse_peek(bad_time.as_bytes()),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let auth = QueueAuth::SharedKey {
            account: "acct".into(),
            key: Redacted::new("c2VjcmV0LWtleQ==".into()),
        };
        let shown = format!("{auth:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("acct"), "{shown}");
    }
}
