//! The canary: a secret value planted in the simulator's app settings flows through the actions
//! that read and copy settings (forensics, the secondary's sync, a failover), and must be found in
//! no journal line, no report, no forensic file and no progress event.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::Bench;
use warroom::decide::ActionKind;
use warroom::journal::{self, report};

const KRC: &str = "func-orders-prod-krc";
const JPE: &str = "func-orders-prod-jpe";
/// Long and unlike anything else, so a find is a leak.
const CANARY: &str = "canary-5c0ffee-9d1e-do-not-leak-7a2b";

#[tokio::test]
async fn a_planted_secret_reaches_no_journal_report_forensic_file_or_progress() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    // Plant the canary in the primary's settings (a new setting the secondary lacks, so the
    // sync copies its value across) and prove it is there to be leaked.
    b.w.sim.with_world(|w| {
        let mut settings = w.app(KRC).expect("the app").slots[0].settings.clone();
        settings.insert("PAYMENTS_API_SECRET".into(), CANARY.into());
        w.set_app_settings(KRC, "production", settings, "canary-test")
            .expect("planted");
    });
    b.run(ActionKind::Forensics, JPE).await;
    b.run(ActionKind::SyncSecondary, JPE).await;
    let copied = b.w.sim.with_world(|w| {
        w.app(JPE).expect("the app").slots[0]
            .settings
            .get("PAYMENTS_API_SECRET")
            .cloned()
    });
    assert_eq!(
        copied.as_deref(),
        Some(CANARY),
        "the sync carried the value to the secondary, so it passed through the console"
    );
    b.run(ActionKind::Failover, "krc").await;
    b.run(ActionKind::Forensics, "func-fulfil-prod-jpe").await;

    let (records, warnings) = journal::read(&b.dir);
    assert!(records.len() > 10, "the journal recorded the actions");
    let md = report::render(&records, &warnings, &report::Targets::default());
    assert!(md.contains("sync-secondary"), "the report covers the sync");
    assert!(!md.contains(CANARY), "the report holds the canary");
    let text = std::fs::read_to_string(b.dir.join(journal::FILE_NAME)).expect("journal");
    assert!(!text.contains(CANARY), "the journal holds the canary");
    assert!(
        text.contains("PAYMENTS_API_SECRET"),
        "the setting's name is journaled (names are not secret)"
    );
    // Every file in the incident folder and every progress event.
    b.assert_secret_free();
    let progress = serde_json::to_string(&b.progress).expect("progress as JSON");
    assert!(!progress.contains(CANARY), "progress holds the canary");
}
