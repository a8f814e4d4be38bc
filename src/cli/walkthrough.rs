//! The walkthrough a drill shows in the console: turns a scenario's `[drill]` table
//! ([`DrillSpec`]) into the console's own view type ([`WalkthroughView`]), placing every offset on
//! the scenario's virtual clock. The console never sees the simulator's types.

use chrono::{DateTime, Utc};

use crate::drill::DrillSpec;
use crate::sim::scenario::Scenario;
use crate::tui::walkthrough::{Said, WalkHint, WalkthroughView};

/// The walkthrough of a scenario, if it is a drill.
pub fn of(scenario: &Scenario) -> Option<WalkthroughView> {
    scenario.drill.as_ref().map(|d| view(d, scenario.start))
}

/// The console's view of a drill whose scenario starts at `start`.
pub fn view(spec: &DrillSpec, start: DateTime<Utc>) -> WalkthroughView {
    WalkthroughView {
        title: spec.title.clone(),
        rto: spec.targets.rto.delta(),
        fault_at: start + spec.fault_at.delta(),
        narrative: spec
            .narrative
            .iter()
            .map(|n| Said {
                at: start + n.at.delta(),
                from: n.from.clone(),
                text: n.text.clone(),
            })
            .collect(),
        hints: spec
            .hints
            .iter()
            .map(|h| WalkHint {
                text: h.text.clone(),
                look: h.look.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
