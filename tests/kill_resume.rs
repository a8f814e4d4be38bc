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
//! - every intent left unfinished by a kill is reconciled (a `reconciled` entry) by the next run;
//! - no action fails because of a kill (nothing interrupted is repeated into a conflict).
//!
//! Rounds run until [`KILLS`] kills have struck while an action ran (at or after one of its
//! writes, or with its intent open on disk); `WARROOM_KILLS=500 cargo test --test kill_resume`
//! is the stress run. The kill points come from a seeded generator (the seed is
//! printed; `WARROOM_KILL_SEED` replays one).

#[path = "common/kill_journal.rs"]
mod kill_journal;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use kill_journal::{check_journal, covers, incident, open_intents, reconciled};
use warroom::config::{DEMO_ESTATE, Estate};
use warroom::journal::{self, Entry};
use warroom::sim::world::OpTimings;
use warroom::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer, WriteRequest};

/// Kills while an action runs, in the suite.
const KILLS: usize = 50;
/// The drills flown, round by round.
const DRILLS: &[&str] = &[
    "c-traffic-manager",
    "a-slot-swap",
    "secondary-out-of-sync",
    "c-event-hubs",
];
/// The most kills in one round (a fresh simulator and state directory each round).
const MAX_KILLS_PER_ROUND: usize = 12;
/// The longest the last run of a round may take to reconcile what the kills left.
const SETTLE: Duration = Duration::from_mins(1);
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

/// What one round came to.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    /// Kills made.
    kills: usize,
    /// Kills that struck while an action ran (at or after one of its writes, or with an intent
    /// open on disk).
    mid_action: usize,
}

/// One round: a fresh simulator and state directory; lives killed one after another until the
/// actions are over (a life that wrote nothing and left nothing open), or the drill recovered;
/// then a last life that must reconcile what the kills left.
async fn round(drill: &str, rng: &mut Rng, base: &Path) -> Tally {
    let dir = base.join(format!("{drill}-{}", rng.next() % 1_000_000));
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
    let run = |w: &Shared| {
        let child = spawn(drill, &estate, &state, &log);
        lock(w).pid = Some(child.id());
        child
    };

    let mut tally = Tally::default();
    let mut left_open: BTreeSet<String> = BTreeSet::new();
    while tally.kills < MAX_KILLS_PER_ROUND {
        // Mostly at a write (an action is running then), sometimes at any moment.
        let at = if rng.below(5) < 4 {
            KillAt::Write {
                n: 1 + rng.below(3) as usize,
                delay: Duration::from_millis(rng.below(200)),
            }
        } else {
            KillAt::After(Duration::from_millis(200 + rng.below(1_800)))
        };
        {
            let mut g = lock(&watch);
            g.writes = 0;
            g.killed = false;
            g.kill_at_write = match at {
                KillAt::Write { n, delay } => Some((n, delay)),
                KillAt::After(_) => None,
            };
        }
        let mut child = run(&watch);
        let limit = match at {
            KillAt::After(d) => d,
            // A life that never reaches its chosen write is killed after a while anyway.
            KillAt::Write { .. } => Duration::from_secs(4),
        };
        let ended_itself = life(&mut child, &watch, limit).await;
        if let Some(code) = ended_itself {
            // It finished on its own: the recovery was validated and the incident closed.
            assert_eq!(
                code,
                Some(0),
                "warroom ended on its own; see {}",
                log.display()
            );
            break;
        }
        tally.kills += 1;
        let records = incident(&state)
            .map(|d| journal::read(&d).0)
            .unwrap_or_default();
        let open = open_intents(&records);
        if lock(&watch).writes > 0 || !open.is_empty() {
            tally.mid_action += 1;
        } else if actions_over(&records) || matches!(at, KillAt::Write { .. }) {
            // Nothing ran and nothing is open, and the engine recommends nothing more or a
            // whole life passed without a write: the actions are over.
            break;
        }
        left_open.extend(open.into_keys());
    }

    // The last life: it must reconcile every intent the kills left open.
    lock(&watch).kill_at_write = None;
    let mut child = run(&watch);
    settle(&mut child, &state, &left_open, &log).await;
    lock(&watch).pid = None;

    let folder = incident(&state).expect("an incident was journaled");
    check_journal(&folder, &left_open);
    let (records, _) = journal::read(&folder);
    let intents = records
        .iter()
        .filter(|r| matches!(r.entry, Entry::Intent(_)))
        .count();
    let (writes, violations) = {
        let g = lock(&watch);
        (g.total_writes, g.violations.clone())
    };
    println!(
        "  {drill}: {} kills ({} while acting), {writes} writes, {} entries, {intents} intents, \
         {} left open and reconciled",
        tally.kills,
        tally.mid_action,
        records.len(),
        left_open.len()
    );
    assert!(violations.is_empty(), "{violations:#?}");
    sim.shutdown().await.expect("the simulator stops");
    if std::env::var_os("WARROOM_KILL_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally
}

/// Whether the actions are over: something ran, nothing is open, and the engine's last journaled
/// decision recommends nothing (it is verifying, or done).
fn actions_over(records: &[warroom::journal::Record]) -> bool {
    let r = warroom::journal::Resumed::from_records(records);
    !r.actions.is_empty()
        && r.unfinished.is_empty()
        && r.last_decision.is_some_and(|d| d.recommendation.is_none())
}

/// Lets the last life run until every intent in `left_open` is reconciled (or it ends), then
/// stops it.
async fn settle(child: &mut Child, state: &Path, left_open: &BTreeSet<String>, log: &Path) {
    let started = Instant::now();
    loop {
        let reconciled = incident(state)
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
}

/// Waits for the child to end, killing it after `limit` unless the hook already did; `Some`
/// with its exit code when it ended by itself.
async fn life(child: &mut Child, watch: &Shared, limit: Duration) -> Option<Option<i32>> {
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("waits on warroom") {
            break s;
        }
        if started.elapsed() >= limit {
            let first = !std::mem::replace(&mut lock(watch).killed, true);
            if first {
                sigkill(child.id());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut g = lock(watch);
    g.pid = None;
    (!g.killed).then(|| status.code())
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
    let mut made = Tally::default();
    let mut rounds = 0;
    while made.mid_action < total {
        let drill = DRILLS[rounds % DRILLS.len()];
        let t = round(drill, &mut rng, &base).await;
        made.kills += t.kills;
        made.mid_action += t.mid_action;
        rounds += 1;
        assert!(
            rounds <= total,
            "rounds keep ending without kills while acting: {made:?} after {rounds} rounds"
        );
    }
    println!(
        "{} kills in {rounds} rounds, {} of them while an action ran",
        made.kills, made.mid_action
    );
    if std::env::var_os("WARROOM_KILL_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&base);
    }
    assert!(made.mid_action >= total, "{made:?}");
}
