//! The console's own path to the action runtime, end to end against the in-process simulator:
//! key events into the console's state (`AppState::update`, the handling `warroom demo` runs),
//! each request it makes sent to this runtime (`spawn`, effects through the client the observer
//! reads with), the runtime's news fed back to it as messages, and its screen drawn on a test
//! backend. The event loop that carries these in the demo is tested on its own in `tui`.
//!
//! Through the command line, on the bad release (where the recommended action is the swap): a
//! high-risk `:tm-disable` confirmed with a wrong name is refused on screen, no write reaches the
//! simulator (it counts them), the journal holds a `declined` entry and no intent; planned again
//! from the refusal and confirmed with the right name, the endpoint is disabled and read back
//! disabled through the client. And `:redeploy APP`, not the recommended action, runs end to end:
//! the new deployment and the app's health read back through the client.

use std::sync::Arc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::watch;

use super::{Runtime, spawn};
use crate::act::{AzureEffects, Effects};
use crate::azure::{AzureClient, QueueAuth};
use crate::cli::wiring::VirtualWait;
use crate::config::Estate;
use crate::decide::{ActionKind, ProposedAction};
use crate::journal::tests::TempDir;
use crate::journal::{self, Entry, Journal};
use crate::model::{Health, Snapshot};
use crate::observe::{Clock, Observer};
use crate::sim::{Scenario, SimClock, SimHandle};
use crate::tui::actions::{ConfirmNeed, PlanDialog, Stage};
use crate::tui::app::{AppState, Modal};
use crate::tui::msg::{Intent, Msg};
use crate::tui::{ActionPort, ConsoleOptions, layout};

const KRC: &str = "func-orders-prod-krc";
const ENDPOINT: &str = "primary-endpoint";
/// Typed for every override the plans ask a reason for.
const REASON: &str = "console e2e: the commander accepts this";
const SIZE: (u16, u16) = (160, 48);

/// The console, the runtime behind it and the simulated estate they both reach.
struct Bench {
    app: AppState,
    port: ActionPort,
    sim: SimHandle,
    client: AzureClient,
    estate: Estate,
    clock: SimClock,
    dir: std::path::PathBuf,
    _tmp: TempDir,
}

impl Bench {
    /// The demo estate under the bad release, `secs` in, read once; the console shown that read
    /// and the runtime started on it, as `warroom demo` wires them (minus the terminal).
    async fn start(secs: u64) -> Self {
        let scenario = Scenario::builtin("bad-release").expect("scenario");
        let clock = SimClock::manual(scenario.start);
        clock.advance(Duration::from_secs(secs));
        let (sim, estate, client) = super::test_sim::serve(scenario, &clock).await;
        let snap = read(&client, &estate, &clock).await;

        let tmp = TempDir::new("console-e2e");
        let dir = tmp.0.join("incident");
        let c = clock.clone();
        let journal = Journal::open_or_create(&dir)
            .expect("journal")
            .with_clock(Arc::new(move || c.now()));
        let mut effects = AzureEffects::new(client.clone(), estate.clone(), dir.clone());
        let c = clock.clone();
        effects.now = Arc::new(move || c.now());
        let c = clock.clone();
        effects.clock = Arc::new(move || Box::new(VirtualWait::on(c.clone())));
        effects.artifact_auth = Some(QueueAuth::None);
        let effects: Arc<dyn Effects> = Arc::new(effects);
        let (_snap_tx, snapshots) = watch::channel(Arc::new(snap.clone()));
        let c = clock.clone();
        let (port, _task) = spawn(Runtime {
            estate: Arc::new(estate.clone()),
            snapshots,
            effects,
            journal,
            now: Arc::new(move || c.now()),
            resume: None,
            taken_in: None,
        });

        let opts = ConsoleOptions {
            read_only: false,
            estate: Arc::new(estate.clone()),
            ..ConsoleOptions::default()
        };
        let mut app = AppState::new(&opts, clock.now());
        app.update(Msg::Resize(SIZE.0, SIZE.1));
        app.update(Msg::Snapshot(Arc::new(snap)));
        app.update(Msg::Tick(clock.now()));
        Self {
            app,
            port,
            sim,
            client,
            estate,
            clock,
            dir,
            _tmp: tmp,
        }
    }

    /// One key, as the terminal reports it; a request the console makes goes to the runtime.
    fn key(&mut self, code: KeyCode) {
        let intent = self
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.forward(intent);
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn forward(&mut self, intent: Option<Intent>) {
        match intent {
            Some(Intent::Action(req)) => self.port.requests.send(req).expect("the runtime runs"),
            Some(Intent::Quit) => panic!("nothing here quits"),
            None => {}
        }
    }

    /// Feeds the runtime's news to the console until `done` holds of it (a bound on a bug, not a
    /// pace: each event is taken as soon as it comes).
    async fn until(&mut self, what: &str, done: impl Fn(&AppState) -> bool) {
        while !done(&self.app) {
            let Ok(ev) =
                tokio::time::timeout(Duration::from_mins(1), self.port.events.recv()).await
            else {
                panic!("no news of {what}; the screen:\n{}", self.screen());
            };
            let ev = ev.expect("the runtime runs");
            let intent = self.app.update(Msg::Action(ev));
            self.forward(intent);
        }
    }

    /// The screen as the commander reads it.
    fn screen(&self) -> String {
        let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test backend");
        term.draw(|f| layout::render(f, &self.app)).expect("drawn");
        let buf = term.backend().buffer();
        (0..SIZE.1)
            .map(|y| {
                (0..SIZE.0)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `:` and `keys` (a `\t` is the Tab key), then Enter; returns the line as it read just
    /// before Enter.
    fn command(&mut self, keys: &str) -> String {
        self.key(KeyCode::Char(':'));
        for c in keys.chars() {
            self.key(if c == '\t' {
                KeyCode::Tab
            } else {
                KeyCode::Char(c)
            });
        }
        let Some(Modal::Command(line)) = &self.app.modal else {
            panic!("the command line is open; the screen:\n{}", self.screen());
        };
        let line = line.input.clone();
        self.key(KeyCode::Enter);
        line
    }

    /// Waits for a plan dialog other than `not`, types a reason for each override it asks;
    /// returns it at its confirmation.
    async fn plan_open(&mut self, not: Option<&str>) -> PlanDialog {
        self.until("a plan", |app| {
            dialog(app).is_some_and(|d| Some(d.plan.id.as_str()) != not)
        })
        .await;
        while let Some(Stage::Reason(_)) = dialog(&self.app).map(|d| &d.stage) {
            self.typed(REASON);
            self.key(KeyCode::Enter);
        }
        let d = dialog(&self.app).expect("the plan").clone();
        assert_eq!(d.stage, Stage::Confirm, "{}", self.screen());
        d
    }

    fn records(&self) -> Vec<journal::Record> {
        let (records, warnings) = journal::read(&self.dir);
        assert_eq!(warnings, []);
        records
    }

    async fn read(&self) -> Snapshot {
        read(&self.client, &self.estate, &self.clock).await
    }
}

/// Every source read once through warroom's client.
async fn read(client: &AzureClient, estate: &Estate, clock: &SimClock) -> Snapshot {
    let c = clock.clone();
    Observer::new(
        Arc::new(client.clone()),
        Arc::new(client.queues(QueueAuth::None).expect("queues")),
        Arc::new(estate.clone()),
        Clock::custom(move || c.now(), 1.0),
        true,
    )
    .refresh_all()
    .await
}

fn dialog(app: &AppState) -> Option<&PlanDialog> {
    match &app.modal {
        Some(Modal::Plan(d)) => Some(d),
        _ => None,
    }
}

fn refused(app: &AppState) -> bool {
    dialog(app).is_some_and(|d| matches!(d.stage, Stage::Refused(_)))
}

fn ended(app: &AppState) -> bool {
    dialog(app).is_some_and(|d| matches!(d.stage, Stage::Done { .. }))
}

/// The Traffic Manager endpoint's enabled word, as read through the client.
fn endpoint_enabled(snap: &Snapshot, name: &str) -> bool {
    let (_, routes) = snap
        .routes
        .traffic_manager
        .as_ref()
        .expect("Traffic Manager");
    let routes = routes.value.as_ref().expect("the endpoints were read");
    routes
        .iter()
        .find(|r| r.name == name)
        .expect("the endpoint")
        .enabled
}

/// Each journal entry of `plan_id`, by kind.
fn kinds_of(records: &[journal::Record], plan_id: &str) -> Vec<&'static str> {
    records
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Planned { plan_id: p, .. } if p == plan_id => Some("planned"),
            Entry::Declined { plan_id: p, .. } if p == plan_id => Some("declined"),
            Entry::Intent(i) if i.plan_id == plan_id => Some("intent"),
            Entry::Outcome(o) if o.plan_id == plan_id => Some("outcome"),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_name_typed_in_the_console_runs_nothing_and_the_right_one_disables_the_endpoint() {
    let mut b = Bench::start(3 * 60).await;
    assert_eq!(
        b.app.data.recommended.as_ref().map(|a| a.kind),
        Some(ActionKind::Swap),
        "the endpoint is not what the engine recommends"
    );
    assert!(endpoint_enabled(&b.read().await, ENDPOINT));

    // `:` then the action, its target completed by Tab from the estate's endpoints.
    let line = b.command("tm-disable pri\t");
    assert_eq!(line, format!("tm-disable {ENDPOINT}"));
    let first = b.plan_open(None).await;
    assert_eq!(first.plan.confirm, ConfirmNeed::TypeName(ENDPOINT.into()));
    assert_eq!(first.plan.risk, "HIGH");
    let s = b.screen();
    assert!(s.contains("PLAN · HIGH RISK"), "{s}");
    assert!(
        s.contains(&format!("Type {ENDPOINT} to run this plan")),
        "{s}"
    );

    // A wrong name: refused on screen, nothing written, declined in the journal.
    let writes = b.sim.counts().writes;
    let log = b.sim.write_log();
    b.typed("primary-endpoin");
    b.key(KeyCode::Enter);
    b.until("the refusal", refused).await;
    let s = b.screen();
    assert!(s.contains("REFUSED, nothing ran"), "{s}");
    assert!(s.contains("does not match"), "{s}");
    let prompt = dialog(&b.app).expect("the dialog").prompt();
    assert!(prompt.contains("Enter plans it again"), "{prompt}");
    assert_eq!(
        b.sim.counts().writes,
        writes,
        "no write reached the simulator"
    );
    assert_eq!(b.sim.write_log(), log);
    let records = b.records();
    assert_eq!(kinds_of(&records, &first.plan.id), ["planned", "declined"]);
    assert!(
        !records.iter().any(|r| matches!(r.entry, Entry::Intent(_))),
        "no intent: {records:#?}"
    );
    assert!(endpoint_enabled(&b.read().await, ENDPOINT));

    // Enter plans it again; the right name runs it.
    b.key(KeyCode::Enter);
    let second = b.plan_open(Some(&first.plan.id)).await;
    assert_eq!(second.plan.action, first.plan.action);
    b.typed(ENDPOINT);
    b.key(KeyCode::Enter);
    b.until("the outcome", ended).await;
    let s = b.screen();
    assert!(s.contains("DONE ✓"), "{s}");
    assert!(
        s.contains(&format!("u plans the undo (tm-enable {ENDPOINT})")),
        "{s}"
    );
    assert!(
        b.sim.counts().writes > writes,
        "the write reached the simulator"
    );
    assert!(
        b.sim.write_log()[log.len()..]
            .iter()
            .any(|w| w.path.to_ascii_lowercase().contains(ENDPOINT)),
        "{:#?}",
        b.sim.write_log()
    );
    assert!(
        !endpoint_enabled(&b.read().await, ENDPOINT),
        "read back disabled through the client"
    );
    let records = b.records();
    assert_eq!(kinds_of(&records, &first.plan.id), ["planned", "declined"]);
    assert_eq!(
        kinds_of(&records, &second.plan.id),
        ["planned", "intent", "outcome"]
    );
    b.sim.shutdown().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_that_is_not_the_recommended_one_runs_from_the_command_line() {
    let mut b = Bench::start(3 * 60).await;
    let redeploy = ProposedAction::new(ActionKind::Redeploy, KRC);
    assert_ne!(b.app.data.recommended.as_ref(), Some(&redeploy));
    let app = |s: &Snapshot| {
        s.apps
            .iter()
            .find(|a| a.name == KRC)
            .cloned()
            .expect("the app")
    };
    let before = app(&b.read().await);
    assert_eq!(before.health(), Health::Unhealthy);

    let line = b.command("redeploy func-orders-prod-k\t");
    assert_eq!(line, format!("redeploy {KRC}"));
    let plan = b.plan_open(None).await;
    assert_eq!(plan.plan.action, redeploy);
    assert_eq!(plan.plan.confirm, ConfirmNeed::Y, "{}", b.screen());
    let writes = b.sim.counts().writes;
    b.key(KeyCode::Char('y'));
    b.until("the outcome", ended).await;
    let s = b.screen();
    assert!(s.contains("DONE ✓ succeeded"), "{s}");
    assert!(
        b.sim.counts().writes > writes,
        "the deploy reached the simulator"
    );
    // Read back through the client: a new deployment, and the app healthy again.
    let after = app(&b.read().await);
    let ids = |a: &crate::model::AppState| -> Vec<String> {
        a.deployments
            .value
            .iter()
            .flatten()
            .map(|d| d.id.clone())
            .collect()
    };
    assert!(
        ids(&after).iter().any(|id| !ids(&before).contains(id)),
        "a new deployment: {:?}",
        ids(&after)
    );
    assert_eq!(after.health(), Health::Healthy);
    assert_eq!(
        kinds_of(&b.records(), &plan.plan.id),
        ["planned", "intent", "outcome"]
    );
    b.sim.shutdown().await.expect("stops");
}
