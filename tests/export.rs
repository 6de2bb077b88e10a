//! `git distill export`: formats TRL and Hugging Face `datasets` take, the no-leak
//! guarantee on a fixture with all four categories, determinism.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

fn exported(sb: &Sandbox) -> (PathBuf, Value) {
    let repo = sb.repo("r", 2);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("export/runs.jsonl")),
    );
    // The same run id again, on another commit, failing: a join on run_id would leak it.
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD~1"])
            .arg(fixture("export/trap.jsonl")),
    );
    stdout_ok(sb.distill(&repo).args(["score"]));
    let out = stdout_ok(sb.distill(&repo).args([
        "export",
        "--json",
        "--name",
        "demo",
        "--out",
        "out",
        "--eval-ratio",
        "0.5",
    ]));
    (repo, serde_json::from_str(&out).unwrap())
}

fn rows(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sft_never_holds_a_run_that_was_not_accepted() {
    let sb = Sandbox::new();
    let (repo, _) = exported(&sb);
    let out = repo.join("out");
    let sft: String = ["sft/train.jsonl", "sft/validation.jsonl", "sft/records.jsonl"]
        .iter()
        .map(|f| std::fs::read_to_string(out.join(f)).unwrap_or_default())
        .collect();
    for leak in ["REJECTED-ANSWER", "PARTIAL-ANSWER", "REVIEW-ANSWER", "TRAP"] {
        assert!(!sft.contains(leak), "{leak} reached SFT");
    }
    assert!(sft.contains("ACCEPTED-ANSWER-1") && sft.contains("ACCEPTED-ANSWER-2"));
    // The builder itself selected only accepted runs: no row had to be refused by a later guard.
    let receipts = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    let export = receipts
        .lines()
        .find(|l| l.contains("\"buildType\":\"https://git-distill.dev/buildtypes/export/v1\""))
        .unwrap();
    let receipt: Value = serde_json::from_str(export).unwrap();
    let validation = &receipt["predicate"]["runDetails"]["gitdistill_validation"];
    assert_eq!(validation["errors"], serde_json::json!([]), "{export}");
    assert_eq!(validation["pass"], true);
    for record in rows(&out.join("sft/records.jsonl")) {
        assert_eq!(record["quality_score"], "accepted");
    }
    // RAG: accepted and partially accepted only.
    let rag = std::fs::read_to_string(out.join("rag/train.jsonl")).unwrap();
    assert!(rag.contains("part-1") && !rag.contains("rej-1") && !rag.contains("review-1"));
    for r in rows(&out.join("rag/train.jsonl")) {
        assert!(["accepted", "partially_accepted"].contains(&r["success_score"].as_str().unwrap()));
    }
}

#[test]
fn rows_have_the_shapes_trl_and_datasets_expect() {
    let sb = Sandbox::new();
    let (repo, report) = exported(&sb);
    let out = repo.join("out");
    for split in ["train", "validation"] {
        for row in rows(&out.join(format!("sft/{split}.jsonl"))) {
            let obj = row.as_object().unwrap();
            assert_eq!(
                obj.keys().collect::<Vec<_>>(),
                vec!["messages", "tools"],
                "SFT rows are {{\"messages\": [...], \"tools\": [...]}} (TRL's tool-calling format)"
            );
            assert!(row["tools"].is_array());
            let messages = row["messages"].as_array().unwrap();
            assert_eq!(messages.last().unwrap()["role"], "assistant");
            for m in messages {
                assert!(["system", "user", "assistant", "tool"].contains(&m["role"].as_str().unwrap()));
                assert!(m["content"].is_string());
            }
        }
        for row in rows(&out.join(format!("preference/{split}.jsonl"))) {
            let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
            assert_eq!(keys, vec!["chosen", "prompt", "rejected"], "TRL preference columns");
            assert_ne!(row["chosen"], row["rejected"]);
            assert_eq!(row["prompt"][0]["role"], "user");
            assert_eq!(row["chosen"][0]["role"], "assistant");
        }
    }
    // Pairs: fix-login accepted over partial and rejected, partial over rejected; add-audit accepted over rejected.
    let pairs = rows(&out.join("preference/records.jsonl"));
    assert_eq!(pairs.len(), 4, "{pairs:#?}");
    for p in &pairs {
        assert_ne!(p["chosen_run_id"], p["rejected_run_id"]);
        let reason = p["reason"].as_str().unwrap();
        assert!(
            reason.contains(p["chosen_score"].as_str().unwrap())
                && reason.contains(p["rejected_score"].as_str().unwrap())
        );
    }
    // A task never lands in two splits.
    let mut split_of = std::collections::HashMap::new();
    for split in ["train", "validation"] {
        for row in rows(&out.join(format!("sft/{split}.jsonl"))) {
            let first_user = row["messages"][1]["content"].as_str().unwrap().to_owned();
            assert_eq!(*split_of.entry(first_user).or_insert(split), split);
        }
    }
    // Exact duplicate removed and counted.
    assert_eq!(report["exact_duplicates"]["sft"], 1);
    // The card: Hugging Face YAML with data_files for every written file, row counts, guarantees.
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        card.starts_with("---\nlicense: other\nlanguage:\n- en\nconfigs:\n"),
        "{card}"
    );
    card_matches_files(&card, &out, "jsonl");
    for (file, n) in report["rows"].as_object().unwrap() {
        let n = n.as_u64().unwrap();
        if n > 0 && !file.ends_with("records.jsonl") {
            assert!(card.contains(&format!("path: {file}")), "{file} missing from the card");
            assert!(card.contains(&format!("`{file}` | {n} |")), "{file} row count missing");
        }
    }
    assert!(card.contains("SFT holds accepted runs only"));
}

/// Every file the card names (YAML `path:`, table, snippet) exists, and the snippet
/// loads exactly the split files written.
fn card_matches_files(card: &str, out: &Path, ext: &str) {
    for line in card.lines() {
        if let Some(path) = line.trim().strip_prefix("path: ") {
            assert!(out.join(path).is_file(), "the card names {path}, which was not written");
        }
        if line.starts_with("| ")
            && let Some(file) = line.split('`').nth(1)
        {
            assert!(
                out.join(file).is_file(),
                "the card's table lists {file}, which was not written"
            );
        }
    }
    let snippet: Vec<&str> = card
        .split("```python")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap()
        .split('"')
        .filter(|s| s.ends_with(&format!(".{ext}")))
        .collect();
    let mut written: Vec<String> = ["sft", "preference", "rag"]
        .iter()
        .flat_map(|c| ["train", "validation"].map(|s| format!("{c}/{s}.{ext}")))
        .filter(|f| out.join(f).is_file())
        .collect();
    written.sort();
    let mut loaded: Vec<String> = snippet.iter().map(|s| s.to_string()).collect();
    loaded.sort();
    assert_eq!(loaded, written, "the snippet must load exactly the written splits");
}

/// With every task in validation, each config still has a train split; the card says
/// so; an export with nothing to write is an error (exit 1) that says why; the card
/// carries the configured license and languages.
#[test]
fn the_card_tells_the_truth_about_its_files() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[export]\nlicense = \"cc-by-4.0\"\nlanguage = [\"en\", \"de\"]\n",
    )
    .unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("export/runs.jsonl")),
    );
    stdout_ok(sb.distill(&repo).args(["score"]));
    stdout_ok(sb.distill(&repo).args(["export", "--out", "out", "--eval-ratio", "1"]));
    let out = repo.join("out");
    assert!(out.join("sft/train.jsonl").is_file() && !out.join("sft/validation.jsonl").exists());
    assert!(out.join("preference/train.jsonl").is_file());
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        card.starts_with("---\nlicense: cc-by-4.0\nlanguage:\n- en\n- de\n"),
        "{card}"
    );
    card_matches_files(&card, &out, "jsonl");

    let empty = sb.repo("empty", 1);
    let out = sb.distill(&empty).args(["export"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing to export"), "{err}");
}

#[test]
fn exporting_twice_gives_the_same_tree_and_git_holds_it() {
    let sb = Sandbox::new();
    let (repo, first) = exported(&sb);
    let again: Value = serde_json::from_str(&stdout_ok(sb.distill(&repo).args([
        "export",
        "--json",
        "--name",
        "demo",
        "--eval-ratio",
        "0.5",
    ])))
    .unwrap();
    assert_eq!(first["tree"], again["tree"]);
    assert_eq!(
        first["commit"], again["commit"],
        "an unchanged tree does not move the ref"
    );
    let listed = sb.git(&repo, &["ls-tree", "-r", "--name-only", "refs/distill/datasets/demo"]);
    assert!(listed.contains("README.md") && listed.contains("sft/records.jsonl"));
    let note = sb.git(&repo, &["notes", "--ref=distill/datasets", "show", "HEAD"]);
    assert!(note.contains(first["tree"].as_str().unwrap()));
    let verify = sb.distill(&repo).args(["verify"]).output().unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

/// SFT rows in TRL's tool-calling format: a call's arguments are a JSON object and the
/// row has a `tools` column; rendered through a chat template (fixtures/export), the
/// model would learn `"arguments": {...}`, never a string of escaped JSON.
#[test]
fn tool_calls_render_as_objects_through_a_chat_template() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "claude-code", "--at", "HEAD"])
            .arg(fixture(
                "sources/claude-code/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl",
            )),
    );
    stdout_ok(sb.distill(&repo).args(["score"]));
    let out = sb
        .distill(&repo)
        .args(["export", "--out", "out", "--eval-ratio", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = rows(&repo.join("out/sft/train.jsonl"));
    let row = rows
        .iter()
        .find(|r| {
            r["messages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m.get("tool_calls").is_some())
        })
        .expect("an SFT row with tool calls");
    let call = row["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| m.get("tool_calls"))
        .unwrap()[0]
        .clone();
    assert!(call["function"]["arguments"].is_object(), "{call}");
    let tools = row["tools"].as_array().unwrap();
    let name = call["function"]["name"].as_str().unwrap();
    assert!(tools.iter().any(|t| t["function"]["name"] == name), "{tools:?}");
    assert_eq!(tools[0]["function"]["parameters"]["type"], "object");

    let mut env = minijinja::Environment::new();
    let template = std::fs::read_to_string(fixture("export/tool-chat-template.jinja")).unwrap();
    env.add_template("chat", &template).unwrap();
    let rendered = env
        .get_template("chat")
        .unwrap()
        .render(minijinja::context! { messages => row["messages"], tools => row["tools"] })
        .unwrap();
    assert!(rendered.contains("\"arguments\": {\""), "{rendered}");
    assert!(!rendered.contains("\"arguments\": \"{"), "double-encoded: {rendered}");
}

/// `--format parquet` writes the same datasets as Parquet, read back here by pyarrow (a
/// reader other than the writer): every file holds the rows of its JSONL twin, nested
/// columns (messages, tool calls with their arguments as structs, tools) included; the
/// card configures and loads the Parquet files; `verify` counts their rows.
#[test]
fn parquet_files_hold_the_rows_of_the_jsonl_export() {
    let Some(mut python) = common::python_with("pyarrow", "pyarrow>=14") else {
        return;
    };
    let sb = Sandbox::new();
    let repo = sb.repo("r", 2);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("export/runs.jsonl")),
    );
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "claude-code", "--at", "HEAD~1"])
            .arg(fixture(
                "sources/claude-code/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl",
            )),
    );
    stdout_ok(sb.distill(&repo).args(["score"]));
    let export = |format: &str| -> Value {
        let out = stdout_ok(sb.distill(&repo).args([
            "export",
            "--json",
            "--name",
            format,
            "--format",
            format,
            "--out",
            format,
            "--eval-ratio",
            "0.5",
        ]));
        serde_json::from_str(&out).unwrap()
    };
    let jsonl = export("jsonl");
    let parquet = export("parquet");
    let files = |report: &Value, ext: &str| -> Vec<(String, u64)> {
        report["rows"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(f, n)| (f.strip_suffix(ext).unwrap().to_owned(), n.as_u64().unwrap()))
            .collect()
    };
    assert_eq!(files(&jsonl, ".jsonl"), files(&parquet, ".parquet"));
    let written: Vec<String> = files(&parquet, ".parquet")
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(f, _)| f)
        .collect();
    assert!(written.contains(&"sft/train".to_owned()) && written.contains(&"preference/train".to_owned()));
    let card = std::fs::read_to_string(repo.join("parquet/README.md")).unwrap();
    card_matches_files(&card, &repo.join("parquet"), "parquet");
    assert!(card.contains("load_dataset(\"parquet\""), "{card}");

    let script = r#"
import json, sys
import pyarrow as pa, pyarrow.parquet as pq
def bare(v):
    if isinstance(v, dict):
        return {k: bare(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [bare(x) for x in v]
    return v
root, names = sys.argv[1], sys.argv[2:]
for name in names:
    table = pq.read_table(f"{root}/parquet/{name}.parquet")
    with open(f"{root}/jsonl/{name}.jsonl") as f:
        expected = [bare(json.loads(line)) for line in f]
    got = [bare(row) for row in table.to_pylist()]
    assert got == expected, f"{name}: {got[:1]} != {expected[:1]}"
    print(name, table.num_rows)
sft = pq.read_table(f"{root}/parquet/sft/train.parquet").schema
message = sft.field("messages").type.value_type
call = message.field("tool_calls").type.value_type
assert pa.types.is_struct(call.field("function").type.field("arguments").type), call
tool = sft.field("tools").type.value_type
assert pa.types.is_struct(tool.field("function").type.field("parameters").type), tool
print("nested", message)
"#;
    let out = python.arg("-c").arg(script).arg(&repo).args(&written).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pyarrow: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in &written {
        let rows = parquet["rows"][format!("{name}.parquet")].as_u64().unwrap();
        assert!(text.contains(&format!("{name} {rows}\n")), "{text}");
    }
    assert!(text.contains("tool_calls: list<"), "{text}");

    // The receipt attests the Parquet files, row counts included; exporting again gives
    // the same tree.
    let verify = sb.distill(&repo).args(["verify"]).output().unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    assert_eq!(export("parquet")["tree"], parquet["tree"]);
}

/// A JSONL run keeps only the start and the end of a long response (`KEPT_TEXT`), so
/// its stored answer is cut: it is searchable, but no training target. Such a run is
/// left out of SFT and counted; a run whose response was kept whole is exported.
#[test]
fn an_answer_stored_cut_is_never_a_training_target() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let log = sb.path().join("calls.jsonl");
    let run = |id: &str, output: &str| {
        serde_json::json!({
            "run_id": id, "task_id": format!("task-{id}"), "ts": "2026-01-04T00:00:00Z", "model": "m",
            "prompt": format!("fix the retry loop ({id})"), "output": output,
            "validation_results": [{"name": "cargo test", "passed": true}],
        })
        .to_string()
    };
    let long = format!("LONG-START {} LONG-END", "backoff doubles each retry. ".repeat(120));
    std::fs::write(
        &log,
        format!(
            "{}\n{}\n",
            run("short", "SHORT-ANSWER: added backoff"),
            run("long", &long)
        ),
    )
    .unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let report: Value = serde_json::from_str(&stdout_ok(sb.distill(&repo).args([
        "export",
        "--json",
        "--out",
        "out",
        "--eval-ratio",
        "0",
    ])))
    .unwrap();
    assert_eq!(report["skipped_cut_answers"], 1, "{report}");
    let sft = rows(&repo.join("out/sft/train.jsonl"));
    assert_eq!(sft.len(), 1, "{sft:?}");
    assert!(sft[0].to_string().contains("SHORT-ANSWER"));
    assert!(!sft.iter().any(|r| r.to_string().contains("LONG-")));
}
