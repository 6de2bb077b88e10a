//! Capture at the source: agent hooks installed into the agents' own configuration, the
//! session an agent reports landing on the commit it produced with no `[[source]]`.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every agent's hook file, as a team might have it: install adds ours and keeps theirs
/// (compared with the expected file written from each agent's documented format),
/// installing twice changes nothing, uninstall gives the file back byte for byte.
#[test]
fn agent_hook_files_match_their_documented_formats_and_uninstall_restores_them() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    for (agent, path) in [
        ("claude-code", ".claude/settings.json"),
        ("codex", ".codex/hooks.json"),
        ("gemini", ".gemini/settings.json"),
        ("cursor", ".cursor/hooks.json"),
    ] {
        let target = repo.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let before = std::fs::read(fixture(&format!("agent-hooks/{agent}.before.json"))).unwrap();
        std::fs::write(&target, &before).unwrap();
        stdout_ok(sb.distill(&repo).args(["hooks", "install", "--agent", agent]));
        assert_eq!(
            read_json(&target),
            read_json(&fixture(&format!("agent-hooks/{agent}.after.json"))),
            "{agent}"
        );
        let once = std::fs::read(&target).unwrap();
        stdout_ok(sb.distill(&repo).args(["hooks", "install", "--agent", agent]));
        assert_eq!(
            std::fs::read(&target).unwrap(),
            once,
            "{agent}: a second install changed the file"
        );
        let status: Value = serde_json::from_str(&stdout_ok(
            sb.distill(&repo).args(["hooks", "status", "--json", "--agent", agent]),
        ))
        .unwrap();
        assert_eq!(status[0]["installed"], true, "{agent}: {status}");
        stdout_ok(sb.distill(&repo).args(["hooks", "uninstall", "--agent", agent]));
        assert_eq!(
            std::fs::read(&target).unwrap(),
            before,
            "{agent}: uninstall did not restore the file"
        );
    }
    // A file we created is removed again; the OpenCode plugin too.
    std::fs::remove_file(repo.join(".claude/settings.json")).unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["hooks", "install", "--agent", "opencode", "--agent", "claude"]),
    );
    let plugin = repo.join(".opencode/plugin/git-distill.js");
    assert!(
        std::fs::read_to_string(&plugin)
            .unwrap()
            .contains("git distill agent-hook opencode")
    );
    stdout_ok(
        sb.distill(&repo)
            .args(["hooks", "uninstall", "--agent", "opencode", "--agent", "claude-code"]),
    );
    assert!(!plugin.exists() && !repo.join(".claude/settings.json").exists());
    // Not JSON: refused, file untouched.
    std::fs::write(repo.join(".cursor/hooks.json"), "{ not json").unwrap();
    let out = sb
        .distill(&repo)
        .args(["hooks", "install", "--agent", "cursor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(repo.join(".cursor/hooks.json")).unwrap(),
        "{ not json"
    );
}

/// The Claude Code hook is installed beside an existing one; Claude Code's real
/// SessionEnd payload reaches `agent-hook`; the next commit carries the session's run,
/// scored, with no `[[source]]` in the configuration.
#[test]
fn a_session_reported_by_the_claude_code_hook_lands_on_the_next_commit() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    std::fs::create_dir_all(repo.join(".claude")).unwrap();
    std::fs::copy(
        fixture("agent-hooks/claude-code.before.json"),
        repo.join(".claude/settings.json"),
    )
    .unwrap();
    stdout_ok(sb.distill(&repo).args(["hooks", "install", "--agent", "claude-code"]));
    stdout_ok(sb.distill(&repo).args(["hooks", "install"]));

    // Claude Code keeps the transcript under the home directory.
    let session = "7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60";
    let transcripts = sb.path().join(".claude/projects/-r");
    std::fs::create_dir_all(&transcripts).unwrap();
    let transcript = transcripts.join(format!("{session}.jsonl"));
    std::fs::copy(fixture(&format!("sources/claude-code/{session}.jsonl")), &transcript).unwrap();
    let payload = std::fs::read_to_string(fixture("agent-hooks/claude-code-session-end.json"))
        .unwrap()
        .replace("TRANSCRIPT", transcript.to_str().unwrap())
        .replace("CWD", repo.to_str().unwrap());
    // The agent runs the hook from wherever it is: the event's cwd names the project.
    let out = sb
        .distill(sb.path())
        .args(["agent-hook", "claude-code"])
        .write_stdin(payload)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "an agent hook must print nothing on stdout");
    let status: Value = serde_json::from_str(&stdout_ok(
        sb.distill(&repo)
            .args(["hooks", "status", "--json", "--agent", "claude"]),
    ))
    .unwrap();
    assert_eq!(status[0]["pending"], 1, "{status}");

    std::fs::write(repo.join("feature.txt"), "done\n").unwrap();
    sb.git(&repo, &["add", "feature.txt"]);
    sb.git(&repo, &["commit", "-q", "-m", "feature"]);
    let evidence = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert!(
        evidence.contains(session),
        "the session did not land on the commit: {evidence}"
    );
    assert!(evidence.contains("~/.claude/projects/-r/"), "{evidence}");
    let scores = sb.git(&repo, &["notes", "--ref=distill/scores", "show", "HEAD"]);
    assert!(!scores.is_empty());
    assert!(!std::fs::read_to_string(repo.join(".distill/config.toml")).is_ok_and(|c| c.contains("[[source]]")));

    // A payload that is not an event is logged, never an error for the agent.
    let out = sb
        .distill(&repo)
        .args(["agent-hook", "claude-code"])
        .write_stdin("not json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        std::fs::read_to_string(repo.join(".git/distill/hook.log"))
            .unwrap()
            .contains("agent-hook")
    );
}

/// Repositories built the way git-ai and Entire store their data (fixtures/git-native):
/// each yields scored runs on the commits the notes and trailers name, with no
/// `[[source]]` path, and the receipts verify with every line attested.
#[test]
fn git_ai_notes_and_entire_checkpoints_become_scored_runs_on_their_commits() {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(fixture("git-native/build.sh")).arg(sb.path().join("native"));
    common::isolate(&mut cmd, sb.path());
    assert!(cmd.status().unwrap().success(), "fixture script failed");

    let git_ai = sb.path().join("native/git-ai-repo");
    std::fs::create_dir_all(git_ai.join(".distill")).unwrap();
    std::fs::write(
        git_ai.join(".distill/config.toml"),
        "[[source]]\nname = \"authorship\"\nadapter = \"git-ai\"\n",
    )
    .unwrap();
    stdout_ok(sb.distill(&git_ai).args(["collect"]));
    stdout_ok(sb.distill(&git_ai).args(["score"]));
    for (rev, run) in [("HEAD~1", "git-ai:claude:9b2f6c1e"), ("HEAD", "git-ai:claude:4e7a1b9c")] {
        let scores = sb.git(&git_ai, &["notes", "--ref=distill/scores", "show", rev]);
        assert!(scores.contains(run), "{rev}: {scores}");
    }
    let evidence = sb.git(&git_ai, &["notes", "--ref=distill/evidence", "show", "HEAD~1"]);
    assert!(evidence.contains("\"line_acceptance\""), "{evidence}");
    assert!(evidence.contains("refs/notes/ai:"), "{evidence}");

    // A clone brings git-ai's notes along when asked.
    sb.git(sb.path(), &["clone", "-q", git_ai.to_str().unwrap(), "clone"]);
    let clone = sb.path().join("clone");
    stdout_ok(sb.distill(&clone).args(["fetch", "--with", "git-ai"]));
    assert_eq!(sb.git(&clone, &["notes", "--ref=ai", "list"]).lines().count(), 2);

    let entire = sb.path().join("native/entire-repo");
    stdout_ok(sb.distill(&entire).args(["collect", "--adapter", "entire"]));
    stdout_ok(sb.distill(&entire).args(["score"]));
    let log: Value = serde_json::from_str(&stdout_ok(sb.distill(&entire).args(["log", "--json"]))).unwrap();
    for entry in log.as_array().unwrap().iter().take(2) {
        assert_eq!(entry["runs"], 1, "{entry:#}");
        assert!(
            entry["agent_trailers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["agent"] == "entire")
        );
    }
    let only: Value = serde_json::from_str(&stdout_ok(
        sb.distill(&entire).args(["log", "--json", "--agent", "entire"]),
    ))
    .unwrap();
    assert_eq!(only.as_array().unwrap().len(), 2);
    for repo in [&git_ai, &entire] {
        let verify = sb.distill(repo).args(["verify", "--all", "--strict"]).output().unwrap();
        assert_eq!(
            verify.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
    }
}
