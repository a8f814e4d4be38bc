//! [`SecretDigest`]: how secrets are compared without being kept. A setting's or key's value is
//! reduced to a keyed hash (HMAC-SHA-256 under a key drawn once per process), so two regions can be
//! compared by name and value hash while the value itself never enters the snapshot, the journal,
//! the logs or the screen. The key is per process, so digests cannot be matched against a table of
//! guesses made elsewhere.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::LazyLock;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

static PROCESS_KEY: LazyLock<[u8; 32]> = LazyLock::new(|| {
    // Seeded from the process's hasher randomness and the time: not for cryptography at rest, only
    // so digests are unlinkable across runs.
    use std::hash::{BuildHasher, Hasher};
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    key
});

/// A keyed hash of a secret value. Equal values give equal digests within one process.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SecretDigest(String);

impl SecretDigest {
    /// Digests a value.
    pub fn of(value: &str) -> Self {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&*PROCESS_KEY).expect("HMAC accepts keys of any length");
        mac.update(value.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(16);
        for b in bytes.iter().take(8) {
            let _ = write!(hex, "{b:02x}");
        }
        Self(hex)
    }

    /// The short hex form (16 characters).
    pub fn short(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "digest:{}", self.0)
    }
}

/// Digests every value of a name → secret map.
pub fn digest_map<'a>(
    entries: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<String, SecretDigest> {
    entries
        .into_iter()
        .map(|(k, v)| (k.clone(), SecretDigest::of(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_digest_equal_and_different_values_differ() {
        assert_eq!(SecretDigest::of("a"), SecretDigest::of("a"));
        assert_ne!(SecretDigest::of("a"), SecretDigest::of("b"));
    }

    #[test]
    fn the_digest_never_contains_the_value() {
        let secret = "AccountKey=c2VjcmV0LXZhbHVl";
        let d = SecretDigest::of(secret);
        assert!(!format!("{d:?}").contains(secret));
        assert!(
            !serde_json::to_string(&d)
                .expect("serialises")
                .contains(secret)
        );
        assert_eq!(d.short().len(), 16);
    }
}
