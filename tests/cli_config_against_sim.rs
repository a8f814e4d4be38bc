//! The real-estate path (`--config FILE`) end to end: an estate file whose endpoints name a running
//! `warroom sim serve`, read by `warroom status --config` exactly as it would read Azure.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn status_with_a_config_file_reads_the_estate_it_names() {
    let child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "sim",
            "serve",
            "--port",
            "0",
            "--scenario",
            "bad-release",
            "--speed",
            "60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts the simulator");
    let mut sim = Kill(child);
    let mut first = String::new();
    BufReader::new(sim.0.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no base URL in {first:?}"))
        .to_owned();

    let estate = warroom::config::DEMO_ESTATE.replace(
        "[endpoints]\ncloud = \"public\"",
        &format!("[endpoints]\ncloud = \"simulator\"\narm = \"{url}\""),
    );
    assert_ne!(
        estate,
        warroom::config::DEMO_ESTATE,
        "the endpoints block was replaced"
    );
    let dir = std::env::temp_dir().join(format!("warroom-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("estate.toml");
    std::fs::write(&file, estate).expect("writes the estate");

    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["status", "--json", "--config"])
        .arg(&file)
        .env_remove("RUST_LOG")
        .output()
        .expect("runs status");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["simulated"], true,
        "an estate file whose cloud is the simulator is reported as simulated"
    );
    let apps = v["apps"].as_array().expect("apps");
    assert_eq!(apps.len(), 12);
    for app in apps {
        let health = &app["slots"][0]["health"];
        assert!(
            health["value"]["status"].is_string(),
            "{} has no health: {health}",
            app["name"]
        );
        assert!(health["error"].is_null(), "{}: {health}", app["name"]);
        assert!(
            app["site"]["value"]["state"] == "Running",
            "{}",
            app["site"]
        );
    }
}
