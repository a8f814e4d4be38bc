//! Names Azure derives from others: host names, display locations, plan ids, SKU names. Owns
//! these derivations only.

use crate::config::PlanKind;
use crate::sim::world::{AppState, PRODUCTION};

/// A location's display name (`koreacentral` → `Korea Central`), as App Service writes it.
pub fn display_location(location: &str) -> String {
    let known = [
        ("koreacentral", "Korea Central"),
        ("koreasouth", "Korea South"),
        ("japaneast", "Japan East"),
        ("japanwest", "Japan West"),
        ("eastus", "East US"),
        ("eastus2", "East US 2"),
        ("westus", "West US"),
        ("westus2", "West US 2"),
        ("centralus", "Central US"),
        ("westeurope", "West Europe"),
        ("northeurope", "North Europe"),
        ("uksouth", "UK South"),
        ("ukwest", "UK West"),
        ("southeastasia", "Southeast Asia"),
        ("eastasia", "East Asia"),
        ("australiaeast", "Australia East"),
    ];
    known
        .iter()
        .find(|(k, _)| *k == location)
        .map_or_else(|| location.to_owned(), |(_, v)| (*v).to_owned())
}

/// The public host name of an app slot: `app.azurewebsites.net`, `app-slot.azurewebsites.net`.
pub fn host_name(app: &AppState, slot: &str) -> String {
    if slot == PRODUCTION {
        format!("{}.azurewebsites.net", app.name)
    } else {
        format!("{}-{slot}.azurewebsites.net", app.name)
    }
}

/// The SCM (Kudu) host name of an app slot.
pub fn scm_host_name(app: &AppState, slot: &str) -> String {
    if slot == PRODUCTION {
        format!("{}.scm.azurewebsites.net", app.name)
    } else {
        format!("{}-{slot}.scm.azurewebsites.net", app.name)
    }
}

/// The App Service plan's ARM id: a named plan for Premium and Dedicated, the region's
/// automatic plan for Consumption.
pub fn server_farm_id(app: &AppState) -> String {
    let plan = match app.plan {
        PlanKind::Consumption | PlanKind::FlexConsumption => {
            format!("{}Plan", display_location(&app.location).replace(' ', ""))
        }
        PlanKind::Premium | PlanKind::Dedicated => {
            format!("plan-{}", app.name.trim_start_matches("func-"))
        }
    };
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Web/serverfarms/{plan}",
        app.subscription_id, app.resource_group
    )
}

/// The site's `sku` property.
pub fn site_sku(plan: PlanKind) -> &'static str {
    match plan {
        PlanKind::Consumption => "Dynamic",
        PlanKind::FlexConsumption => "FlexConsumption",
        PlanKind::Premium => "ElasticPremium",
        PlanKind::Dedicated => "Standard",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_fall_back_to_the_location() {
        assert_eq!(display_location("japaneast"), "Japan East");
        assert_eq!(display_location("marsnorth"), "marsnorth");
    }
}
