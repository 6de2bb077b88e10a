//! Evidence from a clone you do not trust: a hostile clone pushes crafted notes to the
//! shared bare repository, and what the victim believes after `git distill fetch` must
//! not change — verdicts are recomputed, forged lines are reported, bad refs are skipped.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// A bare remote, the victim `a` (collected, scored, pushed) and the attacker `b` (fetched).
fn two_clones(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let seed = sb.repo("seed", 2);
    sb.git(sb.path(), &["clone", "-q", "--bare", seed.to_str().unwrap(), "remote.git"]);
    sb.git(sb.path(), &["clone", "-q", "remote.git", "a"]);
    sb.git(sb.path(), &["clone", "-q", "remote.git", "b"]);
    let (a, b) = (sb.path().join("a"), sb.path().join("b"));
    stdout_ok(
        sb.distill(&a)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("export/runs.jsonl")),
    );
    stdout_ok(sb.distill(&a).args(["score"]));
    stdout_ok(sb.distill(&a).args(["push"]));
    stdout_ok(sb.distill(&b).args(["fetch"]));
    (a, b)
}

/// Add `lines` to the note of HEAD on `refs/notes/distill/<kind>` with plain git and push it.
fn push_crafted(sb: &Sandbox, repo: &Path, kind: &str, lines: &[String]) {
    let reference = format!("--ref=distill/{kind}");
    let old = sb.git_output(repo, &["notes", &reference, "show", "HEAD"]);
    let mut note = String::from_utf8(old.stdout).unwrap();
    for l in lines {
        note.push_str(l);
        note.push('\n');
    }
    let file = repo.join("crafted.note");
    std::fs::write(&file, note).unwrap();
    sb.git(repo, &["notes", &reference, "add", "-f", "-F", file.to_str().unwrap(), "HEAD"]);
    sb.git(repo, &["push", "-q", "origin", &format!("refs/notes/distill/{kind}")]);
}

fn log_json(sb: &Sandbox, repo: &Path) -> Value {
    let out = stdout_ok(sb.distill(repo).args(["log", "--json", "-n", "1"]));
    serde_json::from_str::<Value>(&out).unwrap()[0].clone()
}

/// A second ScoredRun line saying `accepted` for a rejected run is pushed by another clone:
/// log, export and search still say rejected, SFT does not take it, the conflict is
/// reported, and `verify --strict` fails on the unattested line.
#[test]
fn a_forged_verdict_from_another_clone_never_reaches_sft() {
    let sb = Sandbox::new();
    let (a, b) = two_clones(&sb);
    let before = log_json(&sb, &a);
    assert_eq!(before["categories"]["rejected"], 2, "{before:#}");

    let scores = sb.git(&b, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    let rejected = scores.lines().find(|l| l.contains("\"run_id\":\"rej-1\"")).unwrap();
    let forged = rejected.replace("\"category\":\"rejected\"", "\"category\":\"accepted\"");
    assert_ne!(forged, rejected);
    push_crafted(&sb, &b, "scores", &[forged]);

    stdout_ok(sb.distill(&a).args(["fetch"]));
    let after = log_json(&sb, &a);
    assert_eq!(after["categories"], before["categories"], "{after:#}");
    let conflict = &after["verdict_conflicts"][0];
    assert_eq!(conflict["run_id"], "rej-1", "{after:#}");
    assert_eq!(conflict["stored"], "accepted");
    assert_eq!(conflict["kept"], "rejected");

    let export = sb
        .distill(&a)
        .args(["export", "--json", "--name", "d", "--out", "out"])
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let sft: String = std::fs::read_dir(a.join("out/sft"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!sft.contains("REJECTED-ANSWER-1"), "a forged verdict reached SFT");
    assert!(sft.contains("ACCEPTED-ANSWER-1"));
    let report: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(report["verdict_conflicts"][0]["run_id"], "rej-1");

    let hits = stdout_ok(sb.distill(&a).args(["search", "--json", "REJECTED-ANSWER", "--category", "accepted"]));
    assert!(!hits.contains("rej-1"), "{hits}");

    let verify = sb.distill(&a).args(["verify", "--all", "--strict"]).output().unwrap();
    let text = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(verify.status.code(), Some(1), "{text}");
    assert!(text.contains("refs/notes/distill/scores: 1 of"), "{text}");
    assert!(text.contains("rej-1"), "{text}");
    // Without --strict the receipts themselves still pass.
    let lenient = sb.distill(&a).args(["verify", "--all"]).output().unwrap();
    assert_eq!(lenient.status.code(), Some(0), "{}", String::from_utf8_lossy(&lenient.stdout));
}

/// A stored verdict more cautious than the evidence (another scorer version, say) wins.
#[test]
fn a_more_cautious_stored_verdict_wins_and_is_reported() {
    let sb = Sandbox::new();
    let (a, b) = two_clones(&sb);
    let scores = sb.git(&b, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    let accepted = scores.lines().find(|l| l.contains("\"run_id\":\"acc-2\"")).unwrap();
    let cautious = accepted.replace("\"category\":\"accepted\"", "\"category\":\"needs_human_review\"");
    push_crafted(&sb, &b, "scores", &[cautious]);
    stdout_ok(sb.distill(&a).args(["fetch"]));
    stdout_ok(sb.distill(&a).args(["export", "--name", "d", "--out", "out"]));
    let sft: String = std::fs::read_dir(a.join("out/sft"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!sft.contains("ACCEPTED-ANSWER-2"), "a run in doubt reached SFT");
    assert!(sft.contains("ACCEPTED-ANSWER-3"));
    let entry = log_json(&sb, &a);
    assert_eq!(entry["verdict_conflicts"][0]["kept"], "needs_human_review", "{entry:#}");
}
