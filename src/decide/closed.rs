//! A closed incident: once the commander has closed it (the runtime journals the close and puts
//! its time in the context), the runbook ends and nothing more is recommended. This module owns
//! only the Close node's answer and the summary; it never decides whether closing was wise.

use chrono::{DateTime, Utc};

use super::evidence::{clock, ev};
use super::walk::Walk;
use super::{Answer, NodeId};

/// Marks Close done when the walk had reached it (the recovery validated) and says when the
/// incident closed and whether the engine had validated the recovery.
pub(super) fn closed(w: &mut Walk, at: DateTime<Utc>) -> String {
    let validated = w.path.contains(&NodeId::Close);
    let words = if validated {
        format!("incident closed at {} (recovery validated)", clock(at))
    } else {
        format!(
            "incident closed at {} WITHOUT the recovery validated by the engine",
            clock(at)
        )
    };
    if validated {
        w.set(
            NodeId::Close,
            Answer::Done,
            vec![ev(words.clone(), Some(at), "incident")],
        );
    }
    format!("{words}; the follow-up: warroom report")
}

#[cfg(test)]
mod tests {
    use crate::decide::testkit;
    use crate::decide::{Answer, DecideContext, NodeId, evaluate};
    use crate::model::Health;

    #[test]
    fn a_closed_incident_recommends_nothing_and_says_it_was_not_validated() {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-orders-prod-krc", Health::Unhealthy);
        let mut cx = DecideContext::default();
        let open = evaluate(&snap, &estate, &cx, testkit::now());
        assert!(open.recommendation.is_some(), "{}", open.summary);
        cx.closed_at = Some(testkit::at(-1));
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        assert!(d.recommendation.is_none());
        assert!(d.gates.is_empty() && d.safety.is_empty());
        assert!(
            d.summary.contains("WITHOUT the recovery validated"),
            "{}",
            d.summary
        );
        assert_ne!(d.answer(NodeId::Close).answer, Answer::Done);
    }
}
