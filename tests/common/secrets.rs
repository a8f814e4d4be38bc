//! Every secret the simulated world holds for a scenario: the key material inside app settings
//! (storage account keys, SAS keys, API keys) and every host, system and function key. A test
//! sweeps what warroom wrote (screens, logs, journals, reports) for any of them.

use std::collections::BTreeSet;

use warroom::config::Estate;
use warroom::sim::World;
use warroom::sim::scenario::Scenario;

/// The shortest run of key characters counted as key material (a 32-byte base64 key is 44).
const MIN_KEY_LEN: usize = 40;

/// The secret material of the world `scenario` starts with on the demo estate.
pub fn demo_world_secrets(scenario: &str) -> BTreeSet<String> {
    let estate = Estate::demo();
    let scenario = Scenario::builtin(scenario).expect("the scenario");
    let world = World::new(&estate, &scenario).expect("the world");
    let mut out = BTreeSet::new();
    for app in world.apps() {
        for slot in &app.slots {
            for value in slot.settings.values() {
                out.extend(key_runs(value));
            }
            let k = &slot.host_keys;
            out.insert(k.master.clone());
            out.extend(k.function.values().cloned());
            out.extend(k.system.values().cloned());
            for keys in slot.function_keys.values() {
                out.extend(keys.values().cloned());
            }
        }
    }
    assert!(
        out.len() > 20,
        "the world holds secrets to look for: {}",
        out.len()
    );
    out
}

/// Runs of base64 (standard or URL-safe) characters at least [`MIN_KEY_LEN`] long.
fn key_runs(value: &str) -> Vec<String> {
    let is_key = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
    value
        .split(|c: char| !is_key(c))
        .filter(|run| run.len() >= MIN_KEY_LEN)
        .map(str::to_owned)
        .collect()
}

/// The secrets found in `text`, named by where they were found (empty when none leaked).
pub fn leaks(secrets: &BTreeSet<String>, what: &str, text: &str) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .map(|s| format!("{what} holds a secret starting {}…", &s[..6]))
        .collect()
}
