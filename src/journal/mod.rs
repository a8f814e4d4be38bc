//! `journal`: the append-only incident journal. One incident is one folder; its `journal.jsonl`
//! holds one versioned JSON [`Record`] per line. [`Journal::append`] writes a line and syncs it to
//! disk before it returns, so an action's intent is durable before its first call (the
//! write-ahead rule of DESIGN.md). [`read`] tolerates a line torn by a crash mid-write.
//!
//! Owns the file format, appending and reading. It must not call Azure, decide anything or hold a
//! secret value: entries carry names, digests and plain words only. [`report`] renders an
//! incident's records as a Markdown report; [`resume`] restores an open incident's state from its
//! records (reconciling its unfinished intents against Azure is `act::reconcile`); [`observation`]
//! turns consecutive snapshots into the [`Entry::Observed`] changes worth a line.

pub mod entry;
pub mod observation;
pub mod report;
pub mod resume;

pub use entry::{
    ActionOutcome, Entry, FORMAT_VERSION, Found, Intent, IntentStep, Observation, ObservationKind,
    Reconciled, Record, StepDone, Warning,
};
pub use resume::Resumed;

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

/// The journal file's name inside an incident folder.
pub const FILE_NAME: &str = "journal.jsonl";

/// Where a torn last line is set aside when the journal is reopened.
pub const TORN_FILE_NAME: &str = "journal.torn";

/// A torn last line found when the journal was reopened, moved out of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// Its line number in the journal, from 1.
    pub line: usize,
    /// How many bytes it held.
    pub bytes: usize,
    /// The file it was appended to.
    pub file: PathBuf,
}

/// Where the journal's timestamps come from (virtual time in the simulator).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open incident journal.
pub struct Journal {
    dir: PathBuf,
    path: PathBuf,
    next_seq: u64,
    /// The length of the journal's committed lines: a failed append is cut back to it.
    committed: u64,
    /// The file may not end with a newline (a failed append that could not be cut back): start
    /// the next record on a fresh line.
    needs_newline: bool,
    clock: Clock,
    set_aside: Option<SetAside>,
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
    /// record continues the sequence of the records already there. A torn last line (a crash
    /// mid-write: the text after the last newline) is moved to [`TORN_FILE_NAME`] and cut from
    /// the journal, so the journal holds committed lines only and no sequence number is used
    /// twice; [`Self::set_aside`] tells of it.
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
        let committed = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let set_aside = if committed < bytes.len() {
            Some(set_tail_aside(dir, &path, &bytes, committed)?)
        } else {
            None
        };
        let (records, _) = parse(&String::from_utf8_lossy(&bytes[..committed]));
        let next_seq = records.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        Ok(Self {
            dir: dir.to_path_buf(),
            path,
            next_seq,
            committed: committed as u64,
            needs_newline: false,
            clock: Arc::new(Utc::now),
            set_aside,
        })
    }

    /// The torn last line moved out of the journal when it was opened, if there was one.
    pub fn set_aside(&self) -> Option<&SetAside> {
        self.set_aside.as_ref()
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
                self.committed += line.len() as u64;
                self.next_seq += 1;
                Ok(record.seq)
            }
            Err(e) => {
                // Part of the line may have reached the file: cut it back to the committed
                // lines, or failing that start the next record on a fresh line.
                let cut = OpenOptions::new()
                    .write(true)
                    .open(&self.path)
                    .and_then(|f| f.set_len(self.committed).and_then(|()| f.sync_data()));
                self.needs_newline = cut.is_err();
                Err(e)
            }
        }
    }
}

/// Appends the torn tail `bytes[committed..]` to the torn-lines file (synced), then cuts the
/// journal back to its committed lines (synced).
fn set_tail_aside(dir: &Path, path: &Path, bytes: &[u8], committed: usize) -> io::Result<SetAside> {
    let tail = &bytes[committed..];
    let line = String::from_utf8_lossy(&bytes[..committed]).lines().count() + 1;
    let file = dir.join(TORN_FILE_NAME);
    let mut aside = OpenOptions::new().create(true).append(true).open(&file)?;
    aside
        .write_all(format!("# line {line} of {FILE_NAME}, set aside on reopening\n").as_bytes())?;
    aside.write_all(tail)?;
    aside.write_all(b"\n")?;
    aside.sync_all()?;
    let journal = OpenOptions::new().write(true).open(path)?;
    journal.set_len(committed as u64)?;
    journal.sync_all()?;
    Ok(SetAside {
        line,
        bytes: tail.len(),
        file,
    })
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
