//! Seeded, deterministic randomness for the simulator, with no external crate.
//!
//! Two tools: [`noise`], a stateless function of (seed, key parts, time bucket) so that the
//! telemetry of a given minute is the same whatever order it is asked for in; and [`Rng`], a small
//! stateful generator (splitmix64) for values made once, such as fake secrets. This module owns
//! randomness only; it knows nothing of apps, clocks or scenarios.

/// One step of splitmix64: a well-mixed 64-bit value from any 64-bit input.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit hash of the seed and the key parts (FNV-1a over the parts, mixed with the seed).
pub fn hash_parts(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
        // A separator byte that cannot occur in UTF-8, so ["ab","c"] and ["a","bc"] differ.
        h ^= 0xFF;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix64(h ^ splitmix64(seed))
}

/// Maps 64 random bits to a float in `[0, 1)`.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// A uniform value in `[0, 1)` that depends only on the seed, the key parts and the time bucket
/// (a minute or second number): the same arguments always give the same value.
pub fn noise(seed: u64, parts: &[&str], bucket: i64) -> f64 {
    // The bucket is reinterpreted bit for bit; negative buckets are as good as positive ones.
    #[allow(clippy::cast_sign_loss)] // bit reinterpretation is the intent
    let b = bucket as u64;
    unit(splitmix64(hash_parts(seed, parts) ^ splitmix64(b)))
}

/// A multiplier around 1: `1 ± spread`, uniformly, from [`noise`].
pub fn jitter(seed: u64, parts: &[&str], bucket: i64, spread: f64) -> f64 {
    1.0 + spread * (2.0 * noise(seed, parts, bucket) - 1.0)
}

/// A stateful splitmix64 generator, for values drawn once (fake keys, message ids).
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose sequence depends only on the seed and the key parts.
    pub fn from_parts(seed: u64, parts: &[&str]) -> Self {
        Self {
            state: hash_parts(seed, parts),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.state)
    }

    /// The next float in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }

    /// A GUID-shaped string (version 4 layout) from the generator.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        guid_from(a, b)
    }
}

/// A GUID-shaped string from 128 bits, with the version-4 and variant bits set.
pub fn guid_from(a: u64, b: u64) -> String {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// A GUID-shaped string that depends only on the seed and the key parts.
pub fn stable_guid(seed: u64, parts: &[&str]) -> String {
    Rng::from_parts(seed, parts).guid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_a_pure_function_of_its_arguments() {
        let a = noise(7, &["app", "requests"], 42);
        let _ = noise(7, &["other"], 41);
        assert_eq!(a.to_bits(), noise(7, &["app", "requests"], 42).to_bits());
        assert!((0.0..1.0).contains(&a));
    }

    #[test]
    fn noise_changes_with_seed_parts_and_bucket() {
        let base = noise(7, &["a", "b"], 1);
        assert_ne!(base.to_bits(), noise(8, &["a", "b"], 1).to_bits());
        assert_ne!(base.to_bits(), noise(7, &["a", "b"], 2).to_bits());
        assert_ne!(base.to_bits(), noise(7, &["ab"], 1).to_bits());
        assert_ne!(
            noise(7, &["ab", "c"], 1).to_bits(),
            noise(7, &["a", "bc"], 1).to_bits()
        );
    }

    #[test]
    fn noise_is_roughly_uniform() {
        let n = 10_000;
        let mean: f64 = (0..n).map(|i| noise(3, &["u"], i)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
        let below: usize = (0..n).filter(|&i| noise(3, &["u"], i) < 0.25).count();
        assert!((2300..2700).contains(&below), "below a quarter: {below}");
    }

    #[test]
    fn jitter_stays_within_its_spread() {
        for i in 0..1000 {
            let j = jitter(1, &["j"], i, 0.2);
            assert!((0.8..1.2).contains(&j), "{j}");
        }
    }

    #[test]
    fn rng_sequences_repeat_for_the_same_parts_only() {
        let mut a = Rng::from_parts(5, &["key"]);
        let mut b = Rng::from_parts(5, &["key"]);
        let mut c = Rng::from_parts(5, &["other"]);
        let xa: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
        assert_eq!(Rng::from_parts(1, &["x"]).bytes(13).len(), 13);
    }

    #[test]
    fn guids_have_the_version_4_shape() {
        let g = stable_guid(9, &["deployment", "1"]);
        assert_eq!(g.len(), 36);
        let parts: Vec<&str> = g.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(
            parts[3].chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
        assert_eq!(g, stable_guid(9, &["deployment", "1"]));
    }
}
