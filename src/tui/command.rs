//! The command line (`:`): parses `name args` into a [`Command`] and completes names (commands,
//! apps, themes, panes) on Tab. Pure: given the input and the names, returns the result.

use super::msg::{Command, PaneId};
use crate::config::Estate;
use crate::decide::{ActionKind, NodeId, ProposedAction};

/// The commands the line knows, with a one-line description for help.
pub const COMMANDS: &[(&str, &str)] = &[
    ("help", "show keys and commands"),
    ("app", "app NAME: open an app's detail"),
    ("theme", "theme NAME: switch theme"),
    ("presenter", "presenter mode"),
    ("main", "back to the main view"),
    (
        "focus",
        "focus PANE: runbook, regions, queues, deployments, timeline",
    ),
    ("act", "plan the recommended action (also the `a` key)"),
    (
        "override",
        "override NODE yes|no REASON: deploy-related, slots-healthy, regional, validated",
    ),
    (
        "note",
        "note TEXT: write a note into the incident journal (also `n`)",
    ),
    (
        "hint",
        "in a drill: reveal the next hint (also the `h` key)",
    ),
    ("close", "close [TEXT]: close the incident (journaled)"),
    (
        "ACTION TARGET",
        "plan any action: swap, swap-back, redeploy, restart, failover, tm-disable, …",
    ),
    ("quit", "leave the console"),
];

/// Names the line can complete, beyond the commands.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// App names.
    pub apps: Vec<String>,
    /// Theme names.
    pub themes: Vec<String>,
    /// Region short names (failover, freeze, alert suppression).
    pub regions: Vec<String>,
    /// Traffic Manager endpoint names.
    pub endpoints: Vec<String>,
    /// Front Door origin names.
    pub origins: Vec<String>,
    /// Messaging geo-DR alias names.
    pub aliases: Vec<String>,
    /// Storage account names.
    pub accounts: Vec<String>,
}

impl Names {
    /// The estate's names, with the apps in `apps`' order (the screen's) and the themes given.
    pub fn of(estate: &Estate, apps: Vec<String>, themes: Vec<String>) -> Self {
        let names = |it: &mut dyn Iterator<Item = &String>| it.cloned().collect::<Vec<_>>();
        Self {
            apps,
            themes,
            regions: names(&mut estate.regions.iter().map(|r| &r.name)),
            endpoints: names(
                &mut estate
                    .traffic_manager
                    .iter()
                    .flat_map(|t| t.endpoints.iter().map(|e| &e.name)),
            ),
            origins: names(
                &mut estate
                    .front_door
                    .iter()
                    .flat_map(|f| f.origins.iter().map(|o| &o.name)),
            ),
            aliases: names(&mut estate.geo_dr_aliases.iter().map(|a| &a.name)),
            accounts: names(&mut estate.storage_accounts.iter().map(|a| &a.name)),
        }
    }

    /// The names an action of `kind` takes as its target.
    pub fn targets(&self, kind: ActionKind) -> &[String] {
        match kind {
            ActionKind::Swap
            | ActionKind::SwapBack
            | ActionKind::Redeploy
            | ActionKind::Restart
            | ActionKind::Timers
            | ActionKind::SyncSecondary
            | ActionKind::Rebuild
            | ActionKind::Forensics => &self.apps,
            ActionKind::Failover
            | ActionKind::FreezeOn
            | ActionKind::FreezeOff
            | ActionKind::SuppressOn
            | ActionKind::SuppressOff => &self.regions,
            ActionKind::TmDisable | ActionKind::TmEnable => &self.endpoints,
            ActionKind::FdDisable | ActionKind::FdEnable => &self.origins,
            ActionKind::AliasFailover => &self.aliases,
            ActionKind::StorageFailover => &self.accounts,
        }
    }
}

/// Parses a command line (without the leading `:`).
pub fn parse(input: &str) -> Result<Command, String> {
    let mut words = input.split_whitespace();
    let Some(name) = words.next() else {
        return Err("empty command".to_owned());
    };
    let arg = words.collect::<Vec<_>>().join(" ");
    let need = |what: &str| {
        if arg.is_empty() {
            Err(format!("`{name}` needs {what}"))
        } else {
            Ok(arg.clone())
        }
    };
    let pane = |s: &str| PaneId::ALL.into_iter().find(|p| p.name() == s);
    match name {
        "help" | "h" => Ok(Command::Help),
        "app" => need("an app name").map(Command::App),
        "theme" => need("a theme name").map(Command::Theme),
        "presenter" | "p" => Ok(Command::Presenter),
        "main" | "dashboard" => Ok(Command::Main),
        "quit" | "q" => Ok(Command::Quit),
        "act" | "a" => Ok(Command::Act),
        "note" | "n" => need("the note's words").map(Command::Note),
        "hint" => Ok(Command::Hint),
        "close" => Ok(Command::Close(arg.clone())),
        "override" => override_node(&arg),
        "plan" => {
            let mut w = arg.split_whitespace();
            let (Some(kind), Some(target)) = (w.next(), w.next()) else {
                return Err("`plan` needs an action and a target".to_owned());
            };
            action(kind, target)
        }
        "focus" => pane(&need("a pane name")?)
            .map(Command::Focus)
            .ok_or_else(|| format!("no pane `{arg}`")),
        other if ActionKind::parse(other).is_some() => action(other, &need("a target")?),
        other => pane(other)
            .map(Command::Focus)
            .ok_or_else(|| format!("unknown command `{other}` (Tab lists them)")),
    }
}

/// `NODE yes|no REASON` as an override.
fn override_node(arg: &str) -> Result<Command, String> {
    let mut w = arg.split_whitespace();
    let usage = "`override` needs a decision, yes or no, and a reason: \
                 override regional no the catalog failure is a known bug";
    let (Some(node), Some(answer)) = (w.next(), w.next()) else {
        return Err(usage.to_owned());
    };
    let node = match node.replace('_', "-").as_str() {
        "deploy-related" | "deployment-related" => NodeId::DeployRelated,
        "slots-healthy" | "slots" => NodeId::SlotsHealthy,
        "regional" => NodeId::Regional,
        "validated" => NodeId::Validated,
        other => {
            return Err(format!(
                "no decision `{other}`; decisions: deploy-related, slots-healthy, regional, validated"
            ));
        }
    };
    let answer = match answer {
        "yes" | "y" => true,
        "no" | "n" => false,
        other => return Err(format!("answer yes or no, not `{other}`")),
    };
    let reason = w.collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err("an override needs a reason, typed after the answer".to_owned());
    }
    Ok(Command::Override {
        node,
        answer,
        reason,
    })
}

/// `KIND TARGET` as a plan request.
fn action(kind: &str, target: &str) -> Result<Command, String> {
    let kind = ActionKind::parse(kind).ok_or_else(|| {
        let names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        format!("no action `{kind}`; actions: {}", names.join(", "))
    })?;
    Ok(Command::Plan(ProposedAction {
        kind,
        target: target.to_owned(),
        release: None,
    }))
}

/// The candidates for the word being typed: command names for the first word, then what the
/// command takes: an action's kind of target (apps, endpoints, origins, regions, …), themes or
/// panes.
pub fn candidates(input: &str, names: &Names) -> Vec<String> {
    let (head, tail) = match input.split_once(' ') {
        Some((h, t)) => (h, Some(t.trim_start())),
        None => (input, None),
    };
    let pool: Vec<String> = match (tail, ActionKind::parse(head)) {
        (None, _) => COMMANDS
            .iter()
            .map(|c| c.0.to_owned())
            .filter(|c| !c.contains(' '))
            .chain(PaneId::ALL.iter().map(|p| p.name().to_owned()))
            .chain(ActionKind::ALL.iter().map(|k| k.name().to_owned()))
            .collect(),
        (Some(_), Some(kind)) => names.targets(kind).to_vec(),
        (Some(_), None) => match head {
            "app" => names.apps.clone(),
            "theme" => names.themes.clone(),
            "focus" => PaneId::ALL.iter().map(|p| p.name().to_owned()).collect(),
            _ => Vec::new(),
        },
    };
    let typed = tail.unwrap_or(head);
    let mut out: Vec<String> = pool.into_iter().filter(|c| c.starts_with(typed)).collect();
    out.dedup();
    out
}

/// Completes the input as far as the candidates agree; returns the new input and the candidates.
pub fn complete(input: &str, names: &Names) -> (String, Vec<String>) {
    let found = candidates(input, names);
    let Some(first) = found.first() else {
        return (input.to_owned(), found);
    };
    let common = found.iter().fold(first.clone(), |acc, c| {
        acc.chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    });
    let prefix = match input.split_once(' ') {
        Some((head, _)) => format!("{head} "),
        None => String::new(),
    };
    let mut out = format!("{prefix}{common}");
    if found.len() == 1
        && prefix.is_empty()
        && COMMANDS
            .iter()
            .any(|c| c.0 == common && matches!(c.0, "app" | "theme" | "focus"))
    {
        out.push(' ');
    }
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_need_a_decision_an_answer_and_a_reason() {
        assert_eq!(
            parse("override regional no the catalog failure is a known bug"),
            Ok(Command::Override {
                node: NodeId::Regional,
                answer: false,
                reason: "the catalog failure is a known bug".into(),
            })
        );
        assert!(matches!(
            parse("override deploy_related yes config pushed by hand"),
            Ok(Command::Override {
                node: NodeId::DeployRelated,
                answer: true,
                ..
            })
        ));
        assert!(parse("override regional no").is_err_and(|e| e.contains("reason")));
        assert!(parse("override regional maybe why").is_err_and(|e| e.contains("yes or no")));
        assert!(parse("override verify yes why").is_err_and(|e| e.contains("no decision")));
        assert_eq!(
            parse("note paged the storage team"),
            Ok(Command::Note("paged the storage team".into()))
        );
        assert!(parse("note").is_err());
    }

    #[test]
    fn action_names_plan_actions_on_their_target() {
        assert_eq!(
            parse("swap func-orders-prod-krc"),
            Ok(Command::Plan(ProposedAction {
                kind: ActionKind::Swap,
                target: "func-orders-prod-krc".into(),
                release: None,
            }))
        );
        assert_eq!(
            parse("plan tm-disable primary-endpoint"),
            Ok(Command::Plan(ProposedAction {
                kind: ActionKind::TmDisable,
                target: "primary-endpoint".into(),
                release: None,
            }))
        );
        assert!(parse("swap").is_err_and(|e| e.contains("target")));
        assert!(parse("plan swapp x").is_err_and(|e| e.contains("no action")));
    }

    fn names() -> Names {
        Names {
            apps: vec![
                "func-orders-prod-krc".into(),
                "func-orders-prod-jpe".into(),
                "func-catalog-prod-krc".into(),
            ],
            themes: vec!["dark".into(), "light".into(), "colorblind".into()],
            ..Names::default()
        }
    }

    #[test]
    fn every_view_is_reachable_by_name() {
        assert_eq!(parse("help"), Ok(Command::Help));
        assert_eq!(parse("presenter"), Ok(Command::Presenter));
        assert_eq!(parse("main"), Ok(Command::Main));
        assert_eq!(parse("quit"), Ok(Command::Quit));
        assert_eq!(
            parse("app func-orders-prod-krc"),
            Ok(Command::App("func-orders-prod-krc".into()))
        );
        assert_eq!(parse("theme light"), Ok(Command::Theme("light".into())));
        assert_eq!(parse("queues"), Ok(Command::Focus(PaneId::Queues)));
        assert_eq!(
            parse("focus timeline"),
            Ok(Command::Focus(PaneId::Timeline))
        );
    }

    #[test]
    fn bad_commands_say_what_is_wrong() {
        assert!(
            parse("app")
                .expect_err("an error")
                .contains("needs an app name")
        );
        assert!(
            parse("frobnicate")
                .expect_err("an error")
                .contains("unknown command `frobnicate`")
        );
        assert!(parse("").is_err());
    }

    #[test]
    fn tab_completes_an_actions_target_from_the_names_of_its_kind() {
        let apps = vec!["func-orders-prod-krc".to_owned()];
        let names = Names::of(&Estate::demo(), apps, Vec::new());
        assert_eq!(
            complete("tm-disable pri", &names),
            (
                "tm-disable primary-endpoint".to_owned(),
                vec!["primary-endpoint".to_owned()]
            )
        );
        assert_eq!(
            complete("restart func", &names).0,
            "restart func-orders-prod-krc"
        );
        assert_eq!(complete("failover k", &names).0, "failover krc");
        assert!(
            candidates("tm-disable func", &names).is_empty(),
            "an app is no endpoint"
        );
        for kind in ActionKind::ALL {
            assert!(
                !names.targets(kind).is_empty(),
                "the demo estate has a target for {}",
                kind.name()
            );
        }
    }

    #[test]
    fn tab_completes_commands_then_names() {
        assert_eq!(complete("pre", &names()).0, "presenter");
        assert_eq!(complete("th", &names()).0, "theme ");
        assert_eq!(complete("theme co", &names()).0, "theme colorblind");
        let (line, found) = complete("app func-orders", &names());
        assert_eq!(line, "app func-orders-prod-");
        assert_eq!(found.len(), 2);
        assert_eq!(
            complete("app zzz", &names()),
            ("app zzz".to_owned(), Vec::new())
        );
    }
}
