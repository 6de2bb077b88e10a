//! Hooks, `log` and `demo` end to end: existing hooks chained, commits with agent logs,
//! amend and rebase, push to a bare remote, clone elsewhere, same view there.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// Commit staged changes at `date` with the real git (so the installed hooks run); returns stderr.
fn commit(sb: &Sandbox, repo: &Path, message: &str, date: &str) -> String {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(repo).args(["commit", "-q", "-m", message]);
    common::isolate(&mut cmd, sb.path());
    // The hook scripts find git-distill through the path recorded at install time.
    cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "commit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A bare `remote.git` beside the repository, added as `origin`.
fn add_bare_origin(sb: &Sandbox, repo: &Path) {
    sb.git(sb.path(), &["init", "-q", "--bare", "remote.git"]);
    sb.git(
        repo,
        &[
            "remote",
            "add",
            "origin",
            sb.path().join("remote.git").to_str().unwrap(),
        ],
    );
}

fn log_json(sb: &Sandbox, repo: &Path) -> Vec<Value> {
    let out = stdout_ok(sb.distill(repo).args(["log", "--json"]));
    serde_json::from_str::<Vec<Value>>(&out).unwrap()
}

/// The per-commit view minus commit ids (rewritten commits get new ids).
fn view(entries: &[Value]) -> Vec<(String, u64, Value, Option<u64>)> {
    entries
        .iter()
        .map(|e| {
            (
                e["summary"].as_str().unwrap().to_owned(),
                e["runs"].as_u64().unwrap(),
                e["categories"].clone(),
                e.get("drift").map(|d| d["drifting"].as_u64().unwrap()),
            )
        })
        .collect()
}

#[test]
fn hooks_chain_carry_notes_across_rewrites_and_travel_with_push() {
    let sb = Sandbox::new();
    let repo = sb.repo("work", 0);
    add_bare_origin(&sb, &repo);

    // Hooks that were there before: they must keep running.
    let hooks = repo.join(".git/hooks");
    let marker = sb.path().join("marker.log");
    for name in ["pre-commit", "post-commit"] {
        std::fs::write(
            hooks.join(name),
            format!("#!/bin/sh\necho {name} >> '{}'\n", marker.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(hooks.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = stdout_ok(sb.distill(&repo).args(["hooks", "install"]));
    assert!(
        out.contains("post-commit   installed (chains the previous hook)"),
        "{out}"
    );
    stdout_ok(sb.distill(&repo).args(["hooks", "install"]));
    assert!(hooks.join("post-commit.pre-distill").exists());

    // Sources: agent logs appear before each commit.
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[[source]]\nname = \"claude\"\nadapter = \"claude-code\"\npath = \"logs/*.jsonl\"\n",
    )
    .unwrap();
    std::fs::write(repo.join(".gitignore"), "logs/\n").unwrap();
    std::fs::create_dir_all(repo.join("logs")).unwrap();
    std::fs::copy(fixture("drift/base/PRD.md"), repo.join("PRD.md")).unwrap();
    std::fs::copy(
        fixture("sources/claude-code/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl"),
        repo.join("logs/a.jsonl"),
    )
    .unwrap();
    sb.git(&repo, &["add", "-A"]);
    let _ = commit(&sb, &repo, "first", "2026-01-01T10:00:00Z");
    std::fs::copy(
        fixture("sources/claude-code/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.jsonl"),
        repo.join("logs/b.jsonl"),
    )
    .unwrap();
    std::fs::write(repo.join("notes.txt"), "x\n").unwrap();
    sb.git(&repo, &["add", "-A"]);
    let _ = commit(&sb, &repo, "second", "2026-01-02T12:00:00Z");
    let ran = std::fs::read_to_string(&marker).unwrap();
    assert_eq!(
        ran.lines().filter(|l| *l == "post-commit").count(),
        2,
        "the original post-commit still runs"
    );
    assert_eq!(ran.lines().filter(|l| *l == "pre-commit").count(), 2);

    let before = log_json(&sb, &repo);
    assert_eq!(before[0]["runs"], 1);
    assert_eq!(before[1]["runs"], 1);
    assert!(before[0]["categories"]["rejected"].is_number(), "{:?}", before[0]);
    assert!(before[1].get("drift").is_some(), "post-commit records drift");

    // Amend and rebase: evidence and scores follow the rewritten commits.
    let mut amend = std::process::Command::new("git");
    amend
        .current_dir(&repo)
        .args(["commit", "-q", "--amend", "-m", "second"]);
    common::isolate(&mut amend, sb.path());
    assert!(amend.status().unwrap().success());
    sb.git(&repo, &["rebase", "-q", "--force-rebase", "HEAD~1"]);
    let after = log_json(&sb, &repo);
    assert_eq!(
        view(&after)[..2],
        view(&before)[..2],
        "notes carried across amend and rebase"
    );
    let head = sb.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    assert!(
        sb.git(&repo, &["notes", "--ref=distill/evidence", "show", &head])
            .contains("0a1b2c3d")
    );

    // Push: the pre-push hook pushes the notes refs along; a clone fetches them.
    sb.git(&repo, &["push", "-q", "origin", "main"]);
    let remote_refs = sb.git(&sb.path().join("remote.git"), &["for-each-ref", "--format=%(refname)"]);
    assert!(remote_refs.contains("refs/notes/distill/evidence") && remote_refs.contains("refs/notes/distill/scores"));
    sb.git(
        sb.path(),
        &[
            "clone",
            "-q",
            sb.path().join("remote.git").to_str().unwrap(),
            "elsewhere",
        ],
    );
    let elsewhere = sb.path().join("elsewhere");
    stdout_ok(sb.distill(&elsewhere).args(["fetch"]));
    assert_eq!(view(&log_json(&sb, &elsewhere)), view(&after));

    // Uninstall restores exactly what was there.
    stdout_ok(sb.distill(&repo).args(["hooks", "uninstall"]));
    assert!(
        std::fs::read_to_string(hooks.join("post-commit"))
            .unwrap()
            .contains("marker.log")
    );
    assert!(!hooks.join("post-commit.pre-distill").exists());
    assert!(!hooks.join("pre-push").exists());
}

#[test]
fn pre_push_blocks_new_drift_when_configured() {
    let sb = Sandbox::new();
    let repo = sb.path().join("gateway");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(fixture("drift/build.sh")).arg(&repo);
    common::isolate(&mut cmd, sb.path());
    assert!(cmd.status().unwrap().success());
    add_bare_origin(&sb, &repo);
    sb.git(&repo, &["push", "-q", "origin", "main"]);
    sb.git(&repo, &["fetch", "-q", "origin"]);
    stdout_ok(sb.distill(&repo).args(["hooks", "install"]));
    sb.git(&repo, &["config", "distill.drift.prePush", "block"]);
    let out = sb.git_output(&repo, &["push", "-q", "origin", "pr-drift:main"]);
    assert!(!out.status.success(), "a push that introduces drift is refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("push refused") && err.contains("fake"), "{err}");
    sb.git(&repo, &["config", "distill.drift.prePush", "warn"]);
    sb.git(&repo, &["push", "-q", "origin", "pr-drift:main"]);
}

#[test]
fn hook_failures_never_fail_the_commit_and_are_logged() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    stdout_ok(sb.distill(&repo).args(["hooks", "install"]));
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[[source]]\nname = \"x\"\nadapter = \"bogus\"\npath = \"a\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("f"), "1").unwrap();
    sb.git(&repo, &["add", "f"]);
    let stderr = commit(&sb, &repo, "x", "2026-01-01T10:00:00Z");
    assert!(stderr.contains("post-commit hook failed"), "{stderr}");
    assert!(
        std::fs::read_to_string(repo.join(".git/distill/hook.log"))
            .unwrap()
            .contains("bogus")
    );
    // Shown once: the same failure on the next commit is logged, not repeated.
    std::fs::write(repo.join("f"), "2").unwrap();
    sb.git(&repo, &["add", "f"]);
    let mut c = std::process::Command::new("git");
    c.current_dir(&repo).args(["commit", "-q", "-m", "y"]);
    common::isolate(&mut c, sb.path());
    let out = c.output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn demo_runs_the_whole_pipeline_offline() {
    let sb = Sandbox::new();
    let out = stdout_ok(sb.distill(sb.path()).args(["demo", "demo"]));
    assert!(out.contains("verify --all --reproduce: 12 receipts, 0 failed"), "{out}");
    assert!(out.contains("2 drifting of 8 claims (+2 −0)"), "{out}");
    let repo = sb.path().join("demo");
    let entries = log_json(&sb, &repo);
    assert_eq!(entries.len(), 3);
    let filtered = stdout_ok(sb.distill(&repo).args(["log", "--json", "--drift"]));
    assert_eq!(serde_json::from_str::<Vec<Value>>(&filtered).unwrap().len(), 1);
    let models = stdout_ok(sb.distill(&repo).args(["log", "--json", "--model", "codex", "-n", "1"]));
    assert_eq!(serde_json::from_str::<Vec<Value>>(&models).unwrap().len(), 1);
    sb.distill(sb.path()).args(["demo", "demo"]).assert().code(2);
}

#[test]
fn hooks_respect_core_hooks_path_and_worktrees() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    sb.git(&repo, &["config", "core.hooksPath", ".githooks"]);
    let out = stdout_ok(sb.distill(&repo).args(["hooks", "install", "--json"]));
    let status: Value = serde_json::from_str(&out).unwrap();
    assert!(status["hooks_dir"].as_str().unwrap().ends_with(".githooks"), "{status}");
    assert!(repo.join(".githooks/post-commit").exists());
    stdout_ok(sb.distill(&repo).args(["hooks", "uninstall"]));
    assert!(!repo.join(".githooks/post-commit").exists());
    sb.git(&repo, &["config", "--unset", "core.hooksPath"]);

    // From a linked worktree, hooks go to the shared hooks directory and run there.
    sb.git(&repo, &["worktree", "add", "-q", "../wt", "-b", "side"]);
    let wt = sb.path().join("wt");
    stdout_ok(sb.distill(&wt).args(["hooks", "install"]));
    assert!(repo.join(".git/hooks/post-commit").exists());
    std::fs::copy(fixture("drift/base/PRD.md"), wt.join("PRD.md")).unwrap();
    sb.git(&wt, &["add", "PRD.md"]);
    let _ = commit(&sb, &wt, "prd in a worktree", "2026-01-05T10:00:00Z");
    let head = sb.git(&wt, &["rev-parse", "HEAD"]).trim().to_owned();
    assert!(
        sb.git(&repo, &["notes", "--ref=distill/drift", "show", &head])
            .contains("\"claims\"")
    );
}

/// cherry-pick, cherry-pick -x and merge --squash run no post-rewrite: post-commit carries
/// the evidence; a squash made elsewhere (no hooks) gets it from `reattach` by patch id.
#[test]
fn evidence_follows_cherry_picks_squashes_and_reattach() {
    let sb = Sandbox::new();
    let repo = sb.repo("work", 1);
    stdout_ok(sb.distill(&repo).args(["hooks", "install"]));
    let run = |id: &str| {
        format!("{{\"run_id\":\"{id}\",\"task_id\":\"t\",\"model\":\"m\",\"ts\":\"2026-01-01T00:00:00Z\"}}\n")
    };
    sb.git(&repo, &["checkout", "-q", "-b", "side"]);
    for (i, name) in ["b", "c", "d"].iter().enumerate() {
        std::fs::write(repo.join(name), format!("{name}\n")).unwrap();
        sb.git(&repo, &["add", name]);
        let _ = commit(
            &sb,
            &repo,
            &format!("add {name}"),
            &format!("2026-01-0{}T10:00:00Z", i + 2),
        );
        let log = sb.path().join(format!("{name}.jsonl"));
        std::fs::write(&log, run(&format!("run-{name}"))).unwrap();
        stdout_ok(
            sb.distill(&repo)
                .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
                .arg(&log),
        );
    }
    let evidence = |rev: &str| {
        let out = sb.git_output(&repo, &["notes", "--ref=distill/evidence", "show", rev]);
        String::from_utf8(out.stdout).unwrap()
    };
    sb.git(&repo, &["checkout", "-q", "main"]);
    sb.git(&repo, &["cherry-pick", "side~2"]);
    assert!(evidence("HEAD").contains("run-b"), "cherry-pick lost the evidence");
    sb.git(&repo, &["cherry-pick", "-x", "side~1"]);
    assert!(evidence("HEAD").contains("run-c"), "cherry-pick -x lost the evidence");

    sb.git(&repo, &["reset", "-q", "--hard", "main~2"]);
    sb.git(&repo, &["merge", "-q", "--squash", "side"]);
    sb.git(&repo, &["commit", "-q", "--no-edit"]);
    let squashed = evidence("HEAD");
    for id in ["run-b", "run-c", "run-d"] {
        assert!(squashed.contains(id), "merge --squash lost {id}: {squashed}");
    }

    // A server-side squash of one commit: made without hooks, found by patch id.
    sb.git(&repo, &["reset", "-q", "--hard", "main~1"]);
    let tree = sb.git(&repo, &["rev-parse", "side~2^{tree}"]);
    let parent = sb.git(&repo, &["rev-parse", "HEAD"]);
    let made = sb.git(
        &repo,
        &["commit-tree", tree.trim(), "-p", parent.trim(), "-m", "Add b (#12)"],
    );
    sb.git(&repo, &["reset", "-q", "--hard", made.trim()]);
    assert!(evidence("HEAD").is_empty());
    let out = stdout_ok(sb.distill(&repo).args(["reattach", "--json", "HEAD~1..HEAD"]));
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["reattached"][0]["matched_by"], "patch-id", "{report:#}");
    assert!(evidence("HEAD").contains("run-b"));
    // Again: nothing left to do.
    let again: Value = serde_json::from_str(&stdout_ok(sb.distill(&repo).args([
        "reattach",
        "--json",
        "HEAD~1..HEAD",
    ])))
    .unwrap();
    assert_eq!(again["without_evidence"], 0);
}

/// `git distill -C <repo> log` pages with that repository's `core.pager`, not with the
/// configuration of the directory it was started in (on a terminal, through `script`).
#[test]
fn pager_follows_the_repository_given_with_dash_c() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 2);
    let marker = sb.path().join("paged.txt");
    sb.git(
        &repo,
        &["config", "core.pager", &format!("cat > '{}'", marker.display())],
    );
    let binary = assert_cmd::cargo::cargo_bin("git-distill");
    let mut cmd = std::process::Command::new("timeout");
    cmd.current_dir(sb.path())
        .args(["20", "script", "-qec"])
        .arg(format!("'{}' -C '{}' log", binary.display(), repo.display()))
        .arg("/dev/null")
        .env_remove("GIT_PAGER")
        .env_remove("PAGER");
    common::isolate(&mut cmd, sb.path());
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let paged = std::fs::read_to_string(&marker).expect("the repository's pager was not used");
    assert!(paged.contains("commit 1"), "{paged}");
}
