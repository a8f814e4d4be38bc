//! For the runtime's tests: the demo estate served by the in-process simulator under a scenario,
//! on a manual clock, with the estate pointed at it and a client. Test-only.

use crate::azure::{AzureClient, ClientConfig};
use crate::config::Estate;
use crate::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer};

/// The simulator of `scenario` on `clock`, the estate pointed at it, and a client of it.
pub(super) async fn serve(
    scenario: Scenario,
    clock: &SimClock,
) -> (SimHandle, Estate, AzureClient) {
    let mut estate = Estate::demo();
    let sim = SimServer::start(
        estate.clone(),
        scenario,
        clock.clone(),
        SimOptions::default(),
    )
    .await
    .expect("the simulator starts");
    estate.endpoints = sim.endpoints();
    let arm = url::Url::parse(&estate.endpoints.arm).expect("ARM URL");
    let client = AzureClient::new(ClientConfig::new(arm)).expect("client");
    (sim, estate, client)
}
