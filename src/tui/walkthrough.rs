//! A drill's walkthrough as the console sees it: [`WalkthroughView`] (built by `cli` from the
//! scenario's `[drill]` table, in virtual time) and [`Walkthrough`], the view with the hints
//! revealed so far. Owns what is heard when, which hint is next and where it says to look. Pure
//! data: no terminal, no clock reads (the time is always given), and none of the simulator's types.

use chrono::{DateTime, Duration, Utc};

use super::msg::PaneId;

/// What the console shows of a drill. Times are virtual, on the clock the console is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkthroughView {
    /// The drill's title ("A: a bad release with slots").
    pub title: String,
    /// The recovery time objective the drill is scored against.
    pub rto: Duration,
    /// When the fault begins.
    pub fault_at: DateTime<Utc>,
    /// What the war room is told, in time order.
    pub narrative: Vec<Said>,
    /// The hints, in the order they are revealed.
    pub hints: Vec<WalkHint>,
}

/// One line of the narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// When the war room hears it.
    pub at: DateTime<Utc>,
    /// Who says it.
    pub from: String,
    /// What is said.
    pub text: String,
}

/// One hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkHint {
    /// The hint.
    pub text: String,
    /// Where to look, as the drill names it ("deployments", "gates", …).
    pub look: String,
}

/// Where a hint points, resolved against the console's panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// A pane of the main view.
    Pane(PaneId),
    /// The gates of a plan (the plan dialog).
    Gates,
}

impl Look {
    /// Resolves a drill's `look` word; `None` for a word the console has no place for.
    pub fn parse(word: &str) -> Option<Self> {
        let w = word.trim().to_ascii_lowercase();
        match w.as_str() {
            "gates" | "gate" | "plan" => Some(Self::Gates),
            "flowchart" => Some(Self::Pane(PaneId::Flowchart)),
            _ => PaneId::ALL
                .into_iter()
                .find(|p| p.name() == w)
                .map(Self::Pane),
        }
    }

    /// How a user gets there: the key that focuses the pane, or what opens the dialog.
    pub fn how(self) -> &'static str {
        match self {
            Self::Pane(PaneId::Flowchart) => "key 1",
            Self::Pane(PaneId::Regions) => "key 2",
            Self::Pane(PaneId::Queues) => "key 3",
            Self::Pane(PaneId::Deployments) => "key 4",
            Self::Pane(PaneId::Timeline) => "key 5",
            Self::Gates => "a plans an action",
        }
    }
}

/// The marker on the title of the pane the current hint names.
pub const LOOK_HERE: &str = "◀ look here";

/// A drill under way: the view and how many hints have been revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walkthrough {
    /// The drill.
    pub view: WalkthroughView,
    /// How many hints have been revealed (the first `revealed` of `view.hints`).
    pub revealed: usize,
}

impl Walkthrough {
    /// A drill with no hint revealed.
    pub fn new(view: WalkthroughView) -> Self {
        Self { view, revealed: 0 }
    }

    /// The narrative lines heard by `now`, oldest first.
    pub fn heard(&self, now: DateTime<Utc>) -> &[Said] {
        let n = self.view.narrative.partition_point(|s| s.at <= now);
        &self.view.narrative[..n]
    }

    /// Reveals the next hint and returns it (with its 1-based number), or `None` when all are out.
    pub fn reveal(&mut self) -> Option<(usize, &WalkHint)> {
        let hint = self.view.hints.get(self.revealed)?;
        self.revealed += 1;
        Some((self.revealed, hint))
    }

    /// The latest revealed hint, if any.
    pub fn current(&self) -> Option<&WalkHint> {
        self.revealed
            .checked_sub(1)
            .and_then(|i| self.view.hints.get(i))
    }

    /// Where the latest revealed hint says to look.
    pub fn look(&self) -> Option<Look> {
        self.current().and_then(|h| Look::parse(&h.look))
    }

    /// Time since the fault at `now`; `None` before it.
    pub fn since_fault(&self, now: DateTime<Utc>) -> Option<Duration> {
        (now >= self.view.fault_at).then(|| now - self.view.fault_at)
    }
}

/// A target duration as a drill writes it: `90s`, `15m`, `1h`, `1h30m`.
pub fn target(d: Duration) -> String {
    use std::fmt::Write as _;
    let s = d.num_seconds().max(0);
    let mut out = String::new();
    for (v, unit) in [(s / 3600, 'h'), (s / 60 % 60, 'm'), (s % 60, 's')] {
        if v > 0 {
            let _ = write!(out, "{v}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    fn drill() -> Walkthrough {
        Walkthrough::new(fixtures::walkthrough())
    }

    #[test]
    fn a_line_is_heard_once_its_time_has_come() {
        let w = drill();
        let first = w.view.narrative[0].at;
        assert!(w.heard(first - Duration::seconds(1)).is_empty());
        assert_eq!(w.heard(first).len(), 1);
        assert_eq!(
            w.heard(first + Duration::hours(1)).len(),
            w.view.narrative.len()
        );
    }

    #[test]
    fn hints_come_out_in_order_and_then_stop() {
        let mut w = drill();
        assert_eq!(w.current(), None);
        let total = w.view.hints.len();
        for i in 1..=total {
            let (n, _) = w.reveal().expect("a hint");
            assert_eq!(n, i);
        }
        assert_eq!(w.reveal(), None);
        assert_eq!(w.revealed, total);
        assert_eq!(w.current(), w.view.hints.last());
    }

    #[test]
    fn look_words_resolve_to_panes_and_the_plan_gates() {
        assert_eq!(
            Look::parse("deployments"),
            Some(Look::Pane(PaneId::Deployments))
        );
        assert_eq!(Look::parse("Runbook"), Some(Look::Pane(PaneId::Flowchart)));
        assert_eq!(Look::parse("gates"), Some(Look::Gates));
        assert_eq!(Look::parse("the coffee machine"), None);
    }

    #[test]
    fn targets_read_like_the_drill_file() {
        assert_eq!(target(Duration::minutes(15)), "15m");
        assert_eq!(target(Duration::seconds(90)), "1m30s");
        assert_eq!(target(Duration::minutes(90)), "1h30m");
        assert_eq!(target(Duration::zero()), "0s");
    }

    #[test]
    fn time_since_the_fault_starts_at_the_fault() {
        let w = drill();
        let f = w.view.fault_at;
        assert_eq!(w.since_fault(f - Duration::seconds(1)), None);
        assert_eq!(
            w.since_fault(f + Duration::seconds(75)),
            Some(Duration::seconds(75))
        );
    }
}
