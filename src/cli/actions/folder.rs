//! Incident folders: their names (`incidents/{estate-slug}-{yyyymmddThhmmssZ}`, with `-2`, `-3`,
//! … when a folder of that second already exists) and reading a start time back from a name.
//! Claiming a fresh folder creates it, so that two incidents started in the same second (two
//! drills run back to back, two consoles) never share a journal. Owns nothing else: the journal
//! inside is `crate::journal`'s.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::config::Estate;

/// How an incident folder's start time is written in its name.
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// The most folders of one estate started in one second that are told apart by a suffix.
const MAX_SAME_SECOND: u32 = 999;

/// A fresh incident folder under the state directory, created (see [`fresh_incident_dir`]).
pub fn incident_dir(estate: &Estate, started: DateTime<Utc>) -> PathBuf {
    fresh_incident_dir(
        &crate::logging::state_dir().join("incidents"),
        estate,
        started,
    )
}

/// A fresh incident folder under `incidents`: `{estate-slug}-{yyyymmddThhmmssZ}`
/// (`Orders platform (prod)` becomes `orders-platform-prod`), or the same with `-2`, `-3`, … when
/// that name is taken. The folder is created here (`create_dir` fails on an existing one, so two
/// processes cannot claim the same name); when it cannot be created the name is returned anyway
/// and opening the journal there reports why.
pub fn fresh_incident_dir(incidents: &Path, estate: &Estate, started: DateTime<Utc>) -> PathBuf {
    let base = format!("{}-{}", estate_slug(&estate.name), started.format(STAMP));
    let _ = std::fs::create_dir_all(incidents);
    let mut first_error = None;
    for n in 1..=MAX_SAME_SECOND {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let dir = incidents.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return dir,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) => {
                first_error.get_or_insert(dir);
                break;
            }
        }
    }
    first_error.unwrap_or_else(|| incidents.join(format!("{base}-{MAX_SAME_SECOND}")))
}

/// An estate's name as the start of its incident folders' names: lower-case ASCII letters and
/// digits, every other run of characters one `-`.
pub fn estate_slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug.split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The start time and the same-second sequence (1 for the first folder of that second) of what
/// follows the estate's slug in a folder name: `20260404T090115Z` or `20260404T090115Z-2`.
pub fn stamp(rest: &str) -> Option<(DateTime<Utc>, u32)> {
    let (time, n) = match rest.split_once('-') {
        Some((time, n)) => (time, n.parse::<u32>().ok().filter(|n| *n >= 2)?),
        None => (rest, 1),
    };
    let t = NaiveDateTime::parse_from_str(time, STAMP).ok()?.and_utc();
    Some((t, n))
}

/// The start time and sequence of a whole folder name, whatever the estate's slug.
pub fn stamp_in(name: &str) -> Option<(DateTime<Utc>, u32)> {
    let mut from_right = name.rsplitn(3, '-');
    let last = from_right.next()?;
    if let Some(s) = stamp(last) {
        return Some(s);
    }
    let before = from_right.next()?;
    stamp(&format!("{before}-{last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estate() -> Estate {
        Estate::demo()
    }

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "warroom-folder-{name}-{}-{}",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::create_dir_all(&d).expect("a temp dir");
        d
    }

    #[test]
    fn two_incidents_started_in_the_same_second_get_their_own_folders() {
        let tmp = tempdir("same-second");
        let incidents = tmp.join("incidents");
        let at = "2026-04-04T09:01:15Z".parse().expect("a time");
        let first = fresh_incident_dir(&incidents, &estate(), at);
        let second = fresh_incident_dir(&incidents, &estate(), at);
        let third = fresh_incident_dir(&incidents, &estate(), at);
        let name = |p: &Path| {
            p.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(name(&first), "orders-platform-prod-20260404T090115Z");
        assert_eq!(name(&second), "orders-platform-prod-20260404T090115Z-2");
        assert_eq!(name(&third), "orders-platform-prod-20260404T090115Z-3");
        for d in [&first, &second, &third] {
            assert!(d.is_dir(), "{} is created", d.display());
        }
        // The next second starts without a suffix again.
        let later = fresh_incident_dir(&incidents, &estate(), at + chrono::Duration::seconds(1));
        assert_eq!(name(&later), "orders-platform-prod-20260404T090116Z");
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn an_existing_folder_is_never_reused_even_with_a_journal_in_it() {
        let tmp = tempdir("existing");
        let incidents = tmp.join("incidents");
        let at = "2026-04-04T09:01:15Z".parse().expect("a time");
        let taken = incidents.join("orders-platform-prod-20260404T090115Z");
        std::fs::create_dir_all(&taken).expect("a folder");
        std::fs::write(taken.join("journal.jsonl"), "{}\n").expect("a journal");
        let fresh = fresh_incident_dir(&incidents, &estate(), at);
        assert_ne!(fresh, taken);
        assert!(fresh.is_dir() && !fresh.join("journal.jsonl").exists());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn a_stamp_is_read_back_with_its_sequence_and_orders_them() {
        let t = "2026-04-04T09:01:15Z"
            .parse::<DateTime<Utc>>()
            .expect("a time");
        assert_eq!(stamp("20260404T090115Z"), Some((t, 1)));
        assert_eq!(stamp("20260404T090115Z-2"), Some((t, 2)));
        assert_eq!(stamp("20260404T090115Z-10"), Some((t, 10)));
        assert_eq!(stamp("20260404T090115Z-1"), None);
        assert_eq!(stamp("20260404T090115Z-x"), None);
        assert_eq!(stamp("notes"), None);
        assert_eq!(
            stamp_in("orders-platform-prod-20260404T090115Z-10"),
            Some((t, 10))
        );
        assert_eq!(
            stamp_in("orders-platform-prod-20260404T090115Z"),
            Some((t, 1))
        );
        assert_eq!(stamp_in("orders-platform-prod"), None);
        // The tenth of a second comes after the second (not between the first and the second).
        assert!(stamp("20260404T090115Z-10") > stamp("20260404T090115Z-2"));
        assert!(stamp("20260404T090116Z") > stamp("20260404T090115Z-10"));
    }
}
