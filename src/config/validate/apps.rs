//! Rules on `[[app]]`: unique names, the region and task-hub references, slots only where the plan
//! has them, timer functions only with a timer trigger, the health path's shape.

use super::{Checker, Names, list};
use crate::config::file::{AppEntry, EstateFile, TriggerKind};

pub(super) fn check(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    c.unique("app", "app", f.apps.iter().map(|a| &a.name));
    for (i, a) in f.apps.iter().enumerate() {
        let key = format!("app[{i}]");
        c.reference(format!("{key}.region"), &a.region, "region", &names.regions);
        slots(c, &key, a);
        if let Some(first) = a.timer_functions.first()
            && !a.triggers.contains(&TriggerKind::Timer)
        {
            c.push(
                format!("{key}.timer-functions"),
                Some(first.span()),
                format!(
                    "app `{}` lists timer functions but its `triggers` do not include `timer`; \
                     add `timer` to `triggers` or remove `timer-functions`",
                    a.name.get_ref()
                ),
            );
        }
        if let Some(path) = &a.health_path
            && !path.get_ref().starts_with('/')
        {
            c.push(
                format!("{key}.health-path"),
                Some(path.span()),
                format!(
                    "health path `{}` must start with `/` (for example `/api/health`)",
                    path.get_ref()
                ),
            );
        }
        task_hub(c, f, &key, a, names);
    }
}

fn slots(c: &mut Checker<'_>, key: &str, a: &AppEntry) {
    if let Some(first) = a.slots.first()
        && !a.plan.has_slots()
    {
        c.push(
            format!("{key}.slots"),
            Some(first.span()),
            format!(
                "plan `{}` has no deployment slots; only `premium` and `dedicated` plans do \
                 (remove `slots` or change `plan`)",
                a.plan.as_str()
            ),
        );
    }
    for (j, slot) in a.slots.iter().enumerate() {
        let name = slot.get_ref();
        let reason = if name.eq_ignore_ascii_case("production") {
            "`production` is the app itself, not a slot; list only the other slots (for example \
             `staging`)"
                .to_owned()
        } else if a.slots[..j].iter().any(|s| s.get_ref() == name) {
            format!("slot `{name}` is listed twice")
        } else if name.is_empty() {
            "a slot needs a name (for example `staging`)".to_owned()
        } else {
            continue;
        };
        c.push(format!("{key}.slots[{j}]"), Some(slot.span()), reason);
    }
}

fn task_hub(c: &mut Checker<'_>, f: &EstateFile, key: &str, a: &AppEntry, names: &Names<'_>) {
    let Some(account) = &a.task_hub_storage else {
        return;
    };
    let key = format!("{key}.task-hub-storage");
    let Some(entry) = f
        .storage_accounts
        .iter()
        .find(|s| s.name.get_ref() == account.get_ref())
    else {
        c.reference(key, account, "storage account", &names.storage_accounts);
        return;
    };
    if entry.task_hub.is_none() {
        let with_hub: Vec<&str> = f
            .storage_accounts
            .iter()
            .filter(|s| s.task_hub.is_some())
            .map(|s| s.name.get_ref().as_str())
            .collect();
        c.push(
            key,
            Some(account.span()),
            format!(
                "storage account `{}` has no `task-hub`; set `task-hub` on that \
                 `[[storage-account]]` or name an account that has one (accounts with a task \
                 hub: {})",
                account.get_ref(),
                list(&with_hub)
            ),
        );
    }
}
