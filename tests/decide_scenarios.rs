//! Data-driven scenarios for the decision engine: every `tests/data/decide/*.toml` describes a
//! snapshot of the demo estate (as changes to a calm one), a context and `now`, and what the
//! engine must answer — node answers with their evidence, the recommendation, the gates, the
//! safety verdicts, the overrides' reasons (on the decision, and under the gate or rule in the
//! plan's text, which the console's plan dialog shows). Every file is evaluated; every failed
//! expectation is reported with its file.

mod decide_support;

use std::path::{Path, PathBuf};

use decide_support::spec::Expect;
use decide_support::{Scenario, build, time, word};
use warroom::config::Estate;
use warroom::decide::{
    ActionKind, Answer, Decision, GateId, GateStatus, NodeId, SafetyCheck, SafetyRule, Strategy,
    evaluate,
};
use warroom::model::Snapshot;

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

/// Collects the expectations that failed.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn want(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
}

fn nodes(e: &Expect, dec: &Decision, f: &mut Failures) {
    for (node, answer) in &e.nodes {
        let n: NodeId = word(node);
        let a: Answer = word(answer);
        let got = dec.answer(n);
        f.want(got.answer == a, || {
            format!(
                "node {node}: want {a:?}, got {:?} ({:?})",
                got.answer, got.evidence
            )
        });
    }
    for (node, subs) in &e.evidence {
        let got = dec.answer(word(node));
        let texts: Vec<&str> = got.evidence.iter().map(|x| x.text.as_str()).collect();
        for s in subs {
            f.want(texts.iter().any(|t| t.contains(s.as_str())), || {
                format!("node {node}: no evidence containing {s:?} in {texts:#?}")
            });
        }
    }
    for node in &e.overridden_nodes {
        f.want(dec.answer(word(node)).overridden.is_some(), || {
            format!("node {node}: not marked overridden")
        });
    }
    for w in &e.evidence_of {
        let got = dec.answer(word(&w.node));
        let at = w.at.as_deref().map(time);
        let hit = got.evidence.iter().any(|x| {
            w.text.as_ref().is_none_or(|t| x.text.contains(t.as_str()))
                && at.is_none_or(|a| x.at == Some(a))
                && w.source
                    .as_ref()
                    .is_none_or(|s| x.source.contains(s.as_str()))
        });
        f.want(hit, || {
            format!(
                "node {}: no evidence matching {w:?} in {:#?}",
                w.node, got.evidence
            )
        });
    }
    if let Some(path) = &e.path {
        let p: Vec<NodeId> = path.iter().map(|n| word(n)).collect();
        f.want(dec.path == p, || {
            format!("path: want {p:?}, got {:?}", dec.path)
        });
    }
}

fn recommendation(e: &Expect, dec: &Decision, f: &mut Failures) {
    match (&e.recommendation, &dec.recommendation) {
        (Some(want), Some(got)) => {
            let strategy: Strategy = word(&want.strategy);
            let kind =
                ActionKind::parse(&want.kind).unwrap_or_else(|| panic!("kind {}", want.kind));
            let same = got.strategy == strategy
                && got.action.kind == kind
                && got.action.target == want.target
                && (want.release.is_none() || got.action.release == want.release);
            f.want(same, || {
                format!(
                    "recommendation: want {strategy:?} {} {} (release {:?}), got {:?} {}",
                    want.kind,
                    want.target,
                    want.release,
                    got.strategy,
                    got.action.words()
                )
            });
        }
        (Some(want), None) => f.want(false, || {
            format!("recommendation: want {want:?}, got none ({})", dec.summary)
        }),
        (None, got) if e.no_recommendation => {
            f.want(got.is_none(), || {
                format!("recommendation: want none, got {got:?}")
            });
        }
        (None, _) => {}
    }
    let reasons: Vec<&str> = dec
        .recommendation
        .iter()
        .flat_map(|r| r.reasons.iter().map(String::as_str))
        .collect();
    for s in &e.reasons {
        f.want(reasons.iter().any(|r| r.contains(s.as_str())), || {
            format!("no reason containing {s:?} in {reasons:#?}")
        });
    }
    if let Some(s) = &e.first_reason {
        f.want(
            reasons.first().is_some_and(|r| r.contains(s.as_str())),
            || format!("first reason does not contain {s:?}: {reasons:#?}"),
        );
    }
}

fn gates(e: &Expect, dec: &Decision, f: &mut Failures) {
    let gate = |g: &str| {
        let id: GateId = word(g);
        dec.gates.iter().find(|x| x.gate == id)
    };
    for (g, status) in &e.gates {
        let st: GateStatus = word(status);
        let got = gate(g);
        f.want(got.is_some_and(|x| x.status == st), || {
            format!("gate {g}: want {st:?}, got {got:#?}")
        });
    }
    for g in &e.gate_overridden {
        let got = gate(g);
        f.want(
            got.is_some_and(|x| x.overridden.is_some() && x.allows()),
            || format!("gate {g}: want overridden, got {got:#?}"),
        );
    }
    let details: Vec<&str> = dec
        .gates
        .iter()
        .flat_map(|g| g.checks.iter().map(|c| c.detail.as_str()))
        .collect();
    for s in &e.gate_details {
        f.want(details.iter().any(|x| x.contains(s.as_str())), || {
            format!("no gate check detail containing {s:?} in {details:#?}")
        });
    }
}

fn safety(e: &Expect, dec: &Decision, f: &mut Failures) {
    let rule = |r: &str| -> Option<&SafetyCheck> {
        let r: SafetyRule = word(r);
        dec.safety.iter().find(|c| c.rule == r)
    };
    for r in &e.safety_refused {
        let c = rule(r);
        f.want(c.is_some_and(|c| !c.allows()), || {
            format!("safety {r}: want refused, got {c:#?}")
        });
    }
    for r in &e.safety_allowed {
        let c = rule(r);
        f.want(c.is_some_and(|c| c.allowed), || {
            format!("safety {r}: want allowed, got {c:#?}")
        });
    }
    for r in &e.safety_overridden {
        let c = rule(r);
        f.want(
            c.is_some_and(|c| !c.allowed && c.overridden.is_some() && c.allows()),
            || format!("safety {r}: want refused and overridden, got {c:#?}"),
        );
    }
    let reasons: Vec<&str> = dec.safety.iter().map(|c| c.reason.as_str()).collect();
    for s in &e.safety_reasons {
        f.want(reasons.iter().any(|x| x.contains(s.as_str())), || {
            format!("no safety reason containing {s:?} in {reasons:#?}")
        });
    }
}

fn the_rest(e: &Expect, dec: &Decision, f: &mut Failures) {
    if let Some(o) = &e.onset {
        f.want(dec.onset == Some(time(o)), || {
            format!("onset: want {o}, got {:?}", dec.onset)
        });
    }
    if let Some(a) = &e.affected_apps {
        f.want(&dec.affected_apps == a, || {
            format!("affected apps: want {a:?}, got {:?}", dec.affected_apps)
        });
    }
    if let Some(r) = &e.affected_regions {
        f.want(&dec.affected_regions == r, || {
            format!(
                "affected regions: want {r:?}, got {:?}",
                dec.affected_regions
            )
        });
    }
    for s in &e.summary {
        f.want(dec.summary.contains(s.as_str()), || {
            format!("summary {:?} lacks {s:?}", dec.summary)
        });
    }
    let text = serde_json::to_string(dec).expect("a decision serialises");
    for s in &e.not_anywhere {
        f.want(!text.contains(s.as_str()), || {
            format!("{s:?} appears in the decision")
        });
    }
    if let Some(c) = e.cleared {
        f.want(dec.cleared() == c, || {
            format!("cleared: want {c}, got {}", dec.cleared())
        });
    }
}

/// The lines of the plan text's section titled `title` (`Gates:`), up to the next title.
fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .collect()
}

/// One entry of a section: its header line (indented by two, containing `head`) and the more
/// indented lines under it.
fn entry<'a>(lines: &[&'a str], head: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut inside = false;
    for l in lines {
        if !l.starts_with("   ") {
            inside = l.contains(head);
        }
        if inside {
            out.push(*l);
        }
    }
    out
}

/// The override's reason on the decision, and under its gate or rule in the plan's text.
fn shown(
    f: &mut Failures,
    text: &str,
    section_title: &str,
    head: &str,
    got: Option<&str>,
    want: &str,
) {
    f.want(got == Some(want), || {
        format!("{head}: want the override reason {want:?}, got {got:?}")
    });
    let lines = entry(&section(text, section_title), head);
    let marked = lines.first().is_some_and(|h| h.contains("(overridden)"));
    let reason = format!("override reason: {want}");
    let listed = lines.iter().any(|l| l.trim() == reason);
    f.want(marked && listed, || {
        format!("{head}: the plan does not show it overridden with {reason:?}:\n{text}")
    });
}

fn overrides_shown(e: &Expect, dec: &Decision, snap: &Snapshot, estate: &Estate, f: &mut Failures) {
    if e.gate_override_reasons.is_empty() && e.safety_override_reasons.is_empty() {
        return;
    }
    let Some(rec) = &dec.recommendation else {
        f.want(false, || {
            "override reasons: no recommendation to plan".to_owned()
        });
        return;
    };
    let text = match warroom::act::plan(
        &rec.action,
        estate,
        snap,
        dec.gates.clone(),
        dec.safety.clone(),
    ) {
        Ok(p) => p.render_text(),
        Err(err) => {
            f.want(false, || format!("no plan for {:?}: {err}", rec.action));
            return;
        }
    };
    for (g, want) in &e.gate_override_reasons {
        let id: GateId = word(g);
        let got = dec
            .gates
            .iter()
            .find(|x| x.gate == id)
            .and_then(|x| x.overridden.as_ref())
            .map(|o| o.reason.as_str());
        shown(f, &text, "Gates:", id.label(), got, want);
    }
    for (r, want) in &e.safety_override_reasons {
        let rule: SafetyRule = word(r);
        let got = dec
            .safety
            .iter()
            .find(|c| c.rule == rule)
            .and_then(|c| c.overridden.as_ref())
            .map(|o| o.reason.as_str());
        shown(f, &text, "Safety:", rule.words(), got, want);
    }
}

/// Checks one scenario; returns the expectations that failed.
fn check(sc: &Scenario, dec: &Decision, snap: &Snapshot, estate: &Estate) -> Vec<String> {
    let mut f = Failures::default();
    nodes(&sc.expect, dec, &mut f);
    recommendation(&sc.expect, dec, &mut f);
    gates(&sc.expect, dec, &mut f);
    safety(&sc.expect, dec, &mut f);
    overrides_shown(&sc.expect, dec, snap, estate, &mut f);
    the_rest(&sc.expect, dec, &mut f);
    f.0
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
        for b in check(&sc, &d, &snap, &estate) {
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
