//! Queues (Storage queues, Service Bus queues, Event Hubs consumer lag): depth integrated from
//! arrivals minus processing, second by second on a fixed grid, with messages kept in batches so
//! that the oldest message's insertion time is exact.
//!
//! Processing capacity falls to zero when the consumer is stopped, its region is out or its
//! production slot is Unhealthy, and is reduced by the consumer's failure rate otherwise. Owns the
//! queue state and its integration; the world decides the capacity factor.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use crate::config::QueueKind;
use crate::sim::rng::{guid_from, hash_parts, jitter, splitmix64};

/// How long a Storage queue message lives (the service default, 7 days).
pub const MESSAGE_TTL: TimeDelta = TimeDelta::days(7);

/// Messages inserted in the same second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Insertion time.
    pub inserted: DateTime<Utc>,
    /// Sequence number of the first message still in the batch.
    pub first_seq: u64,
    /// Messages still in the batch.
    pub count: u64,
}

/// A queue and its backlog.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueState {
    /// Storage account or namespace.
    pub account: String,
    /// Queue, Service Bus queue or event hub.
    pub name: String,
    /// Kind.
    pub kind: QueueKind,
    /// Region short name.
    pub region: String,
    /// Index of the consuming app (none for a queue created through the data plane).
    pub app: Option<usize>,
    /// Arrivals per minute.
    pub arrivals_per_minute: f64,
    /// Processing capacity per minute when healthy.
    pub processing_per_minute: f64,
    batches: VecDeque<Batch>,
    depth: u64,
    next_seq: u64,
    arrival_carry: f64,
    process_carry: f64,
    dead_letter_carry: f64,
    dead_letters: u64,
    custom_text: BTreeMap<u64, String>,
    created: DateTime<Utc>,
    last_activity: DateTime<Utc>,
}

/// One message as a peek shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeekedMessage {
    /// Message id (GUID).
    pub id: String,
    /// Insertion time.
    pub inserted: DateTime<Utc>,
    /// Expiration time.
    pub expires: DateTime<Utc>,
    /// The message text (base64 of a small JSON document for generated messages).
    pub text: String,
}

impl QueueState {
    /// A queue with `initial_depth` messages inserted evenly over the minute before `start`.
    pub fn new(
        key: (&str, &str, QueueKind, &str),
        app: Option<usize>,
        rates: (f64, f64),
        initial_depth: u64,
        start: DateTime<Utc>,
    ) -> Self {
        let (account, name, kind, region) = key;
        let mut q = Self {
            account: account.to_owned(),
            name: name.to_owned(),
            kind,
            region: region.to_owned(),
            app,
            arrivals_per_minute: rates.0,
            processing_per_minute: rates.1,
            batches: VecDeque::new(),
            depth: 0,
            next_seq: 1,
            arrival_carry: 0.0,
            process_carry: 0.0,
            dead_letter_carry: 0.0,
            dead_letters: 0,
            custom_text: BTreeMap::new(),
            created: start - TimeDelta::days(90),
            last_activity: start,
        };
        let spread = initial_depth.min(60);
        for i in 0..spread {
            let share = initial_depth / spread + u64::from(i < initial_depth % spread);
            let at = start - TimeDelta::seconds(i64::try_from(spread - i).unwrap_or(60));
            q.push(at, share);
        }
        q
    }

    fn push(&mut self, at: DateTime<Utc>, count: u64) {
        if count == 0 {
            return;
        }
        match self.batches.back_mut() {
            Some(b) if b.inserted == at => b.count += count,
            _ => self.batches.push_back(Batch {
                inserted: at,
                first_seq: self.next_seq,
                count,
            }),
        }
        self.next_seq += count;
        self.depth += count;
        self.last_activity = at;
    }

    fn take(&mut self, mut n: u64) -> u64 {
        let mut taken = 0;
        while n > 0 {
            let Some(front) = self.batches.front_mut() else {
                break;
            };
            let k = n.min(front.count);
            for seq in front.first_seq..front.first_seq + k {
                self.custom_text.remove(&seq);
            }
            front.first_seq += k;
            front.count -= k;
            n -= k;
            taken += k;
            if front.count == 0 {
                self.batches.pop_front();
            }
        }
        self.depth -= taken;
        taken
    }

    /// One second of life ending at `t`: arrivals, then processing at `capacity` (0 to 1) of the
    /// nominal rate; `failure` (0 to 1) of processed messages count toward dead-lettering.
    pub(super) fn tick(&mut self, seed: u64, t: DateTime<Utc>, capacity: f64, failure: f64) {
        let minute = t.timestamp().div_euclid(60);
        let arrivals = self.arrivals_per_minute / 60.0
            * jitter(seed, &["arrivals", &self.account, &self.name], minute, 0.2)
            + self.arrival_carry;
        let whole = arrivals.floor();
        self.arrival_carry = arrivals - whole;
        self.push(t, whole as u64);
        let capacity = self.processing_per_minute / 60.0 * capacity.clamp(0.0, 1.0);
        let possible = capacity + self.process_carry;
        let whole = possible.floor();
        let taken = self.take(whole as u64);
        // Unused capacity is not banked beyond a fraction of one message.
        self.process_carry = if taken < whole as u64 {
            0.0
        } else {
            possible - whole
        };
        if taken > 0 {
            self.last_activity = t;
        }
        if self.kind == QueueKind::ServiceBus {
            self.dead_letter_carry += taken as f64 * failure * 0.1;
            let dl = self.dead_letter_carry.floor();
            self.dead_letters += dl as u64;
            self.dead_letter_carry -= dl;
        }
    }

    /// Messages waiting.
    pub fn depth(&self) -> u64 {
        self.depth
    }

    /// Dead-lettered messages (Service Bus).
    pub fn dead_letters(&self) -> u64 {
        self.dead_letters
    }

    /// When the queue was created.
    pub fn created(&self) -> DateTime<Utc> {
        self.created
    }

    /// The last arrival or processing.
    pub fn last_activity(&self) -> DateTime<Utc> {
        self.last_activity
    }

    /// The oldest waiting message's insertion time.
    pub fn oldest(&self) -> Option<DateTime<Utc>> {
        self.batches.front().map(|b| b.inserted)
    }

    /// The first `n` waiting messages, oldest first.
    pub fn peek(&self, seed: u64, n: usize) -> Vec<PeekedMessage> {
        let mut out = Vec::with_capacity(n);
        for b in &self.batches {
            for seq in b.first_seq..b.first_seq + b.count {
                if out.len() == n {
                    return out;
                }
                out.push(self.message(seed, seq, b.inserted));
            }
        }
        out
    }

    fn message(&self, seed: u64, seq: u64, inserted: DateTime<Utc>) -> PeekedMessage {
        let h = hash_parts(seed, &["message", &self.account, &self.name]);
        let id = guid_from(splitmix64(h ^ seq), splitmix64(h.rotate_left(17) ^ seq));
        let text = self.custom_text.get(&seq).cloned().unwrap_or_else(|| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .encode(format!("{{\"orderId\":\"ord-{seq:08}\",\"attempt\":1}}"))
        });
        PeekedMessage {
            id,
            inserted,
            expires: inserted + MESSAGE_TTL,
            text,
        }
    }

    /// Adds one message with the given text at `t`; returns it as a peek would show it.
    pub fn enqueue(&mut self, seed: u64, t: DateTime<Utc>, text: String) -> PeekedMessage {
        let seq = self.next_seq;
        self.custom_text.insert(seq, text);
        self.push(t, 1);
        self.message(seed, seq, t)
    }
}

impl World {
    /// All queues, in estate order.
    pub fn queues(&self) -> &[QueueState] {
        &self.queues
    }

    /// A queue by account and name (case-insensitive).
    pub fn queue(&self, account: &str, name: &str) -> Option<&QueueState> {
        self.queues
            .iter()
            .find(|q| q.account.eq_ignore_ascii_case(account) && q.name.eq_ignore_ascii_case(name))
    }

    /// A queue by account and name, for writes.
    pub fn queue_mut(&mut self, account: &str, name: &str) -> Option<&mut QueueState> {
        self.queues
            .iter_mut()
            .find(|q| q.account.eq_ignore_ascii_case(account) && q.name.eq_ignore_ascii_case(name))
    }

    /// Creates an empty Storage queue with no consumer in a storage account (what the data
    /// plane's `PUT {queue}` does); returns false when it already exists.
    pub fn create_queue(&mut self, account: &str, name: &str) -> Result<bool, super::WorldError> {
        if self.queue(account, name).is_some() {
            return Ok(false);
        }
        let acct = self
            .storage_account(account)
            .ok_or_else(|| super::WorldError::UnknownAccount(account.to_owned()))?;
        let (acct_name, region) = (acct.name.clone(), acct.region.clone());
        let now = self.now;
        let mut q = QueueState::new(
            (
                &acct_name,
                &name.to_ascii_lowercase(),
                QueueKind::Storage,
                &region,
            ),
            None,
            (0.0, 0.0),
            0,
            now,
        );
        q.created = now;
        self.queues.push(q);
        Ok(true)
    }

    /// The consumer's processing capacity (0 to 1) and failure rate at `t`.
    pub(super) fn consumer_capacity(&self, app: Option<usize>, t: DateTime<Utc>) -> (f64, f64) {
        let Some(app) = app else {
            return (0.0, 0.0);
        };
        let a = &self.apps[app];
        if *a.consumer_stopped.at(t) || self.region_out(&a.region, t) {
            return (0.0, 1.0);
        }
        if self.health(app, 0, t).status == super::health::HealthStatus::Unhealthy {
            return (0.0, 1.0);
        }
        let p = self.failure_probability(app, 0, t);
        (1.0 - p, p)
    }

    /// Advances every queue by one second ending at `t`.
    pub(super) fn tick_queues(&mut self, t: DateTime<Utc>) {
        let seed = self.seed();
        let factors: Vec<(f64, f64)> = self
            .queues
            .iter()
            .map(|q| self.consumer_capacity(q.app, t))
            .collect();
        for (q, (capacity, failure)) in self.queues.iter_mut().zip(factors) {
            q.tick(seed, t, capacity, failure);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_775_293_200 + s, 0).expect("valid")
    }

    fn queue(depth: u64) -> QueueState {
        QueueState::new(
            ("acct", "q", QueueKind::Storage, "krc"),
            Some(0),
            (60.0, 120.0),
            depth,
            t(0),
        )
    }

    #[test]
    fn initial_backlog_has_exact_insertion_times_before_the_start() {
        let q = queue(14);
        assert_eq!(q.depth(), 14);
        assert_eq!(q.oldest(), Some(t(-14)));
        let peek = q.peek(1, 3);
        assert_eq!(peek.len(), 3);
        assert_eq!(peek[0].inserted, t(-14));
        assert_eq!(peek[0].expires, t(-14) + MESSAGE_TTL);
        assert_ne!(peek[0].id, peek[1].id);
    }

    #[test]
    fn depth_follows_arrivals_minus_processing() {
        let mut q = queue(0);
        for s in 1..=600 {
            q.tick(1, t(s), 0.0, 0.0);
        }
        let stalled = q.depth();
        assert!(
            (480..=720).contains(&stalled),
            "ten minutes at ~60/min: {stalled}"
        );
        // About one message a second: the first lands within the first seconds, at a whole second.
        let first = q.oldest().expect("messages waiting");
        assert!(first >= t(1) && first <= t(3), "{first}");
        assert_eq!(q.peek(1, 1)[0].inserted, first);
        // Draining at twice the arrival rate clears the backlog in about ten minutes.
        for s in 601..=1500 {
            q.tick(1, t(s), 1.0, 0.0);
        }
        assert!(q.depth() < 5, "drained: {}", q.depth());
        let oldest = q.oldest().unwrap_or(t(1500));
        assert!(oldest > t(1400), "only recent messages remain: {oldest}");
    }

    #[test]
    fn enqueued_messages_keep_their_text_and_time() {
        let mut q = queue(0);
        let m = q.enqueue(1, t(5), "aGVsbG8=".to_owned());
        assert_eq!(q.depth(), 1);
        let peek = q.peek(1, 32);
        assert_eq!(peek, vec![m]);
        assert_eq!(peek[0].text, "aGVsbG8=");
    }
}
