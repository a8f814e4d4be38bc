//! Reconciliation of an intent left unfinished by a crash (journaled, with no outcome): each of
//! its write effects is read back through [`Effects::observe`] — did the swap happen, is the
//! endpoint disabled, are the settings merged — and the whole is found in place, not in place,
//! partly in place or unknown. A swap is judged by the version production reports against the
//! version the intent's own check (its `Verify` step) expected.
//!
//! Owns turning an intent into reads and their verdict in words. It changes nothing in Azure and
//! writes no journal line (the runtime journals the [`Reconciliation`]); it invents no outcome.

use serde::Serialize;

use super::effect::{Effect, VerifyCheck};
use super::executor::{Effects, Observation};
use crate::decide::ProposedAction;
use crate::journal::resume::Unfinished;
use crate::journal::{Found, Reconciled};

/// What the reconciliation of one intent found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The plan's id.
    pub plan_id: String,
    /// The action and its target.
    pub action: ProposedAction,
    /// The plan's title.
    pub title: String,
    /// The steps journaled as done, and how many the plan has.
    pub steps_done: usize,
    /// How many steps the plan has.
    pub of: usize,
    /// What was found overall.
    pub found: Found,
    /// One plain line per write effect read back.
    pub checks: Vec<String>,
}

impl Reconciliation {
    /// The journal entry that closes the intent.
    pub fn entry(&self) -> Reconciled {
        Reconciled {
            plan_id: self.plan_id.clone(),
            found: self.found,
            checks: self.checks.clone(),
        }
    }

    /// One line: the action, what was found, the steps journaled.
    pub fn headline(&self) -> String {
        format!(
            "{} {} {}: {} ({} of {} steps journaled done before the restart)",
            symbol(self.found),
            self.action.kind.name(),
            self.action.target,
            self.found.words().to_uppercase(),
            self.steps_done,
            self.of
        )
    }
}

/// A symbol for a finding, beside its word (colour never carries it alone).
pub fn symbol(found: Found) -> &'static str {
    match found {
        Found::InPlace => "✓",
        Found::NotInPlace => "✗",
        Found::PartlyInPlace => "◐",
        Found::Unknown => "?",
    }
}

/// The check a swap is judged by: the intent's own check of production with the version it
/// expected (with or without health), if it has one.
fn swap_check(steps: &[Option<Effect>]) -> Option<Effect> {
    steps.iter().flatten().find_map(|e| match e {
        Effect::Verify(
            VerifyCheck::AppHealthy {
                version: Some(_),
                slot,
                ..
            }
            | VerifyCheck::AppVersion { slot, .. },
        ) if slot == "production" => Some(e.clone()),
        _ => None,
    })
}

/// The verdict of several observations: in place when all are, not in place when none is,
/// partly when some are and some are not, else unknown. A traceless unknown (a restart) weighs
/// only when nothing else was read.
pub fn overall(observed: &[Observation]) -> Found {
    let weighed: Vec<Found> = observed
        .iter()
        .filter(|o| !(o.traceless && o.found == Found::Unknown))
        .map(|o| o.found)
        .collect();
    if weighed.is_empty() {
        return Found::Unknown;
    }
    let any = |f: Found| weighed.contains(&f);
    if weighed.iter().all(|f| *f == Found::InPlace) {
        Found::InPlace
    } else if weighed.iter().all(|f| *f == Found::NotInPlace) {
        Found::NotInPlace
    } else if any(Found::PartlyInPlace) || (any(Found::InPlace) && any(Found::NotInPlace)) {
        Found::PartlyInPlace
    } else {
        Found::Unknown
    }
}

/// A long-running operation that cannot be repeated safely (a swap, a failover), not seen in
/// place, may not have reached Azure or may still be running: it is unknown, not "not in
/// place", so the engine verifies it as it stands instead of offering it again into a conflict
/// (or, for a swap, into undoing the first one when both land).
fn not_repeated_blindly(o: Observation, what: &str, why: &str) -> Observation {
    if o.found != Found::NotInPlace {
        return o;
    }
    Observation::unknown(format!(
        "{}; the {what} may not have reached Azure or may still be running, and {why}: it is \
         verified as it stands, not repeated (check the operation in Azure before planning \
         another)",
        o.words
    ))
}

/// Reads back every write effect of an unfinished intent and says what is in place.
pub async fn reconcile(u: &Unfinished, effects: &dyn Effects) -> Reconciliation {
    let intent = &u.intent;
    let parsed: Vec<Option<Effect>> = intent
        .steps
        .iter()
        .map(|s| serde_json::from_value::<Effect>(s.effect.clone()).ok())
        .collect();
    let mut observed = Vec::new();
    let mut checks = Vec::new();
    for (step, effect) in intent.steps.iter().zip(&parsed) {
        let done = if u.steps_done.iter().any(|d| d.n == step.n) {
            "journaled done"
        } else {
            "not journaled"
        };
        let o = match effect {
            None => Observation::unknown("this build cannot read the step's effect"),
            Some(e) if e.is_read_only() => continue,
            Some(e @ Effect::Swap { .. }) => {
                let o = match swap_check(&parsed) {
                    Some(check) => effects.observe(&check).await,
                    None => effects.observe(e).await,
                };
                not_repeated_blindly(o, "swap", "a second swap would undo the first")
            }
            Some(e @ Effect::AliasFailover { .. }) => not_repeated_blindly(
                effects.observe(e).await,
                "alias failover",
                "Azure refuses a second failover while one runs, and one that landed broke the \
                 pairing",
            ),
            Some(e @ Effect::StorageFailover { .. }) => not_repeated_blindly(
                effects.observe(e).await,
                "storage failover",
                "Azure refuses a second failover while one runs",
            ),
            Some(e) => effects.observe(e).await,
        };
        checks.push(format!(
            "{} step {} ({}, {done}): {}: {}",
            symbol(o.found),
            step.n,
            step.what,
            o.found.words(),
            o.words
        ));
        observed.push(o);
    }
    if observed.is_empty() {
        checks.push("? the plan changes nothing that can be read back".to_owned());
    }
    Reconciliation {
        plan_id: intent.plan_id.clone(),
        action: intent.action.clone(),
        title: intent.title.clone(),
        steps_done: u.steps_done.len(),
        of: intent.steps.len(),
        found: overall(&observed),
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(found: Found, traceless: bool) -> Observation {
        Observation {
            found,
            words: String::new(),
            traceless,
        }
    }

    #[test]
    fn the_whole_is_in_place_only_when_every_read_says_so() {
        use Found::{InPlace, NotInPlace, PartlyInPlace, Unknown};
        let cases = [
            (vec![], Unknown),
            (vec![o(InPlace, false), o(InPlace, false)], InPlace),
            (vec![o(NotInPlace, false)], NotInPlace),
            (vec![o(InPlace, false), o(NotInPlace, false)], PartlyInPlace),
            (vec![o(PartlyInPlace, false)], PartlyInPlace),
            (vec![o(InPlace, false), o(Unknown, false)], Unknown),
            (vec![o(InPlace, false), o(Unknown, true)], InPlace),
            (vec![o(Unknown, true)], Unknown),
        ];
        for (obs, want) in cases {
            assert_eq!(overall(&obs), want, "{obs:?}");
        }
    }
}
