//! Rules on where data lives: `[[storage-account]]`, `[[queue]]` and `[[geo-dr-alias]]`.

use super::{Checker, Names};
use crate::config::file::{EstateFile, QueueKind};

pub(super) fn check(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    storage_accounts(c, f, names);
    queues(c, f, names);
    aliases(c, f, names);
}

fn storage_accounts(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    c.unique(
        "storage-account",
        "storage account",
        f.storage_accounts.iter().map(|s| &s.name),
    );
    for (i, s) in f.storage_accounts.iter().enumerate() {
        let key = format!("storage-account[{i}]");
        c.reference(format!("{key}.region"), &s.region, "region", &names.regions);
        let name = s.name.get_ref();
        let valid = (3..=24).contains(&name.len())
            && name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit());
        if !valid {
            c.push(
                format!("{key}.name"),
                Some(s.name.span()),
                format!(
                    "`{name}` is not a storage account name; Azure allows 3 to 24 lowercase \
                     letters and digits"
                ),
            );
        }
    }
}

fn queues(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    for (i, q) in f.queues.iter().enumerate() {
        let key = format!("queue[{i}]");
        c.reference(format!("{key}.region"), &q.region, "region", &names.regions);
        c.reference(format!("{key}.app"), &q.app, "app", &names.apps);
        let kind = *q.kind.get_ref();
        if kind == QueueKind::Storage {
            c.reference(
                format!("{key}.account"),
                &q.account,
                "storage account",
                &names.storage_accounts,
            );
        }
        match (&q.consumer_group, kind) {
            (None, QueueKind::EventHubs) => c.push(
                format!("{key}.consumer-group"),
                Some(q.kind.span()),
                "an `event-hubs` queue needs `consumer-group` (the group whose lag is watched, \
                 for example `$Default`)",
            ),
            (Some(group), QueueKind::Storage | QueueKind::ServiceBus) => c.push(
                format!("{key}.consumer-group"),
                Some(group.span()),
                format!(
                    "only `event-hubs` queues have a consumer group, this one is `{}`; remove \
                     `consumer-group`",
                    kind.as_str()
                ),
            ),
            _ => {}
        }
    }
}

fn aliases(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    c.unique(
        "geo-dr-alias",
        "geo-DR alias",
        f.geo_dr_aliases.iter().map(|g| &g.name),
    );
    for (i, g) in f.geo_dr_aliases.iter().enumerate() {
        let key = format!("geo-dr-alias[{i}]");
        if *g.kind.get_ref() == QueueKind::Storage {
            c.push(
                format!("{key}.kind"),
                Some(g.kind.span()),
                "a geo-DR alias pairs `service-bus` or `event-hubs` namespaces; Storage fails \
                 over by account (geo-redundant `replication`), not by alias",
            );
        }
        c.reference(
            format!("{key}.primary-region"),
            &g.primary_region,
            "region",
            &names.regions,
        );
        c.reference(
            format!("{key}.secondary-region"),
            &g.secondary_region,
            "region",
            &names.regions,
        );
        if g.primary_region.get_ref() == g.secondary_region.get_ref() {
            c.push(
                format!("{key}.secondary-region"),
                Some(g.secondary_region.span()),
                format!(
                    "the secondary namespace is in the primary's region `{}`; a geo-DR pair \
                     needs two different regions",
                    g.primary_region.get_ref()
                ),
            );
        }
        if g.primary_namespace.get_ref() == g.secondary_namespace.get_ref() {
            c.push(
                format!("{key}.secondary-namespace"),
                Some(g.secondary_namespace.span()),
                format!(
                    "the secondary namespace is the primary `{}` itself; name the paired \
                     namespace in the other region",
                    g.primary_namespace.get_ref()
                ),
            );
        }
    }
}
