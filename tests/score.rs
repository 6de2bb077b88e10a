//! `git distill score`, `ledger`, `playbooks` and `scratchpad` on fixtures with a known mix.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

fn json(sb: &Sandbox, repo: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout_ok(sb.distill(repo).args(args))).unwrap()
}

/// The scored run whose id starts with `id`.
fn run_of(report: &Value, id: &str) -> Value {
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["run_id"].as_str().unwrap().starts_with(id))
        .unwrap_or_else(|| panic!("no run {id}"))
        .clone()
}

/// The score report of a fresh repository after collecting `lines` (JSON runs).
fn scored_lines(sb: &Sandbox, lines: &[String]) -> Value {
    let repo = sb.repo("r", 1);
    let runs = sb.path().join("runs.jsonl");
    std::fs::write(&runs, lines.join("\n") + "\n").unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&runs),
    );
    json(sb, &repo, &["score", "--json"])
}

fn scored_repo(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r", 2);
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(repo.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    sb.git(&repo, &["add", "src/lib.rs"]);
    sb.git(&repo, &["commit", "-q", "-m", "lib"]);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("score/runs.jsonl")),
    );
    repo
}

#[test]
fn every_run_lands_in_its_expected_category_with_reasons() {
    let sb = Sandbox::new();
    let repo = scored_repo(&sb);
    let report = json(&sb, &repo, &["score", "--json"]);
    let got: BTreeMap<String, String> = report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["run_id"].as_str().unwrap().to_owned(),
                r["category"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeMap<String, String> = std::fs::read_to_string(fixture("score/expected.tsv"))
        .unwrap()
        .lines()
        .map(|l| {
            let (a, b) = l.split_once('\t').unwrap();
            (a.to_owned(), b.to_owned())
        })
        .collect();
    assert_eq!(got, expected);
    for run in report["runs"].as_array().unwrap() {
        let reasons = run["reasons"].as_array().unwrap();
        assert!(!reasons.is_empty());
        let all = reasons
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" | ");
        match run["run_id"].as_str().unwrap() {
            "r-acc-1" => assert!(all.contains("validation cargo test: 0 failed of 10 (passed)"), "{all}"),
            "r-rej-1" => assert!(all.contains("failure marker: error[E0308]: mismatched types"), "{all}"),
            "r-ovr-1" => assert!(all.contains("human override by ana: accepted"), "{all}"),
            "r-none-1" => assert!(all.contains("no-outcome-signal"), "{all}"),
            _ => {}
        }
    }
    // Anchor grounding: r-acc-1 names src/lib.rs (exists), r-acc-2 names src/ghost.rs (does not).
    let grounding: BTreeMap<&str, f64> = report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["run_id"].as_str().unwrap(), r["anchor_grounding"].as_f64().unwrap()))
        .collect();
    assert_eq!(grounding["r-acc-1"], 1.0);
    assert_eq!(grounding["r-acc-2"], 0.0);

    // Scores are notes git reads; scoring again with the same rules changes nothing.
    let note = sb.git(&repo, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    assert_eq!(note.lines().count(), 6);
    let again = json(&sb, &repo, &["score", "--json"]);
    assert_eq!(again["notes_changed"], 0);

    // Other rules: new lines with another rule_set_hash, the old ones kept.
    let rules = sb.path().join("strict.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nname = \"everything-needs-review\"\ncategory = \"needs_human_review\"\nreason = \"strict mode\"\n",
    )
    .unwrap();
    let strict = json(&sb, &repo, &["score", "--json", "--rules", rules.to_str().unwrap()]);
    assert!(
        strict["runs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["category"] == "needs_human_review")
    );
    let note = sb.git(&repo, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    assert_eq!(note.lines().count(), 12);
    let hashes: std::collections::BTreeSet<&str> = note
        .lines()
        .map(|l| l.split("\"rule_set_hash\":\"").nth(1).unwrap().get(..64).unwrap())
        .collect();
    assert_eq!(hashes.len(), 2);

    std::fs::write(
        &rules,
        "[[rule]]\nname = \"x\"\nwhen = { vibes = \">0\" }\ncategory = \"accepted\"\nreason = \"r\"\n",
    )
    .unwrap();
    let out = sb
        .distill(&repo)
        .args(["score", "--rules", rules.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `vibes`"));
}

#[test]
fn ledger_matches_a_hand_computation_and_playbooks_cite_only_accepted_runs() {
    let sb = Sandbox::new();
    let repo = scored_repo(&sb);
    stdout_ok(sb.distill(&repo).args(["score"]));
    let ledger = json(&sb, &repo, &["ledger", "--json"]);
    let rows = ledger["entries"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // model-a: 3 runs, all accepted; latencies 1000, 2000, 3000; cost 0.10 + 0.30 + 0.05.
    let a = &rows[0];
    assert_eq!(
        (a["model_name"].as_str(), a["sample_count"].as_u64()),
        (Some("model-a"), Some(3))
    );
    assert_eq!(a["success_rate"], 1.0);
    assert_eq!(
        (a["latency_p50_ms"].as_u64(), a["latency_p95_ms"].as_u64()),
        (Some(2000), Some(3000))
    );
    assert_eq!(a["cost_usd_total"], 0.45);
    assert!(a.get("escalation_role").is_none() && a.get("best_partner_model").is_none());
    // model-b: 3 runs, none accepted; latencies 500, 700; model-a succeeded on all three of its tasks.
    let b = &rows[1];
    assert_eq!(
        (b["model_name"].as_str(), b["sample_count"].as_u64()),
        (Some("model-b"), Some(3))
    );
    assert_eq!(b["success_rate"], 0.0);
    assert_eq!(
        (b["latency_p50_ms"].as_u64(), b["latency_p95_ms"].as_u64()),
        (Some(500), Some(700))
    );
    assert_eq!(b["cost_usd_total"], 0.05);
    assert_eq!(b["escalation_role"], "reviewer");
    assert_eq!(b["best_partner_model"], "model-a");
    assert_eq!(b["top_failure_modes"][0], "error[E0308]: mismatched types");
    // Stored on refs/distill/ledger, readable with plain git.
    let stored = sb.git(&repo, &["show", "refs/distill/ledger:ledger.jsonl"]);
    assert_eq!(stored.lines().count(), 2);

    let books = json(&sb, &repo, &["playbooks", "--json"]);
    let accepted = ["r-acc-1", "r-acc-2", "r-ovr-1"];
    let playbooks = books["playbooks"].as_array().unwrap();
    assert!(!playbooks.is_empty());
    for p in playbooks {
        for id in p["source_run_ids"].as_array().unwrap() {
            assert!(
                accepted.contains(&id.as_str().unwrap()),
                "playbook cites non-accepted run {id}"
            );
        }
        assert!(!p["acceptance_criteria"].as_array().unwrap().is_empty());
    }
    let e0308 = playbooks
        .iter()
        .find(|p| p["problem_pattern"] == "error[e<n>]: mismatched types")
        .unwrap();
    assert_eq!(e0308["source_run_ids"], serde_json::json!(["r-acc-2"]));
    assert_eq!(e0308["commands_failed"], serde_json::json!(["cargo build"]));
    let tree = sb.git(&repo, &["ls-tree", "--name-only", "refs/distill/playbooks"]);
    assert_eq!(
        tree.lines().count(),
        playbooks.len() * 2,
        "a .json and a .md per playbook"
    );
}

#[test]
fn scratchpads_parse_into_the_expected_summaries() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    for name in ["structured.md", "checklist.md", "plain.txt"] {
        let out = json(
            &sb,
            &repo,
            &[
                "scratchpad",
                "--json",
                fixture(&format!("scratchpad/{name}")).to_str().unwrap(),
            ],
        );
        let mut summary = out["summaries"][0].clone();
        let map = summary.as_object_mut().unwrap();
        map.remove("provenance");
        map.remove("source_sha256");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("scratchpad/{name}.expected.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(summary, expected, "{name}");
    }
    let note = sb.git(&repo, &["notes", "--ref=distill/scratchpad", "show", "HEAD"]);
    assert_eq!(note.lines().count(), 3);
    sb.distill(&repo).args(["scratchpad", "missing.md"]).assert().code(2);
}

/// A repository with each (adapter, fixture) collected at HEAD, and `score --json`.
fn collected_and_scored(sb: &Sandbox, sessions: &[(&str, &str)]) -> (PathBuf, Value) {
    let repo = sb.repo("r", 1);
    for (adapter, file) in sessions {
        stdout_ok(
            sb.distill(&repo)
                .args(["collect", "--adapter", adapter, "--at", "HEAD"])
                .arg(fixture(file)),
        );
    }
    let report = json(sb, &repo, &["score", "--json"]);
    (repo, report)
}

/// The commonest agent run — tests fail, the agent fixes the code, the same tests pass —
/// is accepted and reaches SFT; a run whose last test run fails is never accepted.
/// The fixtures exercise what real logs do: a rejected tool call, text in a passing
/// output that mentions an exit code, and a Codex unified-exec command whose status
/// only a later `write_stdin` poll states.
#[test]
fn red_then_green_is_accepted_and_green_then_red_is_not() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(
        &sb,
        &[
            ("claude-code", "sessions/claude-red-green.jsonl"),
            ("codex", "sessions/codex-green-red.jsonl"),
        ],
    );
    let runs = report["runs"].as_array().unwrap();
    let category = |model: &str| {
        let run = runs.iter().find(|r| r["model_name"] == model).unwrap();
        (run["category"].as_str().unwrap().to_owned(), run["reasons"].to_string())
    };
    let (red_green, reasons) = category("claude-sonnet-4-5");
    assert_eq!(red_green, "accepted", "{reasons}");
    assert!(
        reasons.contains("validation cargo test checkout: 0 failed of 4 (passed, failed → passed)"),
        "{reasons}"
    );
    let (green_red, reasons) = category("gpt-5-codex");
    assert_eq!(green_red, "rejected", "{reasons}");
    assert!(
        reasons.contains("validation npm test: 1 failed of 16 (failed, passed → failed)"),
        "{reasons}"
    );

    let evidence = sb.git(&repo, &["notes", "--ref=refs/notes/distill/evidence", "show", "HEAD"]);
    let commands: Vec<Value> = evidence
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .flat_map(|r| r["commands_run"].as_array().unwrap().clone())
        .collect();
    assert!(
        !commands.iter().any(|c| c["command"] == "rm -rf target"),
        "a rejected call is not a command that ran: {commands:?}"
    );

    stdout_ok(sb.distill(&repo).args(["export", "--out", "out", "--eval-ratio", "0"]));
    let sft = std::fs::read_to_string(repo.join("out/sft/train.jsonl")).unwrap();
    assert!(sft.contains("RED-GREEN-ANSWER"), "the red→green run reaches SFT");
    assert!(
        !sft.contains("GREEN-RED"),
        "a run whose last test failed never reaches SFT"
    );
}

/// Aider histories (one run per launch that holds a request; Aider's commit after its
/// edits and a `/test` summary are its evidence) and Gemini CLI recordings (a document
/// whose shell footer states the exit code; a cancelled call did not run) are read and
/// judged like any other session. The same Gemini document given to a JSONL adapter is
/// quarantined once, not line by line.
#[test]
fn aider_and_gemini_sessions_are_read_and_judged() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(
        &sb,
        &[
            ("aider", "sessions/aider.chat.history.md"),
            ("gemini", "sessions/gemini-session.json"),
        ],
    );
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "a launch without a request is no run: {runs:#?}");
    let by_model = |model: &str| runs.iter().find(|r| r["model_name"] == model).unwrap();
    let aider = by_model("gpt-4o");
    assert_eq!(aider["run_id"], "aider-20260302092041");
    assert_eq!(aider["category"], "accepted", "{}", aider["reasons"]);
    assert!(
        aider["reasons"]
            .to_string()
            .contains("validation pytest tests/test_slug.py: 0 failed of 6")
    );
    let gemini = by_model("gemini-2.5-pro");
    assert_eq!(gemini["category"], "accepted", "{}", gemini["reasons"]);
    assert!(
        gemini["reasons"].to_string().contains("(passed, failed → passed)"),
        "{}",
        gemini["reasons"]
    );

    let wrong = sb
        .distill(&repo)
        .args(["collect", "--adapter", "claude-code", "--json"])
        .arg(fixture("sessions/gemini-session.json"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&wrong.stdout).unwrap();
    let quarantined = report["quarantined"].as_array().unwrap();
    assert_eq!(quarantined.len(), 1, "{quarantined:#?}");
    assert!(quarantined[0]["reason"].as_str().unwrap().contains("one JSON document"));
}

/// Gemini CLI's `/chat share` Markdown export is read as its chat recording is: the
/// CLI's opening context is no request, the shell footer gives each command its exit
/// code, a call the user cancelled did not run, and tests failing then passing after
/// the agent's edit make the run accepted.
#[test]
fn gemini_share_exports_are_read_and_judged() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("gemini", "sessions/gemini-share.md")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(run, "failed → passed");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    let record: Value = serde_json::from_str(note.lines().next().unwrap()).unwrap();
    let commands: Vec<(&str, i64)> = record["commands_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["command"].as_str().unwrap(), c["exit_code"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        commands,
        [("npm test", 1), ("npm test", 0)],
        "the cancelled rm did not run"
    );
    assert_eq!(
        record["files_changed"],
        serde_json::json!(["/home/dev/slugs/src/slug.js"])
    );
    let request = record["transcript"][0]["content"].as_str().unwrap_or_default();
    assert!(request.starts_with("The slug test fails"), "{request}");
}

/// A session the user interrupted (Codex `turn_aborted`, reason `interrupted`) ended
/// without doing its task: readers of two real dev6 sessions (entireio/skills,
/// planetfall) judged both rejected. Work done after an interruption, in a later turn,
/// is judged as usual.
#[test]
fn a_run_the_user_interrupted_is_not_done() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let line = |time: &str, kind: &str, payload: &str| {
        format!(r#"{{"timestamp":"2026-04-21T09:{time}.000Z","type":"{kind}","payload":{payload}}}"#)
    };
    let opening = [
        line("00:00", "session_meta", r#"{"id":"int-1","cwd":"/home/dev/skills"}"#),
        line(
            "00:01",
            "response_item",
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"Set up entire collab for this repo"}]}"#,
        ),
        line(
            "00:02",
            "response_item",
            r#"{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"sed -n '1,220p' skills/collab/SKILL.md\"}","call_id":"c1"}"#,
        ),
        line(
            "00:03",
            "response_item",
            r#"{"type":"function_call_output","call_id":"c1","output":"Process exited with code 0\nOutput:\n# Collab"}"#,
        ),
        line(
            "00:04",
            "response_item",
            r#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"I read the skill; next I will configure it."}]}"#,
        ),
        line(
            "00:11",
            "event_msg",
            r#"{"type":"turn_aborted","reason":"interrupted"}"#,
        ),
    ];
    let interrupted = sb.path().join("rollout-interrupted.jsonl");
    std::fs::write(&interrupted, opening.join("\n") + "\n").unwrap();
    let resumed = sb.path().join("rollout-resumed.jsonl");
    let later = [
        line(
            "01:00",
            "response_item",
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"Go on"}]}"#,
        ),
        line(
            "01:01",
            "response_item",
            r#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Configured; nothing else to do."}]}"#,
        ),
    ];
    let text = opening.join("\n").replace("int-1", "int-2") + "\n" + &later.join("\n") + "\n";
    std::fs::write(&resumed, text).unwrap();
    for file in [&interrupted, &resumed] {
        stdout_ok(
            sb.distill(&repo)
                .args(["collect", "--adapter", "codex", "--at", "HEAD"])
                .arg(file),
        );
    }
    let report = json(&sb, &repo, &["score", "--json"]);
    let run = |id: &str| run_of(&report, id);
    let stopped = run("int-1");
    assert_eq!(stopped["category"], "rejected", "{}", stopped["reasons"]);
    let reasons = stopped["reasons"].to_string();
    assert!(reasons.contains("rule abandoned-last-request"), "{reasons}");
    assert!(
        reasons.contains("the user stopped the run's last request before it changed anything"),
        "it only read: {reasons}"
    );
    let resumed = run("int-2");
    assert!(
        !resumed["reasons"].to_string().contains("interrupted"),
        "{}",
        resumed["reasons"]
    );
}

/// dev5 (PackmindHub/context-evaluator, Claude Code): the first request was done and
/// tested; the last, in plan mode, explored (an Explore subagent, a Grep), wrote its plan
/// outside the work tree, and the user refused the plan. The last request was abandoned
/// (test45's reader judged such an end the same way).
/// dev5 (EntityProcess/agentv, Codex): a local lint failed on an untracked file; the fix
/// was pushed and CI went green, which settles the local failure.
#[test]
fn an_abandoned_last_request_is_rejected_and_green_ci_settles_local_failures() {
    let sb = Sandbox::new();
    let (_, report) = collected_and_scored(
        &sb,
        &[
            ("claude-code", "sessions/claude-plan-abandoned.jsonl"),
            ("claude-code", "sessions/claude-ci-green.jsonl"),
        ],
    );
    let plan = run_of(&report, "ab0ab0ab");
    assert_eq!(plan["category"], "rejected", "{}", plan["reasons"]);
    assert!(plan["reasons"].to_string().contains("rule abandoned-last-request"));

    let ci = run_of(&report, "c1c1c1c1");
    assert_eq!(ci["category"], "accepted", "{}", ci["reasons"]);
    let reasons = ci["reasons"].to_string();
    assert!(
        reasons.contains("validation bun run lint (passed, failed → passed in CI)"),
        "{reasons}"
    );
    assert!(
        reasons.contains("validation gh run watch 27682786059 o/agentv"),
        "{reasons}"
    );
}

/// A format check (`git diff --check`, `cargo fmt --check`) is a validation, but it says
/// the change is tidy, not that it works: alone it accepts nothing, and failing it is a
/// failure like any other. From Codex sessions (dev6), which end most turns with one.
#[test]
fn a_format_check_alone_accepts_nothing() {
    let sb = Sandbox::new();
    let run = |id: &str, validations: &str, markers: &str| {
        format!(
            r#"{{"run_id":"{id}","task_id":"t","ts":"2026-01-01T00:00:00Z","model":"m","files_changed":["src/a.rs"],"validation_results":[{validations}],"success_markers":[{markers}]}}"#
        )
    };
    let lines = [
        run("fmt-only", r#"{"name":"cargo fmt --check","passed":true}"#, ""),
        run(
            "fmt-and-commit",
            r#"{"name":"git diff --check","passed":true}"#,
            r#""a commit succeeded after the run's edits""#,
        ),
        run(
            "tests-and-whitespace",
            r#"{"name":"cargo test","passed":true},{"name":"git diff --check","passed":false}"#,
            "",
        ),
    ];
    let report = scored_lines(&sb, &lines);
    let category = |id: &str| run_of(&report, id)["category"].as_str().unwrap().to_owned();
    assert_eq!(category("fmt-only"), "needs_human_review");
    assert_eq!(category("fmt-and-commit"), "accepted");
    assert_eq!(category("tests-and-whitespace"), "partially_accepted");
}

/// dev8 (StefanJonssonInExchange/branch-pruner): "make a branch, add a comment, then push
/// it" — the comment was written, nothing was pushed. Done, not delivered: partly. Any
/// other failure, or no change at all, keeps it rejected.
#[test]
fn work_done_but_not_delivered_is_partly_accepted() {
    let sb = Sandbox::new();
    let undelivered = r#""the last request asked for a git push that never succeeded""#;
    let run = |id: &str, files: &str, markers: &str| {
        format!(
            r#"{{"run_id":"{id}","task_id":"t","ts":"2026-01-01T00:00:00Z","model":"m","files_changed":[{files}],"failure_markers":[{markers}]}}"#
        )
    };
    let lines = [
        run("edited", r#""prune.ps1""#, undelivered),
        run(
            "crashed",
            r#""prune.ps1""#,
            &format!(r#"{undelivered},"Traceback (most recent call last):""#),
        ),
        run("nothing", "", undelivered),
    ];
    let report = scored_lines(&sb, &lines);
    let category = |id: &str| run_of(&report, id)["category"].as_str().unwrap().to_owned();
    assert_eq!(category("edited"), "partially_accepted");
    assert!(
        run_of(&report, "edited")["reasons"]
            .to_string()
            .contains("rule done-not-delivered")
    );
    assert_eq!(category("crashed"), "rejected");
    assert_ne!(category("nothing"), "partially_accepted");
}

/// Entire's compact transcripts (checkpoints v2) look alike whichever agent ran; the
/// agent's own adapter reads them (dev9: Claude Code and OpenCode sessions of
/// Soph/energy-import-export and Nomos-N4s/nomos were not read at all).
#[test]
fn compact_transcripts_are_read_by_the_agents_adapter() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("claude-code", "sessions/compact-claude.jsonl")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    let reasons = run["reasons"].to_string();
    assert!(
        reasons.contains("py_compile trade.py (passed, failed → passed)"),
        "{reasons}"
    );
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":["trade.py"]"#), "{note}");
}

/// Terminal transcripts (Claude Code's `/export`, a copied Gemini CLI screen) are read
/// by the agent's adapter: a red → green test run is accepted from either, the exit code
/// a Claude Code result shows is kept, and a command the user interrupted did not run.
#[test]
fn terminal_transcripts_are_read_by_the_agents_adapter() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(
        &sb,
        &[
            ("claude-code", "sessions/claude-export.txt"),
            ("gemini", "sessions/gemini-screen.md"),
        ],
    );
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{runs:#?}");
    for run in runs {
        assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
        assert_reason(run, "failed → passed");
    }
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":["src/cart.ts"]"#), "{note}");
    assert!(note.contains(r#""model_name":"gemini-2.5-pro""#), "{note}");
    assert!(
        note.contains(r#"{"command":"npm test -- cart 2>&1 | tail -20","exit_code":1}"#),
        "{note}"
    );
    assert!(
        !note.contains(r#""command":"rm -rf node_modules/.cache","exit_code""#),
        "{note}"
    );
}

/// Codex's code mode: commands run from an `exec` script (`tools.exec_command`), a patch
/// it applies, a command left running in a cell that a later `wait` finishes, and a
/// script that only lists tools. The red run, the patch and the green run are read, so
/// the run is accepted.
#[test]
fn codex_code_mode_scripts_are_read_as_their_commands_and_patches() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("codex", "sessions/codex-code-mode.jsonl")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert!(
        run["reasons"]
            .to_string()
            .contains("go test ./internal/sem: 0 failed of 2 (passed, failed → passed)"),
        "{}",
        run["reasons"]
    );
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":["internal/sem/parser.go"]"#), "{note}");
    assert!(note.contains(r#"{"command":"go test ./...","exit_code":0}"#), "{note}");
}

/// Aider's own lint after an edit prints only failures (`# Fix any errors below` then
/// `## Running: pylint F`): each is a failed run, and a later silent re-lint of an edited
/// file is a pass. A run whose lint still fails when Aider gives up ("Only 3
/// reflections allowed") is not accepted, though Aider committed its edits.
#[test]
fn aider_auto_lint_failures_are_validations() {
    let sb = Sandbox::new();
    let (_repo, report) = collected_and_scored(&sb, &[("aider", "sessions/aider-auto-lint.chat.history.md")]);
    let run = &report["runs"][0];
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    let reasons = run["reasons"].to_string();
    assert!(reasons.contains("pylint README.md"), "{reasons}");
    assert!(reasons.contains("pylint tests/test_readme.py"), "{reasons}");
    assert!(
        reasons.contains("failed → passed"),
        "the silent re-lint passed: {reasons}"
    );
    // dev16 (BharathKumarKS/pdf_ingestion): an edit whose re-lint fails again passed
    // nothing in between.
    let readme = run["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.as_str().unwrap().starts_with("validation pylint README.md"))
        .unwrap();
    assert!(!readme.as_str().unwrap().contains("passed"), "{readme}");
}

/// dev45 (an Aider history of scripted launches): the last launch dies on Aider's own
/// traceback (the model provider refused), so its request failed; the launch before it,
/// which committed its edit, is judged on its own.
#[test]
fn an_aider_launch_that_crashed_is_rejected() {
    let sb = Sandbox::new();
    let (_repo, report) = collected_and_scored(&sb, &[("aider", "sessions/aider-crashed.chat.history.md")]);
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{runs:#?}");
    let last = runs
        .iter()
        .max_by_key(|r| r["provenance"]["line_offset"].as_u64())
        .unwrap();
    assert_eq!(last["category"], "rejected", "{}", last["reasons"]);
    let reasons = last["reasons"].to_string();
    assert!(reasons.contains("provider error 403"), "{reasons}");
}

/// An OpenCode session as `opencode export` writes it: the failing test run, the fix and
/// the same tests passing make it accepted; a call the user refused permission for did
/// not run; synthetic text the harness added is not the request.
#[test]
fn opencode_exports_are_read_and_judged() {
    let sb = Sandbox::new();
    let (_repo, report) = collected_and_scored(&sb, &[("opencode", "sessions/opencode-export.json")]);
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{runs:#?}");
    let run = &runs[0];
    assert_eq!(run["run_id"], "ses_4f1a2b3c4d5eFgHiJkLmNoPqRs");
    assert_eq!(run["model_name"], "claude-sonnet-4-5");
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    let reasons = run["reasons"].to_string();
    assert!(
        reasons.contains("pytest tests/test_slug.py: 0 failed of 6"),
        "{reasons}"
    );
    assert!(reasons.contains("failed → passed"), "{reasons}");
}

/// A review that edits nothing (taken from a real OpenCode review subagent): its tests
/// pass, but they judge code the run did not write, so a reader sends it to a person. The
/// record says it changed nothing (`"files_changed":[]`, read by plain git); a run with an
/// edit lists the file, and stays accepted.
#[test]
fn a_run_that_changed_nothing_is_for_a_person_to_judge() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("opencode", "sessions/opencode-review-only.json")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    let reasons = run["reasons"].to_string();
    assert!(reasons.contains("rule changed-nothing"), "{reasons}");
    assert!(reasons.contains("none changed a file"), "{reasons}");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":[]"#), "{note}");

    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("opencode", "sessions/opencode-export.json")]);
    assert_eq!(report["runs"][0]["category"], "accepted");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":["src/slug.py"]"#), "{note}");
}

/// `codex exec --json` streams events, not a rollout: the commands it ran come from
/// `item.completed` command executions with their exit codes, a failed file change
/// wrote nothing, and a failed turn is a failure of the run.
#[test]
fn codex_exec_json_streams_are_judged_too() {
    let sb = Sandbox::new();
    let stream = [
        r#"{"type":"thread.started","thread_id":"0199a213-81c0-7800-8aa1-bbab2a035a53"}"#,
        r#"{"type":"turn.started"}"#,
        r#"{"type":"item.completed","item":{"id":"item_0","type":"command_execution","command":"bash -lc 'cargo test'","aggregated_output":"test result: FAILED. 3 passed; 1 failed","exit_code":101,"status":"failed"}}"#,
        r#"{"type":"item.completed","item":{"id":"item_1","type":"file_change","changes":[{"path":"src/lib.rs","kind":"update"}],"status":"completed"}}"#,
        // dev12 (BlueRay2/history-production): a write the sandbox refused.
        r#"{"type":"item.completed","item":{"id":"item_9","type":"file_change","changes":[{"path":"reviews/round-2.md","kind":"add"}],"status":"failed"}}"#,
        r#"{"type":"item.completed","item":{"id":"item_2","type":"command_execution","command":"bash -lc 'cargo test'","aggregated_output":"test result: ok. 4 passed; 0 failed","exit_code":0,"status":"completed"}}"#,
        r#"{"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"Fixed the off-by-one; all 4 tests pass."}}"#,
        r#"{"type":"turn.completed","usage":{"input_tokens":1200,"cached_input_tokens":0,"output_tokens":300}}"#,
    ]
    .join("\n");
    std::fs::write(sb.path().join("exec.jsonl"), stream + "\n").unwrap();
    let repo = sb.repo("r", 1);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "codex", "--at", "HEAD"])
            .arg(sb.path().join("exec.jsonl")),
    );
    let report = json(&sb, &repo, &["score", "--json"]);
    let run = &report["runs"][0];
    assert_eq!(run["run_id"], "0199a213-81c0-7800-8aa1-bbab2a035a53");
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(run, "(passed, failed → passed)");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        note.contains(r#""files_changed":["src/lib.rs"]"#),
        "a failed write changed nothing: {note}"
    );
}

/// dev10 (chikachow/cyspbot, a Codex security review): the run wrote its report to a
/// temporary directory and ran the suite, which failed for reasons of its own (the
/// sandbox). It changed nothing in the work tree, so the failures judge code it did not
/// write: a person decides.
#[test]
fn a_review_that_writes_only_outside_the_work_tree_changed_nothing() {
    let sb = Sandbox::new();
    let rollout = [
        r#"{"timestamp":"2026-07-10T10:00:00.000Z","type":"session_meta","payload":{"id":"review-0001","cwd":"/home/dev/app"}}"#,
        r#"{"timestamp":"2026-07-10T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Review the token exchange for security issues and write the report to $TMPDIR/review.md"}]}}"#,
        r#"{"timestamp":"2026-07-10T10:01:00.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"npm test\"}","call_id":"c1"}}"#,
        r#"{"timestamp":"2026-07-10T10:01:30.000Z","type":"event_msg","payload":{"type":"exec_command_end","call_id":"c1","exit_code":1,"aggregated_output":"Error: listen EPERM: operation not permitted 127.0.0.1\nTests:       3 failed, 21 passed, 24 total"}}"#,
        r#"{"timestamp":"2026-07-10T10:02:00.000Z","type":"response_item","payload":{"type":"custom_tool_call","name":"apply_patch","call_id":"c2","input":"*** Begin Patch\n*** Add File: /var/folders/hs/T/scans/app/review.md\n+# Findings\n*** End Patch"}}"#,
        r#"{"timestamp":"2026-07-10T10:03:00.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Two findings, written to the report."}]}}"#,
    ]
    .join("\n");
    std::fs::write(sb.path().join("review.jsonl"), rollout + "\n").unwrap();
    let repo = sb.repo("r", 1);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "codex", "--at", "HEAD"])
            .arg(sb.path().join("review.jsonl")),
    );
    let report = json(&sb, &repo, &["score", "--json"]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    assert_reason(run, "rule changed-nothing");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#""files_changed":[]"#), "{note}");
}

/// `codex exec` transcripts — what Codex prints without `--json`, which agent loops tee
/// into their logs (dev12: alejandroOPI/third-wave-cafes) — are read by the codex
/// adapter: the banner's model, each command with the exit code its status line gives
/// (the `bash -lc` wrapper taken off), a patch's files. An inline script that reads the
/// data and fails changes nothing and is no failure of the work; the red → green test
/// run is accepted.
#[test]
fn codex_exec_transcripts_are_read_and_judged() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("codex", "sessions/codex-exec.log")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_eq!(run["model_name"], "gpt-5.2-codex");
    assert_reason(run, "npm test: 0 failed of 4");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        note.contains(r#"{"command":"rg --files -g 'AGENTS.md'","exit_code":1}"#),
        "{note}"
    );
    assert!(note.contains(r#""files_changed":["js/app.js"]"#), "{note}");
    assert!(note.contains("CODEX-EXEC-ANSWER"), "{note}");
}

/// A log cut off while the last request's `git commit && git push` ran cannot say how
/// that request ended: an earlier request's successful commit and push are no outcome of
/// it (dev12: Elorm-K/NewClaude, an Entire checkpoint taken mid-command).
#[test]
fn a_log_cut_off_mid_command_is_not_judged_by_earlier_successes() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("claude-code", "sessions/claude-cut-off-commit.jsonl")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    // dev14 (Schofield90/atlas-fitness-onboarding): failing builds of earlier requests
    // do not judge a run whose log stops while the fix was being committed.
    assert_reason(run, "rule cut-off");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains(r#","cut_off":true,"#), "{note}");
    assert!(
        !run["reasons"].to_string().contains("success marker"),
        "{}",
        run["reasons"]
    );
}

/// A last request answered in words alone (a reply beside the point, a question about
/// the work, a plan) is not judged by the build an earlier request passed: nothing ran
/// and nothing changed for it (dev14: LilLeapo/cccc_clash_test, asked for a one-word
/// change, answered about the deploy branch, and scored accepted on an earlier build).
#[test]
fn a_last_request_answered_in_words_is_not_judged_by_earlier_checks() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("claude-code", "sessions/claude-answered-in-words.jsonl")]);
    let run = &report["runs"][0];
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    assert_reason(run, "rule answered-in-words");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.starts_with(r#"{"answered_in_words":true,"#), "{note}");
}

/// A suite Claude Code ran in the background (`run_in_background`) ends in the
/// `TaskOutput` result that reads it (its status, exit code and output) and the task
/// notification; pytest's `-q` summary counts errors of fixtures against the run (test12,
/// opened after it was measured: sam-fakhreddine/wfc). `| tail` exits 0, and the run whose
/// whole suite ends "830 passed, 11 errors" is not accepted.
#[test]
fn a_background_suite_is_judged_by_the_output_that_reads_it() {
    let sb = Sandbox::new();
    let (repo, report) = collected_and_scored(&sb, &[("claude-code", "sessions/claude-background-suite.jsonl")]);
    let run = &report["runs"][0];
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(run, "pytest tests/: 11 failed of 841");
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        note.contains(r#"{"command":"uv run pytest tests/ -q --tb=short 2>&1 | tail -10","exit_code":0}"#),
        "{note}"
    );
}

/// Collect one Codex rollout (or Gemini stream) written from `lines` and score it.
/// `run`'s reasons name `text`.
fn assert_reason(run: &Value, text: &str) {
    assert!(run["reasons"].to_string().contains(text), "{}", run["reasons"]);
}

fn one_run_of(sb: &Sandbox, adapter: &str, name: &str, lines: &[&str]) -> Value {
    std::fs::write(sb.path().join(name), lines.join("\n") + "\n").unwrap();
    // The repository is named for the log without its extension, beside it.
    let stem = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name);
    let repo = sb.repo(stem, 1);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", adapter, "--at", "HEAD"])
            .arg(sb.path().join(name)),
    );
    json(sb, &repo, &["score", "--json"])["runs"][0].clone()
}

/// dev16 (Maidang1/madinah, Codex 0.46): a check that exits non-zero under the sandbox is
/// reported only as `failed in sandbox: …`; tests went red to green but lint still fails.
#[test]
fn a_command_that_failed_in_the_sandbox_failed() {
    let sb = Sandbox::new();
    let call = |id: &str, cmd: &str| {
        format!(
            r#"{{"type":"response_item","payload":{{"type":"function_call","name":"shell","arguments":"{{\"command\":[\"bash\",\"-lc\",\"{cmd}\"]}}","call_id":"{id}"}}}}"#
        )
    };
    let out = |id: &str, output: &str| {
        format!(
            r#"{{"type":"response_item","payload":{{"type":"function_call_output","call_id":"{id}","output":{output}}}}}"#
        )
    };
    let lines = [
        r#"{"type":"session_meta","payload":{"id":"sandboxed","cwd":"/w","cli_version":"0.46.0"}}"#.to_owned(),
        r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Implement the responsive blog list"}]}}"#.to_owned(),
        r#"{"type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"p1","name":"apply_patch","input":"*** Begin Patch\n*** Add File: app/list.tsx\n+export const List = 1;\n*** End Patch"}}"#.to_owned(),
        r#"{"type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"p1","output":"{\"output\":\"Success. Updated the following files:\\nA app/list.tsx\\n\",\"metadata\":{\"exit_code\":0}}"}}"#.to_owned(),
        call("c1", "pnpm test"),
        out("c1", r#""{\"output\":\"Tests  16 passed (16)\",\"metadata\":{\"exit_code\":0}}""#),
        call("c2", "pnpm lint"),
        out("c2", r#""failed in sandbox: Invalid option '--ignore-path' - perhaps you meant '--ignore-pattern'?\n""#),
        r#"{"type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Tests pass; lint needs its config fixed."}]}}"#.to_owned(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "codex", "sandboxed.jsonl", &lines);
    assert_eq!(run["category"], "partially_accepted", "{}", run["reasons"]);
    assert_reason(&run, "pnpm lint");
    // dev49 (a Claude Code log ending on a restarted dev server): Codex and Claude Code
    // close every turn with words; a log that stops after results, before them, stopped
    // mid-turn.
    let unclosed: Vec<&str> = lines[..lines.len() - 1].to_vec();
    let run = one_run_of(&sb, "codex", "unclosed.jsonl", &unclosed);
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    assert_reason(&run, "rule cut-off");
}

/// dev16 (LeroySalih/planner-004): the last request is `git add .` itself, and it fails
/// (the sandbox cannot lock the index). Nothing else was done for it: the request failed.
#[test]
fn a_last_request_that_was_only_a_failed_git_operation_is_rejected() {
    let sb = Sandbox::new();
    let lines = [
        r#"{"type":"session_meta","payload":{"id":"staged","cwd":"/w","cli_version":"0.50.0"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Add the groups page"}]}}"#,
        r#"{"type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"p1","name":"apply_patch","input":"*** Begin Patch\n*** Add File: src/app/groups/page.tsx\n+export default function Page() {}\n*** End Patch"}}"#,
        r#"{"type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"p1","output":"{\"output\":\"Success. Updated the following files:\\nA src/app/groups/page.tsx\\n\",\"metadata\":{\"exit_code\":0}}"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"git add ."}]}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"git add .\"]}","call_id":"g1"}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call_output","call_id":"g1","output":"{\"output\":\"fatal: Unable to create '/w/.git/index.lock': Operation not permitted\\n\",\"metadata\":{\"exit_code\":128}}"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Git could not create .git/index.lock."}]}}"#,
    ];
    let run = one_run_of(&sb, "codex", "staged.jsonl", &lines);
    assert_eq!(run["category"], "rejected", "{}", run["reasons"]);
    assert!(
        run["reasons"]
            .to_string()
            .contains("the last request was a git add that never succeeded"),
        "{}",
        run["reasons"]
    );
}

/// dev16 (metaphi-agent's figma evaluations): Gemini CLI's headless event stream
/// (`--output-format stream-json`) is a session too: its commands, results and edits.
#[test]
fn gemini_stream_json_events_are_read_and_judged() {
    let sb = Sandbox::new();
    let lines = [
        r#"{"type":"init","timestamp":"2026-01-30T06:10:01.547Z","session_id":"cac225da","model":"gemini-3-pro-preview"}"#,
        r#"{"type":"message","timestamp":"2026-01-30T06:10:01.548Z","role":"user","content":"Fix the failing login test"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T06:10:02Z","tool_name":"run_shell_command","tool_id":"s1","parameters":{"command":"npx vitest run"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-01-30T06:10:03Z","tool_id":"s1","status":"error","output":"Tests  1 failed | 3 passed (4)\nExit Code: 1"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T06:10:04Z","tool_name":"replace","tool_id":"e1","parameters":{"file_path":"src/pages/Login.tsx","old_string":"a","new_string":"b"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-01-30T06:10:05Z","tool_id":"e1","status":"success"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T06:10:06Z","tool_name":"run_shell_command","tool_id":"s2","parameters":{"command":"npx vitest run"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-01-30T06:10:07Z","tool_id":"s2","status":"success","output":"Tests  4 passed (4)"}"#,
        r#"{"type":"message","timestamp":"2026-01-30T06:10:08Z","role":"assistant","content":"Fixed; ","delta":true}"#,
        r#"{"type":"message","timestamp":"2026-01-30T06:10:08Z","role":"assistant","content":"all 4 tests pass.","delta":true}"#,
        r#"{"type":"result","timestamp":"2026-01-30T06:10:09Z","status":"success","stats":{"total_tokens":100}}"#,
    ];
    let run = one_run_of(&sb, "gemini", "stream.jsonl", &lines);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "failed → passed");
}

/// dev20 (metaphi-agent figma-eval, Gemini `stream-json`): the stream stops on a
/// `git push` whose result never came, after a passing build — how the run ended is
/// unknown, so it is no accepted run.
#[test]
fn a_gemini_stream_cut_off_mid_command_is_not_accepted() {
    let sb = Sandbox::new();
    let lines = [
        r#"{"type":"init","timestamp":"2026-01-30T22:10:01Z","session_id":"49bdd49a","model":"gemini-3-pro-preview"}"#,
        r#"{"type":"message","timestamp":"2026-01-30T22:10:02Z","role":"user","content":"Build the dashboard from the Figma frames and push it"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T22:12:00Z","tool_name":"write_file","tool_id":"w1","parameters":{"file_path":"src/App.tsx","content":"export default 1"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-01-30T22:12:01Z","tool_id":"w1","status":"success"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T22:13:00Z","tool_name":"run_shell_command","tool_id":"b1","parameters":{"command":"npm run build"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-01-30T22:13:20Z","tool_id":"b1","status":"success","output":"✓ built in 1.2s"}"#,
        r#"{"type":"tool_use","timestamp":"2026-01-30T22:14:25Z","tool_name":"run_shell_command","tool_id":"g1","parameters":{"command":"git add .\ngit commit -m \"Initial commit\"\ngit push -u origin main"}}"#,
    ];
    let run = one_run_of(&sb, "gemini", "cut.jsonl", &lines);
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    assert_reason(&run, "rule cut-off");
}

/// dev20 (JoakimCarlsson/wasa-cli): a tool that keeps Claude Code transcripts wraps
/// each line as `{"role", "content", "raw": <line>}`; the lines inside are read.
#[test]
fn claude_code_lines_wrapped_by_a_transcript_keeper_are_read() {
    let sb = Sandbox::new();
    let original = std::fs::read_to_string(fixture("sessions/claude-red-green.jsonl")).unwrap();
    let wrapped: Vec<String> = original
        .lines()
        .map(|line| {
            let raw: Value = serde_json::from_str(line).unwrap();
            serde_json::json!({"role": raw["type"], "content": "", "raw": raw}).to_string()
        })
        .collect();
    let wrapped: Vec<&str> = wrapped.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "wrapped.jsonl", &wrapped);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "failed → passed");
}

/// dev20 (Codex 0.12x, unified exec): tests fail offline, the agent asks to rerun them
/// with network access and the user aborts the run ("aborted by user after 33.4s"). The
/// aborted run checked nothing: the failing run stays the last word.
#[test]
fn a_codex_command_the_user_aborted_is_not_a_passing_run() {
    let sb = Sandbox::new();
    let lines = [
        r#"{"type":"session_meta","payload":{"id":"aborted","cwd":"/w","cli_version":"0.121.0"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Fix the oracle program and run its tests"}]}}"#,
        r#"{"type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"p1","name":"apply_patch","input":"*** Begin Patch\n*** Update File: programs/oracle/src/lib.rs\n+// fixed\n*** End Patch"}}"#,
        r#"{"type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"p1","output":"{\"output\":\"Success. Updated the following files:\\nM programs/oracle/src/lib.rs\\n\",\"metadata\":{\"exit_code\":0}}"}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"cargo test --manifest-path programs/oracle/Cargo.toml\"}","call_id":"t1"}}"#,
        r#"{"type":"event_msg","payload":{"type":"exec_command_end","call_id":"t1","aggregated_output":"error: failed to get `anchor-lang` as a dependency\n","exit_code":101}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"cargo test --manifest-path programs/oracle/Cargo.toml\",\"sandbox_permissions\":\"require_escalated\"}","call_id":"t2"}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call_output","call_id":"t2","output":"aborted by user after 33.4s"}}"#,
    ];
    let run = one_run_of(&sb, "codex", "aborted.jsonl", &lines);
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    assert!(
        run["reasons"]
            .to_string()
            .contains("cargo test programs/oracle/Cargo.toml (failed)"),
        "{}",
        run["reasons"]
    );
}

/// test29 (YPS-Tool/World_time_conference, Codex 0.2x): a patch run through the shell
/// tool as `["apply_patch", "*** Begin Patch…"]` writes the file it adds; the run asked
/// for a requirements document and wrote it.
#[test]
fn a_codex_patch_run_through_the_shell_tool_changes_its_files() {
    let sb = Sandbox::new();
    let lines = [
        r#"{"type":"session_meta","payload":{"id":"shellpatch","cwd":"/w","cli_version":"0.25.0"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Write a requirements document for the implemented features"}]}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"apply_patch\",\"*** Begin Patch\\n*** Add File: wt-tool/docs/requirements.md\\n+# Requirements\\n*** End Patch\"]}","call_id":"p1"}}"#,
        r#"{"type":"response_item","payload":{"type":"function_call_output","call_id":"p1","output":"{\"output\":\"Done!\",\"metadata\":{\"exit_code\":0}}"}}"#,
        r#"{"type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Added wt-tool/docs/requirements.md."}]}}"#,
    ];
    let run = one_run_of(&sb, "codex", "shellpatch.jsonl", &lines);
    assert!(
        run["reasons"]
            .to_string()
            .contains("documentation only (wt-tool/docs/requirements.md)"),
        "{}",
        run["reasons"]
    );
}

/// A Claude Code transcript line of session `s1` (type, message JSON, extra fields).
fn claude_line(kind: &str, n: usize, message: &str, extra: &str) -> String {
    format!(
        r#"{{"isSidechain":false,"userType":"external","cwd":"/w/vault","sessionId":"s1","version":"2.1.40","type":"{kind}","timestamp":"2026-02-23T22:{n:02}:00.000Z","uuid":"u{n}"{extra},"message":{message}}}"#
    )
}

/// dev24 (ehmo's iOS vault, MIBlue119's keyboard extension): xcodebuild's tests piped
/// through `tail` exit 0 while their banner says `** TEST FAILED **`, then pass after a
/// fix; the run was a slash command whose expanded recipe (`isMeta`) lists "Create Pull
/// Request" as a step — a step of the recipe, not the person's ask.
#[test]
fn xcodebuild_banners_decide_and_a_command_recipe_asks_for_no_pull_request() {
    let sb = Sandbox::new();
    let tool = |n: usize, id: &str, command: &str| {
        claude_line(
            "assistant",
            n,
            &format!(
                r#"{{"id":"m{n}","role":"assistant","model":"claude-opus-4-6","content":[{{"type":"tool_use","id":"{id}","name":"Bash","input":{{"command":"{command}"}}}}]}}"#
            ),
            "",
        )
    };
    let result = |n: usize, id: &str, output: &str| {
        claude_line(
            "user",
            n,
            &format!(
                r#"{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"{id}","content":"{output}","is_error":false}}]}}"#
            ),
            "",
        )
    };
    let test = "xcodebuild test -project apps/ios/Vault.xcodeproj -scheme Vault -destination 'platform=iOS Simulator,name=iPhone 16' 2>&1 | tail -30";
    let lines = [
        claude_line(
            "user",
            1,
            r#"{"role":"user","content":"<command-message>workflows:work</command-message>\n<command-name>/workflows:work</command-name>\n<command-args>docs/plans/split-store.md</command-args>"}"#,
            "",
        ),
        claude_line(
            "user",
            2,
            r##"{"role":"user","content":[{"type":"text","text":"# Work Plan Execution\n\n1. Implement the plan.\n2. Run the tests.\n3. **Create Pull Request**\n   gh pr create --title \"Feature\""}]}"##,
            r#","isMeta":true"#,
        ),
        tool(3, "t1", test),
        result(
            4,
            "t1",
            "Failing tests:\\n\\tVaultTests.testStore()\\n\\n** TEST FAILED **",
        ),
        claude_line(
            "assistant",
            5,
            r#"{"id":"m5","role":"assistant","model":"claude-opus-4-6","content":[{"type":"tool_use","id":"e1","name":"Edit","input":{"file_path":"/w/vault/apps/ios/Vault/Store.swift","old_string":"a","new_string":"b"}}]}"#,
            "",
        ),
        result(6, "e1", "The file has been updated."),
        tool(7, "t2", test),
        result(8, "t2", "Test Suite 'All tests' passed.\\n\\n** TEST SUCCEEDED **"),
        tool(9, "c1", "git add -A && git commit -m 'split store'"),
        result(10, "c1", "[main 1a2b3c4] split store"),
        claude_line(
            "assistant",
            11,
            r#"{"id":"m11","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"Done: the store is split and the tests pass."}]}"#,
            "",
        ),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "xcode.jsonl", &lines);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "failed → passed");
    let reasons = run["reasons"].to_string();
    assert!(!reasons.contains("pull request"), "{reasons}");
    // The same session without the fix: the banner fails the run whatever tail's status.
    let failing: Vec<&str> = lines[..4].iter().chain(&lines[8..]).copied().collect();
    let run = one_run_of(&sb, "claude-code", "xcode-red.jsonl", &failing);
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "xcodebuild");
}

/// An OpenCode session as JSON Lines of messages (`{info, parts}` a line): the request,
/// one completed tool call a message (`(id, tool, input, output, exit)`), the answer.
fn opencode_lines(request: &str, calls: &[(&str, &str, &str, &str, &str)], answer: &str) -> Vec<String> {
    let message = |role: &str, n: usize, parts: String| {
        let model = if role == "assistant" {
            r#","modelID":"claude-opus-4.6","path":{"cwd":"/w/repo","root":"/w/repo"}"#
        } else {
            ""
        };
        format!(
            r#"{{"info":{{"role":"{role}","time":{{"created":{}}},"id":"msg_{n}","sessionID":"ses_poem"{model}}},"parts":[{parts}]}}"#,
            1_771_135_208_000 + n as u64 * 1000
        )
    };
    let text = |t: &str| format!(r#"{{"type":"text","text":"{t}"}}"#);
    let mut lines = vec![message("user", 0, text(request))];
    for (n, (id, name, input, output, exit)) in calls.iter().enumerate() {
        let part = format!(
            r#"{{"type":"tool","callID":"{id}","tool":"{name}","state":{{"status":"completed","input":{input},"output":"{output}","metadata":{{"exit":{exit}}}}}}}"#
        );
        lines.push(message("assistant", n + 1, part));
    }
    lines.push(message("assistant", calls.len() + 1, text(answer)));
    lines
}

/// dev25 (two OpenCode sessions): Entire kept an early OpenCode session as JSON Lines of
/// messages; asking the user (`question`) changes nothing, so a run that then writes a
/// Markdown file and answers is a documentation-only change. A GPT model patches with
/// `apply_patch`, and Credo's findings fail its check though `| tail` exits 0.
#[test]
fn opencode_message_lines_questions_patches_and_credo_are_judged() {
    let sb = Sandbox::new();
    let poem = opencode_lines(
        "Create a poem in a markdown file",
        &[
            (
                "q1",
                "question",
                r#"{"questions":[{"question":"Any theme?"}]}"#,
                "Your choice",
                "null",
            ),
            (
                "w1",
                "write",
                r#"{"filePath":"/w/repo/poem.md","content":"Quiet code"}"#,
                "Wrote file.",
                "null",
            ),
        ],
        "Created poem.md.",
    );
    let poem: Vec<&str> = poem.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "opencode", "poem.jsonl", &poem);
    assert_eq!(run["run_id"], "ses_poem");
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "documentation only");

    let patch = r#"{"patchText":"*** Begin Patch\n*** Update File: /w/repo/lib/worker.ex\n@@\n-a\n+b\n*** End Patch"}"#;
    let credo = opencode_lines(
        "Make the email worker retry on timeouts",
        &[
            ("p1", "apply_patch", patch, "Success.", "null"),
            (
                "b1",
                "bash",
                r#"{"command":"mix credo 2>&1 | tail -5"}"#,
                "3083 mods/funs, found 1 warning, 3 refactoring opportunities.",
                "0",
            ),
        ],
        "Done.",
    );
    let credo: Vec<&str> = credo.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "opencode", "credo.jsonl", &credo);
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "mix credo");
}

/// A Claude Code session of tool calls, each `(command or None for an edit of the path,
/// output, is_error)`, after `request`; ends on `answer`. Requests after the first
/// start with `>>`.
fn claude_session(steps: &[(&str, &str, bool)], answer: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, (call, output, is_error)) in steps.iter().enumerate() {
        let n = 2 * i + 1;
        if let Some(request) = call.strip_prefix(">>") {
            lines.push(claude_line(
                "user",
                n,
                &serde_json::json!({"role": "user", "content": request}).to_string(),
                "",
            ));
            continue;
        }
        let input = match call.strip_prefix("edit ") {
            Some(path) => (
                "Edit",
                serde_json::json!({"file_path": path, "old_string": "a", "new_string": "b"}),
            ),
            None => ("Bash", serde_json::json!({"command": call})),
        };
        let id = format!("t{n}");
        lines.push(claude_line(
            "assistant",
            n,
            &serde_json::json!({"id": format!("m{n}"), "role": "assistant", "model": "claude-opus-4-6",
                "content": [{"type": "tool_use", "id": id, "name": input.0, "input": input.1}]})
            .to_string(),
            "",
        ));
        lines.push(claude_line(
            "user",
            n + 1,
            &serde_json::json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": id,
                "content": output, "is_error": is_error}]})
            .to_string(),
            "",
        ));
    }
    lines.push(claude_line(
        "assistant",
        2 * steps.len() + 1,
        &serde_json::json!({"id": "last", "role": "assistant", "model": "claude-opus-4-6",
            "content": [{"type": "text", "text": answer}]})
        .to_string(),
        "",
    ));
    lines
}

/// dev26: CI that failed before the fixes were pushed judged a head that is gone, and
/// yarn runs vitest by name (Esdeveniments' review rounds); a build the network failed
/// judged nothing (a Next.js prerender hitting GitHub's rate limit); a last request
/// answered by editing documentation alone is not judged by earlier checks (a Codex
/// "rewrite the constitution"); and Aider's `/undo` throws the last request's work away.
#[test]
fn stale_ci_network_failures_documentation_answers_and_undone_work_are_judged() {
    let sb = Sandbox::new();
    let review = claude_session(
        &[
            (">>Check the new review comments on PR #4 and fix them", "", false),
            (
                "gh pr checks 4 --repo o/r 2>&1",
                "Exit code 1\nlint\tfail\t1m\thttps://x\ntest\tpass\t2m\thttps://y",
                true,
            ),
            ("edit /w/vault/src/hook.ts", "The file has been updated.", false),
            (
                "cd /w/vault\nyarn vitest run test/hook.test.tsx 2>&1 | tail -80",
                " Test Files  1 passed (1)\n      Tests  4 passed (4)",
                false,
            ),
            (
                "git commit -am 'fix: review' && git push",
                "[main 1a2b3c4] fix: review",
                false,
            ),
        ],
        "Fixed and pushed.",
    );
    let review: Vec<&str> = review.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "review.jsonl", &review);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "validation vitest run test/hook.test.tsx: 0 failed of 4");
    assert!(
        !run["reasons"].to_string().contains("gh pr checks"),
        "{}",
        run["reasons"]
    );

    let network = claude_session(
        &[
            (">>Remove the blog search, then commit and push", "", false),
            ("edit /w/vault/src/blog.tsx", "The file has been updated.", false),
            (
                "npx next build 2>&1 | tail -30",
                "Error: Failed to fetch repository data: {\"message\":\"API rate limit exceeded for 1.2.3.4.\"}\n ⨯ Next.js build worker exited with code: 1",
                false,
            ),
            (
                "git add -A && git commit -m 'remove: blog search' && git push",
                "[main 2ff8039] remove: blog search\nTo https://github.com/o/r.git\n   b56b0bc..2ff8039  main -> main",
                false,
            ),
        ],
        "Removed, committed and pushed.",
    );
    let network: Vec<&str> = network.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "network.jsonl", &network);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert!(!run["reasons"].to_string().contains("next build"), "{}", run["reasons"]);

    let documentation = claude_session(
        &[
            (">>Add tests for the parser", "", false),
            ("edit /w/vault/src/parser.test.ts", "The file has been updated.", false),
            ("npm test", "Tests:       12 passed, 12 total", false),
            (">>Now rewrite docs/constitution.md from the new template", "", false),
            (
                "edit /w/vault/docs/constitution.md",
                "The file has been updated.",
                false,
            ),
        ],
        "The constitution is rewritten.",
    );
    let documentation: Vec<&str> = documentation.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "constitution.jsonl", &documentation);
    assert_eq!(run["category"], "needs_human_review", "{}", run["reasons"]);
    assert_reason(&run, "answered-in-words");

    let history = "# aider chat started at 2026-03-02 09:20:41\n\n\
> Main model: gpt-4o with diff edit format\n\n\
#### make the api key guard faster\n\n\
Use an in-memory cache.\n\n\
> Applied edit to src/guard.ts  \n\
> Commit 8971d08 aider: cache api keys  \n\n\
#### /undo  \n\
> Commit `8971d08` was reset and removed from git.  \n\n\
Understood. Let me know what to change.\n";
    let run = one_run_of(&sb, "aider", "undo.jsonl", &[history]);
    assert_eq!(run["category"], "rejected", "{}", run["reasons"]);
    assert_reason(&run, "undid the work");
}

/// dev27: a request in Korean asks for a commit, a merge and a push; the commit landed,
/// `git checkout main` was refused, so the work is done but undelivered — the refusal is
/// why, not a failure of the work (Kooksun/RPS_3). Ruff's "1 file would be reformatted"
/// fails its format check, whatever `tail` exits with (flop-labs/technocore-chat).
#[test]
fn undelivered_work_in_any_language_and_format_summaries_are_judged() {
    let sb = Sandbox::new();
    let delivery = claude_session(
        &[
            (
                ">>좋아. 그럼 이제 현재 브랜치를 커밋하고 메인으로 머지해서 원격지에 푸시한다.",
                "",
                false,
            ),
            ("edit /w/vault/app.js", "The file has been updated.", false),
            (
                "git commit -am 'feat: sudden death'",
                "[feat 1a2b3c4] feat: sudden death",
                false,
            ),
            (
                "git checkout main",
                "Exit code 1\nerror: Your local changes to the following files would be overwritten by checkout:\n\t.codex/log/codex-tui.log",
                true,
            ),
        ],
        "The checkout failed because the session's own logs changed.",
    );
    let delivery: Vec<&str> = delivery.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "delivery.jsonl", &delivery);
    assert_eq!(run["category"], "partially_accepted", "{}", run["reasons"]);
    assert_reason(
        &run,
        "git push that never succeeded (git failed: error: Your local changes",
    );

    let format = claude_session(
        &[
            (">>Tidy the API module", "", false),
            ("edit /w/vault/src/api.py", "The file has been updated.", false),
            (
                "uv run ruff check src 2>&1 | tail -10 && uv run ruff format --check src 2>&1 | tail -5",
                "All checks passed!\n\n1 file would be reformatted, 7 files already formatted",
                false,
            ),
        ],
        "Done.",
    );
    let format: Vec<&str> = format.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "format.jsonl", &format);
    assert_ne!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "1 file would be reformatted");
}

/// dev28 (a Gemini CLI session): the one request was to install an extension, and the
/// user cancelled the shell call it waited on — the request was abandoned, not answered.
/// dev28 (a Next.js app, Claude Code): `tsc | grep error` exits with grep's status, and
/// TypeScript's five-digit code (`TS18048`) is the failure.
#[test]
fn a_cancelled_gemini_request_and_five_digit_typescript_errors_are_judged() {
    let sb = Sandbox::new();
    let recording = serde_json::json!({
        "sessionId": "cancelled-install",
        "messages": [
            {"id": "u1", "timestamp": "2026-04-12T01:16:56Z", "type": "user",
             "content": [{"text": "gemini extensions install https://github.com/obra/superpowers"}]},
            {"id": "g1", "timestamp": "2026-04-12T01:17:19Z", "type": "gemini", "model": "gemini-3-pro",
             "content": "I will check that `gemini` is on the path and install the extension."},
            {"id": "i1", "timestamp": "2026-04-12T01:18:07Z", "type": "info", "content": "Request cancelled."},
            {"id": "g2", "timestamp": "2026-04-12T01:18:07Z", "type": "gemini", "model": "gemini-3-pro", "content": "",
             "toolCalls": [{"id": "s1", "name": "run_shell_command", "status": "cancelled",
                 "args": {"command": "which gemini && gemini extensions install https://github.com/obra/superpowers --consent"},
                 "result": [{"functionResponse": {"id": "s1", "name": "run_shell_command",
                     "response": {"error": "[Operation Cancelled] Reason: User cancelled the operation."}}}]}]}
        ]
    });
    let run = one_run_of(&sb, "gemini", "session-cancelled.json", &[&recording.to_string()]);
    assert_eq!(run["category"], "rejected", "{}", run["reasons"]);

    let typecheck = claude_session(
        &[
            (">>Fix the dashboard types", "", false),
            (
                "edit /w/vault/src/app/api/dashboard/route.ts",
                "The file has been updated.",
                false,
            ),
            (
                "cd /w/vault && pnpm tsc --noEmit 2>&1 | grep -E \"error|Error\" | head -10",
                "src/app/api/dashboard/route.ts(127,22): error TS18048: 'cachedData.meta' is possibly 'undefined'.",
                false,
            ),
        ],
        "All done.",
    );
    let typecheck: Vec<&str> = typecheck.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "typecheck.jsonl", &typecheck);
    assert_eq!(run["category"], "rejected", "{}", run["reasons"]);
    assert_reason(&run, "TS18048");
}

/// dev29 (a firmware team's Claude Code session): the last request was "mark plan C as
/// pending in the design doc"; the agent edited it and committed. Then the person ran
/// `/context`, whose output the harness records as a meta user message: that is not a
/// request, so the run is judged by the doc edit and its commit, not as unanswered.
#[test]
fn a_local_commands_output_is_not_a_request() {
    let sb = Sandbox::new();
    let mut lines = claude_session(
        &[
            (">>Mark plan C as pending in fiber_check_optimization.md", "", false),
            (
                "edit /w/vault/docs/fiber_check_optimization.md",
                "The file has been updated.",
                false,
            ),
            (
                "cd /w/vault && git add docs/fiber_check_optimization.md && git commit -q -m 'docs: plan C pending'",
                "",
                false,
            ),
        ],
        "Committed: plan C is marked pending.",
    );
    let n = lines.len() + 1;
    lines.push(format!(
        r#"{{"type":"system","subtype":"local_command","content":"<command-name>/context</command-name>","sessionId":"s1","timestamp":"2026-02-23T22:{n:02}:00.000Z","uuid":"c{n}"}}"#
    ));
    lines.push(claude_line(
        "user",
        n + 1,
        r###"{"role":"user","content":"## Context Usage\n\n**Model:** claude-opus-4-6\n**Tokens:** 214.2k / 1m (21%)"}"###,
        r#","isMeta":true"#,
    ));
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "context.jsonl", &lines);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    let reasons = run["reasons"].to_string();
    assert!(!reasons.contains("answered-in-words"), "{reasons}");
}

/// dev31 (Claude Code): "anything left outstanding from the above?" answered with what is
/// not yet implemented says the work is partly done. dev43 (Codex): a constitution written
/// by a here-document is a documentation change, judged by its words. dev43 (Aider): Enter
/// on an empty prompt (`#### <blank>`) after the last commit asks for nothing. test42
/// (Codex): folders made as asked are the outcome.
#[test]
fn open_work_in_a_status_answer_here_documents_and_empty_prompts_are_judged() {
    let sb = Sandbox::new();
    let outstanding = claude_session(
        &[
            (">>Add the season enrolment page", "", false),
            (
                "edit /w/vault/frontend/src/Enrol.tsx",
                "The file has been updated.",
                false,
            ),
            (">>anything left outstanding from the above?", "", false),
        ],
        "Here's what's outstanding:\n\n**Not yet implemented:**\n\n1. **Admin ID-check flag** — no field exists yet.",
    );
    let outstanding: Vec<&str> = outstanding.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "outstanding.jsonl", &outstanding);
    assert_eq!(run["category"], "partially_accepted", "{}", run["reasons"]);
    assert_reason(&run, "rule work-remains");
    assert_reason(&run, "still open: Here's what's outstanding:");

    let constitution = claude_session(
        &[
            (">>Fill in the constitution from the template", "", false),
            (
                "cat <<'EOF' > .specify/memory/constitution.md\n# Constitution\n\n## I. Readability\nEOF",
                "",
                false,
            ),
        ],
        "Wrote the constitution: five principles, no placeholders left.",
    );
    let constitution: Vec<&str> = constitution.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "constitution.jsonl", &constitution);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(
        &run,
        "the run changed documentation only (.specify/memory/constitution.md)",
    );

    // test42 (Codex on Windows): "make folders F1 to F30", done by one command that
    // made them and listed them.
    let folders = claude_session(
        &[
            (">>建立資料夾名F1到F3的資料夾", "", false),
            (
                "powershell.exe -NoProfile -Command 1..3 | ForEach-Object { New-Item -ItemType Directory -Force -Name (\"F{0}\" -f $_) | Out-Null }\nGet-ChildItem -Directory",
                "F1\r\nF2\r\nF3\r\n",
                false,
            ),
        ],
        "完成，已建立資料夾 F1 到 F3。",
    );
    let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
    let run = one_run_of(&sb, "claude-code", "folders.jsonl", &folders);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "the run made directories only");

    let aider = [
        "# aider chat started at 2026-04-26 14:26:50",
        "",
        "#### Add a language switcher to the top right corner  ",
        "",
        "index.html",
        "```html",
        "<nav class=\"lang\"></nav>",
        "```",
        "",
        "> Applied edit to index.html  ",
        "> Commit b3c9bbd feat: add language switcher  ",
        "",
        "#### <blank>  ",
        ">  ",
        "> ^C again to exit  ",
    ];
    let run = one_run_of(&sb, "aider", "blank.chat.history.md", &aider);
    assert_eq!(run["category"], "accepted", "{}", run["reasons"]);
    assert_reason(&run, "a commit succeeded after the run's edits");
}
