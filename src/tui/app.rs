//! The console's state and its one update function: [`AppState::update`] takes a [`Msg`] and
//! returns an [`Intent`] for the runtime. Pure apart from `&mut self`: no clock reads (`Msg::Tick`
//! carries now), no I/O, no terminal. Rendering reads this state and never changes it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::ConsoleOptions;
use super::actions::{ActionRequest, PlanDialog};
use super::command::{self, Names};
use super::data::DataView;
use super::keymap::Keymap;
use super::msg::{Command, Intent, Msg, PaneId};
use super::theme::{Theme, ThemeSet};
use super::walkthrough::Walkthrough;
use crate::model::Snapshot;

/// Which full-screen view is up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The dashboard of panes.
    Main,
    /// One app's detail.
    Detail(String),
    /// Presenter mode: few, large elements.
    Presenter,
}

/// The command line being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// What was typed after `:`.
    pub input: String,
    /// Candidates from the last Tab, shown under the line.
    pub candidates: Vec<String>,
}

/// One overlay at a time; it gets keys before the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    /// Keys and commands.
    Help,
    /// The `:` command line.
    Command(CommandLine),
    /// A plan to read and confirm, then its progress.
    Plan(Box<PlanDialog>),
    /// A resumed incident's unfinished actions as reconciled against Azure: acknowledged with
    /// Enter before any new action is offered.
    Reconciled(Vec<super::actions::ReconcileView>),
    /// A message to acknowledge (a broken theme file, say).
    Notice {
        /// Title.
        title: String,
        /// Body.
        body: String,
    },
}

/// Focus, selection, scrolling and look: everything about the screen that is not data.
#[derive(Debug, Clone)]
pub struct UiState {
    /// The view.
    pub view: View,
    /// The focused pane of the main view.
    pub focus: PaneId,
    /// Of queues, deployments and timeline, the one the compact layout shows.
    pub lower: PaneId,
    /// The selected app (regions pane), by name.
    pub selected_app: Option<String>,
    /// Scroll offsets of the panes, in `PaneId::ALL` order, and of the detail view.
    pub scroll: [u16; 6],
    /// Themes and the active one.
    pub themes: ThemeSet,
    /// Key bindings.
    pub keymap: Keymap,
    /// Whether actions are disabled (`--read-only`, or no runtime to carry them out).
    pub read_only: bool,
    /// A one-line message from the last command.
    pub flash: Option<String>,
    /// Why new actions wait (a resumed incident's reconciliation not yet acknowledged).
    pub hold: Option<String>,
    /// How far the help overlay is scrolled (it can be taller than a small terminal).
    pub help_scroll: u16,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
}

/// The console's whole state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// What the console knows of the estate.
    pub data: DataView,
    /// What the screen shows of it.
    pub ui: UiState,
    /// The overlay, if one is open.
    pub modal: Option<Modal>,
    /// The drill under way, if the scenario is one: its narrative and the hints revealed.
    pub walk: Option<Walkthrough>,
}

const DETAIL_SCROLL: usize = 5;
/// The detail view's length is not known to `update`; scrolling stops here (the view clamps).
const DETAIL_LINES_MAX: usize = 200;

impl AppState {
    /// A console with no data yet, at `now`, with the given options.
    pub fn new(opts: &ConsoleOptions, now: DateTime<Utc>) -> Self {
        let (mut themes, err) = match &opts.theme_file {
            Some(path) => ThemeSet::with_user_file(path, opts.no_color),
            None => (ThemeSet::builtin(opts.no_color), None),
        };
        let mut flash = None;
        if let Some(name) = &opts.theme
            && !themes.select(name)
        {
            flash = Some(format!(
                "no theme `{name}`; have {}",
                themes.names().join(", ")
            ));
        }
        let modal = err.map(|e| Modal::Notice {
            title: "Theme error".to_owned(),
            body: format!("{e}\n\nUsing the `{}` theme instead.", themes.active().name),
        });
        Self {
            data: DataView::new(now, Arc::clone(&opts.estate)),
            ui: UiState {
                view: View::Main,
                focus: PaneId::Regions,
                lower: PaneId::Timeline,
                selected_app: None,
                scroll: [0; 6],
                themes,
                keymap: Keymap::default(),
                read_only: opts.read_only,
                flash,
                hold: None,
                help_scroll: 0,
                size: (0, 0),
            },
            modal,
            walk: opts.walkthrough.clone().map(Walkthrough::new),
        }
    }

    /// The active theme.
    pub fn theme(&self) -> &Theme {
        self.ui.themes.active()
    }

    /// The latest snapshot, if any.
    pub fn snapshot(&self) -> Option<&Arc<Snapshot>> {
        self.data.snapshot.as_ref()
    }

    /// A pane's scroll offset.
    pub fn scroll(&self, pane: PaneId) -> u16 {
        self.ui.scroll[pane as usize]
    }

    /// The detail view's scroll offset.
    pub fn detail_scroll(&self) -> u16 {
        self.ui.scroll[DETAIL_SCROLL]
    }

    /// Whether a message can change the screen (keys with no binding and no modal cannot), so
    /// the loop can skip drawing after it.
    pub fn changes_on(&self, msg: &Msg) -> bool {
        match msg {
            Msg::Key(k) => self.modal.is_some() || self.ui.keymap.command(*k).is_some(),
            _ => true,
        }
    }

    /// Consumes one message; returns what the runtime should do, if anything.
    pub fn update(&mut self, msg: Msg) -> Option<Intent> {
        match msg {
            Msg::Tick(now) => {
                self.data.now = now;
                None
            }
            Msg::Snapshot(snap) => {
                self.data.apply(snap);
                if self.ui.selected_app.is_none() {
                    self.ui.selected_app = self.data.app_order().first().cloned();
                }
                None
            }
            Msg::Resize(w, h) => {
                self.ui.size = (w, h);
                None
            }
            Msg::Key(key) => {
                if self.modal.is_some() {
                    return self.modal_key(key);
                }
                let cmd = self.ui.keymap.command(key)?;
                self.command(cmd)
            }
            Msg::Command(cmd) => self.command(cmd),
            Msg::Action(ev) => self.action_event(ev),
        }
    }

    fn modal_key(&mut self, key: KeyEvent) -> Option<Intent> {
        match self.modal.as_mut()? {
            Modal::Plan(_) => self.plan_key(key),
            Modal::Reconciled(_) => self.reconciled_key(key),
            Modal::Help if matches!(key.code, KeyCode::Up | KeyCode::Char('k')) => {
                self.ui.help_scroll = self.ui.help_scroll.saturating_sub(1);
                None
            }
            Modal::Help if matches!(key.code, KeyCode::Down | KeyCode::Char('j')) => {
                self.ui.help_scroll = self.ui.help_scroll.saturating_add(1).min(60);
                None
            }
            Modal::Help | Modal::Notice { .. } => {
                if matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?')
                ) {
                    self.modal = None;
                }
                None
            }
            Modal::Command(line) => match key.code {
                KeyCode::Esc => {
                    self.modal = None;
                    None
                }
                KeyCode::Enter => {
                    let input = std::mem::take(&mut line.input);
                    self.modal = None;
                    match command::parse(&input) {
                        Ok(cmd) => self.command(cmd),
                        Err(e) => {
                            self.ui.flash = Some(e);
                            None
                        }
                    }
                }
                KeyCode::Backspace => {
                    if line.input.pop().is_none() {
                        self.modal = None;
                    }
                    None
                }
                KeyCode::Tab => {
                    let themes = self.ui.themes.names().into_iter().map(str::to_owned);
                    let names =
                        Names::of(&self.data.estate, self.data.app_order(), themes.collect());
                    let (input, found) = command::complete(&line.input, &names);
                    line.input = input;
                    line.candidates = found;
                    None
                }
                KeyCode::Char(c) => {
                    line.input.push(c);
                    None
                }
                _ => None,
            },
        }
    }

    fn command(&mut self, cmd: Command) -> Option<Intent> {
        self.ui.flash = None;
        match cmd {
            Command::Quit => return Some(Intent::Quit),
            Command::Help => {
                self.ui.help_scroll = 0;
                self.modal = Some(Modal::Help);
            }
            Command::CommandLine => self.modal = Some(Modal::Command(CommandLine::default())),
            Command::NoteLine => self.note_line(),
            Command::Hint => return self.reveal_hint(),
            Command::Presenter => {
                self.ui.view = if self.ui.view == View::Presenter {
                    View::Main
                } else {
                    View::Presenter
                };
            }
            Command::Main => {
                self.ui.view = View::Main;
                self.modal = None;
            }
            Command::Back => self.ui.view = View::Main,
            Command::CycleTheme => {
                self.ui.themes.cycle();
                self.ui.flash = Some(format!("theme: {}", self.theme().name));
            }
            Command::Theme(name) => {
                if !self.ui.themes.select(&name) {
                    let have = self.ui.themes.names().join(", ");
                    self.ui.flash = Some(format!("no theme `{name}`; have {have}"));
                }
            }
            Command::FocusNext => self.focus(self.ui.focus.next()),
            Command::FocusPrev => self.focus(self.ui.focus.prev()),
            Command::Focus(p) => self.focus(p),
            Command::Up => self.step(-1),
            Command::Down => self.step(1),
            Command::PageUp => self.step(-i32::from(self.page())),
            Command::PageDown => self.step(i32::from(self.page())),
            Command::Top => self.step(-10_000),
            Command::Bottom => self.step(10_000),
            Command::Open => {
                if self.ui.view == View::Main
                    && self.ui.focus == PaneId::Regions
                    && let Some(app) = self.ui.selected_app.clone()
                {
                    self.open_app(app);
                }
            }
            Command::App(name) => match self.data.find_app(&name) {
                Ok(app) => self.open_app(app),
                Err(e) => self.ui.flash = Some(e),
            },
            Command::Act => return self.act_on_recommendation(),
            Command::Plan(action) => return self.request_plan(action),
            Command::Override {
                node,
                answer,
                reason,
            } => {
                return self.request_journal(ActionRequest::Override {
                    node,
                    answer,
                    reason,
                });
            }
            Command::Note(text) => return self.request_journal(ActionRequest::Note(text)),
            Command::Close(text) => return self.request_journal(ActionRequest::Close(text)),
        }
        None
    }

    fn focus(&mut self, pane: PaneId) {
        self.ui.view = View::Main;
        self.ui.focus = pane;
        if matches!(
            pane,
            PaneId::Queues | PaneId::Deployments | PaneId::Timeline
        ) {
            self.ui.lower = pane;
        }
    }

    fn open_app(&mut self, app: String) {
        self.ui.selected_app = Some(app.clone());
        self.ui.scroll[DETAIL_SCROLL] = 0;
        self.ui.view = View::Detail(app);
    }

    fn page(&self) -> u16 {
        (self.ui.size.1 / 2).max(1)
    }

    /// Moves the selection (regions) or scrolls (other panes, detail) by `delta` lines.
    fn step(&mut self, delta: i32) {
        let slot = match (&self.ui.view, self.ui.focus) {
            (View::Detail(_), _) => DETAIL_SCROLL,
            (View::Presenter, _) => return,
            (View::Main, PaneId::Regions) => {
                let order = self.data.app_order();
                if order.is_empty() {
                    return;
                }
                let at = self
                    .ui
                    .selected_app
                    .as_ref()
                    .and_then(|s| order.iter().position(|a| a == s))
                    .unwrap_or(0);
                let last = i32::try_from(order.len()).unwrap_or(i32::MAX) - 1;
                let at = i32::try_from(at).unwrap_or(last);
                let next = usize::try_from((at + delta).clamp(0, last)).unwrap_or(0);
                self.ui.selected_app = Some(order[next].clone());
                return;
            }
            (View::Main, pane) => pane as usize,
        };
        let max = match (&self.ui.view, slot) {
            (View::Detail(_), _) => DETAIL_LINES_MAX,
            (_, s) => self.data.lines(PaneId::ALL[s]).saturating_sub(1),
        };
        let v = i32::from(self.ui.scroll[slot]) + delta;
        let max = i32::try_from(max).unwrap_or(i32::MAX);
        self.ui.scroll[slot] = u16::try_from(v.clamp(0, max)).unwrap_or(u16::MAX);
    }
}
