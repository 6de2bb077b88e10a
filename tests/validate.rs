//! `git distill validate` and `git distill schema` through the real binary.

use assert_cmd::Command;
use git_distill::schema::Kind;
use std::path::Path;

fn distill() -> Command {
    let mut cmd = Command::cargo_bin("git-distill").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

#[test]
fn every_valid_fixture_passes() {
    for kind in Kind::ALL {
        let file = format!("fixtures/schemas/{}.valid.jsonl", kind.name());
        let out = distill()
            .args(["validate", "--kind", kind.name(), &file])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{kind}: {stdout}");
        assert!(stdout.ends_with(" valid, 0 invalid\n"), "{kind}: {stdout}");
        assert!(!stdout.starts_with("0 valid"), "{kind}: fixture has no records");
    }
}

/// Each invalid fixture line is reported with its line number and field, exactly as pinned.
#[test]
fn every_invalid_fixture_is_reported_with_line_and_field() {
    for kind in Kind::ALL {
        let file = format!("fixtures/schemas/{}.invalid.jsonl", kind.name());
        let expected_path = format!("fixtures/schemas/{}.invalid.expected", kind.name());
        let expected = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&expected_path)).unwrap();
        let out = distill()
            .args(["validate", "--kind", kind.name(), &file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{kind}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout, expected, "{kind}: output differs from {expected_path}");
        let lines = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&file)).unwrap();
        let count = lines.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(
            stdout.ends_with(&format!("0 valid, {count} invalid\n")),
            "{kind}: every line must fail"
        );
        assert!(count >= 4, "{kind}: at least four invalid fixtures");
    }
}

#[test]
fn json_report_and_stdin() {
    let input =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schemas/sft-sample.invalid.jsonl")).unwrap();
    let out = distill()
        .args(["validate", "--kind", "sft", "--json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], 0);
    assert_eq!(report["invalid"], 6);
    let fields: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields.iter().filter(|f| **f == "quality_score").count(), 3);
    assert_eq!(report["problems"][0]["file"], "<stdin>");
}

#[test]
fn empty_lines_skipped_and_non_utf8_is_a_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.jsonl");
    let valid =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schemas/model-ledger-entry.valid.jsonl"))
            .unwrap();
    let mut bytes = b"\n\n".to_vec();
    bytes.extend_from_slice(&valid);
    bytes.extend_from_slice(b"{\"task_type\":\"\xff\xfe\"}\n");
    std::fs::write(&file, bytes).unwrap();
    let out = distill()
        .args(["validate", "--kind", "ledger"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains(":5: (line): not valid UTF-8"), "{stdout}");
    assert!(stdout.ends_with("2 valid, 1 invalid\n"), "{stdout}");
}

#[test]
fn missing_file_is_a_one_line_error_naming_it() {
    let out = distill()
        .args(["validate", "--kind", "evidence", "no/such/file.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no/such/file.jsonl"), "{stderr}");
}

/// The committed schemas/ must equal what the types generate today.
#[test]
fn committed_schemas_are_fresh() {
    for kind in Kind::ALL {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{}.schema.json", kind.name()));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == kind.schema_file(),
            "{} is stale; run `git distill schema --write schemas`",
            path.display()
        );
        let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
}

/// docs/commands.md documents every command the binary has.
#[test]
fn every_command_is_documented() {
    use clap::CommandFactory;
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/commands.md")).unwrap();
    for sub in git_distill::cli::Cli::command().get_subcommands() {
        let name = sub.get_name();
        if name != "help" {
            assert!(
                docs.contains(&format!("## git distill {name}\n")),
                "docs/commands.md lacks {name}"
            );
        }
    }
}

/// `git distill <TAB>` completes through git's own completion (`_git_distill`), down to
/// a subcommand's options, and the man page's synopsis names `-C <PATH>`.
#[test]
fn completion_through_git_and_the_man_synopsis() {
    let script = Command::cargo_bin("git-distill")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("git-distill.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let complete = |words: &str, cword: usize| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; words=({words}); cword={cword}; _git_distill; echo \"${{COMPREPLY[@]}}\"",
                path.display()
            ))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(complete("git distill co", 2).contains("collect"));
    assert!(complete("git distill collect --ad", 3).contains("--adapter"));
    assert!(complete("git distill hooks install --ag", 4).contains("--agent"));
    let man = Command::cargo_bin("git-distill").unwrap().arg("man").output().unwrap();
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(
        man.contains(r"[\fB\-C\fR \fIPATH\fR]"),
        "{}",
        &man[..400.min(man.len())]
    );
}

/// Errors reach the exit contract by their kind: a setting that is not one of its
/// names is a usage error (2) naming the file, line and key; a command that cannot run
/// as asked says what to do on a `hint:` line; an export with nothing to write is a
/// failed attempt (1). (A missing object's 3 is tested in tests/drift.rs.)
#[test]
fn errors_map_to_exit_kinds_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success());
    };
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "c"]);
    let run = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("git-distill").unwrap();
        cmd.current_dir(repo).env("HOME", repo).args(args).output().unwrap()
    };

    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(repo.join(".distill/config.toml"), "[drift]\npre_push = \"blok\"\n").unwrap();
    let out = run(&["drift"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(".distill/config.toml:2: drift.pre_push: unknown variant `blok`"),
        "{stderr}"
    );
    std::fs::remove_file(repo.join(".distill/config.toml")).unwrap();

    let out = run(&["receipts", "--sign"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("error: signing needs user.signingkey"), "{stderr}");
    assert!(lines[1].starts_with("hint: git config user.signingkey "), "{stderr}");

    let out = run(&["drift", "--fail-on", "verified"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a status that is not drift cannot fail a check"
    );

    let out = run(&["export", "--name", "empty"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}
