//! `git distill search` / `index`: keyword search over a demo repository, filters,
//! a cache that refreshes incrementally and can be deleted.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;

fn search(sb: &Sandbox, repo: &std::path::Path, args: &[&str]) -> Value {
    let out = stdout_ok(sb.distill(repo).arg("search").arg("--json").args(args));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn finds_runs_and_playbooks_with_filters_and_says_it_is_keyword_only() {
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");

    let result = search(&sb, &repo, &["mismatched types"]);
    assert_eq!(result["mode"], "keyword-only", "never called hybrid without embeddings");
    let hits = result["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["snippet"].as_str().unwrap().contains("[[mismatched]]"))
    );
    // Piped, the matched terms are plain text: no marks, no colour codes.
    let piped = stdout_ok(sb.distill(&repo).args(["search", "mismatched types"]));
    assert!(piped.contains("mismatched"), "{piped}");
    assert!(!piped.contains("[[") && !piped.contains('\x1b'), "{piped}");
    let ids: Vec<&str> = hits.iter().map(|h| h["document"]["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), "{ids:?}");

    let rejected = search(
        &sb,
        &repo,
        &["mismatched types", "--kind", "run", "--category", "rejected"],
    );
    let hits = rejected["hits"].as_array().unwrap();
    assert!(
        !hits.is_empty()
            && hits
                .iter()
                .all(|h| h["document"]["category"] == "rejected" && h["document"]["kind"] == "run")
    );
    let accepted = search(
        &sb,
        &repo,
        &["mismatched types", "--kind", "run", "--category", "accepted"],
    );
    assert!(accepted["hits"].as_array().unwrap().is_empty());

    let codex = search(&sb, &repo, &["audit", "--model", "codex", "--task", "feature"]);
    assert!(
        codex["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["document"]["model"].as_str().unwrap().contains("codex"))
    );
    let first_commit = search(&sb, &repo, &["routing", "--commits", "HEAD~2", "--kind", "run"]);
    let head2 = sb.git(&repo, &["rev-parse", "HEAD~2"]).trim().to_owned();
    for h in first_commit["hits"].as_array().unwrap() {
        assert_eq!(h["document"]["commit"], head2.as_str());
    }
    assert_eq!(
        search(&sb, &repo, &["mismatched", "-k", "1"])["hits"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        search(&sb, &repo, &["mismatched", "--limit", "1"])["hits"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // `--since REV`: runs of the commits after REV, none of REV's own.
    let since = search(&sb, &repo, &["audit", "--since", "HEAD~2", "--kind", "run"]);
    let after: Vec<String> = sb
        .git(&repo, &["rev-list", "HEAD~2..HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    let hits = since["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert!(after.iter().any(|c| h["document"]["commit"] == c.as_str()), "{h}");
    }
}

#[test]
fn the_index_is_kept_on_disk_and_refreshed_incrementally() {
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");
    let stats = |sb: &Sandbox| -> Value {
        serde_json::from_str(&stdout_ok(sb.distill(&repo).args(["index", "--json"]))).unwrap()
    };
    let first = stats(&sb);
    let documents = first["documents"].as_u64().unwrap();
    assert!(first["parsed"].as_u64().unwrap() > 0);
    let again = stats(&sb);
    assert_eq!(
        (again["parsed"].as_u64(), again["added"].as_u64()),
        (Some(0), Some(0)),
        "nothing changed, nothing parsed"
    );

    // New evidence on one commit: only its new line is parsed.
    let log = sb.path().join("extra.jsonl");
    std::fs::write(&log, "{\"run_id\":\"extra-1\",\"ts\":\"2026-01-04T00:00:00Z\",\"model\":\"m\",\"failure_markers\":[\"zebra failure\"]}\n").unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let after = stats(&sb);
    assert_eq!((after["parsed"].as_u64(), after["added"].as_u64()), (Some(1), Some(1)));
    assert_eq!(after["documents"].as_u64(), Some(documents + 1));
    let zebra = search(&sb, &repo, &["zebra"]);
    assert_eq!(zebra["hits"][0]["document"]["id"], "extra-1");
    assert_eq!(zebra["hits"][0]["field"], "failure");

    // A second record of a run already indexed: a run's verdict rests on all its records,
    // so that note is read again whole, and both records are found.
    std::fs::write(&log, "{\"run_id\":\"extra-1\",\"ts\":\"2026-01-04T00:01:00Z\",\"model\":\"m\",\"failure_markers\":[\"okapi failure\"]}\n").unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let regrouped = stats(&sb);
    assert!(regrouped["parsed"].as_u64().unwrap() > 1, "{regrouped}");
    assert_eq!(regrouped["documents"].as_u64(), Some(documents + 2));
    assert_eq!(search(&sb, &repo, &["okapi"])["hits"][0]["document"]["id"], "extra-1");
    assert_eq!(search(&sb, &repo, &["zebra"])["hits"][0]["document"]["id"], "extra-1");

    // Older generations are removed: one overlay, one source list, no temporary files.
    let index = repo.join(".git/distill/index");
    let names: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let count = |prefix: &str| names.iter().filter(|n| n.starts_with(prefix)).count();
    assert_eq!((count("overlay-"), count("sources-")), (1, 1), "{names:?}");
    assert!(!names.iter().any(|n| n.contains(".tmp") || n == "lock"), "{names:?}");

    // Scoring stores verdicts: categories follow without parsing a note again.
    stdout_ok(sb.distill(&repo).args(["score"]));
    assert_eq!(stats(&sb)["parsed"], 0);
    assert_eq!(zebra_category(&sb, &repo), "rejected");

    // Deleting or damaging the index loses nothing: it is rebuilt from the notes.
    let before = search(&sb, &repo, &["audit log"]);
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx") {
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
    }
    assert_eq!(search(&sb, &repo, &["audit log"])["hits"], before["hits"]);
    std::fs::remove_dir_all(&index).unwrap();
    assert_eq!(search(&sb, &repo, &["audit log"])["hits"], before["hits"]);
}

fn zebra_category(sb: &Sandbox, repo: &std::path::Path) -> String {
    search(sb, repo, &["zebra"])["hits"][0]["document"]["category"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Searches running while another process updates the index see it whole, old or new.
#[test]
fn searches_while_the_index_is_updated_see_a_whole_index() {
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");
    let documents = |v: &Value| v["documents"].as_u64().unwrap();
    let base = documents(&search(&sb, &repo, &["audit"]));
    let log = sb.path().join("many.jsonl");
    let lines: String = (0..400)
        .map(|i| format!("{{\"run_id\":\"bulk-{i}\",\"ts\":\"2026-01-04T00:00:00Z\",\"model\":\"m\",\"failure_markers\":[\"walrus {i}\"]}}\n"))
        .collect();
    std::fs::write(&log, lines).unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let searchers: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("git-distill"));
            cmd.current_dir(&repo).args(["search", "--json", "walrus"]);
            common::isolate(&mut cmd, sb.path());
            cmd.stdout(std::process::Stdio::piped()).spawn().unwrap()
        })
        .collect();
    let indexed = stats_of(&sb, &repo);
    for child in searchers {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        // Each saw the index before the new runs or after them, never a part.
        let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!([base, base + 400].contains(&documents(&seen)), "{seen}");
        // An older index is only ever served while another process updates it, and says so.
        if documents(&seen) == base {
            assert_eq!(seen["stale"], true, "{seen}");
        }
    }
    assert_eq!(indexed, base + 400);
    assert_eq!(documents(&search(&sb, &repo, &["walrus"])), base + 400);
}

fn stats_of(sb: &Sandbox, repo: &std::path::Path) -> u64 {
    let v: Value = serde_json::from_str(&stdout_ok(sb.distill(repo).args(["index", "--json"]))).unwrap();
    v["documents"].as_u64().unwrap()
}

/// JSONL telemetry keeps the request and the response (redacted) as a two-turn
/// transcript, so a run is found by the words it was asked in; `keep_text = false`
/// stores hashes only, and turning text on later does not store the runs twice.
#[test]
fn a_jsonl_run_is_found_by_the_words_of_its_prompt() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let log = sb.path().join("calls.jsonl");
    let key = format!("sk-ant-api03-{}", "Q7x".repeat(30));
    std::fs::write(
        &log,
        format!(
            "{{\"run_id\":\"call-1\",\"ts\":\"2026-01-04T00:00:00Z\",\"model\":\"m\",\"prompt\":\"the retry loop never backs off, key {key}\",\"output\":\"added exponential backoff\"}}\n"
        ),
    )
    .unwrap();
    let collect = |sb: &Sandbox| {
        stdout_ok(
            sb.distill(&repo)
                .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
                .arg(&log),
        )
    };

    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(repo.join(".distill/config.toml"), "[collect]\nkeep_text = false\n").unwrap();
    collect(&sb);
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        !note.contains("retry loop") && !note.contains("\"transcript\""),
        "{note}"
    );
    assert!(
        search(&sb, &repo, &["retry loop never backs off"])["hits"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Text on: the same run is already stored, not written again in the new form.
    std::fs::remove_file(repo.join(".distill/config.toml")).unwrap();
    assert!(
        collect(&sb).contains("1 already stored"),
        "upgrading does not duplicate runs"
    );

    let fresh = sb.repo("fresh", 1);
    stdout_ok(
        sb.distill(&fresh)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let note = sb.git(&fresh, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains("the retry loop never backs off"), "{note}");
    assert!(!note.contains(&key), "the prompt is stored redacted");
    let found = search(&sb, &fresh, &["retry loop never backs off"]);
    assert_eq!(found["hits"][0]["document"]["id"], "call-1", "{found}");
    assert_eq!(found["hits"][0]["field"], "user");
}
