//! The observer after a messaging geo-DR failover, against the simulator: the alias is gone from
//! the former primary namespace, so the snapshot must follow it to the namespace that is primary
//! now instead of showing only a "not found" from the old one.

#[path = "common/infra.rs"]
mod infra;
#[path = "common/sim_lro.rs"]
mod sim_lro;
#[path = "common/wire.rs"]
mod wire;

use std::sync::Arc;

use sim_lro::SimLroClock;
use warroom::azure::writes::messaging::{
    AliasSide, alias_failover, alias_id, wait_alias_settled_with_clock,
};
use warroom::model::AliasState;
use warroom::observe::{Clock, Observer};
use wire::Wire;

async fn alias_in_snapshot(w: &Wire, alias: &str) -> AliasState {
    let clock = w.sim.clock().clone();
    let snap = Observer::new(
        Arc::new(w.client.clone()),
        Arc::new(w.queues.clone()),
        Arc::new(w.estate.clone()),
        Clock::custom(move || clock.now(), 1.0),
        true,
    )
    .refresh_all()
    .await;
    snap.aliases
        .into_iter()
        .find(|a| a.name == alias)
        .expect("alias in the snapshot")
}

#[tokio::test]
async fn the_snapshot_follows_an_alias_to_the_namespace_that_is_primary_now() {
    let w = Wire::start("calm").await;
    w.at(60);
    let alias = "sb-functions-prod";
    let before = alias_in_snapshot(&w, alias).await;
    assert_eq!(before.primary_namespace, "sb-functions-prod-krc");
    assert_eq!(before.state.get().map(|f| f.role.as_str()), Some("Primary"));

    let secondary = alias_id(&w.estate, alias, AliasSide::Secondary).expect("alias");
    alias_failover(&w.client, &secondary, false)
        .await
        .expect("accepted");
    wait_alias_settled_with_clock(
        &w.client,
        &secondary,
        Some("PrimaryNotReplicating"),
        &infra::lro_options(),
        &mut |_| {},
        &SimLroClock::new(w.sim.clock()),
    )
    .await
    .expect("settled");

    let after = alias_in_snapshot(&w, alias).await;
    assert_eq!(after.primary_namespace, "sb-functions-prod-jpe");
    let facts = after.state.get().expect("read without error");
    assert_eq!(facts.role, "PrimaryNotReplicating");
    assert_eq!(facts.provisioning, "Succeeded");
    assert!(after.state.error.is_none(), "{:?}", after.state.error);

    // The other alias, not failed over, is still read on its configured primary.
    let evh = alias_in_snapshot(&w, "evh-functions-prod").await;
    assert_eq!(evh.primary_namespace, "evhns-functions-prod-krc");
}
