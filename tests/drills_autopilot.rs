//! probe
use warroom::cli::drill::autopilot::{Options, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe() {
    let name = std::env::var("DRILL").unwrap_or_else(|_| "a-slot-swap".into());
    let dir = std::env::temp_dir().join(format!("warroom-drill-probe-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let t = std::time::Instant::now();
    let r = run(&name, &Options::new(&dir), &mut |l: &str| println!("{l}")).await.expect("runs");
    println!("recovered {} unhealthy {:?} wall {:?}", r.recovered, r.unhealthy, t.elapsed());
}
