//! Data-driven scenarios for the decision engine: every `tests/data/decide/*.toml` describes a
//! snapshot of the demo estate (as changes to a calm one), a context and `now`, and what the
//! engine must answer — node answers with their evidence, the recommendation, the gates, the
//! safety verdicts. Every file is evaluated; every failed expectation is reported with its file.

mod decide_support;

use std::path::{Path, PathBuf};

use decide_support::{Scenario, build, time, word};
use warroom::decide::{
    ActionKind, Answer, Decision, GateId, GateStatus, NodeId, SafetyRule, Strategy, evaluate,
};

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/decide");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    out
}

fn all_text(d: &Decision) -> String {
    serde_json::to_string(d).expect("a decision serialises")
}

/// Checks one scenario; returns the expectations that failed.
fn check(sc: &Scenario, d: &Decision) -> Vec<String> {
    let e = &sc.expect;
    let mut bad = Vec::new();
    let mut want = |ok: bool, what: String| {
        if !ok {
            bad.push(what);
        }
    };
    for (node, answer) in &e.nodes {
        let n: NodeId = word(node);
        let a: Answer = word(answer);
        let got = d.answer(n);
        want(
            got.answer == a,
            format!(
                "node {node}: want {a:?}, got {:?} ({:?})",
                got.answer, got.evidence
            ),
        );
    }
    for (node, subs) in &e.evidence {
        let got = d.answer(word(node));
        let texts: Vec<&str> = got.evidence.iter().map(|e| e.text.as_str()).collect();
        for s in subs {
            want(
                texts.iter().any(|t| t.contains(s.as_str())),
                format!("node {node}: no evidence containing {s:?} in {texts:#?}"),
            );
        }
    }
    for node in &e.overridden_nodes {
        want(
            d.answer(word(node)).overridden.is_some(),
            format!("node {node}: not marked overridden"),
        );
    }
    if let Some(path) = &e.path {
        let p: Vec<NodeId> = path.iter().map(|n| word(n)).collect();
        want(d.path == p, format!("path: want {p:?}, got {:?}", d.path));
    }
    match (&e.recommendation, &d.recommendation) {
        (Some(r), Some(got)) => {
            let s: Strategy = word(&r.strategy);
            let k = ActionKind::parse(&r.kind).unwrap_or_else(|| panic!("kind {}", r.kind));
            want(
                got.strategy == s && got.action.kind == k && got.action.target == r.target,
                format!(
                    "recommendation: want {s:?} {} {}, got {:?} {} {}",
                    r.kind,
                    r.target,
                    got.strategy,
                    got.action.kind.name(),
                    got.action.target
                ),
            );
        }
        (Some(r), None) => want(
            false,
            format!("recommendation: want {r:?}, got none ({})", d.summary),
        ),
        (None, got) if e.no_recommendation => {
            want(
                got.is_none(),
                format!("recommendation: want none, got {got:?}"),
            );
        }
        (None, _) => {}
    }
    let reasons: Vec<&str> = d
        .recommendation
        .iter()
        .flat_map(|r| r.reasons.iter().map(String::as_str))
        .collect();
    for s in &e.reasons {
        want(
            reasons.iter().any(|r| r.contains(s.as_str())),
            format!("no reason containing {s:?} in {reasons:#?}"),
        );
    }
    if let Some(s) = &e.first_reason {
        want(
            reasons.first().is_some_and(|r| r.contains(s.as_str())),
            format!("first reason does not contain {s:?}: {reasons:#?}"),
        );
    }
    for (gate, status) in &e.gates {
        let g: GateId = word(gate);
        let st: GateStatus = word(status);
        let got = d.gates.iter().find(|x| x.gate == g);
        want(
            got.is_some_and(|x| x.status == st),
            format!("gate {gate}: want {st:?}, got {got:#?}"),
        );
    }
    for gate in &e.gate_overridden {
        let g: GateId = word(gate);
        let got = d.gates.iter().find(|x| x.gate == g);
        want(
            got.is_some_and(|x| x.overridden.is_some() && x.allows()),
            format!("gate {gate}: want overridden, got {got:#?}"),
        );
    }
    let details: Vec<&str> = d
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(|c| c.detail.as_str()))
        .collect();
    for s in &e.gate_details {
        want(
            details.iter().any(|x| x.contains(s.as_str())),
            format!("no gate check detail containing {s:?} in {details:#?}"),
        );
    }
    let rule = |r: &str| -> Option<&warroom::decide::SafetyCheck> {
        let r: SafetyRule = word(r);
        d.safety.iter().find(|c| c.rule == r)
    };
    for r in &e.safety_refused {
        let c = rule(r);
        want(
            c.is_some_and(|c| !c.allows()),
            format!("safety {r}: want refused, got {c:#?}"),
        );
    }
    for r in &e.safety_allowed {
        let c = rule(r);
        want(
            c.is_some_and(|c| c.allowed),
            format!("safety {r}: want allowed, got {c:#?}"),
        );
    }
    for r in &e.safety_overridden {
        let c = rule(r);
        want(
            c.is_some_and(|c| !c.allowed && c.overridden.is_some() && c.allows()),
            format!("safety {r}: want refused and overridden, got {c:#?}"),
        );
    }
    let safety: Vec<&str> = d.safety.iter().map(|c| c.reason.as_str()).collect();
    for s in &e.safety_reasons {
        want(
            safety.iter().any(|x| x.contains(s.as_str())),
            format!("no safety reason containing {s:?} in {safety:#?}"),
        );
    }
    if let Some(o) = &e.onset {
        want(
            d.onset == Some(time(o)),
            format!("onset: want {o}, got {:?}", d.onset),
        );
    }
    if let Some(a) = &e.affected_apps {
        want(
            &d.affected_apps == a,
            format!("affected apps: want {a:?}, got {:?}", d.affected_apps),
        );
    }
    if let Some(r) = &e.affected_regions {
        want(
            &d.affected_regions == r,
            format!("affected regions: want {r:?}, got {:?}", d.affected_regions),
        );
    }
    for s in &e.summary {
        want(
            d.summary.contains(s.as_str()),
            format!("summary {:?} lacks {s:?}", d.summary),
        );
    }
    let text = all_text(d);
    for s in &e.not_anywhere {
        want(
            !text.contains(s.as_str()),
            format!("{s:?} appears in the decision"),
        );
    }
    if let Some(c) = e.cleared {
        want(
            d.cleared() == c,
            format!("cleared: want {c}, got {}", d.cleared()),
        );
    }
    bad
}

#[test]
fn every_scenario_decides_as_expected() {
    let files = files();
    assert!(files.len() >= 17, "only {} scenarios", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let sc: Scenario = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            sc.expect.recommendation.is_some() || sc.expect.no_recommendation,
            "{}: every scenario says what it recommends (or `no_recommendation = true`)",
            f.display()
        );
        assert!(
            !sc.expect.nodes.is_empty(),
            "{}: no node expectations",
            f.display()
        );
        let (snap, estate, cx, now) = build(&sc);
        let d = evaluate(&snap, &estate, &cx, now);
        // Every node has an answer, and walked nodes come in flowchart order without repeats.
        assert_eq!(d.answers.len(), warroom::decide::NODES.len());
        for (i, n) in d.path.iter().enumerate() {
            assert!(
                !d.path[..i].contains(n),
                "{}: {n:?} twice on the path",
                f.display()
            );
        }
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // `DECIDE_DUMP=a_slot` prints the decisions of the matching files, for writing scenarios.
        if std::env::var("DECIDE_DUMP").is_ok_and(|v| name.contains(&v)) {
            println!(
                "{name}:\n{}",
                serde_json::to_string_pretty(&d).expect("serialises")
            );
        }
        for b in check(&sc, &d) {
            failures.push(format!("{name} ({}): {b}", sc.title));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed expectations:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
