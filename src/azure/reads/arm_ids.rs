//! ARM resource paths for the resources the estate names.

use crate::config::{App, Estate, Region};

/// A subscription and resource group pair, the prefix of most ARM paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceGroupRef {
    /// Subscription id.
    pub subscription: String,
    /// Resource group name.
    pub resource_group: String,
}

impl ResourceGroupRef {
    /// The resource group of a region.
    pub fn of_region(region: &Region) -> Self {
        Self {
            subscription: region.subscription_id.clone(),
            resource_group: region.resource_group.clone(),
        }
    }

    /// The resource group an app lives in.
    pub fn of_app(estate: &Estate, app: &App) -> Self {
        Self::of_region(estate.region_of(app))
    }

    /// `/subscriptions/{sub}/resourceGroups/{rg}`.
    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription, self.resource_group
        )
    }

    /// `…/providers/{provider}/{rest}`.
    pub fn provider(&self, provider: &str, rest: &str) -> String {
        format!("{}/providers/{provider}/{rest}", self.path())
    }

    /// The ARM id of a site (`slot` = `production` gives the site itself).
    pub fn site(&self, app: &str, slot: &str) -> String {
        if slot == "production" {
            self.provider("Microsoft.Web", &format!("sites/{app}"))
        } else {
            self.provider("Microsoft.Web", &format!("sites/{app}/slots/{slot}"))
        }
    }
}

/// Percent-encodes a path segment or query value (ARM names are mostly safe, KQL and times not).
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
