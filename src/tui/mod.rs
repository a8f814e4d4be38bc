//! `tui`: the console. Owns the terminal, the event loop, the console state and every pane. It
//! reads snapshots from a `watch` channel and the clock from a function it is given; it never
//! touches the network, `azure` or `sim`.
//!
//! ```text
//! terminal thread ──keys, resize──┐
//! SIGINT / SIGTERM ───────────────┼──► Msg ──► AppState::update ──► Intent (quit; later plan/execute)
//! watch<Arc<Snapshot>> ───────────┤                 │
//! 1 s tick (ages, clocks) ────────┘                 └──► layout::render (only after a change)
//! ```

pub mod act_flow;
pub mod actions;
pub mod app;
pub mod command;
pub mod data;
pub mod derive;
pub mod fixtures;
pub mod flowchart;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod panes;
pub mod theme;
pub mod walk_flow;
pub mod walkthrough;
pub mod widgets;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use tokio::sync::{mpsc, watch};

use actions::{ActionEvent, ActionRequest};
use app::AppState;
use msg::{Command, Intent, Msg};

use crate::config::Estate;
use crate::model::Snapshot;

/// The console's line to the runtime that plans, confirms and executes actions.
#[derive(Debug)]
pub struct ActionPort {
    /// Requests from the console.
    pub requests: mpsc::UnboundedSender<ActionRequest>,
    /// News for the console.
    pub events: mpsc::UnboundedReceiver<ActionEvent>,
}

/// How often ages, the incident clock and the RTO countdown move on.
pub const AGE_TICK: Duration = Duration::from_secs(1);
/// How long the input thread waits for a terminal event before checking whether to stop.
const INPUT_POLL: Duration = Duration::from_millis(250);

/// How the console starts.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// A built-in theme to start with (`dark` when absent).
    pub theme: Option<String>,
    /// A user theme file, overriding part of a built-in; it becomes active.
    pub theme_file: Option<PathBuf>,
    /// Draw without colour (`NO_COLOR` is also honoured by [`run`]).
    pub no_color: bool,
    /// Show the read-only marker and offer no action.
    pub read_only: bool,
    /// The estate the console watches (the decision engine reads its shape).
    pub estate: Arc<Estate>,
    /// A drill's walkthrough (narrative and hints), when the scenario is a drill.
    pub walkthrough: Option<walkthrough::WalkthroughView>,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        Self {
            theme: None,
            theme_file: None,
            no_color: false,
            read_only: true,
            estate: Arc::new(Estate::demo()),
            walkthrough: None,
        }
    }
}

/// Whether `NO_COLOR` asks for no colour: set and not empty (no-color.org).
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Runs the console until the user quits or a signal arrives. The terminal is restored on every
/// exit path: quit, error, panic (ratatui's hook), SIGINT and SIGTERM.
pub async fn run(
    mut snapshots: watch::Receiver<Arc<Snapshot>>,
    now: impl Fn() -> DateTime<Utc>,
    mut opts: ConsoleOptions,
    mut actions: Option<ActionPort>,
) -> Result<()> {
    // color-eyre's hooks first, so that ratatui's panic hook (installed by `init`) restores the
    // terminal before the report prints. The caller may have installed them already; a second
    // install fails and changes nothing, so its error is ignored.
    let _ = color_eyre::install();
    opts.no_color |= no_color_env();
    let mut state = AppState::new(&opts, now());

    let (tx, rx) = mpsc::channel(256);
    let stop = Arc::new(AtomicBool::new(false));
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            // Whatever part of the set-up took is undone before the error is told.
            ratatui::restore();
            return Err(e).wrap_err("the console needs a terminal");
        }
    };
    let input = spawn_input(tx.clone(), Arc::clone(&stop));
    let signals = tokio::spawn(forward_signals(tx));

    let result = event_loop(
        &mut terminal,
        &mut state,
        &mut snapshots,
        rx,
        &mut actions,
        &now,
    )
    .await;

    ratatui::restore();
    stop.store(true, Ordering::Relaxed);
    signals.abort();
    // The input thread notices `stop` within one poll; wait so it cannot read the shell's keys.
    let _ = tokio::task::spawn_blocking(move || input.join()).await;
    result
}

/// Reads terminal events on a dedicated blocking thread and forwards keys and resizes.
fn spawn_input(
    tx: mpsc::Sender<std::io::Result<Msg>>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let msg = match event::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => match event::read() {
                    Ok(Event::Key(k)) => Ok(Msg::Key(k)),
                    Ok(Event::Resize(w, h)) => Ok(Msg::Resize(w, h)),
                    Ok(_) => continue,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            let failed = msg.is_err();
            if tx.blocking_send(msg).is_err() || failed {
                break;
            }
        }
    })
}

/// Turns SIGINT and SIGTERM into a quit command.
async fn forward_signals(tx: mpsc::Sender<std::io::Result<Msg>>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    let _ = tx.send(Ok(Msg::Command(Command::Quit))).await;
}

/// The loop: draw after a change, wait for the next message, apply it and any that queued
/// behind it. Generic over the backend so tests can run it on a `TestBackend`.
pub async fn event_loop<B>(
    terminal: &mut Terminal<B>,
    state: &mut AppState,
    snapshots: &mut watch::Receiver<Arc<Snapshot>>,
    mut inputs: mpsc::Receiver<std::io::Result<Msg>>,
    actions: &mut Option<ActionPort>,
    now: &impl Fn() -> DateTime<Utc>,
) -> Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().wrap_err("reading the terminal size")?;
    state.update(Msg::Resize(size.width, size.height));
    state.update(Msg::Snapshot(Arc::clone(&snapshots.borrow_and_update())));
    let mut tick = tokio::time::interval(AGE_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut source_open = true;
    let mut dirty = true;
    loop {
        if dirty {
            state.update(Msg::Tick(now()));
            terminal
                .draw(|f| layout::render(f, state))
                .wrap_err("drawing the console")?;
        }
        let first = tokio::select! {
            input = inputs.recv() => match input {
                Some(msg) => msg.wrap_err("reading terminal input")?,
                None => return Ok(()),
            },
            changed = snapshots.changed(), if source_open => {
                if changed.is_err() {
                    // The observer stopped: keep showing the last data, ageing.
                    source_open = false;
                    dirty = false;
                    continue;
                }
                Msg::Snapshot(Arc::clone(&snapshots.borrow_and_update()))
            },
            Some(ev) = async {
                match actions.as_mut() {
                    Some(port) => port.events.recv().await,
                    None => std::future::pending().await,
                }
            } => Msg::Action(ev),
            _ = tick.tick() => Msg::Tick(now()),
        };
        dirty = false;
        let mut next = Some(first);
        while let Some(msg) = next {
            dirty |= state.changes_on(&msg);
            match state.update(msg) {
                Some(Intent::Quit) => return Ok(()),
                Some(Intent::Action(req)) => {
                    let sent = actions
                        .as_ref()
                        .is_some_and(|p| p.requests.send(req).is_ok());
                    if !sent {
                        state.ui.flash = Some("actions are not available here".to_owned());
                        dirty = true;
                    }
                }
                None => {}
            }
            next = match inputs.try_recv() {
                Ok(m) => Some(m.wrap_err("reading terminal input")?),
                Err(_) => None,
            };
        }
    }
}

#[cfg(test)]
mod tests;
