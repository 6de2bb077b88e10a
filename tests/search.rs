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
fn the_index_is_a_cache_refreshed_incrementally() {
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");
    let stats = |sb: &Sandbox| -> Value {
        serde_json::from_str(&stdout_ok(sb.distill(&repo).args(["index", "--json"]))).unwrap()
    };
    let first = stats(&sb);
    assert!(first["parsed_blobs"].as_u64().unwrap() > 0);
    assert_eq!(stats(&sb)["parsed_blobs"], 0, "nothing changed, nothing parsed");

    // New evidence on one commit: only that note is parsed again.
    let log = sb.path().join("extra.jsonl");
    std::fs::write(&log, "{\"run_id\":\"extra-1\",\"ts\":\"2026-01-04T00:00:00Z\",\"model\":\"m\",\"failure_markers\":[\"zebra failure\"]}\n").unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    assert_eq!(stats(&sb)["parsed_blobs"], 1);
    assert_eq!(search(&sb, &repo, &["zebra"])["hits"][0]["document"]["id"], "extra-1");

    // Deleting the cache loses nothing.
    let before = search(&sb, &repo, &["audit log"]);
    std::fs::remove_dir_all(repo.join(".git/distill/index")).unwrap();
    let rebuilt = search(&sb, &repo, &["audit log"]);
    assert_eq!(rebuilt["hits"], before["hits"]);
}
