//! One test per rule: an edit of the demo estate that breaks the rule, and the error it must give
//! (key, line:column of the offending value, and a fragment of the reason).

use crate::config::error::line_col;
use crate::config::{ConfigError, DEMO_ESTATE, Estate};

/// The demo estate with each `(from, to)` applied; every `from` must occur exactly once.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = DEMO_ESTATE.to_owned();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit anchor `{from}` must be unique"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The demo estate with `extra` appended.
fn append(extra: &str) -> String {
    format!("{DEMO_ESTATE}\n{extra}")
}

fn errors(text: &str) -> Vec<ConfigError> {
    match Estate::parse(text, "estate.toml") {
        Ok(_) => panic!("the edited estate was accepted"),
        Err(e) => e.0,
    }
}

/// Asserts exactly one error at `key`, whose reason holds `fragment` and whose position is where
/// `needle` starts inside the unique occurrence of `context`.
fn expect(text: &str, key: &str, (context, needle): (&str, &str), fragment: &str) -> ConfigError {
    let errs = errors(text);
    let at: Vec<&ConfigError> = errs.iter().filter(|e| e.key == key).collect();
    assert_eq!(at.len(), 1, "one error at `{key}`, got {errs:#?}");
    let e = at[0].clone();
    assert!(
        e.reason.contains(fragment),
        "reason of `{key}` is `{}`, expected it to contain `{fragment}`",
        e.reason
    );
    assert_eq!(
        text.matches(context).count(),
        1,
        "context `{context}` must be unique"
    );
    let start = text.find(context).expect("counted above")
        + context.find(needle).expect("needle inside its context");
    assert_eq!(
        e.position,
        Some(line_col(text, start)),
        "position of `{key}`"
    );
    assert_eq!(e.file, "estate.toml");
    e
}

/// Shorthand when the needle is unique in the whole text.
fn at(needle: &str) -> (&str, &str) {
    (needle, needle)
}

const KRC_REGION: &str = "name = \"krc\"\nrole = \"primary\"";
const JPE_REGION: &str = "name = \"jpe\"\nrole = \"secondary\"";

#[test]
fn the_demo_estate_has_no_errors() {
    assert!(Estate::parse(DEMO_ESTATE, "demo").is_ok());
}

#[test]
fn no_primary_region() {
    let t = edit(&[(KRC_REGION, "name = \"krc\"\nrole = \"secondary\"")]);
    expect(
        &t,
        "region",
        (
            KRC_REGION.replace("primary", "secondary").as_str(),
            "\"secondary\"",
        ),
        "exactly one region must be primary",
    );
}

#[test]
fn two_primary_regions() {
    let t = edit(&[(JPE_REGION, "name = \"jpe\"\nrole = \"primary\"")]);
    let e = expect(
        &t,
        "region[1].role",
        ("name = \"jpe\"\nrole = \"primary\"", "\"primary\""),
        "second primary",
    );
    assert!(
        e.reason.contains("`krc` is already primary"),
        "{}",
        e.reason
    );
}

#[test]
fn no_secondary_region() {
    let t = edit(&[(JPE_REGION, "name = \"jpe\"\nrole = \"primary\"")]);
    let errs = errors(&t);
    assert!(
        errs.iter()
            .any(|e| e.key == "region" && e.reason.contains("at least one secondary")),
        "{errs:#?}"
    );
}

#[test]
fn no_regions_at_all() {
    let t = "[estate]\nname = \"x\"\nrto-minutes = 1\nrpo-minutes = 1\nowner = \"o\"\n";
    let errs = errors(t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].key, "region");
    assert!(errs[0].reason.contains("no `[[region]]` is defined"));
}

#[test]
fn duplicate_region_name() {
    let t = edit(&[(JPE_REGION, "name = \"krc\"\nrole = \"secondary\"")]);
    expect(
        &t,
        "region[1].name",
        ("name = \"krc\"\nrole = \"secondary\"", "\"krc\""),
        "`region[0]` already has it",
    );
}

#[test]
fn duplicate_app_name() {
    let t = edit(&[(
        "name = \"func-orders-prod-jpe\"\nservice",
        "name = \"func-orders-prod-krc\"\nservice",
    )]);
    let e = expect(
        &t,
        "app[1].name",
        (
            "region = \"krc\"\nplan = \"premium\"\nslots = [\"staging\"]\nhealth-path = \"/api/health\"\ntriggers = [\"http\"]\nfunctions = [\"CreateOrder\", \"GetOrder\", \"Health\"]\n\n[[app]]\nname = \"func-orders-prod-krc\"",
            "\"func-orders-prod-krc\"",
        ),
        "duplicate app name `func-orders-prod-krc`",
    );
    assert!(e.reason.contains("`app[0]`"), "{}", e.reason);
}

#[test]
fn duplicate_subscription_storage_endpoint_origin_and_alias_names() {
    let t = edit(&[
        (
            "name = \"secondary-endpoint\"",
            "name = \"primary-endpoint\"",
        ),
        ("name = \"origin-secondary\"", "name = \"origin-primary\""),
        ("name = \"stordersprodjpe\"", "name = \"stordersprodkrc\""),
        (
            "name = \"evh-functions-prod\"",
            "name = \"sb-functions-prod\"",
        ),
        (
            "[[region]]\nname = \"krc\"",
            "[[subscription]]\nname = \"prod\"\nid = \"00000000-0000-0000-0000-000000000002\"\n\n[[region]]\nname = \"krc\"",
        ),
    ]);
    expect(
        &t,
        "subscription[1].name",
        ("name = \"prod\"\nid = \"00000000", "\"prod\""),
        "duplicate subscription name `prod`",
    );
    expect(
        &t,
        "traffic-manager.endpoint[1].name",
        (
            "name = \"primary-endpoint\"\ntype = \"AzureEndpoints\"\napp = \"func-orders-prod-jpe\"",
            "\"primary-endpoint\"",
        ),
        "duplicate Traffic Manager endpoint name",
    );
    expect(
        &t,
        "front-door.origin[1].name",
        (
            "name = \"origin-primary\"\napp = \"func-catalog-prod-jpe\"",
            "\"origin-primary\"",
        ),
        "duplicate Front Door origin name",
    );
    expect(
        &t,
        "storage-account[2].name",
        (
            "name = \"stordersprodkrc\"\nregion = \"jpe\"",
            "\"stordersprodkrc\"",
        ),
        "duplicate storage account name",
    );
    expect(
        &t,
        "geo-dr-alias[1].name",
        (
            "name = \"sb-functions-prod\"\nkind = \"event-hubs\"",
            "\"sb-functions-prod\"",
        ),
        "duplicate geo-DR alias name",
    );
}

#[test]
fn app_region_must_exist_and_a_near_miss_is_suggested() {
    let t = edit(&[(
        "service = \"reconcile\"\nregion = \"jpe\"",
        "service = \"reconcile\"\nregion = \"jpn\"",
    )]);
    let e = expect(
        &t,
        "app[11].region",
        at("\"jpn\""),
        "no region is named `jpn`",
    );
    assert!(e.reason.contains("did you mean `jpe`?"), "{}", e.reason);
    assert!(
        e.reason.contains("known regions: `krc`, `jpe`"),
        "{}",
        e.reason
    );
}

#[test]
fn a_far_miss_gets_no_suggestion() {
    let t = edit(&[(
        "service = \"reconcile\"\nregion = \"jpe\"",
        "service = \"reconcile\"\nregion = \"westeurope\"",
    )]);
    let e = expect(
        &t,
        "app[11].region",
        at("\"westeurope\""),
        "no region is named `westeurope`",
    );
    assert!(!e.reason.contains("did you mean"), "{}", e.reason);
}

#[test]
fn region_references_of_tm_fd_storage_queue_and_alias_must_exist() {
    let t = edit(&[
        (
            "profile = \"tm-functions-prod\"\nregion = \"krc\"",
            "profile = \"tm-functions-prod\"\nregion = \"r-tm\"",
        ),
        (
            "profile = \"afd-functions-prod\"\nregion = \"krc\"",
            "profile = \"afd-functions-prod\"\nregion = \"r-fd\"",
        ),
        (
            "name = \"stordersprodjpe\"\nregion = \"jpe\"",
            "name = \"stordersprodjpe\"\nregion = \"r-st\"",
        ),
        (
            "account = \"sb-functions-prod-krc\"\nregion = \"krc\"",
            "account = \"sb-functions-prod-krc\"\nregion = \"r-q\"",
        ),
        (
            "primary-region = \"krc\"\nsecondary-namespace = \"evhns",
            "primary-region = \"r-p\"\nsecondary-namespace = \"evhns",
        ),
        (
            "secondary-namespace = \"sb-functions-prod-jpe\"\nsecondary-region = \"jpe\"",
            "secondary-namespace = \"sb-functions-prod-jpe\"\nsecondary-region = \"r-s\"",
        ),
    ]);
    expect(
        &t,
        "traffic-manager.region",
        at("\"r-tm\""),
        "no region is named `r-tm`",
    );
    expect(
        &t,
        "front-door.region",
        at("\"r-fd\""),
        "no region is named `r-fd`",
    );
    expect(
        &t,
        "storage-account[2].region",
        at("\"r-st\""),
        "no region is named `r-st`",
    );
    expect(
        &t,
        "queue[2].region",
        at("\"r-q\""),
        "no region is named `r-q`",
    );
    expect(
        &t,
        "geo-dr-alias[1].primary-region",
        at("\"r-p\""),
        "no region is named `r-p`",
    );
    expect(
        &t,
        "geo-dr-alias[0].secondary-region",
        at("\"r-s\""),
        "no region is named `r-s`",
    );
}

#[test]
fn subscription_reference_must_exist() {
    let t = edit(&[(
        "subscription = \"prod\"\nresource-group = \"rg-functions-prod-jpe\"",
        "subscription = \"staging\"\nresource-group = \"rg-functions-prod-jpe\"",
    )]);
    expect(
        &t,
        "region[1].subscription",
        ("\"staging\"\nresource-group", "\"staging\""),
        "no subscription is named `staging`; known subscriptions: `prod`",
    );
}

#[test]
fn tm_endpoint_fd_origin_and_queue_apps_must_exist() {
    let t = edit(&[
        (
            "app = \"func-orders-prod-jpe\"",
            "app = \"func-orders-prod-weu\"",
        ),
        (
            "app = \"func-catalog-prod-jpe\"",
            "app = \"func-catalog-prod-weu\"",
        ),
        (
            "app = \"func-telemetry-prod-krc\"",
            "app = \"func-telemetry-prod-weu\"",
        ),
    ]);
    expect(
        &t,
        "traffic-manager.endpoint[1].app",
        at("\"func-orders-prod-weu\""),
        "no app is named `func-orders-prod-weu`; known apps: `func-orders-prod-krc`",
    );
    expect(
        &t,
        "front-door.origin[1].app",
        at("\"func-catalog-prod-weu\""),
        "no app is named `func-catalog-prod-weu`",
    );
    expect(
        &t,
        "queue[3].app",
        at("\"func-telemetry-prod-weu\""),
        "no app is named `func-telemetry-prod-weu`",
    );
}

#[test]
fn task_hub_storage_must_exist() {
    let t = edit(&[(
        "region = \"jpe\"\nplan = \"premium\"\ntriggers = [\"durable\", \"http\"]\nfunctions = [\"StartWorkflow\", \"OrderOrchestrator\", \"ReserveStock\", \"Health\"]\ntask-hub-storage = \"stworkflowprod\"",
        "region = \"jpe\"\nplan = \"premium\"\ntriggers = [\"durable\", \"http\"]\nfunctions = [\"StartWorkflow\", \"OrderOrchestrator\", \"ReserveStock\", \"Health\"]\ntask-hub-storage = \"stworkflowjpe\"",
    )]);
    expect(
        &t,
        "app[9].task-hub-storage",
        at("\"stworkflowjpe\""),
        "no storage account is named `stworkflowjpe`",
    );
}

#[test]
fn task_hub_storage_must_hold_a_task_hub() {
    let t = edit(&[("task-hub = \"WorkflowHub\"\n", "")]);
    let errs = errors(&t);
    let hub: Vec<&ConfigError> = errs
        .iter()
        .filter(|e| e.key.ends_with("task-hub-storage"))
        .collect();
    assert_eq!(
        hub.len(),
        2,
        "both workflow apps name the account: {errs:#?}"
    );
    assert_eq!(hub[0].key, "app[8].task-hub-storage");
    assert!(
        hub[0]
            .reason
            .contains("storage account `stworkflowprod` has no `task-hub`"),
        "{}",
        hub[0].reason
    );
    assert!(
        hub[0]
            .reason
            .contains("accounts with a task hub: none are defined"),
        "{}",
        hub[0].reason
    );
}

#[test]
fn artifact_store_account_must_exist() {
    let t = edit(&[(
        "account = \"stfuncartifactsprod\"",
        "account = \"stfuncartifacts\"",
    )]);
    expect(
        &t,
        "artifact-store.account",
        at("\"stfuncartifacts\""),
        "no storage account is named `stfuncartifacts`",
    );
}

#[test]
fn storage_queue_account_must_exist() {
    let t = edit(&[("account = \"stordersprodjpe\"", "account = \"stordersjpe\"")]);
    expect(
        &t,
        "queue[1].account",
        at("\"stordersjpe\""),
        "no storage account is named `stordersjpe`",
    );
}

#[test]
fn event_hubs_queue_needs_a_consumer_group() {
    let t = edit(&[("consumer-group = \"functions\"\n", "")]);
    expect(
        &t,
        "queue[3].consumer-group",
        at("\"event-hubs\"\naccount = \"evhns"),
        "needs `consumer-group`",
    );
}

#[test]
fn other_queues_have_no_consumer_group() {
    let t = edit(&[(
        "account = \"sb-functions-prod-krc\"",
        "consumer-group = \"g1\"\naccount = \"sb-functions-prod-krc\"",
    )]);
    expect(
        &t,
        "queue[2].consumer-group",
        at("\"g1\""),
        "only `event-hubs` queues have a consumer group, this one is `service-bus`",
    );
}

#[test]
fn geo_dr_alias_kind_is_not_storage() {
    let t = edit(&[(
        "kind = \"service-bus\"\nprimary-namespace",
        "kind = \"storage\"\nprimary-namespace",
    )]);
    expect(
        &t,
        "geo-dr-alias[0].kind",
        ("kind = \"storage\"\nprimary-namespace", "\"storage\""),
        "pairs `service-bus` or `event-hubs` namespaces",
    );
}

#[test]
fn geo_dr_alias_regions_and_namespaces_differ() {
    let t = edit(&[(
        "secondary-namespace = \"sb-functions-prod-jpe\"\nsecondary-region = \"jpe\"",
        "secondary-namespace = \"sb-functions-prod-krc\"\nsecondary-region = \"krc\"",
    )]);
    expect(
        &t,
        "geo-dr-alias[0].secondary-region",
        (
            "secondary-namespace = \"sb-functions-prod-krc\"\nsecondary-region = \"krc\"",
            "\"krc\"",
        ),
        "in the primary's region `krc`",
    );
    expect(
        &t,
        "geo-dr-alias[0].secondary-namespace",
        ("secondary-namespace = \"sb-functions-prod-krc\"", "\"sb"),
        "is the primary `sb-functions-prod-krc` itself",
    );
}

#[test]
fn slots_only_on_premium_and_dedicated() {
    let t = edit(&[(
        "service = \"fulfilment\"\nregion = \"krc\"\nplan = \"consumption\"",
        "service = \"fulfilment\"\nregion = \"krc\"\nplan = \"consumption\"\nslots = [\"blue\"]",
    )]);
    expect(
        &t,
        "app[4].slots",
        at("\"blue\""),
        "plan `consumption` has no deployment slots",
    );
}

#[test]
fn dedicated_plans_may_have_slots() {
    let t = edit(&[(
        "service = \"fulfilment\"\nregion = \"krc\"\nplan = \"consumption\"",
        "service = \"fulfilment\"\nregion = \"krc\"\nplan = \"dedicated\"\nslots = [\"blue\"]",
    )]);
    let e = Estate::parse(&t, "estate.toml").expect("dedicated plans have slots");
    assert_eq!(
        e.app("func-fulfil-prod-krc").map(|a| a.slots.clone()),
        Some(vec!["blue".to_owned()])
    );
}

#[test]
fn a_slot_is_not_named_production_nor_listed_twice() {
    let t = edit(&[(
        "name = \"func-catalog-prod-jpe\"\nservice = \"catalog-api\"\nregion = \"jpe\"\nplan = \"premium\"\nslots = [\"staging\"]",
        "name = \"func-catalog-prod-jpe\"\nservice = \"catalog-api\"\nregion = \"jpe\"\nplan = \"premium\"\nslots = [\"staging\", \"Production\", \"staging\"]",
    )]);
    expect(
        &t,
        "app[3].slots[1]",
        at("\"Production\""),
        "`production` is the app itself, not a slot",
    );
    expect(
        &t,
        "app[3].slots[2]",
        ("\"Production\", \"staging\"", "\"staging\""),
        "slot `staging` is listed twice",
    );
}

#[test]
fn timer_functions_need_a_timer_trigger() {
    let t = edit(&[(
        "region = \"jpe\"\nplan = \"consumption\"\ntriggers = [\"timer\"]",
        "region = \"jpe\"\nplan = \"consumption\"\ntriggers = [\"http\"]",
    )]);
    let needle = "triggers = [\"http\"]\ntimer-functions = [\"NightlyReconcile\"";
    expect(
        &t,
        "app[11].timer-functions",
        (needle, "\"Nightly"),
        "its `triggers` do not include `timer`",
    );
}

#[test]
fn health_path_starts_with_a_slash() {
    let t = edit(&[(
        "health-path = \"/api/health\"",
        "health-path = \"api/health\"",
    )]);
    expect(
        &t,
        "app[0].health-path",
        at("\"api/health\""),
        "must start with `/`",
    );
}

#[test]
fn health_path_defaults_to_the_runbooks() {
    let e = Estate::demo();
    let app = e.app("func-orders-prod-jpe").expect("demo app");
    assert_eq!(app.health_path, crate::config::file::DEFAULT_HEALTH_PATH);
}

#[test]
fn subscription_id_is_a_guid() {
    let t = edit(&[(
        "id = \"8f3c2a71-5d04-4e6b-9a1f-0c7e2b9d4a10\"",
        "id = \"8f3c2a71-5d04-4e6b-9a1f-0c7e2b9d4a1g\"",
    )]);
    expect(
        &t,
        "subscription[0].id",
        at("\"8f3c"),
        "is not a subscription id; an id is a GUID",
    );
}

#[test]
fn log_analytics_workspace_is_a_guid() {
    let t = edit(&[(
        "log-analytics-workspace = \"5b7d0c1e-3f2a-4c6d-8e9f-a1b2c3d4e5f6\"",
        "log-analytics-workspace = \"law-orders-prod\"",
    )]);
    expect(
        &t,
        "monitoring.log-analytics-workspace",
        at("\"law-orders-prod\""),
        "is not a Log Analytics workspace id; the id is a GUID",
    );
}

#[test]
fn logs_endpoint_is_a_url() {
    let t = edit(&[(
        "[endpoints]\ncloud = \"public\"",
        "[endpoints]\ncloud = \"public\"\nlogs = \"api.loganalytics.io\"",
    )]);
    expect(
        &t,
        "endpoints.logs",
        at("\"api.loganalytics.io\""),
        "is not an http(s) URL",
    );
}

#[test]
fn rto_and_rpo_are_positive() {
    let t = edit(&[
        ("rto-minutes = 30", "rto-minutes = 0"),
        ("rpo-minutes = 5", "rpo-minutes = 0"),
    ]);
    expect(
        &t,
        "estate.rto-minutes",
        ("rto-minutes = 0", "0"),
        "must be more than 0 minutes",
    );
    expect(
        &t,
        "estate.rpo-minutes",
        ("rpo-minutes = 0", "0"),
        "must be more than 0 minutes",
    );
}

#[test]
fn the_simulator_cloud_needs_arm() {
    let t = edit(&[("cloud = \"public\"", "cloud = \"simulator\"")]);
    expect(
        &t,
        "endpoints.arm",
        at("\"simulator\""),
        "needs `arm` set to the simulator's base URL",
    );
}

#[test]
fn the_simulator_cloud_with_arm_resolves_to_it() {
    let t = edit(&[(
        "cloud = \"public\"",
        "cloud = \"simulator\"\narm = \"http://127.0.0.1:8080/\"",
    )]);
    let e = Estate::parse(&t, "estate.toml").expect("simulator with arm is valid");
    assert_eq!(e.endpoints.cloud, crate::config::Cloud::Simulator);
    assert_eq!(e.endpoints.arm, "http://127.0.0.1:8080");
}

#[test]
fn endpoint_overrides_are_urls() {
    let t = edit(&[(
        "cloud = \"public\"",
        "cloud = \"public\"\nauthority = \"login.example\"",
    )]);
    expect(
        &t,
        "endpoints.authority",
        at("\"login.example\""),
        "is not an http(s) URL",
    );
}

#[test]
fn tm_priorities_are_unique_and_in_range() {
    let t = edit(&[("priority = 2", "priority = 1")]);
    expect(
        &t,
        "traffic-manager.endpoint[1].priority",
        ("app = \"func-orders-prod-jpe\"\npriority = 1", "1"),
        "already used by endpoint `primary-endpoint`",
    );
    let t = edit(&[("priority = 2", "priority = 1001")]);
    expect(
        &t,
        "traffic-manager.endpoint[1].priority",
        at("1001"),
        "Traffic Manager takes 1 to 1000",
    );
}

#[test]
fn fd_priority_and_weight_are_in_range() {
    let t = edit(&[(
        "app = \"func-catalog-prod-jpe\"\npriority = 1\nweight = 1000",
        "app = \"func-catalog-prod-jpe\"\npriority = 6\nweight = 0",
    )]);
    expect(
        &t,
        "front-door.origin[1].priority",
        ("priority = 6", "6"),
        "Front Door takes 1 to 5",
    );
    expect(
        &t,
        "front-door.origin[1].weight",
        ("weight = 0", "0"),
        "Front Door takes 1 to 1000",
    );
}

#[test]
fn storage_account_names_follow_azure() {
    let t = edit(&[("name = \"stordersprodjpe\"", "name = \"st-orders-jpe\"")]);
    expect(
        &t,
        "storage-account[2].name",
        at("\"st-orders-jpe\""),
        "3 to 24 lowercase letters and digits",
    );
}

#[test]
fn every_error_is_reported_in_file_order() {
    let t = edit(&[
        ("rto-minutes = 30", "rto-minutes = 0"),
        (
            "service = \"reconcile\"\nregion = \"jpe\"",
            "service = \"reconcile\"\nregion = \"jpn\"",
        ),
        (
            "app = \"func-orders-prod-jpe\"",
            "app = \"func-orders-prod-weu\"",
        ),
        ("consumer-group = \"functions\"\n", ""),
    ]);
    let errs = errors(&t);
    let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "estate.rto-minutes",
            "app[11].region",
            "traffic-manager.endpoint[1].app",
            "queue[3].consumer-group"
        ]
    );
    let lines: Vec<usize> = errs
        .iter()
        .filter_map(|e| e.position.map(|p| p.0))
        .collect();
    assert!(lines.is_sorted(), "{lines:?}");
}

#[test]
fn an_error_displays_as_file_line_column_key_reason() {
    let t = edit(&[(
        "health-path = \"/api/health\"",
        "health-path = \"api/health\"",
    )]);
    let e = expect(
        &t,
        "app[0].health-path",
        at("\"api/health\""),
        "must start with `/`",
    );
    let (line, col) = e.position.expect("positioned");
    assert_eq!(
        e.to_string(),
        format!(
            "estate.toml:{line}:{col}: key `app[0].health-path`: {}",
            e.reason
        )
    );
}

mod toml_errors {
    //! Errors from the parser and from serde: the key and position come from the document.
    use super::*;

    #[test]
    fn syntax_error_names_the_key_and_says_the_value_is_missing() {
        let t = edit(&[("rto-minutes = 30", "rto-minutes = ")]);
        let e = expect(
            &t,
            "estate.rto-minutes",
            ("rto-minutes = \n", "\n"),
            "TOML syntax error",
        );
        assert!(
            e.reason.contains("a value is missing after `=`"),
            "{}",
            e.reason
        );
    }

    #[test]
    fn a_broken_header_is_found_by_its_line() {
        let t = edit(&[(
            "[[app]]\nname = \"func-catalog-prod-krc\"",
            "[[app]\nname = \"func-catalog-prod-krc\"",
        )]);
        let errs = errors(&t);
        assert_eq!(errs[0].key, "app[2]", "{errs:#?}");
        assert!(
            errs[0].reason.contains("unclosed array table"),
            "{}",
            errs[0].reason
        );
        assert_eq!(
            errs[0].position.map(|p| p.0),
            Some(line_col(&t, t.find("[[app]\n").expect("edited")).0)
        );
    }

    #[test]
    fn several_syntax_errors_are_reported_together() {
        let t = edit(&[
            ("rto-minutes = 30", "rto-minutes = "),
            ("priority = 2", "priority = = 2"),
        ]);
        let errs = errors(&t);
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["estate.rto-minutes", "traffic-manager.endpoint[1].priority"]
        );
    }

    #[test]
    fn unknown_key_lists_the_allowed_keys() {
        let t = edit(&[(
            "timer-functions = [\"NightlyReconcile\", \"PurgeExpiredReservations\"]\nfunctions = [\"Health\"]\n\n[traffic",
            "timer-functions = [\"NightlyReconcile\", \"PurgeExpiredReservations\"]\nfunctons = [\"Health\"]\n\n[traffic",
        )]);
        let e = expect(
            &t,
            "app[11].functons",
            at("functons"),
            "unknown key `functons`",
        );
        assert!(
            e.reason
                .contains("the keys allowed here are `name`, `service`"),
            "{}",
            e.reason
        );
    }

    #[test]
    fn unknown_table_is_named() {
        let t = append("[incident]\nseverity = 1\n");
        expect(
            &t,
            "incident",
            ("[incident]", "incident"),
            "unknown key `incident`",
        );
    }

    #[test]
    fn wrong_type_names_what_was_found_and_expected() {
        let t = edit(&[("rpo-minutes = 5", "rpo-minutes = \"5\"")]);
        expect(
            &t,
            "estate.rpo-minutes",
            at("\"5\""),
            "wrong type: found string \"5\", expected a whole number",
        );
    }

    #[test]
    fn wrong_value_inside_an_array_names_the_element() {
        let t = edit(&[(
            "triggers = [\"event-hubs\"]\nfunctions = [\"IngestTelemetry\", \"Health\"]\n\n[[app]]\nname = \"func-telemetry-prod-jpe\"",
            "triggers = [\"eventhubs\"]\nfunctions = [\"IngestTelemetry\", \"Health\"]\n\n[[app]]\nname = \"func-telemetry-prod-jpe\"",
        )]);
        let e = expect(
            &t,
            "app[6].triggers[0]",
            at("\"eventhubs\""),
            "unknown value `eventhubs`",
        );
        assert!(e.reason.contains("`event-hubs`"), "{}", e.reason);
    }

    #[test]
    fn missing_key_names_its_table() {
        let t = edit(&[(
            "service = \"reconcile\"\nregion = \"jpe\"",
            "region = \"jpe\"",
        )]);
        let errs = errors(&t);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!(errs[0].key, "app[11]");
        assert_eq!(errs[0].reason, "required key `service` is missing");
        assert!(errs[0].position.is_some());
    }

    #[test]
    fn duplicate_key_is_a_syntax_error_at_the_second() {
        let t = edit(&[("rto-minutes = 30", "rto-minutes = 30\nrto-minutes = 31")]);
        expect(
            &t,
            "estate.rto-minutes",
            at("rto-minutes = 31"),
            "already defined earlier",
        );
    }
}
