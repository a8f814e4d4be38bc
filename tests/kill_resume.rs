//! The kill test. A simulator runs in this process, its clock the wall clock (so the warroom
//! process's own time agrees with it) and the fault already under way; `warroom drill run NAME
//! --autopilot --config FILE` runs as a child process against it and is killed with SIGKILL at
//! random points while it plans and executes actions: at a random write it sends (after a random
//! delay of up to a fifth of a second) or at a random time after it starts. It is started again
//! after each kill and resumes the open incident.
//!
//! What must hold, checked at every write and at the end of each round:
//! - every write reaching the simulator names a resource of an intent that was on disk, open
//!   (no outcome, not reconciled), when the write arrived: the write-ahead rule;
//! - the journal always opens and holds committed lines only; sequence numbers run 1..=N, none
//!   lost or used twice; no plan has two intents;
//! - every intent left unfinished by a kill is reconciled (a `reconciled` entry) by the next run.
//!
//! [`KILLS`] kills run in the suite (at least 50); `WARROOM_KILLS=500 cargo test --test
//! kill_resume` is the stress run. The kill points come from a seeded generator (the seed is
//! printed; `WARROOM_KILL_SEED` replays one).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use warroom::config::{DEMO_ESTATE, Estate};
use warroom::journal::{self, Entry, Journal, Record, Resumed};
use warroom::sim::world::OpTimings;
use warroom::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer, WriteRequest};

/// Kills in the suite.
const KILLS: usize = 52;
/// The drills flown, round by round.
const DRILLS: &[&str] = &["c-traffic-manager", "a-slot-swap"];
/// Kills per round (a fresh simulator and state directory each round).
const KILLS_PER_ROUND: usize = 13;
/// The longest the last run of a round may take to reconcile what the kills left.
const SETTLE: Duration = Duration::from_secs(60);
/// How often the journal is read while waiting for a run to settle.
const POLL: Duration = Duration::from_millis(100);

/// A small seeded generator (xorshift64*): the kill points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Where one life of the child is killed.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// At its `n`th write (from 1), after `delay`.
    Write { n: usize, delay: Duration },
    /// After it has run this long.
    After(Duration),
}

/// What the simulator's write hook shares with the test.
#[derive(Default)]
struct Watch {
    /// The state directory whose incident journal the hook reads.
    state: PathBuf,
    /// The child's pid, while one runs.
    pid: Option<u32>,
    /// Writes in the current life.
    writes: usize,
    /// The current life's kill point, when it is at a write.
    kill_at_write: Option<(usize, Duration)>,
    /// Whether the current life was killed by the hook.
    killed: bool,
    /// Writes that had no open intent on disk when they arrived.
    violations: Vec<String>,
    /// Every write seen.
    total_writes: usize,
}

type Shared = Arc<Mutex<Watch>>;

fn lock(w: &Shared) -> std::sync::MutexGuard<'_, Watch> {
    w.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The only incident journal's folder under `state`, if there is one yet.
fn incident(state: &Path) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = std::fs::read_dir(state.join("incidents"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(journal::FILE_NAME).exists())
        .collect();
    assert!(dirs.len() <= 1, "one incident per round: {dirs:?}");
    dirs.into_iter().next()
}

/// The intents with neither an outcome nor a reconciliation, by plan id, with their effects'
/// strings.
fn open_intents(records: &[Record]) -> BTreeMap<String, Vec<String>> {
    let mut open = BTreeMap::new();
    for r in records {
        match &r.entry {
            Entry::Intent(i) => {
                let mut names = Vec::new();
                for s in &i.steps {
                    strings(&s.effect, &mut names);
                }
                open.insert(i.plan_id.clone(), names);
            }
            Entry::Outcome(o) => {
                open.remove(&o.plan_id);
            }
            Entry::Reconciled(c) => {
                open.remove(&c.plan_id);
            }
            _ => {}
        }
    }
    open
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.to_ascii_lowercase()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Whether a write's path names a resource one of the effect strings names: an ARM id it
/// starts with, or a name that is one of its path segments.
fn covers(names: &[String], path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    let segments: BTreeSet<&str> = path.split('/').collect();
    names.iter().any(|s| {
        if s.starts_with("/subscriptions/") {
            path.starts_with(s.as_str())
        } else {
            let last = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            last.len() >= 3 && segments.contains(last)
        }
    })
}

/// The write hook: the write-ahead check, then the kill when this is the chosen write.
fn on_write(w: &Shared, req: &WriteRequest) {
    let mut g = lock(w);
    g.total_writes += 1;
    g.writes += 1;
    let open = incident(&g.state)
        .map(|d| open_intents(&journal::read(&d).0))
        .unwrap_or_default();
    if !open.values().any(|names| covers(names, &req.path)) {
        let v = format!(
            "{} {} arrived with no open intent naming it on disk (open: {:?})",
            req.method,
            req.path,
            open.keys().collect::<Vec<_>>()
        );
        g.violations.push(v);
    }
    if let (Some((n, delay)), Some(pid)) = (g.kill_at_write, g.pid)
        && g.writes == n
    {
        g.killed = true;
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            sigkill(pid);
        });
    }
}

fn sigkill(pid: u32) {
    // The pid is our child's and is reaped only by us, so it cannot have been reused.
    let _ = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
}

/// A simulator of `drill` on the wall clock, its fault `behind` in the past, its long-running
/// operations a second or two.
async fn simulator(drill: &str, behind: TimeDelta) -> SimHandle {
    let mut scenario = Scenario::builtin(drill).expect("a built-in drill");
    let fault = scenario.drill.as_ref().expect("a drill").fault_at;
    let now = Utc::now();
    scenario.start = now - fault.delta() - behind;
    let sim = SimServer::start(
        Estate::demo(),
        scenario,
        SimClock::wall(now, 1.0),
        SimOptions::default(),
    )
    .await
    .expect("the simulator starts");
    sim.with_world(|w| {
        w.set_operation_durations(TimeDelta::seconds(1), TimeDelta::seconds(2));
        w.set_op_timings(OpTimings {
            origin_update: TimeDelta::seconds(1),
            alias_failover: TimeDelta::seconds(2),
            alias_break: TimeDelta::seconds(1),
            storage_failover: TimeDelta::seconds(2),
            deployment_accept: TimeDelta::seconds(1),
            deployment_total: TimeDelta::seconds(3),
            what_if: TimeDelta::seconds(1),
        });
    });
    sim
}

/// The demo estate pointed at the simulator, written into `dir`.
fn estate_file(dir: &Path, sim: &SimHandle) -> PathBuf {
    let text = DEMO_ESTATE.replace(
        "[endpoints]\ncloud = \"public\"",
        &format!(
            "[endpoints]\ncloud = \"simulator\"\narm = \"{}\"",
            sim.base_url()
        ),
    );
    assert_ne!(text, DEMO_ESTATE, "the endpoints were replaced");
    let path = dir.join("estate.toml");
    std::fs::write(&path, text).expect("the estate file");
    path
}

fn spawn(drill: &str, estate: &Path, state: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("the log");
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["drill", "run", drill, "--autopilot", "--config"])
        .arg(estate)
        .env("WARROOM_STATE_DIR", state)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("the log"))
        .stderr(log)
        .spawn()
        .expect("warroom starts")
}

/// One round: a fresh simulator and state directory, `kills` lives each killed, then a last
/// life that must reconcile what the kills left. Returns the kills made.
async fn round(drill: &str, kills: usize, rng: &mut Rng, base: &Path) -> usize {
    let dir = base.join(format!("{drill}-{}", rng.next() % 100_000));
    std::fs::create_dir_all(&dir).expect("the round's folder");
    let state = dir.join("state");
    let log = dir.join("warroom.out");
    let sim = simulator(drill, TimeDelta::seconds(90)).await;
    let estate = estate_file(&dir, &sim);
    let watch: Shared = Arc::new(Mutex::new(Watch {
        state: state.clone(),
        ..Watch::default()
    }));
    let hook = Arc::clone(&watch);
    sim.on_write(move |req| on_write(&hook, req));

    let mut made = 0;
    let mut left_open: BTreeSet<String> = BTreeSet::new();
    while made < kills {
        let at = if rng.below(2) == 0 {
            KillAt::Write {
                n: 1 + rng.below(4) as usize,
                delay: Duration::from_millis(rng.below(200)),
            }
        } else {
            KillAt::After(Duration::from_millis(300 + rng.below(2_700)))
        };
        let mut child = spawn(drill, &estate, &state, &log);
        {
            let mut g = lock(&watch);
            g.pid = Some(child.id());
            g.writes = 0;
            g.killed = false;
            g.kill_at_write = match at {
                KillAt::Write { n, delay } => Some((n, delay)),
                KillAt::After(_) => None,
            };
        }
        let started = Instant::now();
        let limit = match at {
            KillAt::After(d) => d,
            // A life that never reaches its chosen write is killed after a while anyway.
            KillAt::Write { .. } => Duration::from_secs(4),
        };
        let status = loop {
            if let Some(s) = child.try_wait().expect("waits on warroom") {
                break Some(s);
            }
            if started.elapsed() >= limit && !lock(&watch).killed {
                lock(&watch).killed = true;
                sigkill(child.id());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        lock(&watch).pid = None;
        let killed = lock(&watch).killed;
        if !killed {
            // It finished on its own: the recovery was validated and the incident closed.
            assert_eq!(
                status.and_then(|s| s.code()),
                Some(0),
                "warroom ended on its own without the recovery; see {}",
                log.display()
            );
            break;
        }
        made += 1;
        if let Some(d) = incident(&state) {
            left_open.extend(open_intents(&journal::read(&d).0).into_keys());
        }
    }

    // The last life: it must reconcile every intent the kills left open.
    let mut child = spawn(drill, &estate, &state, &log);
    lock(&watch).pid = Some(child.id());
    lock(&watch).kill_at_write = None;
    let started = Instant::now();
    loop {
        let reconciled = incident(&state)
            .map(|d| reconciled(&journal::read(&d).0))
            .unwrap_or_default();
        if left_open.is_subset(&reconciled) || child.try_wait().expect("waits").is_some() {
            break;
        }
        assert!(
            started.elapsed() < SETTLE,
            "the last run did not reconcile {:?} within {SETTLE:?}; see {}",
            left_open.difference(&reconciled).collect::<Vec<_>>(),
            log.display()
        );
        tokio::time::sleep(POLL).await;
    }
    sigkill(child.id());
    let _ = child.wait();
    lock(&watch).pid = None;

    let dir_of = incident(&state).expect("an incident was journaled");
    check_journal(&dir_of, &left_open);
    let (records, _) = journal::read(&dir_of);
    let intents = records
        .iter()
        .filter(|r| matches!(r.entry, Entry::Intent(_)))
        .count();
    let g = lock(&watch);
    println!(
        "  {drill}: {made} kills, {} writes, {} entries, {intents} intents, {} left open by a \
         kill and reconciled",
        g.total_writes,
        records.len(),
        left_open.len()
    );
    assert!(g.total_writes > 0, "the round wrote to the simulator");
    assert!(g.violations.is_empty(), "{:#?}", g.violations);
    drop(g);
    sim.shutdown().await.expect("the simulator stops");
    let _ = std::fs::remove_dir_all(&dir);
    made
}

/// The plan ids with a `reconciled` entry.
fn reconciled(records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Reconciled(c) => Some(c.plan_id.clone()),
            _ => None,
        })
        .collect()
}

/// The journal after the round: it opens as warroom opens it, holds committed lines only,
/// numbers 1..=N once each, one intent per plan, and a reconciliation of each intent a kill
/// left open.
fn check_journal(dir: &Path, left_open: &BTreeSet<String>) {
    let j = Journal::open_or_create(dir).expect("the journal always opens");
    drop(j);
    let (records, warnings) = journal::read(dir);
    assert_eq!(warnings, [], "committed lines only");
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    let want: Vec<u64> = (1..=records.len() as u64).collect();
    assert_eq!(seqs, want, "no entry lost or used twice");
    let mut plans = BTreeSet::new();
    for r in &records {
        if let Entry::Intent(i) = &r.entry {
            assert!(plans.insert(i.plan_id.clone()), "two intents of {}", i.plan_id);
        }
    }
    let done = reconciled(&records);
    assert!(
        left_open.is_subset(&done),
        "unreconciled: {:?}",
        left_open.difference(&done).collect::<Vec<_>>()
    );
    // What is still unfinished was started by the last run, after every reconciliation.
    let resumed = Resumed::from_records(&records);
    let last_reconciled = records
        .iter()
        .filter(|r| matches!(r.entry, Entry::Reconciled(_)))
        .map(|r| r.seq)
        .max()
        .unwrap_or(0);
    for u in &resumed.unfinished {
        assert!(
            u.seq > last_reconciled,
            "intent {} (seq {}) was left unfinished and never reconciled",
            u.intent.plan_id,
            u.seq
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn warroom_killed_at_random_points_while_acting_loses_nothing_and_reconciles_on_resume() {
    let total: usize = std::env::var("WARROOM_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(KILLS);
    let seed: u64 = std::env::var("WARROOM_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            u64::from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("after 1970")
                    .subsec_nanos(),
            ) | 1
        });
    println!("kill points from seed {seed} (WARROOM_KILL_SEED={seed} replays them)");
    let mut rng = Rng(seed);
    let base = std::env::temp_dir().join(format!("warroom-kill-{}", std::process::id()));
    let mut made = 0;
    let mut rounds = 0;
    while made < total {
        let drill = DRILLS[rounds % DRILLS.len()];
        let kills = KILLS_PER_ROUND.min(total - made);
        let n = round(drill, kills, &mut rng, &base).await;
        println!("round {rounds}: {drill}, {n} kills");
        made += n;
        rounds += 1;
        assert!(
            rounds <= total,
            "rounds keep ending before their kills: is every run recovering at once?"
        );
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(made >= total, "{made} kills");
}
