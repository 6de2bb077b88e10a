//! `git distill collect` and `git distill init` through the real binary.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sources")
        .join(rel)
}

/// A repository with three commits on 2026-01-01 08:00, 2026-01-01 12:00 and 2026-01-02 18:00 (UTC).
fn repo_with_history(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r", 0);
    for (i, date) in ["2026-01-01T08:00:00Z", "2026-01-01T12:00:00Z", "2026-01-02T18:00:00Z"]
        .iter()
        .enumerate()
    {
        std::fs::write(repo.join("file.txt"), format!("{i}\n")).unwrap();
        sb.git(&repo, &["add", "file.txt"]);
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(&repo).args(["commit", "-q", "-m", &format!("c{i}")]);
        common::isolate(&mut cmd, sb.path());
        cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
        assert!(cmd.status().unwrap().success());
    }
    repo
}

fn collect_json(sb: &Sandbox, repo: &Path, args: &[&str]) -> Value {
    let mut cmd = sb.distill(repo);
    cmd.arg("collect").arg("--json").args(args);
    serde_json::from_str(&stdout_ok(&mut cmd)).unwrap()
}

fn all_objects(sb: &Sandbox, repo: &Path) -> String {
    let out = sb.git_output(repo, &["cat-file", "--batch-all-objects", "--batch"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_adapter_writes_valid_notes_git_can_read_and_a_second_run_changes_nothing() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::create_dir_all(repo.join("logs")).unwrap();
    std::fs::copy(fixture("jsonl/config.toml"), repo.join(".distill/config.toml")).unwrap();
    std::fs::copy(fixture("jsonl/telemetry.jsonl"), repo.join("logs/telemetry.jsonl")).unwrap();
    let runs = |sb: &Sandbox| {
        let mut total = 0;
        total += collect_json(sb, &repo, &[])["records_new"].as_u64().unwrap();
        for (adapter, dir) in [
            ("claude-code", "claude-code"),
            ("codex", "codex"),
            ("lakehouse", "lakehouse"),
        ] {
            let glob = fixture(dir).join("*.jsonl");
            total += collect_json(sb, &repo, &["--adapter", adapter, glob.to_str().unwrap()])["records_new"]
                .as_u64()
                .unwrap();
        }
        total
    };
    assert_eq!(runs(&sb), 3 + 2 + 2 + 11);
    let evidence_tip = sb.git(&repo, &["rev-parse", "refs/notes/distill/evidence"]);

    // Plain git reads the notes; every line validates against the schema.
    let mut notes = String::new();
    for line in sb.git(&repo, &["notes", "--ref=distill/evidence", "list"]).lines() {
        let commit = line.split_whitespace().nth(1).unwrap();
        notes.push_str(&sb.git(&repo, &["notes", "--ref=distill/evidence", "show", commit]));
    }
    assert_eq!(notes.lines().count(), 18);
    let file = sb.path().join("all.jsonl");
    std::fs::write(&file, &notes).unwrap();
    stdout_ok(sb.distill(&repo).args(["validate", "--kind", "evidence"]).arg(&file));

    // The time-window rule: the Claude run that ended 2026-01-01 09:01 belongs to c1 (12:00).
    let c1 = sb.git(&repo, &["rev-parse", "HEAD~1"]).trim().to_owned();
    let on_c1 = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", &c1]);
    assert!(on_c1.contains("7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60") && on_c1.contains("\"link_rule\":\"time-window\""));

    // Second run: nothing new, the evidence ref does not move.
    assert_eq!(runs(&sb), 0);
    assert_eq!(
        sb.git(&repo, &["rev-parse", "refs/notes/distill/evidence"]),
        evidence_tip
    );

    // No fake secret from any fixture reached any git object.
    let objects = all_objects(&sb, &repo);
    for secret in [
        "sk-proj-Ab3dEf6hIj9k",
        "ghp_1a2B3c4D5e6F",
        "hunter2hunter2",
        "AKIAIOSFODNN7EXAMPLF",
    ] {
        assert!(!objects.contains(secret), "{secret} reached git");
    }
}

#[test]
fn realistic_fake_keys_never_reach_any_git_object() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let report = collect_json(
        &sb,
        &repo,
        &["--adapter", "jsonl", fixture("jsonl/secrets.jsonl").to_str().unwrap()],
    );
    assert_eq!(report["records_new"], 5);
    assert_eq!(report["quarantined"].as_array().unwrap().len(), 1);
    let redactions = report["redactions"].as_object().unwrap();
    for rule in [
        "openai",
        "anthropic",
        "github",
        "gitlab",
        "aws-access-key",
        "aws-secret-key",
        "google-api-key",
        "slack-token",
        "stripe",
        "jwt",
        "bearer",
        "assigned-secret",
        "private-key",
    ] {
        assert!(redactions.contains_key(rule), "no {rule} redaction: {redactions:?}");
    }
    let objects = all_objects(&sb, &repo);
    let secrets = std::fs::read_to_string(fixture("jsonl/secrets.txt")).unwrap();
    for secret in secrets.lines() {
        assert!(!objects.contains(secret), "{secret} reached a git object");
    }
    assert!(objects.contains("[REDACTED:bearer]") && objects.contains("[REDACTED:aws-access-key]"));
    // The receipt counts redactions per rule; the report says where, never what.
    let receipt = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    assert!(receipt.contains("\"redactions\":{"), "{receipt}");
    let out = stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--redaction-report", "--adapter", "jsonl"])
            .arg(fixture("jsonl/secrets.jsonl")),
    );
    assert!(!secrets.lines().any(|s| out.contains(s)));
}

#[test]
fn bad_lines_are_quarantined_counted_and_reported_never_dropped() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::create_dir_all(repo.join("logs")).unwrap();
    let config = std::fs::read_to_string(fixture("jsonl/config.toml")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        format!("{config}\n[collect]\nmax_line_bytes = 700\n"),
    )
    .unwrap();
    let mut log = std::fs::read(fixture("jsonl/telemetry.jsonl")).unwrap();
    log.extend_from_slice(format!("{{\"run\":\"huge\",\"prompt\":\"{}\"}}\n", "x".repeat(1000)).as_bytes());
    std::fs::write(repo.join("logs/telemetry.jsonl"), log).unwrap();

    let report = collect_json(&sb, &repo, &[]);
    let file = &report["files"][0];
    let (read, used, quarantined) = (
        file["lines_read"].as_u64().unwrap(),
        file["lines_used"].as_u64().unwrap(),
        file["quarantined"].as_u64().unwrap(),
    );
    assert_eq!((read, used, quarantined), (7, 3, 4));
    assert_eq!(used + quarantined, read, "in + quarantined = read");
    let reasons: Vec<&str> = report["quarantined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.iter().any(|r| r.starts_with("not JSON")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("unknown role `wizard`")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"not valid UTF-8"), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("line too long")), "{reasons:?}");

    let note = sb.git(&repo, &["notes", "--ref=distill/quarantine", "show", "HEAD"]);
    assert_eq!(note.lines().count(), 4);
    assert!(
        note.contains("\"raw_sha256\":\"") && !note.contains("xxxxxxxxxx"),
        "quarantine keeps hashes, not content"
    );

    sb.distill(&repo).args(["collect", "--strict"]).assert().code(1);
}

#[test]
fn linking_by_record_commit_and_at() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let c0 = sb.git(&repo, &["rev-parse", "HEAD~2"]).trim().to_owned();
    let log = sb.path().join("hinted.jsonl");
    std::fs::write(
        &log,
        format!(
            "{{\"run_id\":\"h1\",\"ts\":\"2026-01-03T00:00:00Z\",\"head_sha\":\"{}\"}}\n{{\"run_id\":\"h2\"}}\n",
            &c0[..12]
        ),
    )
    .unwrap();
    let report = collect_json(&sb, &repo, &["--adapter", "jsonl", log.to_str().unwrap()]);
    assert_eq!(report["link_rules"]["record"], 1);
    assert_eq!(report["link_rules"]["head"], 1);
    assert!(
        sb.git(&repo, &["notes", "--ref=distill/evidence", "show", &c0])
            .contains("\"run_id\":\"h1\"")
    );
    // A run without a time keeps the explicit unknown marker, never a guessed time.
    let head_note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        head_note.contains("\"timestamp\":\"1970-01-01T00:00:00Z\""),
        "{head_note}"
    );

    let other = sb.path().join("other.jsonl");
    std::fs::write(&other, "{\"run_id\":\"a1\",\"ts\":\"2026-01-01T09:00:00Z\"}\n").unwrap();
    let report = collect_json(
        &sb,
        &repo,
        &["--adapter", "jsonl", "--at", "HEAD~2", other.to_str().unwrap()],
    );
    assert_eq!(report["link_rules"]["at"], 1);
}

#[test]
fn config_and_input_errors_are_one_line_and_name_the_culprit() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let out = sb.distill(&repo).args(["collect"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git distill init"));

    let out = sb
        .distill(&repo)
        .args(["collect", "--adapter", "codex", "nope/missing.jsonl"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("nope/missing.jsonl") && err.lines().count() == 1, "{err}");

    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[[source]]\nname = \"x\"\nadapter = \"nonesuch\"\npath = \"a\"\n",
    )
    .unwrap();
    let err = String::from_utf8(sb.distill(&repo).args(["collect"]).output().unwrap().stderr).unwrap();
    assert!(
        err.contains(".distill/config.toml") && err.contains("adapter") && err.contains("nonesuch"),
        "{err}"
    );

    std::fs::write(
        repo.join(".distill/config.toml"),
        "[[source]]\nname = \"x\"\nadapter = \"jsonl\"\npath = \"a\"\n[source.map]\nrun_idd = \"/x\"\n",
    )
    .unwrap();
    let err = String::from_utf8(sb.distill(&repo).args(["collect"]).output().unwrap().stderr).unwrap();
    assert!(
        err.contains("unknown field `run_idd`") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn init_writes_a_starter_config_and_detects_claude_logs() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let slug: String = repo.canonicalize().unwrap().to_string_lossy().replace(['/', '.'], "-");
    let project = sb.path().join(".claude/projects").join(slug);
    std::fs::create_dir_all(&project).unwrap();
    std::fs::copy(
        fixture("claude-code/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl"),
        project.join("s.jsonl"),
    )
    .unwrap();
    let name = repo.canonicalize().unwrap().file_name().unwrap().to_owned();
    let chats = sb.path().join(".gemini/tmp").join(name).join("chats");
    std::fs::create_dir_all(&chats).unwrap();
    std::fs::copy(fixture("../sessions/gemini-session.json"), chats.join("session-1.json")).unwrap();
    std::fs::copy(
        fixture("../sessions/aider.chat.history.md"),
        repo.join(".aider.chat.history.md"),
    )
    .unwrap();
    let out = stdout_ok(sb.distill(&repo).args(["init"]));
    assert!(out.contains("found Claude Code logs"), "{out}");
    assert!(
        out.contains("found Gemini CLI recordings") && out.contains("found Aider's chat history"),
        "{out}"
    );
    sb.distill(&repo).args(["init"]).assert().code(2);
    let report = collect_json(&sb, &repo, &[]);
    assert_eq!(
        report["records_new"], 3,
        "the detected sources are collected as configured: {report:#}"
    );
}

/// Notes are streamed when collect reads them back: loose (as collect writes them),
/// packed (after `git gc`), or rewritten out of order by plain git.
#[test]
fn stored_notes_merge_whether_loose_packed_or_rewritten_by_git() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let lines = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| format!("{{\"run_id\":\"run-{i:03}\",\"ts\":\"2026-01-01T09:00:00Z\",\"output\":\"ok\"}}\n"))
            .collect()
    };
    let log = |name: &str, text: String| {
        let path = sb.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let collect = |path: &str| collect_json(&sb, &repo, &["--adapter", "jsonl", "--at", "HEAD", path]);
    let note = || sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    let is_normal = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines.windows(2).all(|w| w[0] < w[1])
    };

    let first = log("a.jsonl", lines(0, 40));
    assert_eq!(collect(&first)["records_new"], 40);
    sb.git(&repo, &["gc", "-q", "--prune=now"]);
    let packed = sb.git(&repo, &["count-objects", "-v"]);
    assert!(packed.contains("count: 0"), "everything is packed: {packed}");
    // Known records are recognized from the packed note; new ones merge into it.
    assert_eq!(collect(&first)["records_new"], 0);
    assert_eq!(collect(&log("b.jsonl", lines(40, 60)))["records_new"], 20);
    let merged = note();
    assert_eq!(merged.lines().count(), 60);
    assert!(is_normal(&merged));

    // Plain git rewrites the note with its lines reversed; the next merge normalizes it.
    let reversed: String = merged.lines().rev().map(|l| format!("{l}\n")).collect();
    let file = log("reversed.txt", reversed);
    sb.git(
        &repo,
        &["notes", "--ref=distill/evidence", "add", "-f", "-F", &file, "HEAD"],
    );
    assert_eq!(collect(&log("c.jsonl", lines(60, 65)))["records_new"], 5);
    let merged = note();
    assert_eq!(merged.lines().count(), 65);
    assert!(is_normal(&merged));
    // And the loose note collect wrote streams in order into the next merge.
    assert_eq!(collect(&log("d.jsonl", lines(65, 70)))["records_new"], 5);
    let merged = note();
    assert_eq!(merged.lines().count(), 70);
    assert!(is_normal(&merged));
    assert!(sb.git_output(&repo, &["fsck", "--strict"]).status.success());
}

/// Inputs as they come: a byte-order mark, a line with a repeated key, a directory, a
/// FIFO, a symlink loop, a glob that matches nothing, a glob that would reach `.git/`.
#[test]
fn awkward_inputs_get_their_own_answer() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let run =
        |id: &str| format!("{{\"run_id\":\"{id}\",\"task_id\":\"t\",\"model\":\"m\",\"ts\":\"2026-01-01T00:00:00Z\"}}");
    let logs = repo.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let file = logs.join("bom.jsonl");
    std::fs::write(
        &file,
        format!("\u{feff}{}\n{{\"run_id\":\"a\",\"run_id\":\"b\"}}\n", run("first")),
    )
    .unwrap();
    let report = collect_json(
        &sb,
        &repo,
        &["--adapter", "jsonl", "--at", "HEAD", file.to_str().unwrap()],
    );
    let quarantined = report["quarantined"].as_array().unwrap();
    assert_eq!(quarantined.len(), 1, "{report:#}");
    assert_eq!(quarantined[0]["line"], 2);
    assert!(
        quarantined[0]["reason"]
            .as_str()
            .unwrap()
            .contains("duplicate key `run_id`")
    );
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(note.contains("\"run_id\":\"first\""), "{note}");

    let fifo = logs.join("pipe.jsonl");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let looped = logs.join("loop.jsonl");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    for (path, says) in [
        (logs.clone(), "is a directory"),
        (fifo, "is not a regular file"),
        (looped, "symbolic links"),
        (logs.join("absent.jsonl"), "no such file"),
    ] {
        let out = sb
            .distill(&repo)
            .args(["collect", "--adapter", "jsonl"])
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says) && err.lines().count() == 1, "{path:?}: {err}");
    }

    // A configured glob that matches no regular file warns; one that would reach .git/ does not.
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[[source]]\nname = \"none\"\nadapter = \"jsonl\"\npath = \"nowhere/*.jsonl\"\n\n\
         [[source]]\nname = \"all\"\nadapter = \"jsonl\"\npath = \"**/*.jsonl\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join(".git/logs-inside")).unwrap();
    std::fs::write(
        repo.join(".git/logs-inside/x.jsonl"),
        format!("{}\n", run("from-git-dir")),
    )
    .unwrap();
    let out = sb.distill(&repo).args(["collect", "--json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("source `none`: nowhere/*.jsonl matches no regular file"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["logs/bom.jsonl"], "{report:#}");
}

/// Claude Code relays a subagent's turns in the parent's `progress` lines, and keeps the
/// subagent's own transcript in `agent-*.jsonl` under the parent's session id. The
/// relayed tool calls are the parent's work; the subagent's file is a run of its own.
#[test]
fn claude_subagents_are_read_in_the_parent_and_as_their_own_run() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    let line = |v: Value| format!("{v}\n");
    let base = |kind: &str, sidechain: bool| {
        serde_json::json!({"type": kind, "sessionId": "s-1", "isSidechain": sidechain, "cwd": "/w",
                           "timestamp": "2026-02-01T10:00:00Z"})
    };
    let mut user = base("user", false);
    user["message"] = serde_json::json!({"role": "user", "content": "Run the tests through a subagent"});
    let mut relayed_call = base("progress", false);
    relayed_call["data"] = serde_json::json!({"type": "agent_progress", "agentId": "a1",
        "message": {"type": "assistant", "message": {"role": "assistant", "content": [
            {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "pytest -q"}}]}}});
    let mut relayed_result = base("progress", false);
    relayed_result["data"] = serde_json::json!({"type": "agent_progress", "agentId": "a1",
        "message": {"type": "user", "message": {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": "=== 3 passed in 0.1s ==="}]}}});
    let mut answer = base("assistant", false);
    answer["message"] = serde_json::json!({"id": "m1", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "All 3 tests pass."}]});
    let parent = [user, relayed_call, relayed_result, answer].map(line).concat();
    let mut sub_user = base("user", true);
    sub_user["agentId"] = "a1".into();
    sub_user["message"] = serde_json::json!({"role": "user", "content": "Run pytest and report"});
    let mut sub_answer = base("assistant", true);
    sub_answer["agentId"] = "a1".into();
    sub_answer["message"] = serde_json::json!({"id": "m2", "role": "assistant", "model": "claude-haiku-4-5",
        "content": [{"type": "text", "text": "3 passed"}]});
    let child = [sub_user, sub_answer].map(line).concat();
    std::fs::write(sb.path().join("s-1.jsonl"), parent).unwrap();
    std::fs::write(sb.path().join("agent-a1.jsonl"), child).unwrap();
    collect_json(
        &sb,
        &repo,
        &[
            "--adapter",
            "claude-code",
            "--at",
            "HEAD",
            sb.path().join("s-1.jsonl").to_str().unwrap(),
            sb.path().join("agent-a1.jsonl").to_str().unwrap(),
        ],
    );
    let notes = sb.git(&repo, &["notes", "--ref=refs/notes/distill/evidence", "show", "HEAD"]);
    let records: Vec<Value> = notes.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let by_id = |id: &str| {
        records
            .iter()
            .find(|r| r["run_id"] == id)
            .unwrap_or_else(|| panic!("{id}: {notes}"))
    };
    let parent = by_id("s-1");
    assert_eq!(parent["validation_results"][0]["name"], "pytest");
    assert_eq!(parent["validation_results"][0]["passed"], true);
    assert_eq!(by_id("s-1/agent-a1")["model_name"], "claude-haiku-4-5");
}

/// Stored evidence lines are the record's RFC 8785 canonical form with empty lists left
/// out; a line in the older form (declaration order, empty lists written) is still read,
/// keeps its identity (collecting the same log again adds nothing) and is scored.
#[test]
fn stored_lines_are_canonical_and_the_older_form_still_reads() {
    let sb = Sandbox::new();
    let repo = repo_with_history(&sb);
    let log = fixture("jsonl/telemetry.jsonl");
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::copy(fixture("jsonl/config.toml"), repo.join(".distill/config.toml")).unwrap();
    std::fs::create_dir_all(repo.join("logs")).unwrap();
    std::fs::copy(&log, repo.join("logs/telemetry.jsonl")).unwrap();
    assert_eq!(collect_json(&sb, &repo, &["--at", "HEAD"])["records_new"], 3);

    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    let mut older = String::new();
    for line in note.lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        let object = value.as_object().unwrap();
        assert!(
            object.values().all(|v| v.as_array().is_none_or(|a| !a.is_empty())),
            "an empty list was stored: {line}"
        );
        let canonical = git_distill::schema::canonical_bytes(&value).unwrap();
        assert_eq!(line.as_bytes(), canonical.as_slice(), "not canonical: {line}");
        // The older form: fields in declaration order, every list written.
        let record: git_distill::schema::EvidenceRecord = serde_json::from_str(line).unwrap();
        older.push_str(&serde_json::to_string(&record).unwrap());
        older.push('\n');
    }
    assert!(older.contains(":[]"), "the fixture has an empty list to write");

    // Replace the note with the older form, as an earlier release wrote it.
    let file = sb.path().join("older.jsonl");
    std::fs::write(&file, &older).unwrap();
    sb.git(
        &repo,
        &[
            "notes",
            "--ref=distill/evidence",
            "add",
            "-f",
            "-F",
            file.to_str().unwrap(),
            "HEAD",
        ],
    );
    assert_eq!(collect_json(&sb, &repo, &["--at", "HEAD"])["records_new"], 0);
    let scored: Value = serde_json::from_str(&stdout_ok(sb.distill(&repo).args(["score", "--json"]))).unwrap();
    assert_eq!(scored["runs"].as_array().map(Vec::len), Some(3), "{scored}");
}
