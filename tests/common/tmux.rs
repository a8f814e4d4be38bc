//! A real terminal for end-to-end tests: one tmux server of our own (its own socket) running a
//! script in a 160×48 session, read with `capture-pane`. Waits poll the screen at a short
//! interval a bounded number of times; there are no fixed sleeps.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How often the screen is read while waiting.
const POLL: Duration = Duration::from_millis(100);
/// The longest any one wait may take.
const WAIT: Duration = Duration::from_secs(30);

/// Whether tmux is here; if not, says SKIPPED (and fails under CI, where it must be).
pub fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required under CI"
        );
        eprintln!("SKIPPED: tmux not found");
    }
    ok
}

/// One tmux server of our own with one session, killed on drop.
pub struct Tmux {
    socket: String,
    dir: PathBuf,
    /// Every screen read, in order (for sweeps over what was shown).
    seen: RefCell<Vec<String>>,
}

impl Tmux {
    /// Starts `script` (a shell script) in a 160×48 session.
    pub fn start(name: &str, script: &str) -> Self {
        let unique = format!(
            "warroom-e2e-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_nanos()
        );
        let dir = std::env::temp_dir().join(&unique);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join("run.sh");
        std::fs::write(&path, script).expect("the script");
        let t = Self {
            socket: unique,
            dir,
            seen: RefCell::new(Vec::new()),
        };
        let out = t.tmux(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "160",
            "-y",
            "48",
            &format!("sh {}", path.display()),
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        t
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "e2e"]);
        let s = String::from_utf8_lossy(&out.stdout).into_owned();
        self.seen.borrow_mut().push(s.clone());
        s
    }

    /// Every screen read so far, in order.
    pub fn seen(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        let out = self.tmux(&args);
        assert!(out.status.success(), "send-keys {keys:?}: {out:?}");
    }

    /// Polls the screen until `ok` holds on a settled screen (two captures alike: a capture can
    /// land between the writes of one frame); panics with the last screen after [`WAIT`].
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.wait_up_to(WAIT, what, ok)
    }

    /// Like [`Self::wait_for`], with its own limit (actions run on Azure's own cadence).
    pub fn wait_up_to(&self, limit: Duration, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) && self.screen() == s {
                return s;
            }
            assert!(
                start.elapsed() < limit,
                "waited {limit:?} for {what}; the screen:\n{s}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// The pid of the shell running in the pane.
    pub fn pane_pid(&self) -> u32 {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a pid")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
