//! `journal`: the append-only incident journal. One incident is one folder; its `journal.jsonl`
//! holds one versioned JSON [`Record`] per line. [`Journal::append`] writes a line and syncs it to
//! disk before it returns, so an action's intent is durable before its first call (the
//! write-ahead rule of DESIGN.md). [`read`] tolerates a line torn by a crash mid-write.
//!
//! Owns the file format, appending and reading. It must not call Azure, decide anything or hold a
//! secret value: entries carry names, digests and plain words only. [`report`] renders an
//! incident's records as a Markdown report; [`resume`] restores an open incident's state from its
//! records (reconciling its unfinished intents against Azure is `act::reconcile`).

pub mod entry;
pub mod report;
pub mod resume;

pub use entry::{
    ActionOutcome, Entry, FORMAT_VERSION, Found, Intent, IntentStep, Reconciled, Record, StepDone,
    Warning,
};
pub use resume::Resumed;

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

/// The journal file's name inside an incident folder.
pub const FILE_NAME: &str = "journal.jsonl";

/// Where the journal's timestamps come from (virtual time in the simulator).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open incident journal.
pub struct Journal {
    dir: PathBuf,
    path: PathBuf,
    next_seq: u64,
    /// The file does not end with a newline (a torn line, or a failed append): start the next
    /// record on a fresh line.
    needs_newline: bool,
    clock: Clock,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .field("next_seq", &self.next_seq)
            .finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens the incident folder `dir`, creating it and an empty journal when absent. The next
    /// record continues the sequence of the records already there.
    pub fn open_or_create(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            OpenOptions::new()
                .create_new(true)
                .append(true)
                .open(&path)?
                .sync_all()?;
            // Make the new file's directory entry durable too.
            File::open(dir)?.sync_all()?;
        }
        let bytes = std::fs::read(&path)?;
        let needs_newline = bytes.last().is_some_and(|b| *b != b'\n');
        let (records, _) = parse(&String::from_utf8_lossy(&bytes));
        let next_seq = records.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        Ok(Self {
            dir: dir.to_path_buf(),
            path,
            next_seq,
            needs_newline,
            clock: Arc::new(Utc::now),
        })
    }

    /// The same journal with timestamps from `clock`.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The incident folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry as a line and syncs it to disk; returns its sequence number. The file
    /// is opened by path each time (never created): a journal whose folder or file has vanished
    /// fails here instead of writing into a deleted file.
    pub fn append(&mut self, entry: &Entry) -> io::Result<u64> {
        let record = Record {
            v: FORMAT_VERSION,
            seq: self.next_seq,
            at: (self.clock)(),
            entry: entry.clone(),
        };
        let json = serde_json::to_string(&record).map_err(io::Error::other)?;
        let mut line = String::with_capacity(json.len() + 2);
        if self.needs_newline {
            line.push('\n');
        }
        line.push_str(&json);
        line.push('\n');
        let result = OpenOptions::new()
            .append(true)
            .open(&self.path)
            .and_then(|mut file| {
                file.write_all(line.as_bytes())?;
                file.sync_data()
            });
        match result {
            Ok(()) => {
                self.needs_newline = false;
                self.next_seq += 1;
                Ok(record.seq)
            }
            Err(e) => {
                // Part of the line may have reached the file.
                self.needs_newline = true;
                Err(e)
            }
        }
    }
}

/// Reads the journal of the incident folder `dir`. Never fails: a torn last line, a malformed
/// line, a line of an unknown format version or an unreadable file become warnings.
pub fn read(dir: &Path) -> (Vec<Record>, Vec<Warning>) {
    match std::fs::read(dir.join(FILE_NAME)) {
        Ok(bytes) => parse(&String::from_utf8_lossy(&bytes)),
        Err(e) => (
            Vec::new(),
            vec![Warning::Unreadable {
                error: e.to_string(),
            }],
        ),
    }
}

fn parse(text: &str) -> (Vec<Record>, Vec<Warning>) {
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut lines: Vec<&str> = text.split('\n').collect();
    // A record is committed only with its newline: the text after the last one is torn.
    let tail = lines.pop().unwrap_or_default();
    if !tail.trim().is_empty() {
        warnings.push(Warning::TornLastLine {
            line: lines.len() + 1,
        });
    }
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(Warning::Malformed {
                    line: n,
                    error: e.to_string(),
                });
                continue;
            }
        };
        let v = value.get("v").and_then(serde_json::Value::as_u64);
        if v != Some(u64::from(FORMAT_VERSION)) {
            warnings.push(Warning::UnknownVersion {
                line: n,
                v: v.unwrap_or(0),
            });
            continue;
        }
        match serde_json::from_value::<Record>(value) {
            Ok(r) => records.push(r),
            Err(e) => warnings.push(Warning::Malformed {
                line: n,
                error: e.to_string(),
            }),
        }
    }
    (records, warnings)
}

#[cfg(test)]
pub(crate) mod tests;
