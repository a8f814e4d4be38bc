use std::io::Write as _;

use super::*;
use crate::decide::{ActionKind, ProposedAction};

/// A fresh, unique folder under the system temp dir, removed on drop.
pub(crate) struct TempDir(pub PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("warroom-{tag}-{}-{n}-{nanos}", std::process::id()));
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn note(text: &str) -> Entry {
    Entry::Note { text: text.into() }
}

#[test]
fn append_writes_versioned_lines_and_read_gives_them_back_in_order() {
    let tmp = TempDir::new("journal-rw");
    let dir = tmp.0.join("incident-1");
    let mut j = Journal::open_or_create(&dir).expect("opens");
    assert_eq!(j.append(&note("first")).expect("append"), 1);
    let intent = Entry::Intent(Intent {
        plan_id: "p1".into(),
        action: ProposedAction {
            kind: ActionKind::Restart,
            target: "func-a".into(),
            release: None,
        },
        title: "Restart func-a".into(),
        risk: "low".into(),
        steps: vec![],
        overrides: vec![],
        confirmed_at: Utc::now(),
    });
    assert_eq!(j.append(&intent).expect("append"), 2);

    let text = std::fs::read_to_string(dir.join(FILE_NAME)).expect("file");
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("json");
    assert_eq!(first["v"], 1);
    assert_eq!(first["seq"], 1);
    assert_eq!(first["entry"]["kind"], "note");
    assert!(first["at"].is_string());

    let (records, warnings) = read(&dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].entry, note("first"));
    assert_eq!(records[1].entry, intent);
}

#[test]
fn reopening_continues_the_sequence() {
    let tmp = TempDir::new("journal-reopen");
    let mut j = Journal::open_or_create(&tmp.0).expect("opens");
    j.append(&note("a")).expect("append");
    j.append(&note("b")).expect("append");
    drop(j);
    let mut j = Journal::open_or_create(&tmp.0).expect("reopens");
    assert_eq!(j.append(&note("c")).expect("append"), 3);
}

#[test]
fn a_torn_last_line_is_a_warning_and_reopening_sets_it_aside() {
    let tmp = TempDir::new("journal-torn");
    let mut j = Journal::open_or_create(&tmp.0).expect("opens");
    j.append(&note("whole")).expect("append");
    drop(j);
    // A crash mid-write leaves half a record without its newline.
    let mut f = OpenOptions::new()
        .append(true)
        .open(tmp.0.join(FILE_NAME))
        .expect("open");
    f.write_all(br#"{"v":1,"seq":2,"at":"2026-03-14T03:0"#)
        .expect("write");
    drop(f);

    let (records, warnings) = read(&tmp.0);
    assert_eq!(records.len(), 1);
    assert_eq!(warnings, vec![Warning::TornLastLine { line: 2 }]);

    let mut j = Journal::open_or_create(&tmp.0).expect("reopens");
    let aside = j.set_aside().expect("the torn line was set aside").clone();
    assert_eq!((aside.line, aside.bytes), (2, 36));
    assert_eq!(j.append(&note("after")).expect("append"), 2);
    let (records, warnings) = read(&tmp.0);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].entry, note("after"));
    assert_eq!(warnings, vec![], "the journal holds committed lines only");
    let torn = std::fs::read_to_string(&aside.file).expect("the torn-lines file");
    assert!(
        torn.contains(r#"{"v":1,"seq":2,"at":"2026-03-14T03:0"#),
        "{torn}"
    );
}

#[test]
fn a_whole_record_without_its_newline_is_not_committed_and_its_number_is_not_reused_twice() {
    let tmp = TempDir::new("journal-unterminated");
    let mut j = Journal::open_or_create(&tmp.0).expect("opens");
    j.append(&note("one")).expect("append");
    drop(j);
    // The whole record reached the file, its newline did not: it was never committed.
    let whole = r#"{"v":1,"seq":2,"at":"2026-03-14T03:00:00Z","entry":{"kind":"note","text":"x"}}"#;
    let mut f = OpenOptions::new()
        .append(true)
        .open(tmp.0.join(FILE_NAME))
        .expect("open");
    f.write_all(whole.as_bytes()).expect("write");
    drop(f);
    let mut j = Journal::open_or_create(&tmp.0).expect("reopens");
    assert!(j.set_aside().is_some());
    assert_eq!(j.append(&note("two")).expect("append"), 2);
    let (records, warnings) = read(&tmp.0);
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2], "{warnings:?}");
    assert_eq!(records[1].entry, note("two"));
}

#[test]
fn unknown_versions_and_kinds_are_tolerated() {
    let tmp = TempDir::new("journal-versions");
    std::fs::create_dir_all(&tmp.0).expect("dir");
    std::fs::write(
        tmp.0.join(FILE_NAME),
        concat!(
            r#"{"v":2,"seq":1,"at":"2026-03-14T03:00:00Z","entry":{"kind":"note","text":"x"}}"#,
            "\n",
            r#"{"v":1,"seq":2,"at":"2026-03-14T03:00:01Z","entry":{"kind":"fancy","x":1}}"#,
            "\n",
        ),
    )
    .expect("write");
    let (records, warnings) = read(&tmp.0);
    assert_eq!(warnings, vec![Warning::UnknownVersion { line: 1, v: 2 }]);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].entry, Entry::Unknown);
}

#[test]
fn a_vanished_folder_fails_the_append_instead_of_writing_nowhere() {
    let tmp = TempDir::new("journal-vanish");
    let mut j = Journal::open_or_create(&tmp.0).expect("opens");
    std::fs::remove_dir_all(&tmp.0).expect("remove");
    assert!(j.append(&note("lost")).is_err());
    assert!(!tmp.0.exists(), "the append must not recreate the folder");
    let (records, warnings) = read(&tmp.0);
    assert!(records.is_empty());
    assert!(matches!(warnings.as_slice(), [Warning::Unreadable { .. }]));
}

#[test]
fn the_clock_stamps_records() {
    let tmp = TempDir::new("journal-clock");
    let fixed = chrono::DateTime::parse_from_rfc3339("2026-03-14T03:04:30Z")
        .expect("time")
        .with_timezone(&Utc);
    let mut j = Journal::open_or_create(&tmp.0)
        .expect("opens")
        .with_clock(Arc::new(move || fixed));
    j.append(&note("t")).expect("append");
    let (records, _) = read(&tmp.0);
    assert_eq!(records[0].at, fixed);
}
