//! Traffic Manager and Front Door reads.

use crate::azure::client::AzureClient;
use crate::azure::error::Error;
use crate::azure::wire::api;
use crate::azure::wire::cdn::{AfdOrigin, AfdOriginGroup};
use crate::azure::wire::network::TmProfile;

use super::arm_ids::ResourceGroupRef;

impl AzureClient {
    /// A Traffic Manager profile with its endpoints.
    pub async fn get_tm_profile(
        &self,
        rg: &ResourceGroupRef,
        profile: &str,
    ) -> Result<TmProfile, Error> {
        let path = rg.provider(
            "Microsoft.Network",
            &format!("trafficmanagerprofiles/{profile}"),
        );
        self.get_json(&path, api::TRAFFIC_MANAGER).await
    }

    /// A Front Door origin group.
    pub async fn get_afd_origin_group(
        &self,
        rg: &ResourceGroupRef,
        profile: &str,
        group: &str,
    ) -> Result<AfdOriginGroup, Error> {
        let path = rg.provider(
            "Microsoft.Cdn",
            &format!("profiles/{profile}/originGroups/{group}"),
        );
        self.get_json(&path, api::CDN).await
    }

    /// The origins of a Front Door origin group (every page).
    pub async fn list_afd_origins(
        &self,
        rg: &ResourceGroupRef,
        profile: &str,
        group: &str,
    ) -> Result<Vec<AfdOrigin>, Error> {
        let path = rg.provider(
            "Microsoft.Cdn",
            &format!("profiles/{profile}/originGroups/{group}/origins"),
        );
        self.get_all(&path, api::CDN).await
    }
}
