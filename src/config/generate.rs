//! Generated estates of any size, for measuring how the cost of a refresh grows with the estate
//! (`warroom sim serve --apps N`, the requests-per-refresh test). The text goes through the same
//! parser and validation as a file a person writes.

use std::fmt::Write as _;

/// An estate file with `apps` function apps split between two regions: one service per pair,
/// every other service on Premium with a staging slot, one Storage queue per fifth service, a
/// Traffic Manager profile over the first pair and a Front Door origin group over the second.
pub fn generated_toml(apps: usize) -> String {
    let pairs = apps.div_ceil(2).max(2);
    let mut s = String::from(
        r#"[estate]
name = "Generated estate"
rto-minutes = 30
rpo-minutes = 5
owner = "load test"

[[subscription]]
name = "gen"
id = "00000000-0000-4000-8000-000000000001"

[[region]]
name = "p"
role = "primary"
location = "koreacentral"
subscription = "gen"
resource-group = "rg-gen-p"

[[region]]
name = "s"
role = "secondary"
location = "japaneast"
subscription = "gen"
resource-group = "rg-gen-s"

[[storage-account]]
name = "stgenp"
region = "p"
replication = "LRS"
"#,
    );
    let mut made = 0;
    for i in 0..pairs {
        for region in ["p", "s"] {
            if made == apps.max(4) {
                break;
            }
            made += 1;
            let premium = i % 2 == 0;
            let _ = write!(
                s,
                "\n[[app]]\nname = \"func-gen{i:04}-{region}\"\nservice = \"svc{i:04}\"\nregion = \"{region}\"\nplan = \"{}\"\n{}triggers = [\"http\"]\nfunctions = [\"Run\"]\n",
                if premium { "premium" } else { "consumption" },
                if premium {
                    "slots = [\"staging\"]\n"
                } else {
                    ""
                }
            );
            if i % 5 == 0 && region == "p" {
                let _ = write!(
                    s,
                    "\n[[queue]]\nname = \"q{i:04}\"\nkind = \"storage\"\naccount = \"stgenp\"\nregion = \"p\"\napp = \"func-gen{i:04}-p\"\n"
                );
            }
        }
    }
    s.push_str(
        "\n[traffic-manager]\nprofile = \"tm-gen\"\nregion = \"p\"\n\n\
         [[traffic-manager.endpoint]]\nname = \"primary\"\napp = \"func-gen0000-p\"\npriority = 1\n\n\
         [[traffic-manager.endpoint]]\nname = \"secondary\"\napp = \"func-gen0000-s\"\npriority = 2\n\n\
         [front-door]\nprofile = \"afd-gen\"\nregion = \"p\"\norigin-group = \"gen-origins\"\n\n\
         [[front-door.origin]]\nname = \"origin-p\"\napp = \"func-gen0001-p\"\n\n\
         [[front-door.origin]]\nname = \"origin-s\"\napp = \"func-gen0001-s\"\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Estate;

    #[test]
    fn a_generated_estate_of_1000_apps_validates() {
        let e = Estate::parse(&generated_toml(1000), "generated").expect("valid");
        assert_eq!(e.apps.len(), 1000);
        assert_eq!(e.regions.len(), 2);
        assert!(e.queues.len() >= 100);
    }
}
