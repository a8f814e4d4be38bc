//! The score's RPO estimate: zero when nothing moved region, else the storage replication lag and
//! the pending messaging operations the journal's notes recorded before traffic moved.

use chrono::Duration;

use super::{RpoEstimate, moves_region, span};
use crate::decide::ActionKind;
use crate::journal::{Entry, Record};
use crate::sim::scenario::Offset;

use super::Item;

/// The RPO estimate against its target.
pub(super) fn rpo_item(rpo: &RpoEstimate, target: Offset) -> Item {
    let achieved = match rpo {
        RpoEstimate::NothingMoved => {
            "0s: nothing moved to another region, the data stayed where it was written".to_owned()
        }
        RpoEstimate::Lag(d, 0) => format!(
            "up to {}: storage replication was that far behind when traffic moved",
            span(*d)
        ),
        RpoEstimate::Lag(d, n) => format!(
            "up to {}: storage replication was that far behind when traffic moved, and {n} \
             messaging operation(s) were not yet replicated",
            span(*d)
        ),
        RpoEstimate::Messaging(n) => format!(
            "{n} messaging operation(s) not yet replicated when the alias moved; no storage \
             moved (geo-DR replicates metadata: events not yet consumed stay in the old primary)"
        ),
        RpoEstimate::Unknown => {
            "unknown: traffic moved and the journal records no replication figure".to_owned()
        }
    };
    Item {
        what: "RPO (estimate)",
        target: target.to_string(),
        achieved,
        met: match rpo {
            RpoEstimate::NothingMoved => true,
            RpoEstimate::Lag(d, _) => *d <= target.delta(),
            RpoEstimate::Messaging(n) => *n == 0,
            RpoEstimate::Unknown => false,
        },
    }
}

/// The RPO estimate: nothing lost when nothing moved region; else the largest storage
/// replication lag the journal's notes recorded (`… 1m05s behind`) before the first action that
/// moved a region, with the messaging operations still pending then.
pub(super) fn rpo_estimate(records: &[Record]) -> RpoEstimate {
    let Some(moved) = records
        .iter()
        .position(|r| matches!(&r.entry, Entry::Intent(i) if moves_region(i.action.kind)))
    else {
        return RpoEstimate::NothingMoved;
    };
    let notes: Vec<&str> = records[..moved]
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let pending_figures: Vec<u64> = notes.iter().filter_map(|n| pending(n)).collect();
    let pending_max = pending_figures.iter().copied().max();
    let alias_only = matches!(
        &records[moved].entry,
        Entry::Intent(i) if i.action.kind == ActionKind::AliasFailover
    );
    match notes.into_iter().flat_map(lags).max() {
        Some(lag) => RpoEstimate::Lag(lag, pending_max.unwrap_or(0)),
        None => match pending_max {
            Some(n) if alias_only => RpoEstimate::Messaging(n),
            _ => RpoEstimate::Unknown,
        },
    }
}

/// The pending replication operations a text records, summed: `<n> pending replication
/// operations` and the gate's `<alias> <n> pending` for one caught up; `None` when it records
/// no such figure.
fn pending(text: &str) -> Option<u64> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let figures: Vec<u64> = words
        .windows(2)
        .filter(|w| w[1] == "pending")
        .filter_map(|w| w[0].parse::<u64>().ok())
        .collect();
    (!figures.is_empty()).then(|| figures.iter().sum())
}

/// Every `<offset> behind` in a text (`stworkflowprod last sync 09:00:51, 1m09s behind`).
fn lags(text: &str) -> Vec<Duration> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|w| w[1] == "behind")
        .filter_map(|w| w[0].parse::<Offset>().ok())
        .map(Offset::delta)
        .collect()
}
