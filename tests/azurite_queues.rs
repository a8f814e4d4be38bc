//! The Storage queue data plane against Azurite, the real Storage emulator: create, put, the
//! approximate message count, peek of the oldest message, and Shared Key signing (a wrong key
//! must give Storage's typed 403).
//!
//! Azurite comes from `scripts/install-azurite.sh` (npm, pinned in package.json). Where it is not
//! installed the test prints `SKIPPED` on the terminal (past the test harness's capture) and
//! passes, except under `CI=true`, where it fails.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use url::Url;
use warroom::azure::{Error, QueueAuth, QueueClient, Redacted};

/// Azurite's published development account and key (documented, not a secret).
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// Kills Azurite when the test ends, however it ends.
struct Azurite {
    child: Child,
    addr: SocketAddr,
    _dir: TempDir,
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch directory for Azurite's working directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("warroom-azurite-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn azurite_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin/azurite-queue")
}

/// Says the test is skipped, on the real stderr so `cargo test` shows it; fails under CI.
fn skip_or_fail(reason: &str) {
    let message = format!("SKIPPED: {reason} (run scripts/install-azurite.sh)");
    let _ = writeln!(std::io::stderr().lock(), "\n{message}\n");
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true: Azurite is required here. {message}"
    );
}

async fn start_azurite() -> Option<Azurite> {
    let bin = azurite_bin();
    if !bin.exists() {
        skip_or_fail("Azurite not installed");
        return None;
    }
    // A free port: bind to 0, read it, release it for Azurite.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = TempDir::new();
    let child = Command::new(&bin)
        .args(["--queueHost", "127.0.0.1", "--queuePort", &port.to_string()])
        .args([
            "--inMemoryPersistence",
            "--disableTelemetry",
            "--skipApiVersionCheck",
            "--silent",
        ])
        .current_dir(&dir.0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn azurite-queue");
    let mut azurite = Azurite {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        _dir: dir,
    };
    // Wait for the port to accept: bounded tries, each a real connect attempt.
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(azurite.addr).await.is_ok() {
            return Some(azurite);
        }
        if let Some(status) = azurite.child.try_wait().expect("try_wait") {
            let mut stderr = String::new();
            if let Some(mut e) = azurite.child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
            }
            panic!("azurite-queue exited with {status} before listening: {stderr}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "azurite-queue did not accept connections on {} within 15 s",
        azurite.addr
    );
}

fn shared_key(key: &str) -> QueueAuth {
    QueueAuth::SharedKey {
        account: ACCOUNT.into(),
        key: Redacted::new(key.into()),
    }
}

#[tokio::test]
async fn queue_reads_against_azurite() {
    let Some(azurite) = start_azurite().await else {
        return;
    };
    let account = Url::parse(&format!("http://{}/{ACCOUNT}", azurite.addr)).expect("url");
    let queues = QueueClient::new(shared_key(KEY)).expect("client");

    queues
        .create_queue(&account, "orders")
        .await
        .expect("create");
    queues
        .create_queue(&account, "orders")
        .await
        .expect("create again is fine");
    assert_eq!(
        queues
            .queue_metadata(&account, "orders")
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        queues.peek_oldest(&account, "orders").await.expect("peek"),
        None
    );

    let mut receipts = Vec::new();
    for n in 1..=3 {
        let text = format!("{{\"order\":{n},\"note\":\"<a & b>\"}}");
        receipts.push(
            queues
                .put_message(&account, "orders", &text)
                .await
                .expect("put"),
        );
    }
    assert_eq!(
        queues
            .queue_metadata(&account, "orders")
            .await
            .expect("count"),
        3
    );

    let oldest = queues
        .peek_oldest(&account, "orders")
        .await
        .expect("peek")
        .expect("a message");
    assert_eq!(oldest.message_id, receipts[0].message_id);
    assert_eq!(oldest.insertion_time, receipts[0].insertion_time);
    assert_eq!(oldest.dequeue_count, 0);
    assert!(
        oldest
            .expiration_time
            .is_some_and(|t| t > oldest.insertion_time)
    );
    // Peeking does not dequeue.
    assert_eq!(
        queues
            .queue_metadata(&account, "orders")
            .await
            .expect("count"),
        3
    );

    let missing = queues
        .queue_metadata(&account, "nosuchqueue")
        .await
        .expect_err("404");
    assert_eq!(missing.status(), Some(404), "{missing:?}");
    assert_eq!(missing.code(), Some("QueueNotFound"), "{missing:?}");
}

#[tokio::test]
async fn a_wrong_shared_key_is_a_typed_403() {
    let Some(azurite) = start_azurite().await else {
        return;
    };
    let account = Url::parse(&format!("http://{}/{ACCOUNT}", azurite.addr)).expect("url");
    QueueClient::new(shared_key(KEY))
        .expect("client")
        .create_queue(&account, "signed")
        .await
        .expect("the right key signs correctly");

    // A well-formed key that is not the account's.
    let wrong = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
    let err = QueueClient::new(shared_key(wrong))
        .expect("client")
        .queue_metadata(&account, "signed")
        .await
        .expect_err("rejected");
    let Error::Arm {
        status,
        code,
        message,
        ..
    } = &err
    else {
        panic!("expected Storage's typed error, got {err:?}");
    };
    assert_eq!(*status, 403);
    assert_eq!(code, "AuthenticationFailed");
    assert!(!message.is_empty());
    assert!(
        !err.to_string().contains(wrong),
        "the key never appears in errors"
    );

    let anonymous = QueueClient::new(QueueAuth::None)
        .expect("client")
        .queue_metadata(&account, "signed")
        .await
        .expect_err("anonymous rejected");
    assert_eq!(anonymous.status(), Some(403), "{anonymous:?}");
}
