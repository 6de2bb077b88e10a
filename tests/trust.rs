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
    let clones = sb.shared_remote(2, &["a", "b"]);
    let (a, b) = (clones[0].clone(), clones[1].clone());
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
    sb.git(
        repo,
        &["notes", &reference, "add", "-f", "-F", file.to_str().unwrap(), "HEAD"],
    );
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

    let hits = stdout_ok(
        sb.distill(&a)
            .args(["search", "--json", "REJECTED-ANSWER", "--category", "accepted"]),
    );
    assert!(!hits.contains("rej-1"), "{hits}");

    let verify = sb.distill(&a).args(["verify", "--all", "--strict"]).output().unwrap();
    let text = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(verify.status.code(), Some(1), "{text}");
    assert!(text.contains("refs/notes/distill/scores: 1 of"), "{text}");
    assert!(text.contains("rej-1"), "{text}");
    // Without --strict the receipts themselves still pass.
    let lenient = sb.distill(&a).args(["verify", "--all"]).output().unwrap();
    assert_eq!(
        lenient.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&lenient.stdout)
    );
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

/// A remote notes ref that points at a blob, lines that are not records, a line of an
/// unknown schema_version and a note over the size limit: fetch skips or refuses each
/// with a warning, merges the rest, and exits 1.
#[test]
fn a_hostile_remote_cannot_jam_fetch() {
    let sb = Sandbox::new();
    let (a, b) = two_clones(&sb);
    let blob = sb.path().join("blob.txt");
    std::fs::write(&blob, "not a commit\n").unwrap();
    let id = sb.git(&b, &["hash-object", "-w", blob.to_str().unwrap()]);
    sb.git(&b, &["update-ref", "refs/notes/distill/aaa-jam", id.trim()]);
    sb.git(&b, &["push", "-q", "origin", "refs/notes/distill/aaa-jam"]);
    let scores = sb.git(&b, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    let future = scores
        .lines()
        .next()
        .unwrap()
        .replace("\"schema_version\":1", "\"schema_version\":99")
        .replace("\"run_id\":\"", "\"run_id\":\"future-");
    let valid_new = scores
        .lines()
        .next()
        .unwrap()
        .replace("\"run_id\":\"", "\"run_id\":\"new-");
    push_crafted(
        &sb,
        &b,
        "scores",
        &["{not json".to_owned(), future.clone(), valid_new.clone()],
    );
    let out = sb.distill(&a).args(["fetch", "--json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["skipped"][0]["name"], "refs/notes/distill/aaa-jam", "{report:#}");
    assert!(
        report["skipped"][0]["reason"].as_str().unwrap().contains("blob"),
        "{report:#}"
    );
    let incoming = |report: &Value, name: &str| -> Value {
        let all = report["incoming"].as_array().unwrap();
        all.iter().find(|i| i["name"] == name).unwrap().clone()
    };
    assert_eq!(
        incoming(&report, "refs/notes/distill/scores")["lines_refused"],
        2,
        "{report:#}"
    );

    // A note of many lines on a ref of plain JSON lines, where the victim allows three.
    let many: Vec<String> = (0..5).map(|i| format!("{{\"i\":{i}}}")).collect();
    push_crafted(&sb, &b, "misc", &many);
    std::fs::create_dir_all(a.join(".distill")).unwrap();
    std::fs::write(a.join(".distill/config.toml"), "[sync]\nmax_note_lines = 3\n").unwrap();
    let out = sb.distill(&a).args(["fetch", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        incoming(&report, "refs/notes/distill/misc")["notes_refused"],
        1,
        "{report:#}"
    );

    let merged = sb.git(&a, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    assert!(merged.contains(&valid_new), "the valid line was not merged");
    assert!(!merged.contains("{not json") && !merged.contains("future-"), "{merged}");
    assert!(
        sb.git_output(&a, &["notes", "--ref=distill/misc", "show", "HEAD"])
            .stdout
            .is_empty()
    );
    // A line of an unknown schema_version that reached the notes another way (plain git)
    // is flagged by show and never counted as a run by log.
    let runs_before = log_json(&sb, &a)["runs"].clone();
    let evidence = sb.git(&a, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    let future = evidence
        .lines()
        .next()
        .unwrap()
        .replace("\"schema_version\":1", "\"schema_version\":99")
        .replace("\"run_id\":\"", "\"run_id\":\"future-");
    push_crafted(&sb, &a, "evidence", &[future]);
    let entry = log_json(&sb, &a);
    assert_eq!(entry["runs"], runs_before);
    assert_eq!(entry["unreadable_lines"], 1, "{entry:#}");
    let show = sb.distill(&a).args(["show"]).output().unwrap();
    let text = String::from_utf8_lossy(&show.stdout);
    assert_eq!(show.status.code(), Some(1), "{text}");
    assert!(
        text.contains("unsupported schema_version 99") && !text.contains("future-"),
        "{text}"
    );

    // The jammed ref did not stop the next fetch either, and nothing new is refused twice.
    let again = sb.distill(&a).args(["fetch"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("skipped refs/notes/distill/aaa-jam"));
}

/// Three clones push notes at the same moment, five rounds: every push lands (retrying
/// after a lost race), and the remote holds every line.
#[test]
fn three_clones_pushing_at_once_all_land() {
    let sb = Sandbox::new();
    let clones = sb.shared_remote(1, &["c0", "c1", "c2"]);
    for round in 0..5 {
        for (i, c) in clones.iter().enumerate() {
            let line = format!("{{\"clone\":{i},\"round\":{round}}}");
            stdout_ok(sb.distill(c).args(["notes", "add", "--kind", "shared", "HEAD", &line]));
        }
        let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
            let handles: Vec<_> = clones
                .iter()
                .map(|c| scope.spawn(|| sb.distill(c).args(["push"]).output().unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for out in outputs {
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let remote = sb.path().join("remote.git");
    let note = sb.git(&remote, &["notes", "--ref=distill/shared", "show", "main"]);
    assert_eq!(note.lines().count(), 15, "{note}");
}

/// A key in a log file's directory name, and a token wrapped in base64 inside a record:
/// neither reaches a note, a receipt or stdout, and receipts hold no absolute path.
#[test]
fn secrets_in_paths_and_encodings_never_reach_git_or_stdout() {
    use base64::Engine as _;
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let secret_dir = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    let token = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R";
    let wrapped = base64::engine::general_purpose::STANDARD.encode(format!("token={token}"));
    for dir in [repo.join("logs").join(secret_dir), sb.path().join(secret_dir)] {
        std::fs::create_dir_all(&dir).unwrap();
        let line = format!(
            "{{\"run_id\":\"r1\",\"task_id\":\"t\",\"model\":\"m\",\"ts\":\"2026-01-01T00:00:00Z\",\"failure_markers\":[\"env {wrapped}\"]}}\n{{broken\n"
        );
        std::fs::write(dir.join("x.jsonl"), line).unwrap();
        let out = sb
            .distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(dir.join("x.jsonl"))
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{printed}");
        assert!(
            !printed.contains(secret_dir) && !printed.contains(&wrapped),
            "{printed}"
        );
    }
    let mut stored = String::new();
    for kind in ["evidence", "quarantine", "receipts"] {
        stored.push_str(&sb.git(&repo, &["notes", &format!("--ref=distill/{kind}"), "show", "HEAD"]));
    }
    assert!(stored.contains("[REDACTED:stripe]"), "{stored}");
    for leak in [secret_dir, token, wrapped.as_str()] {
        assert!(!stored.contains(leak), "{leak} reached git: {stored}");
    }
    let sandbox = sb.path().canonicalize().unwrap();
    let receipts = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    for line in receipts.lines() {
        let receipt: Value = serde_json::from_str(line).unwrap();
        let command = receipt["predicate"]["command"].as_array().unwrap();
        assert_eq!(command[0], "git-distill", "{line}");
        assert!(!line.contains(sandbox.to_str().unwrap()), "an absolute path in {line}");
    }
}
