//! `git distill drift` on a repository built by `fixtures/drift/build.sh` with the real git.

mod common;

use common::{Sandbox, stdout_ok};
use serde_json::Value;
use std::path::PathBuf;

fn drift_repo(sb: &Sandbox) -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/drift/build.sh");
    let repo = sb.path().join("gateway");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(script).arg(&repo);
    common::isolate(&mut cmd, sb.path());
    assert!(cmd.status().unwrap().success(), "fixture script failed");
    repo
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn report_is_stored_as_a_note_cached_and_attested() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    let first = stdout_ok(sb.distill(&repo).args(["drift", "main"]));
    assert!(first.contains("6 verified, 2 pending"), "{first}");
    assert!(!first.contains("(from note)"));
    let second = stdout_ok(sb.distill(&repo).args(["drift", "main"]));
    assert!(second.contains("(from note)"), "{second}");

    let note = sb.git(&repo, &["notes", "--ref=distill/drift", "show", "main"]);
    let report = json(note.trim());
    assert_eq!(report["claims"].as_array().unwrap().len(), 8);
    let receipts = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "main"]);
    assert_eq!(receipts.lines().count(), 1, "one receipt: the cached call writes none");
    let receipt = json(receipts.trim());
    assert_eq!(receipt["predicate"]["stage"], "drift");
    assert_eq!(receipt["predicate"]["inputs"][0]["name"], "PRD.md");
}

#[test]
fn a_pr_that_introduces_drift_fails_and_one_that_resolves_it_passes() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    let out = sb
        .distill(&repo)
        .args(["drift", "--base", "main", "--head", "pr-drift", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let cmp = json(&String::from_utf8(out.stdout).unwrap());
    let introduced: Vec<(String, String, String)> = cmp["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["head"]["status"].as_str().unwrap().to_owned(),
                t["head"]["target"].as_str().unwrap().to_owned(),
                t["side"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        introduced,
        vec![
            ("missing".into(), "src/legacy.rs".into(), "code".into()),
            (
                "fake".into(),
                "audit log in `crates/audit/src/lib.rs` with `crates/audit/src/lib.rs::record`".into(),
                "doc".into()
            ),
        ],
        "moving the legacy paragraph is not new drift; deleting its file is"
    );
    assert!(cmp["prd_diff"].as_str().unwrap().contains("+- [x] Audit log"));

    // pr-resolve against pr-drift: both resolved, nothing introduced, exit 0.
    let out = stdout_ok(
        sb.distill(&repo)
            .args(["drift", "--base", "pr-drift", "--head", "pr-resolve", "--json"]),
    );
    let cmp = json(&out);
    assert_eq!(cmp["introduced"].as_array().unwrap().len(), 0, "{out}");
    let resolved: Vec<&str> = cmp["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["side"].as_str().unwrap())
        .collect();
    assert_eq!(resolved, vec!["code", "code"]);

    // --fail-on narrows what fails the check.
    sb.distill(&repo)
        .args(["drift", "--base", "main", "--head", "pr-drift", "--fail-on", "partial"])
        .assert()
        .code(0);
}

#[test]
fn github_sarif_and_markdown_outputs() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    let summary = sb.path().join("summary.md");
    let out = sb
        .distill(&repo)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["drift", "--base", "main", "--head", "pr-drift", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let annotations = String::from_utf8(out.stdout).unwrap();
    assert!(
        annotations.starts_with("::error file=PRD.md,line=15,title=PRD drift%3A fake::"),
        "{annotations}"
    );
    assert!(
        annotations.contains("::error file=PRD.md,line=3,title=PRD drift%3A missing::"),
        "{annotations}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| introduced | 2 |") && md.contains("```diff"), "{md}");

    let out = sb
        .distill(&repo)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/gateway")
        .args(["drift", "--base", "main", "--head", "pr-drift", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(sarif["version"], "2.1.0");
    // GitHub code scanning wants help and a full description on every rule.
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(
            rule["fullDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{rule}"
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|t| t.contains("How to fix")),
            "{rule}"
        );
    }
    let provenance = &sarif["runs"][0]["versionControlProvenance"][0];
    assert_eq!(provenance["repositoryUri"], "https://github.com/acme/gateway");
    assert_eq!(provenance["revisionId"].as_str().unwrap().len(), 40);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
    assert!(
        results
            .iter()
            .all(|r| r["ruleId"].as_str().unwrap().starts_with("drift/"))
    );

    // Microsoft's SARIF Multitool: the official 2.1.0 schema, the SARIF rules and the
    // GitHub Advanced Security rules find nothing in it; they do find a rule without its
    // help and full description.
    let Some(multitool) = common::sarif_multitool() else {
        return;
    };
    let validate = |sarif: &serde_json::Value, name: &str| -> Vec<String> {
        let input = sb.path().join(format!("{name}.sarif"));
        let report = sb.path().join(format!("{name}.validation.sarif"));
        std::fs::write(&input, serde_json::to_vec_pretty(sarif).unwrap()).unwrap();
        let out = std::process::Command::new(&multitool)
            .args(["validate", "--rule-kind", "Sarif;Gh", "-o"])
            .arg(&report)
            .arg(&input)
            .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        let report = json(&std::fs::read_to_string(&report).unwrap());
        report["runs"][0]["results"]
            .as_array()
            .map(|r| r.iter().map(|r| format!("{}: {}", r["ruleId"], r["message"])).collect())
            .unwrap_or_default()
    };
    assert_eq!(validate(&sarif, "drift"), Vec::<String>::new());
    let mut bare = sarif.clone();
    for rule in bare["runs"][0]["tool"]["driver"]["rules"].as_array_mut().unwrap() {
        let rule = rule.as_object_mut().unwrap();
        rule.remove("help");
        rule.remove("fullDescription");
    }
    let found = validate(&bare, "bare");
    assert!(found.iter().any(|f| f.starts_with("\"GH2012\"")), "{found:?}");
}

#[test]
fn shallow_clones_compare_from_the_two_trees() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    let url = format!("file://{}", repo.display());
    sb.git(
        sb.path(),
        &["clone", "-q", "--depth", "1", "--branch", "pr-drift", &url, "shallow"],
    );
    let shallow = sb.path().join("shallow");
    sb.git(
        &shallow,
        &["fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"],
    );
    let out = sb
        .distill(&shallow)
        .args(["drift", "--base", "origin/main", "--head", "HEAD", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp = json(&text);
    assert_eq!(cmp["introduced"].as_array().unwrap().len(), 2);
}

#[test]
fn missing_prd_bad_input_and_worktree() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    let out = stdout_ok(sb.distill(&repo).args(["drift", "--files", "docs/NOPE.md"]));
    assert!(out.contains("no docs/NOPE.md at"), "{out}");

    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[drift]\nfiles = [\"docs/NOPE.md\"]\nrequire_prd = true\n",
    )
    .unwrap();
    sb.distill(&repo).args(["drift"]).assert().code(1);
    std::fs::write(repo.join(".distill/config.toml"), "[drift]\nfiels = []\n").unwrap();
    let out = sb.distill(&repo).args(["drift"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(".distill/config.toml:2") && err.contains("fiels"), "{err}");
    std::fs::remove_file(repo.join(".distill/config.toml")).unwrap();

    sb.distill(&repo)
        .args(["drift", "--base", "nope", "--head", "HEAD"])
        .assert()
        .code(2);
    sb.distill(&repo).args(["drift", "--fail-on", "bogus"]).assert().code(2);

    // Non-UTF-8 PRD in the work tree: handled, with a warning, no crash.
    let mut prd = std::fs::read(repo.join("PRD.md")).unwrap();
    prd.extend_from_slice(b"\n- [x] Broken \xff\xfe bytes in `src/ghost.rs`\n");
    std::fs::write(repo.join("PRD.md"), prd).unwrap();
    let out = sb.distill(&repo).args(["drift", "--worktree"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("not valid UTF-8") && text.contains("fake"), "{text}");
}

/// In a partial clone (`--filter=blob:none`) a claim whose file cannot be read is
/// inconclusive, never drift, and the command exits 3.
#[test]
fn a_blob_a_partial_clone_lacks_is_inconclusive_not_drift() {
    let sb = Sandbox::new();
    let repo = drift_repo(&sb);
    sb.git(&repo, &["config", "uploadpack.allowFilter", "true"]);
    let url = format!("file://{}", repo.display());
    sb.git(
        sb.path(),
        &["clone", "-q", "--no-checkout", "--filter=blob:none", &url, "partial"],
    );
    let partial = sb.path().join("partial");
    // Only the PRD's blob is brought in (git fetches a missing blob when it is read).
    sb.git(&partial, &["cat-file", "-p", "origin/main:PRD.md"]);
    let out = sb
        .distill(&partial)
        .args(["drift", "--json", "origin/main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&String::from_utf8_lossy(&out.stdout));
    let claims = report["claims"].as_array().unwrap();
    let statuses: Vec<&str> = claims.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"inconclusive"), "{statuses:?}");
    for status in ["fake", "partial", "missing"] {
        assert!(
            !statuses.contains(&status),
            "{status} from a missing blob: {statuses:?}"
        );
    }
    // Nothing undecided is stored for other clones to take.
    assert!(
        sb.git_output(&partial, &["notes", "--ref=distill/drift", "list"])
            .stdout
            .is_empty()
    );
}

/// Workflow-command properties are escaped as the Actions runner expects: a PRD at
/// `docs/PRD, v2.md` is one file, not `docs/PRD` and a stray property.
#[test]
fn annotations_escape_commas_and_colons_in_properties() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    std::fs::write(
        repo.join("docs/PRD, v2.md"),
        "# PRD\n\n- [x] Done in `src/missing.rs`\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join(".distill")).unwrap();
    std::fs::write(
        repo.join(".distill/config.toml"),
        "[drift]\nfiles = [\"docs/PRD, v2.md\"]\n",
    )
    .unwrap();
    sb.git(&repo, &["add", "-A"]);
    sb.git(&repo, &["commit", "-q", "-m", "prd"]);
    let out = sb
        .distill(&repo)
        .env("GITHUB_STEP_SUMMARY", sb.path().join("summary.md"))
        .args(["drift", "--format", "github"])
        .output()
        .unwrap();
    let annotations = String::from_utf8(out.stdout).unwrap();
    assert!(
        annotations.starts_with("::error file=docs/PRD%2C v2.md,line=3,title=PRD drift%3A fake::"),
        "{annotations}"
    );
}

/// The composite action's own scripts (action.yml), run as GitHub would on a pull request
/// from the fixture's `pr-drift` branch into `main`: annotations and SARIF are written,
/// the new drift is reported as status 1, and the step summary gets the agent-run table.
#[test]
fn the_github_action_scripts_run_against_a_pull_request() {
    let Some(mut python) = common::python_with("yaml", "PyYAML") else {
        return;
    };
    let parse = python
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .output()
        .unwrap();
    assert!(parse.status.success(), "{}", String::from_utf8_lossy(&parse.stderr));
    let action = json(&String::from_utf8(parse.stdout).unwrap());
    let sb = Sandbox::new();
    let origin = drift_repo(&sb);
    sb.git(sb.path(), &["clone", "-q", origin.to_str().unwrap(), "work"]);
    let work = sb.path().join("work");
    sb.git(&work, &["checkout", "-q", "-b", "pr", "origin/pr-drift"]);
    let (output, summary, temp) = (
        sb.path().join("output"),
        sb.path().join("summary.md"),
        sb.path().join("runner-temp"),
    );
    std::fs::create_dir_all(&temp).unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("git-distill")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let steps = action["runs"]["steps"].as_array().unwrap();
    // Installing is cargo's job; every other shell step runs as written.
    for step in steps
        .iter()
        .filter(|s| s["run"].is_string() && !s["name"].as_str().unwrap().starts_with("Install"))
    {
        if step["name"] == "Fail on new drift" {
            continue;
        }
        let mut cmd = std::process::Command::new("bash");
        cmd.current_dir(&work).args(["-e", "-c", step["run"].as_str().unwrap()]);
        common::isolate(&mut cmd, sb.path());
        cmd.env("PATH", &path)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("RUNNER_TEMP", &temp)
            .env("BASE_REF", "main")
            .env("PRD_FILES", "")
            .env("FAIL_ON", "fake,partial,missing,unclaimed,count_mismatch");
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "step {}: {}{}",
            step["name"],
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if step["name"] == "PRD drift" {
            let annotations = String::from_utf8_lossy(&out.stdout);
            assert!(annotations.contains("::error file=PRD.md"), "{annotations}");
        }
    }
    assert!(std::fs::read_to_string(&output).unwrap().contains("status=1"));
    let sarif = json(&std::fs::read_to_string(temp.join("git-distill.sarif")).unwrap());
    assert_eq!(sarif["version"], "2.1.0");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("## Agent runs in this pull request") && md.contains("| commit | summary |"),
        "{md}"
    );
    assert!(action["inputs"]["block"]["default"] == "true" && action["inputs"]["sarif"].is_object());
}

/// actionlint finds nothing in the action (`action.yml`) nor in the workflow the docs
/// give. actionlint reads workflows, not action metadata, so the action's steps are linted
/// as the steps of a job whose `workflow_call` inputs are the action's inputs: their
/// expressions (inputs, step outputs, contexts), `if:` conditions, step ids and the
/// inputs of the actions they use (`github/codeql-action/upload-sarif@v3`) are checked
/// as actionlint checks any workflow. Run steps of a composite action must name their
/// shell. The same steps with a misspelt input and step id are caught, so the linter ran.
#[test]
fn actionlint_finds_nothing_in_the_action_and_its_documented_workflow() {
    let Some(linter) = common::actionlint() else {
        return;
    };
    let Some(mut python) = common::python_with("yaml", "PyYAML") else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sb = Sandbox::new();
    let convert = r#"
import json, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
assert action["runs"]["using"] == "composite", action["runs"]
for key in ("name", "description"):
    assert action.get(key), f"action.yml has no {key}"
steps = action["runs"]["steps"]
unshelled = [s.get("name") for s in steps if "run" in s and "shell" not in s]
assert not unshelled, f"composite run steps need a shell: {unshelled}"
inputs = {
    name: {"type": "string", "required": bool(spec.get("required", False)), "default": str(spec.get("default", ""))}
    for name, spec in (action.get("inputs") or {}).items()
}
workflow = {
    "name": action["name"],
    "on": {"workflow_call": {"inputs": inputs}},
    "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}},
}
print(json.dumps(workflow, indent=2))
"#;
    let out = python
        .args(["-c", convert])
        .arg(root.join("action.yml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let steps = String::from_utf8(out.stdout).unwrap();
    let broken = steps
        .replace("inputs.sarif ==", "inputs.sarf ==")
        .replace("steps.drift.outputs.status", "steps.drfit.outputs.status");
    assert_ne!(broken, steps);
    let docs = std::fs::read_to_string(root.join("docs/drift.md")).unwrap();
    let documented = docs
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/drift.md shows a workflow")
        .replace("<owner>/git-distill@<ref>", "owner/git-distill@v1");
    let files = [
        ("action-steps.yml", steps.as_str()),
        ("documented.yml", documented.as_str()),
        ("broken.yml", broken.as_str()),
    ];
    for (name, text) in files {
        std::fs::write(sb.path().join(name), text).unwrap();
    }
    // Run from a file, not `node -e`: there Node makes `fs` a global, the Go runtime then
    // reaches the file system asynchronously, and the synchronous lint call deadlocks.
    let lint = r#"
const { runLint } = require(process.argv[2] + "/build/run-lint.js");
const fs = require("fs");
(async () => {
  const found = {};
  for (const file of process.argv.slice(3)) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    found[file] = results.map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  console.log(JSON.stringify(found));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(2); });
"#;
    std::fs::write(sb.path().join("lint.js"), lint).unwrap();
    let out = std::process::Command::new("node")
        .arg("lint.js")
        .arg(&linter)
        .args(files.map(|(name, _)| name))
        .current_dir(sb.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        found["action-steps.yml"],
        serde_json::json!([]),
        "actionlint on the action's steps:\n{steps}"
    );
    assert_eq!(found["documented.yml"], serde_json::json!([]), "{documented}");
    let caught = found["broken.yml"].to_string();
    assert!(
        caught.contains("sarf") && caught.contains("drfit"),
        "the broken copy must be caught: {caught}"
    );
}

/// Each class of error found on real PRDs, as a line of the kind those PRDs hold, in a
/// repository laid out the way theirs were (a Next.js app router, a FastAPI backend in
/// a subdirectory, a Go module's dependencies). Every claim must come out as a careful
/// reader would judge it.
/// Write `files` and `prd` (as PRD.md), commit them and check the PRD: the command's
/// output and its JSON report.
fn committed_and_checked(
    sb: &Sandbox,
    repo: &std::path::Path,
    files: &[(&str, &str)],
    prd: &str,
) -> (std::process::Output, Value) {
    for (path, text) in files {
        let full = repo.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    std::fs::write(repo.join("PRD.md"), prd).unwrap();
    sb.git(repo, &["add", "-A"]);
    sb.git(repo, &["commit", "-q", "-m", "app"]);
    let out = sb.distill(repo).args(["drift", "--json"]).output().unwrap();
    let report = json(&String::from_utf8(out.stdout.clone()).unwrap());
    (out, report)
}

/// The line of `prd` holding `needle`, 1-based.
fn line_of(prd: &str, needle: &str) -> usize {
    prd.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Each needle's line has claims with exactly these statuses.
fn assert_statuses(prd: &str, report: &Value, expected: &[(&str, &[&str])]) {
    for (needle, want) in expected {
        let line = line_of(prd, needle);
        let found: Vec<&str> = report["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["line"] == line)
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert_eq!(&found, want, "line {line}: {needle}: {report:#}");
    }
}

#[test]
fn real_prd_lines_are_judged_as_a_reader_would() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "app/(dashboard)/dashboard/stats/page.tsx",
            "export default function Page() {}\n",
        ),
        (
            "backend/app/main.py",
            "@app.get(\"/api/users/{user_id}\")\ndef get_user(user_id): ...\n",
        ),
        ("backend/app/services/chat_service.py", "class ChatService:\n    pass\n"),
        ("src/lib.rs", "pub fn parse_args() {}\n"),
        ("src/app.rs", "fn main() {}\n"),
        ("src/old_api.rs", "// still here\n"),
        ("src/sync.py", "def refresh_cache():\n    pass\n"),
        ("public/sw.js", "self.addEventListener('fetch', () => {});\n"),
        (
            "go.mod",
            "module example.com/app\n\nrequire github.com/spf13/cobra v1.8.0\n",
        ),
        ("crates/a/Cargo.toml", "[package]\n"),
        ("crates/b/Cargo.toml", "[package]\n"),
    ];
    let prd = "# Plan\n\
\n\
## Shipped\n\
\n\
- [x] Create `/dashboard/stats` route with the charts\n\
- [x] `/api/users/{id}` endpoint returns one user\n\
- [x] Keyboard shortcut `Ctrl+K/Esc` opens search\n\
- [x] Slash command `/review` posts a summary\n\
- [x] Parse arguments in `lib.rs::parse_args`\n\
- [x] `chat_service.py` with `ChatService`\n\
- [x] Remove `legacy.rs`\n\
- [x] Remove `old_api.rs`\n\
- [x] Fix the crash in `src/app.rs:285`\n\
- [x] CLI on Cobra (`spf13/cobra`)\n\
- [x] Pick a Markdown library (e.g. `yuin/goldmark`)\n\
- [x] Reads settings from `~/.tool/config.yml`\n\
\n\
## Next (planned)\n\
\n\
- [ ] Create `refresh_cache()` in `sync.py`\n\
- [ ] Extend `public/sw.js` to cache pages offline\n\
- [ ] Add `RateLimiter` to the API\n\
\n\
## Story: import\n\
\n\
- [ ] Import CSV files\n\
- [ ] Show import errors\n\
\n\
Files:\n\
\n\
- `src/import/csv.rs` (new file)\n\
- `migrations/XXXX_add_index.py`\n\
\n\
## Layout\n\
\n\
There are 2 crates under `crates/`.\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("/dashboard/stats", &["verified"]),
        ("/api/users/{id}", &["verified"]),
        ("Ctrl+K", &[]),
        ("/review", &["unchecked"]),
        ("parse_args", &["verified"]),
        ("ChatService", &["verified"]),
        ("legacy.rs", &["verified"]),
        ("old_api.rs", &["stale_removal"]),
        ("src/app.rs:285", &["verified"]),
        ("spf13/cobra", &["verified"]),
        ("yuin/goldmark", &[]),
        ("config.yml", &[]),
        ("refresh_cache", &["unclaimed"]),
        ("public/sw.js", &["unchecked"]),
        ("RateLimiter", &["pending"]),
        ("src/import/csv.rs", &["pending"]),
        ("XXXX_add_index", &[]),
        ("2 crates", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(1), "the stale removal is drift");
    let skipped = &report["skipped"];
    for reason in ["key_binding", "example", "user_path", "placeholder"] {
        assert_eq!(skipped[reason], 1, "{reason}: {skipped}");
    }

    let text = String::from_utf8(sb.distill(&repo).args(["drift"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("Remove `old_api.rs`"),
        "the PRD's own words are shown: {text}"
    );
    assert!(text.contains("skipped 4 code spans"), "{text}");
    let explained = stdout_ok(
        sb.distill(&repo)
            .args(["drift", "--explain", &line_of(prd, "Ctrl+K").to_string()]),
    );
    assert!(explained.contains("`Ctrl+K/Esc` → skipped: key_binding"), "{explained}");
    let explained = stdout_ok(
        sb.distill(&repo)
            .args(["drift", "--explain", &line_of(prd, "sw.js").to_string()]),
    );
    assert!(explained.contains("where the change goes"), "{explained}");
}

/// More classes from real PRDs: a numbered document named by its number (`docs/01`), a
/// runtime file the code itself names (`leases.json`), a pair of names written like a
/// path (`AcquireAsync/ReleaseAsync`), ASP.NET minimal-API routes, route alternatives
/// (`/api/recordings/{start,stop}`) and a route documented without its trailing
/// parameter.
#[test]
fn names_the_code_uses_and_aspnet_routes_are_judged_as_a_reader_would() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("docs/01-overview.md", "# Overview\n"),
        ("docs/02-domain.md", "# Domain\n"),
        (
            "src/store.rs",
            "fn path(dir: &Path) -> PathBuf { dir.join(\"leases.json\") }\n",
        ),
        (
            "backend/Endpoints.cs",
            "app.MapGet(\"/api/health/llm\", Health);\n\
             app.MapPost(\"/api/recordings/start\", Start);\n\
             app.MapPost(\"/api/recordings/stop/{sessionId}\", Stop);\n",
        ),
        (
            "backend/Cache.cs",
            "public interface ICache { Task AcquireAsync(); Task ReleaseAsync(); }\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
## Done\n\
\n\
- [x] Overview written (`docs/01`)\n\
- [x] Leases persist in `leases.json` under the data dir\n\
- [x] `/api/health/llm` endpoint reports the model\n\
- [x] `/api/recordings/{start,stop}` endpoints drive the recorder\n\
- [x] Idle cache with `AcquireAsync/ReleaseAsync`\n\
- [x] Call to action links to `app.example.com/signup`\n\
- [x] Architecture notes in `docs/07`\n\
- [x] `/api/recordings/pause` endpoint\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("docs/01", &["verified"]),
        ("leases.json", &["unchecked"]),
        ("/api/health/llm", &["verified"]),
        ("{start,stop}", &["verified"]),
        ("AcquireAsync", &["unchecked"]),
        // A host name starts a URL (from a real marketing-site PRD).
        ("app.example.com", &["unchecked"]),
        // Still drift: no document 07, no pause route.
        ("docs/07", &["fake"]),
        ("/api/recordings/pause", &["fake"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// A plan kept as a table with a status column (from a real Go implementation plan):
/// the cell is the row's checkbox. `DONE` rows claim their files, unmarked rows are not
/// started, and a finding such as `⚠️ Partial` is read as a plain statement.
#[test]
fn a_status_column_is_the_checkbox_of_its_row() {
    let sb = Sandbox::new();
    let repo = sb.repo("plan", 1);
    let files: &[(&str, &str)] = &[("internal/paths/paths.go", "package paths\n")];
    let prd = "# Plan\n\
\n\
Anything unmarked has not been started.\n\
\n\
| # | Status | Stage | Packages built |\n\
|---|--------|-------|----------------|\n\
| 1 | **DONE** | Paths | `internal/paths/paths.go` |\n\
| 2 | **DONE** | Manifest | `internal/manifest/manifest.go` |\n\
| 8 |  | Restore engine | `engine/restore.go` |\n\
| 9 | ⚠️ Partial | Vet | `examples/streaming_demo.go` |\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("internal/paths/paths.go", &["verified"]),
        ("internal/manifest/manifest.go", &["fake"]),
        ("engine/restore.go", &["pending"]),
        ("examples/streaming_demo.go", &["missing"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// Classes from the test9 and pool2 replays: a file the repository's `.gitignore`
/// excludes (an agent's local working notes), an item that consolidates structs which
/// exist before it starts, a count of calls inside a function, and intents written
/// with slashes.
#[test]
fn ignored_files_changes_to_existing_code_and_slashed_words_are_no_drift() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            ".gitignore",
            "/build\n.claude/active-work/*\n!.claude/active-work/.gitkeep\n",
        ),
        (".claude/active-work/.gitkeep", ""),
        ("UI/MenuBar.swift", "struct MenuButton: View {}\n"),
        ("UI/Admin.swift", "struct ActionButton: View {}\n"),
        ("lib/overlay.dart", "void _resetToSkyPosition() { resetTrail(); }\n"),
    ];
    let prd = "# Status\n\
\n\
- [x] /diagnose - Complete: `.claude/active-work/altitude-slider/diagnosis.md`\n\
- [x] Trails: `resetTrail()` calls in 5 locations (3 in `_resetToSkyPosition()`, 2 for wrapping). All 358 tests passing\n\
- [x] Control intents stay on-device (`question/complete/update/delete`)\n\
- [x] Build output in `build/app.js`\n\
\n\
## Code organization\n\
\n\
- [ ] **UI-007: Create shared components library**\n\
\x20 - Consolidate duplicates: `MenuButton`, `ActionButton`\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("diagnosis.md", &["unchecked"]),
        ("question/complete", &["unchecked"]),
        ("build/app.js", &["unchecked"]),
        ("Consolidate duplicates", &["unchecked"]),
    ];
    assert_statuses(prd, &report, expected);
    let counts = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "count")
        .count();
    assert_eq!(counts, 0, "{report:#}");
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let explained =
        stdout_ok(
            sb.distill(&repo)
                .args(["drift", "--explain", &line_of(prd, "diagnosis.md").to_string()]),
        );
    assert!(explained.contains("ignored by .gitignore"), "{explained}");
}

/// More classes from this round's replays (polaris, congress_do_your_job, pulltrace,
/// emotionai-api): a dated session log under a "Future Improvements" heading whose
/// entries say what was built, the steps of an item that says it is complete, a section
/// whose opening paragraph defers it, a page removed and folded into another, a name
/// moved into a file, a file line where something was removed, a line removed from
/// `.gitignore`, a file a deployment serves, an endpoint the code calls, a route a
/// library serves, and an unticked item about a file's settings.
#[test]
fn session_logs_sections_and_removals_are_read_as_a_reader_would() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "src/app/(main)/check-in/page.tsx",
            "export default function Page() {}\n",
        ),
        ("src/app/(main)/craft/page.tsx", "export default function Page() {}\n"),
        ("src/app/api/v1/bills/route.ts", "export async function GET() {}\n"),
        (
            "src/components/mandala/MandalaGrid.tsx",
            "export function MandalaGrid() {}\n",
        ),
        (
            "src/components/ui/StatusBadge.tsx",
            "export function StatusBadge() {}\n",
        ),
        ("src/app/api/v1/waitlist/route.ts", "export async function POST() {}\n"),
        ("src/services/bill-summary.ts", "fetch(`${base}/summaries`)\n"),
        (".vscode/launch.json", "{}\n"),
        (".gitignore", "node_modules/\n"),
        (".github/workflows/ci.yml", "permissions:\n  contents: write\n"),
    ];
    let prd = "# Build Scratchpad\n\
\n\
## Polish / Future Improvements\n\
\n\
- [x] Dashboard with mandala grid visualization\n\
- [ ] Check-in flow with action mapping\n\
\n\
### Session: Jan 28, 2026\n\
- Created `MandalaGrid` component with 9x9 grid layout\n\
- Removed separate `/pillars` page (integrated into `/craft`)\n\
- **Check-in flow is complete:**\n\
\x20 - `/check-in` page with natural language input\n\
\n\
## Notes\n\
\n\
- `StatusBadge` → `src/components/ui/StatusBadge.tsx`\n\
- `waitlist/route.ts:40` — removed unnecessary `as any`\n\
- Removed `.vscode/` from `.gitignore` so debug configs are shared\n\
- `index.yaml` is served from `https://example.github.io/app/charts/index.yaml`\n\
- `bill-summary.ts` now calls dedicated `/summaries` endpoint\n\
- [x] Wire Prometheus middleware — expose `/api/v1/metrics` endpoint\n\
- [ ] `ci.yml` has `contents: write` permission\n\
\n\
## v2 Requirements\n\
\n\
Deferred to a future release. Tracked but not in current roadmap.\n\
\n\
- Artifact Hub listing for the chart (`artifacthub-repo.yml` committed)\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("Created `MandalaGrid`", &["verified"]),
        ("/pillars", &["verified"]),
        ("/check-in", &["verified"]),
        ("`StatusBadge` →", &["verified"]),
        ("waitlist/route.ts:40", &["verified"]),
        (".vscode/", &[]),
        ("index.yaml", &[]),
        ("/summaries", &["verified"]),
        ("/api/v1/metrics", &["unchecked"]),
        ("contents: write", &["unchecked"]),
        ("artifacthub-repo.yml", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
}

/// dev12 and dev13 (jnyross/second-brain, spanexx/repomap): a file written only when
/// something happens, a worked example and the list it introduces, the patterns a
/// matcher handles, and a function asked to do what is listed below it, are no drift;
/// a heading's checkbox is its section's.
#[test]
fn examples_conditions_and_asked_behaviour_are_no_drift() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("cmd/repomap/main.go", "package main\n\nfunc main() {}\n"),
        ("internal/discovery/gitignore.go", "package discovery\n"),
    ];
    let prd = "# Tasks\n\
\n\
## Runbook\n\
\n\
- Needs input: `.ralph/NEEDS_INPUT.md` (only when blocked)\n\
\n\
## Task 1.1.4: Gitignore\n\
\n\
- [x] Read `internal/discovery/gitignore.go`\n\
- [x] Handles common patterns (`node_modules/`, `*.pyc`, `build/`)\n\
\n\
**Example:** Given `.gitignore` with `vendor/` and `*_test.go`:\n\
- Files in `vendor/` are excluded\n\
\n\
**Example:** Given files with imports:\n\
- `main.go` imports `utils.go`, `config.go`\n\
- `server.go` imports `utils.go`\n\
\n\
## Task 1.1.14: Main CLI Integration\n\
\n\
- [ ] Implement `main()` function to:\n\
\x20 1. Parse flags\n\
\x20 2. Call `discovery.Walk()`\n\
\n\
### [ ] Step: Integration Testing\n\
\n\
**Deliverable**: Write report to `.zenflow/tasks/new-task-8ef2/report.md`\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("NEEDS_INPUT", &[]),
        ("internal/discovery/gitignore.go", &["verified"]),
        ("node_modules/", &[]),
        ("with `vendor/`", &[]),
        ("Files in `vendor/`", &[]),
        ("`main.go` imports", &[]),
        ("`server.go` imports", &[]),
        // test12, opened after its measurement (vmud/retail-store-scraper): the box of a
        // Zenflow step is in its heading.
        ("report.md", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
    assert!(
        !report.to_string().contains("\"unclaimed\""),
        "main() exists, but not yet doing what is listed: {report:#}"
    );
    assert_eq!(out.status.code(), Some(0), "{report:#}");
}

/// Lines of vasic-digital/Panoptic's TESTING_STATUS.md and PHASE_5_PROGRESS.md (dev14):
/// how many tests or benchmarks a status document says a file holds is checked against
/// the definitions in the file; counts of changes and results are not.
#[test]
fn the_tests_a_status_document_counts_in_a_file_are_checked() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let tests = |n: usize| -> String {
        let mut s = String::from("package ai\n\nimport \"testing\"\n");
        for i in 0..n {
            s.push_str(&format!("\nfunc TestCase{i}(t *testing.T) {{}}\n"));
        }
        s
    };
    let table = "package cloud\n\nimport \"testing\"\n\nfunc TestAll(t *testing.T) {\n\tfor _, tc := range cases {\n\t\tt.Run(tc.name, func(t *testing.T) {})\n\t}\n}\n";
    let bench = "package executor\n\nimport \"testing\"\n\nfunc BenchmarkRun(b *testing.B) {}\n\nfunc BenchmarkParse(b *testing.B) {}\n";
    let files: Vec<(&str, String)> = vec![
        ("internal/ai/enhanced_tester_test.go", tests(3)),
        ("internal/ai/errordetector_test.go", tests(2)),
        ("internal/cloud/manager_test.go", table.to_owned()),
        ("internal/executor/executor_bench_test.go", bench.to_owned()),
        ("tests/e2e/panoptic_test.go", tests(4)),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let prd = "# Testing status\n\
\n\
## Test File Checklist\n\
\n\
- [x] `internal/ai/enhanced_tester_test.go` (3 tests)\n\
- [x] `internal/ai/errordetector_test.go` (37 tests)\n\
- [x] `internal/cloud/manager_test.go` (30 tests)\n\
- [x] `tests/e2e/panoptic_test.go` (4/4 tests passing) ✅\n\
\n\
## Benchmarks\n\
\n\
**1. Executor Module Benchmarks** (`internal/executor/executor_bench_test.go`)\n\
- 13 benchmark functions covering core operations\n\
\n\
## Files modified\n\
\n\
- `tests/e2e/panoptic_test.go` (~150 lines modified across 3 test functions)\n";
    let (out, report) = committed_and_checked(&sb, &repo, &files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("enhanced_tester_test.go", &["verified", "verified"]),
        ("errordetector_test.go", &["count_mismatch", "verified"]),
        // A table-driven test may hold any number of cases.
        ("internal/cloud/manager_test.go", &["unchecked", "verified"]),
        ("4/4 tests passing", &["verified"]),
        ("13 benchmark functions", &["count_mismatch"]),
        ("across 3 test functions", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
    let mismatch = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "count_mismatch")
        .unwrap();
    assert_eq!(mismatch["count"]["expected"], 37, "{mismatch:#}");
    assert!(
        mismatch["evidence"][0].as_str().unwrap().contains("2 tests defined"),
        "{mismatch:#}"
    );
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// Lines of amit-t/retina's and Gabeele/dwellow-v3's plans (dev15): an unticked item
/// whose file exists with the fields it names is unclaimed; a class named by its file
/// and a function the block's file does not define are found where they are.
#[test]
fn fields_class_files_and_inferred_functions_are_found_where_they_are() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "src/core/errors.ts",
            "export class RetinaError extends Error {\n  readonly code: string;\n  readonly status: number;\n}\nexport class ValidationError extends RetinaError {}\n",
        ),
        (
            "tests/Feature/Filament/UserRolesTest.php",
            "<?php\n\ntest('admin assigns roles', function () {});\n",
        ),
        (
            "tests/Unit/RoleTest.php",
            "<?php\n\ntest('admin label', function () {});\n",
        ),
        (
            "app/Concerns/RoleValidationRules.php",
            "<?php\n\ntrait RoleValidationRules {\n    protected function roleRules(): array { return []; }\n}\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
## High Priority\n\
\n\
- [ ] **R02a** Create `src/core/errors.ts`: export `RetinaError` base (`code`, `status`) plus subclasses (`ValidationError`).\n\
- [ ] **R02b** Create `src/core/retry.ts`: export `withRetry` (`attempts`).\n\
\n\
## Done\n\
\n\
- [x] Roles: Added `tests/Unit/RoleTest.php`; restricted registration `roleRules()`. Tests in `Filament/UserRolesTest`.\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("R02a", &["unclaimed"]),
        ("R02b", &["pending"]),
        ("RoleTest.php", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// Lines of mbcrawfo/vibefun's lexer plan and 0xpaiDev/Cadence's progress log (dev16):
/// a phase whose opening paragraph gives its status after other fields ("**Time
/// Estimate:** … **Status:** ⏳ Not Started") has its deliverables pending; a count below
/// what a file defines is an earlier state or one part of it; the suite's result is not
/// the file's; a document shorter than its stated length is a mismatch.
#[test]
fn phase_status_fields_earlier_counts_and_document_lengths_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let tests = |n: usize| -> String { (0..n).map(|i| format!("it('case {i}', () => {{}});\n")).collect() };
    let lexer = tests(43);
    let fetchers: String = (0..18).map(|i| format!("def test_case_{i}():\n    pass\n\n")).collect();
    let lesson: String = (0..273).map(|i| format!("line {i}\n")).collect();
    let files: &[(&str, &str)] = &[
        ("src/lexer/lexer.ts", "export class Lexer {}\n"),
        ("src/lexer/lexer.test.ts", &lexer),
        (
            "tests/conftest.py",
            "import pytest\n\n@pytest.fixture\ndef config():\n    return {}\n",
        ),
        ("tests/test_fetchers.py", &fetchers),
        ("learning/phase1.md", &lesson),
    ];
    let prd = "# Lexer progress\n\
\n\
## Phase 2: Core Lexer ✅ COMPLETED\n\
\n\
**Time Estimate:** 1 hour\n\
**Status:** ✅ Done\n\
\n\
### Deliverables\n\
- `src/lexer/lexer.ts` - Core Lexer class\n\
- `src/lexer/lexer.test.ts` - Core lexer tests (33 tests)\n\
\n\
## Phase 5: Numbers\n\
\n\
**Time Estimate:** 1.5 hours\n\
**Status:** ⏳ Not Started\n\
\n\
### Tasks\n\
- [ ] Implement `readNumber()` - dispatch to specific parser\n\
\n\
### Deliverables\n\
- `src/lexer/numbers.test.ts`\n\
\n\
## Session 3\n\
\n\
- `tests/conftest.py` — Updated fixtures (all 70 tests still pass)\n\
- `tests/test_fetchers.py` — **8 test assertions** for calendar fetcher\n\
- Learning material: `learning/phase1.md` — 10 topics, 300+ lines\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("Core Lexer class", &["verified"]),
        ("(33 tests)", &["verified", "verified"]),
        ("`src/lexer/numbers.test.ts`", &["pending"]),
        ("all 70 tests still pass", &["verified"]),
        ("8 test assertions", &["verified", "verified"]),
        ("300+ lines", &["count_mismatch", "verified"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// Lines of dev17's agent-loop plans (greenforge-labs/can_commsgen, lucassynnott/WispFlow,
/// chrisbarrett/emacs-tart, AbdelazizMoustafa10m/Harvx): system headers, an alternative
/// function, a labelled "Scope: Modify …" under an unticked item, one module's two files,
/// slash-joined names of a Lisp, and removals that are not the span's own.
#[test]
fn headers_alternatives_scoped_changes_module_pairs_and_slash_names_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("can_commsgen/cpp.py", "def generate_cpp():\n    pass\n"),
        (
            "Sources/App/AudioManager.swift",
            "final class AudioManager {\n  func combineBuffersToData() {}\n}\n",
        ),
        ("lib/tart.ml", "module Reader = Oracle.Reader\n"),
        ("lib/tart.mli", "module Reader = Oracle.Reader\n"),
        ("src/async.clj", "(ns app.async)\n(defn run-all [h] (aio/map h inc))\n"),
        ("cmd/app/main.go", "package main\n\nfunc main() {}\n"),
    ];
    let prd = "# Plan\n\
\n\
## Phase 9\n\
\n\
- [x] **9.3 Create the template** — includes (`poll.h`, `sys/socket.h`, `cstring`)\n\
- [x] **9.4 Extend `can_commsgen/cpp.py`** — Add logic to `generate_cpp()` (or a new `generate_cpp_interface()` function)\n\
- [x] Re-export in `tart.ml/tart.mli`\n\
- [x] Handles are mapped with `aio/map`\n\
- [x] `cmd/app/main.go` cleaned up -- removed old ldflags variables\n\
\n\
## Phase 10\n\
\n\
- [ ] Fix audio normalization\n\
  - Scope: Modify `Sources/App/AudioManager.swift` in `combineBuffersToData()` to normalize samples.\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("`poll.h`", &["unchecked"]),
        ("(or a new", &["verified"]),
        ("`tart.ml/tart.mli`", &["verified"]),
        ("`aio/map`", &["unchecked"]),
        ("cleaned up", &["verified"]),
        ("Scope: Modify", &["unchecked"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
}

/// Lines of dev18's agent-loop plans (agentic-metallurgy/ralph, ryaneggz/deep-factor-agent,
/// itsmostafa/goralph): a name another done item says it deleted is history; class
/// methods are definitions; a plan's file table announcing a new file, "implement `x()`
/// as …", "`x` creates …" and "`x` variant" ask for nothing the tree can show as done.
#[test]
fn recorded_removals_methods_and_planned_files_are_no_drift() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "cmd/ralph/main.go",
            "package main\n\nfunc handleParsedMessage() {}\n\nfunc main() {}\n",
        ),
        (
            "src/agent.ts",
            "export class Agent {\n  private buildMessages(thread: Thread): Message[] {\n    return [];\n  }\n  stream(prompt: string): Stream {\n    return this.run(prompt);\n  }\n}\n",
        ),
        ("src/hooks/useAgent.ts", "export function useAgent() {}\n"),
        (
            "internal/loop/output.go",
            "package loop\n\nfunc FormatIterationSummary() string { return \"\" }\n",
        ),
    ];
    let prd = "# Implementation Plan\n\
\n\
## P0\n\
\n\
- [x] Both `handleParsedMessage()` and `handleParsedMessagePlanAndBuild()` now skip tool results.\n\
- [x] **Deduplicate message processing.** Deleted `handleParsedMessagePlanAndBuild()` (was identical).\n\
- [x] Fixed `buildMessages()` in `src/agent.ts` to handle all event types\n\
\n\
## P3\n\
\n\
- [ ] P3.4 — CLI `useAgent` creates new agent per prompt (no multi-turn memory) — `src/hooks/useAgent.ts`\n\
- [ ] P4.1 — Full streaming agent loop (implement `stream()` as full agentic loop)\n\
- [ ] Add `FormatIterationSummary` variant or adapter for Codex output\n\
\n\
## File Changes Summary\n\
\n\
| File | Changes |\n\
|------|---------|\n\
| `internal/loop/provider.go` | New file with Provider interface |\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("now skip tool results", &["verified"]),
        ("Deleted `handleParsedMessagePlanAndBuild()`", &["verified"]),
        ("Fixed `buildMessages()`", &["verified"]),
        ("`useAgent` creates", &["unchecked"]),
        ("implement `stream()` as", &["pending"]),
        ("variant or adapter", &[]),
        ("New file with", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
}

/// dev20 (Blankeos/crabcode, appthrust/kany8s, ibucketbranch/PRDTool): a `/` key and a
/// slash command are no routes; an endpoint written with its method is checked against
/// the framework's route files; fields joined by slashes, a remote's branch and a
/// package's type are no paths; a snake_case field is served by its camelCase; an
/// unticked step that stores things as an existing type does not claim the type.
#[test]
fn keys_commands_endpoints_fields_and_types_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "dashboard/app/api/empty-folders/route.ts",
            "export async function GET() {}\n",
        ),
        (
            "dashboard/app/api/empty-folders/assess/route.ts",
            "export async function POST() {}\n",
        ),
        (
            "dashboard/lib/agents.ts",
            "export interface AgentInfo { name: string; lastCycle: string }\nexport type ProposedAction = { kind: string };\nexport type DryRunStatus = string;\n",
        ),
        (
            "internal/kro/status.go",
            "package kro\n\ntype Status struct { Ready bool; Endpoint string }\n",
        ),
        ("internal/endpoint/url.go", "package endpoint\n"),
        (
            "api/v1alpha1/types.go",
            "package v1alpha1\n\ntype Spec struct { KroSpec *apiextensionsv1.JSON }\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
- [x] Command parsing (`/` trigger)\n\
- [x] `/connect` command for API keys\n\
- [x] Create empty folders API endpoint:\n\
  - `GET /api/empty-folders` - Find empty folders\n\
  - `POST /api/empty-folders/{folder}/restore` - Restore files to original folder\n\
- [x] Read instance `status.ready/endpoint` and `ready/endpoint/reason/message` in the controller\n\
- [x] Sync with `upstream/main` on a regular cadence\n\
- [x] MVP default: `apiextensionsv1.JSON` accepts unknown fields\n\
- [x] Return: `last_cycle`, `pending_actions`\n\
- [x] Record `dry_run_status` for each task\n\
- [ ] Add dedup step to agent cycle\n\
  - After scatter detection, run dedup; add proposals as `ProposedAction` with a reason\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("(`/` trigger)", &["unchecked"]),
        ("`/connect` command", &["unchecked"]),
        ("`GET /api/empty-folders`", &["verified"]),
        ("{folder}/restore", &["missing"]),
        ("`status.ready/endpoint`", &["unchecked"]),
        ("`upstream/main`", &["unchecked"]),
        ("`apiextensionsv1.JSON`", &[]),
        ("`last_cycle`", &["partial"]),
        // A snake_case field is not a type's CamelCase name.
        ("`dry_run_status`", &["fake"]),
        ("as `ProposedAction`", &[]),
    ];
    assert_statuses(prd, &report, expected);
    let partial = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "partial" && c["line"] == line_of(prd, "`last_cycle`"))
        .unwrap();
    let text = partial.to_string();
    assert!(
        text.contains("pending_actions") && !text.contains("last_cycle: not found"),
        "{partial:#}"
    );
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// dev21 (OpenCnid/anvil, LISSConsulting/LISSTech.RalphKing): a vendored copy named by
/// its vendored path, a package named like a file, kinds of file and stand-in names.
#[test]
fn vendored_copies_packages_and_stand_in_names_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("src/anvilcv/vendor/rendercv/cli/app.py", "app = None\n"),
        ("src/anvilcv/cli/export_command.py", "import ruamel.yaml\n"),
        (
            "pyproject.toml",
            "[project]\ndependencies = [\n  \"ruamel.yaml>=0.18\",\n]\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
- [x] Vendor `vendor/rendercv/cli/app.py` unchanged\n\
- [x] Add `ruamel.yaml` dependency for round-trip export\n\
- [x] Render `.j2.md` templates\n\
- [x] `ralph spec new` creates flat `specs/name.md`\n\
- [x] Vendor `vendor/rendercv/cli/missing.py` too\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("`vendor/rendercv/cli/app.py`", &["verified"]),
        ("`ruamel.yaml`", &["verified"]),
        ("`.j2.md`", &[]),
        ("`specs/name.md`", &[]),
        ("missing.py", &["fake"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// dev24 (GroverChorizo/TickerTape, Addono/gh-attach): a plan's task table whose status
/// column says "Not started" and "Partial - …", rows an agent loop appended after a
/// blank line, a path written in another case, and tests counted "in" the module they
/// cover.
#[test]
fn status_columns_split_tables_other_cases_and_tests_of_a_module_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("tui/widgets/charts.py", "class TableWidget:\n    pass\n"),
        ("src/backend/alerts.py", "ALERTS = []\n"),
        ("openspec/specs/testing/spec.md", "# Testing\n"),
        ("src/ralph/modelSelection.ts", "export function selectModel() {}\n"),
    ];
    let prd = "# Plan\n\
\n\
## Epic 5\n\
\n\
| ID | Story | Files Touched | Complexity | Status |\n\
|----|-------|---------------|------------|--------|\n\
| TT-040 | Backtest engine | `backtesting/engine.py`, `tests/backtesting/test_engine.py` | L | Not started |\n\
| TT-090 | Alert framework | `src/backend/alerts.py`, `tui/widgets/alert_panel.py` | M | Partial - alert store exists; alert panel wiring pending. |\n\
\n\
| TT-101 | Shared TableWidget | `tui/widgets/charts.py` | S | Done - shared TableWidget enhanced and tests added; follow-ups planned. |\n\
| TT-102 | Jobs CLI | `commands/jobs.py` | S | Done - CLI commands added. |\n\
\n\
## Notes\n\
\n\
- [x] Enabled unit coverage so `npm test` enforces thresholds per `Testing/spec.md`.\n\
- [x] Extracted `selectModel()` into `src/ralph/modelSelection.ts`, and created 9 unit tests.\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("TT-040", &["pending"]),
        ("TT-090", &["pending"]),
        ("TT-101", &["verified"]),
        ("TT-102", &["fake"]),
        ("`Testing/spec.md`", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
    let line = line_of(prd, "9 unit tests");
    let counts: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["line"] == line && c["kind"] == "count")
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(counts, ["unchecked"], "{report:#}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the done row naming no file is drift: {report:#}"
    );
}

/// dev25 (Notaduck/settlers-from-catan, Garogaro1/ticktick-clone): an unticked fix names
/// a file to change that is not there; a list of names under "Re-run … spec files:"
/// does what its parent says; an endpoint that deletes is not a removal.
#[test]
fn fixes_of_missing_files_lists_under_a_verb_and_delete_endpoints_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("backend/internal/game/ports.go", "package game\n"),
        ("frontend/tests/ports.spec.ts", "test('ports', () => {});\n"),
        ("frontend/tests/trading.spec.ts", "test('trading', () => {});\n"),
        ("src/app/api/goals/[id]/route.ts", "export async function DELETE() {}\n"),
    ];
    let prd = "# Plan\n\
\n\
## E2E Stabilization (Critical-Next)\n\
\n\
1. **Re-run Playwright E2E suites for all remaining spec files:**\n   - `ports.spec.ts`, `trading.spec.ts`\n\
\n\
## Atomic Fix Tasks\n\
\n\
- [ ] Fix port state propagation from backend so all ports render. Files: `backend/internal/game/ports.go`, `frontend/src/components/Ports.tsx`\n\
\n\
## API (done)\n\
\n\
- [x] `DELETE /api/goals/[id]` - Delete goal\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("`ports.spec.ts`, `trading.spec.ts`", &["unchecked"]),
        ("Fix port state", &["missing"]),
        ("`DELETE /api/goals/[id]`", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// dev26 (donlair/pubsub, amit-t/bookshelf, arvesolland/ralph): a `**Status**: MISSING`
/// section's files to create, an instruction to create a file, a heading's directory for
/// the bare names under it, a command table naming what an open item plans, a section
/// worked on in another checkout, a file the program looks for where it runs, a
/// directory written with its slash, a zsh function, and Go signatures compared by shape
/// (arvesolland/ralph: `Build` takes two parameters, not three; `Load` is defined twice).
#[test]
fn missing_status_fields_heading_directories_planned_names_and_runtime_files_are_judged() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        ("src/subscription.ts", "export class Subscription {}\n"),
        ("README.md", "# app\n"),
        ("tests/_assert.zsh", "setup_temp_repo() {\n  cd \"$1\"\n}\n"),
        ("internal/cli/root.go", "package cli\n\nvar tool = runner\n"),
        (
            "internal/worktree/hooks.go",
            "package worktree\n\nfunc RunInitHooks() {}\n",
        ),
        (
            "internal/prompt/builder.go",
            "package prompt\n\nfunc (b *Builder) Build(templatePath string, overrides map[string]string) (string, error) {\n\treturn \"\", nil\n}\n",
        ),
        (
            "internal/config/config.go",
            "package config\n\nfunc Load() (*Config, error) {\n\treturn nil, nil\n}\n",
        ),
        (
            "internal/plan/plan.go",
            "package plan\n\nfunc Load(path string) (*Plan, error) {\n\treturn nil, nil\n}\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
## Commands\n\
\n\
| Operation | Command |\n\
|---|---|\n\
| Run installer | `./install.sh` |\n\
\n\
### Phase 18 — installer\n\
\n\
- [ ] Write the installer (`install.sh`)\n\
\n\
#### P2-3. Missing Compatibility Tests\n\
**Status**: MISSING\n\
**Files to Create**:\n\
- `tests/compat/subscription-compat.test.ts`\n\
\n\
#### Item 9: Ack batching\n\
\n\
**Implementation**: Create `src/ack-manager.ts` with batching logic.\n\
\n\
### Phase 17 — Skill content (`.agents/skills/capture/`)\n\
\n\
- [ ] Write skill `README.md`\n\
\n\
### Phase 22 — site bridge (runs in `~/Projects/site`)\n\
\n\
- [ ] Extend `Book` interface in `src/lib/types.ts`\n\
\n\
### T20: hooks\n\
\n\
- [x] `internal/worktree/hooks.go` defines `RunInitHooks`\n\
- [x] Checks for `.tool/hooks/init` executable, runs if present\n\
\n\
### T1: layout\n\
\n\
- [x] Directory structure created: `tool/runner/`, `internal/cli/`\n\
- [x] `tests/_assert.zsh` with `setup_temp_repo`\n\
\n\
## Notes\n\
\n\
- Task 4.1 under parallel-worktree orchestration: this worker lands `lib/_shared.zsh`; the harness arrives via its own merged PRs.\\
\n\
### T9: prompts\n\
\n\
- [x] `internal/prompt/builder.go` defines `Build(templatePath string, config *Config, overrides map[string]string) (string, error)`\n\
- [x] `Load(path string) (*Plan, error)` reads and parses a plan file\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("`./install.sh`", &["unchecked"]),
        ("subscription-compat", &["pending"]),
        ("Create `src/ack-manager.ts`", &["pending"]),
        ("Write skill", &["pending"]),
        ("Extend `Book`", &["unchecked"]),
        ("Checks for", &["unchecked"]),
        ("Directory structure", &["partial"]),
        ("`setup_temp_repo`", &["verified"]),
        ("parallel-worktree", &["unchecked"]),
        ("defines `Build(", &["partial"]),
        ("`Load(path string)", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
}

/// dev27 (ChrisBrooksbank/uk-parliament-data-mcp): the routes of another API the code
/// requests on a base URL are not routes it serves; a name "already implemented as"
/// another is not the work's; "endpoints like `…`" are examples, and `.json` is a kind
/// of file.
#[test]
fn requested_apis_aliases_and_examples_are_not_the_trees_claims() {
    let sb = Sandbox::new();
    let repo = sb.repo("app", 1);
    let files: &[(&str, &str)] = &[
        (
            "src/mcp/tools/members.py",
            "def get_constituency_synopsis(id: int):\n    return get(f\"{MEMBERS_API_BASE}/Location/Constituency/{id}/Synopsis\")\n\ndef get_committee_meetings():\n    return get(f\"{COMMITTEES_API_BASE}/Broadcast/Meetings\")\n",
        ),
        (
            "src/mcp/server.py",
            "@app.get(\"/health\")\ndef health():\n    return {}\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
## Members\n\
\n\
- [x] Add `get_constituency_synopsis` tool — `/api/Location/Constituency/{id}/Synopsis` (path param: `id`)\n\
- [x] Serve `/api/Location/Stats` for the dashboard endpoint\n\
\n\
## Committees\n\
\n\
**Note:** `get_broadcast_meetings` is ALREADY IMPLEMENTED as `get_committee_meetings`. Do NOT re-implement.\n\
\n\
- [x] Endpoints use the `.json` suffix; new endpoints like `/calendar/categories/list.json` take the base\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("`get_constituency_synopsis` tool", &["verified"]),
        ("`/api/Location/Stats`", &["fake"]),
        ("ALREADY IMPLEMENTED", &["verified"]),
        // Before: `fake`, for `.json` and the example.
        ("`.json` suffix", &[]),
    ];
    assert_statuses(prd, &report, expected);
}

/// Links into a section are checked against the headings of the document they point
/// into, by GitHub's slugs (dev28, maniartech/gocurl's ROADMAP.md: the decisions
/// section of `specs/README.md` was renamed, the link kept its old fragment). A link
/// into lines, or into a file that is not Markdown, is unchecked.
#[test]
fn links_into_sections_name_headings_that_are_there() {
    let sb = Sandbox::new();
    let repo = sb.repo("gocurl", 1);
    let files: &[(&str, &str)] = &[
        (
            "specs/README.md",
            "# gocurl Production Specs\n\n## Canonical spec index\n\n## Design decisions (ratified — historical record)\n\n### A. `Request` surface (Spec 02 is sole owner)\n",
        ),
        ("client.go", "package gocurl\n"),
    ];
    let prd = "# Roadmap\n\
\n\
Goal: a self-consistent, hand-off-ready spec set. Depends on user ratification of the\n\
decisions in [specs/README.md](specs/README.md#decisions-to-ratify-before-implementation-milestone-0).\n\
\n\
## Project status\n\
\n\
See [the index](specs/README.md#canonical-spec-index), [the decisions](specs/README.md#design-decisions-ratified--historical-record) and [A](specs/README.md#a-request-surface-spec-02-is-sole-owner).\n\
\n\
Back to [status](#project-status); the client is [here](client.go#L1), [there](client.go#new).\n";
    let (out, report) = committed_and_checked(&sb, &repo, files, prd);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    let expected: &[(&str, &[&str])] = &[
        ("Goal: a self-consistent", &["missing", "verified"]),
        ("See [the index]", &["verified", "verified", "verified", "verified"]),
        ("Back to [status]", &["verified", "unchecked", "unchecked", "verified"]),
    ];
    assert_statuses(prd, &report, expected);
    let broken = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "missing")
        .unwrap();
    assert_eq!(broken["kind"], "anchor");
    assert_eq!(
        broken["evidence"][0],
        "specs/README.md#decisions-to-ratify-before-implementation-milestone-0: not found among the headings of specs/README.md"
    );
}

/// dev28 (maniartech/gocurl's ROADMAP.md, MIT): lines of a Go library's tracker. A list
/// in parentheses after "Removed the deprecated API" names what went, and `Execute`
/// is still defined; a hook "not needed" is no claim; `_Gocurl_Prepared` is the end of a
/// benchmark's name; `RetryConfig` → `RetryPolicy` *mapping* keeps both; "`verbose.go`
/// dedup removed" removed the dedup, not the file; a signature written without its
/// results is compared by its parameters; and `LoadTLSConfig`, unexported since, is no
/// longer the name in Go.
#[test]
fn removal_lists_mappings_name_suffixes_and_go_exports_are_read_as_written() {
    let sb = Sandbox::new();
    let repo = sb.repo("gocurl", 1);
    let files: &[(&str, &str)] = &[
        (
            "api.go",
            "package gocurl\n\nfunc Execute(ctx context.Context, opts *RequestOptions) (*http.Response, error) { return nil, nil }\n",
        ),
        (
            "process.go",
            "package gocurl\n\nfunc createHTTPClient() {}\n\nfunc createRequest(opts *RequestOptions) {}\n",
        ),
        (
            "config.go",
            "package gocurl\n\nfunc WithHTTP2Only(allowCleartext bool) Option { return nil }\n\nfunc WithTLSConfig(c *tls.Config) Option { return loadTLSConfig(c) }\n\nfunc loadTLSConfig(c *tls.Config) Option { return nil }\n",
        ),
        (
            "resilience.go",
            "package gocurl\n\ntype RetryPolicy struct{}\n\ntype RetryConfig struct{}\n",
        ),
        ("verbose.go", "package gocurl\n\nfunc dumpHeaders() {}\n"),
        (
            "bench_roundtrip_test.go",
            "package gocurl\n\nfunc BenchmarkRoundTrip_NetHTTP(b *testing.B) {}\n\nfunc BenchmarkRoundTrip_Gocurl_Prepared(b *testing.B) {}\n",
        ),
    ];
    let prd = "# Roadmap\n\
\n\
- [x] **M11-T1 — Trim the public surface.** Removed the deprecated one-shot API (`Process`, `Execute`, `HandleOutput` — the library no longer writes stdout) and unexported `createHTTPClient`.\n\
- [~] **M1-T5 — Default Client.** The new `Client` is the surface. *(`CloseDefault`/E5 test hook not needed since no shared default Client was introduced.)*\n\
- [x] **M10-T1 — Benchmarks.** `BenchmarkRoundTrip_NetHTTP` parity bar `_Gocurl_Prepared` parse-once hot path.\n\
- [x] **M5-T2 — Legacy `RetryConfig` → `RetryPolicy` mapping** (D5).\n\
- [x] **M6-T1 — Redaction.** Unified on one helper; `verbose.go` dedup removed.\n\
- [x] **M2-T4 — HTTP/2 config** `WithHTTP2Only(allowH2C bool)` in `config.go`.\n\
- [x] **M7-T4 — TLS.** `WithTLSConfig` flows a TLS config through `LoadTLSConfig`.\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("M11-T1", &["stale_removal"]),
        ("M1-T5", &[]),
        ("M10-T1", &["verified"]),
        ("M5-T2", &["verified"]),
        ("M6-T1", &["verified"]),
        ("M2-T4", &["verified"]),
        ("M7-T4", &["partial"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// dev29 (CCJK123/weavr, leandrotocalini/CodeButler, mhs/rebol-clone-glm-5.2): a name an
/// environment template declares is there for an item about the template, and not for
/// one saying the code reads it, nor done by being declared; Go results are named by role
/// and written without pointers; a directory the program reads is a string in its code; a
/// Rebol refinement is no route; golden fixtures are named by their files' stems.
#[test]
fn environment_templates_result_names_runtime_directories_and_fixture_stems_are_read_as_meant() {
    let sb = Sandbox::new();
    let repo = sb.repo("weavr", 1);
    let files: &[(&str, &str)] = &[
        (".env.example", "APP_URL=\nTELEGRAM_OIDC_CLIENT_ID=\nSENTRY_DSN=\n"),
        (
            "src/lib/server/providers/x.ts",
            "export function getAppUrl() { return getRequiredServerEnv('APP_URL'); }\n",
        ),
        (
            "internal/provider/client.go",
            "package provider\n\nfunc (c *Client) ChatCompletion(ctx context.Context, req ChatRequest) (*ChatResponse, error) { return nil, nil }\n\nfunc serve() { http.HandleFunc(\"/health\", nil) }\n",
        ),
        (
            "internal/agent/artist.go",
            "package agent\n\nvar DefaultAssets = ArtistConfig{AssetsDir: \"artist/assets/\"}\n",
        ),
        ("tests/programs_errors/path_resolution.red", "print x/y\n"),
        ("tests/programs_errors/load_parse_error.red", "load %bad\n"),
    ];
    let prd = "# TODO\n\
\n\
- [x] Add `.env.example` with placeholders for `APP_URL` and `TELEGRAM_OIDC_CLIENT_ID`.\n\
- [x] Add lazy Telegram Login config readers for `TELEGRAM_OIDC_CLIENT_ID`.\n\
- [x] Add X config readers for `APP_URL`.\n\
- [ ] Set `SENTRY_DSN` in the deployment environment.\n\
- [x] `ChatCompletion(ctx, req) (resp, error)` — single-shot call\n\
- [x] Read existing UI patterns from `artist/assets/`\n\
- [x] Implement `read` (file/url → string) with `/lines` refinement\n\
- [x] Golden fixture per new error case (`path_resolution`, `load_parse_error`)\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("placeholders", &["verified"]),
        ("lazy Telegram", &["fake"]),
        ("X config readers", &["verified"]),
        ("SENTRY_DSN", &["unchecked"]),
        ("ChatCompletion", &["verified"]),
        ("artist/assets", &["unchecked"]),
        ("refinement", &["unchecked"]),
        ("Golden fixture", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// dev31: LibreLoom/LibreServ's roadmap gives each task a block of fields whose status
/// is a traffic light ("Status: 🔴 Completed By:" is not started), and serves its API
/// from chi's nested route groups while `coverage.html` echoes the code; a task list's
/// "Relevant Files" (Figuu/cemse, eightbitreaper/agent-investment-platform) are as done
/// as the tasks about each file, an example after "e.g." names two files, and a source
/// path a setup script quotes is no excuse for its absence; "Backend API (exists):"
/// says the endpoints listed after it are there, and neither the client router's
/// not-found page (`path="*"`) nor a shell script's `path:` serves them.
#[test]
fn traffic_lights_nested_routes_relevant_files_and_examples_are_read_as_meant() {
    let sb = Sandbox::new();
    let repo = sb.repo("libreserv", 1);
    let files: &[(&str, &str)] = &[
        (
            "server/backend/internal/api/router.go",
            "package api\n\nfunc (s *Server) setupRoutes() {\n\ts.router.Route(\"/api/v1\", func(r chi.Router) {\n\t\tr.Route(\"/setup\", func(r chi.Router) {\n\t\t\tr.Get(\"/status\", h.GetStatus)\n\t\t})\n\t})\n}\n",
        ),
        (
            "server/backend/coverage.html",
            "<pre>r.Get(\"/backups/{id}\", h.Get)</pre>\n",
        ),
        (
            "src/components/courses/CourseCard.tsx",
            "export function CourseCard() {}\n",
        ),
        (
            "server/frontend/src/App.jsx",
            "<Route path=\"/setup\" element={<SetupPage />} />\n<Route path=\"*\" element={<NotFoundPage />} />\n",
        ),
        (
            "install.sh",
            "cat > config.yaml <<EOF\n  path: \"${DATA_DIR}/a/b/c/d/e/f\"\nEOF\n",
        ),
        (
            "scripts/validate_setup.py",
            "EXPECTED = [\"src/agents/news_agent.py\"]\n",
        ),
    ];
    let prd = "# Roadmap\n\
\n\
## Relevant Files\n\
\n\
- `src/components/courses/CourseEnrollment.tsx` - enrollment form\n\
- `src/components/jobs/JobSearch.tsx` - job search\n\
- `src/agents/news_agent.py` - news client\n\
\n\
### Notes\n\
\n\
- Unit tests sit beside the code (e.g., `MyComponent.tsx` and `MyComponent.test.tsx` in the same directory).\n\
\n\
## Tasks\n\
\n\
- [x] 4.3 Build course enrollment\n\
- [ ] 5.1 Build job search\n\
- [x] 2.3 Build the news agent\n\
\n\
#### T1.1.3. Create Welcome Component\n\
\n\
**File:** `server/frontend/src/components/onboarding/WelcomeCard.jsx`  \n\
**Status:** 🔴  \n\
**Completed By:**\n\
\n\
#### T1.1.4. Setup API\n\
\n\
- [x] `GET /api/v1/setup/status` answers whether setup is done\n\
- [x] `GET /api/v1/backups/{id}` returns one backup\n\
\n\
#### T3.1.2. Certificates page\n\
\n\
**User Journey:**\n\
1. Admin opens Network\n\
\n\
**Backend API (exists):**\n\
- `GET /api/v1/setup/status` — setup state\n\
- `GET /api/v1/network/acme/certificates` — list certificates\n\
\n\
#### T3.1.4. DNS Provider Integration\n\
\n\
**Status:** Done (Cloudflare)\n\
\n\
**Backend API (to add):**\n\
- `GET /api/v1/network/dns/providers` — List supported providers\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("CourseEnrollment", &["fake"]),
        ("JobSearch", &["pending"]),
        ("news_agent", &["fake"]),
        ("MyComponent", &[]),
        ("WelcomeCard", &["pending"]),
        ("setup/status", &["verified"]),
        ("backups", &["fake"]),
        ("— setup state", &["verified"]),
        ("acme/certificates", &["fake"]),
        ("dns/providers", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// Lines of test29 (read after its figures were reported: Nsomnia/chadvis-projectm-qt,
/// R2BPW/development_system, ponchione/revolvr) and dev42 (amolk/z10, maniac00/voj,
/// donaldgifford/rondo): a file moved to the project's graveyard is removed; a removal
/// names every file of its list, not what the next sentence relies on; a CMake call and
/// an environment variable a Lisp file reads are found; a study names options; a model
/// id is no path; a file a done item deleted, or an open item will create, is absent as
/// the document says; a paragraph right after an item's code fence is the item's; a
/// section whose intro says `status: blocked` is not done; an API under a configured
/// `/api/v1` mount, a Hunchentoot `:uri`, and a route a hand-written router matches as
/// a string are served; "Replaces current `x`" and "get replaced" remove; an item's note
/// that keeps a file keeps it; an open removal whose target is gone once its condition
/// held is unclaimed.
#[test]
fn graveyards_removal_lists_lifecycles_and_mounted_routes_are_read_as_meant() {
    let sb = Sandbox::new();
    let repo = sb.repo("chadvis", 1);
    let files: &[(&str, &str)] = &[
        ("CMakeLists.txt", "qt_add_qml_module(app URI Chadvis)\n"),
        (
            "src/audio/Player.cpp",
            "QMediaPlayer player; QAudioBufferOutput output;\n",
        ),
        (
            ".backup_graveyard/audio/FFmpegAudioSource.cpp",
            "class FFmpegAudioSource {};\n",
        ),
        (
            "master/cl/http.lisp",
            "(defun start-http-server () (uiop:getenv \"WEB_PORT\"))\n(hunchentoot:define-easy-handler (flows :uri \"/api/flows\") () \"[]\")\n",
        ),
        ("web/index.html", "<script src=\"/src/main.jsx\"></script>\n"),
        (
            "backend/app/api/v1/api.py",
            "api_router.include_router(books.router, prefix=\"/books\")\n",
        ),
        (
            "backend/app/api/v1/endpoints/books.py",
            "@router.post(\"/\")\nasync def create_book():\n    pass\n",
        ),
        (
            "demo/src/api.rs",
            "fn route(path: &str) {\n    match path {\n        \"/metrics/health\" => ok(),\n        _ => not_found(),\n    }\n}\n",
        ),
        ("web/src/lib/project-events.ts", "export function classifyTool() {}\n"),
    ];
    let prd = "# Plan\n\
\n\
## P0\n\
\n\
- [x] **Modernize QML Registration:** Use `qt_add_qml_module` in CMake.\n\
- [x] **Migrate Overlays:** Delete `OverlayRenderer.cpp` and `OverlayEngine.cpp`. Moving overlay rendering to QML.\n\
- [x] **Remove Redundant Audio Sources:** Remove `FFmpegAudioSource.cpp` and `SDLMixerAudioSource.cpp`. Rely on `QMediaPlayer` + `QAudioBufferOutput` or miniaudio.\n\
- [x] **Consolidate Metadata Parsing:** Investigate dropping `TagLib` and relying on Qt's native `QMediaMetaData`.\n\
- [x] **[HTTP-SERVER]** Create `master/cl/http.lisp`: start on the port from env `WEB_PORT`.\n\
- [x] **[HTTP-ROUTES]** Routes: GET `/api/flows` returns the flows.\n\
- [x] Model: `openai/gpt-4.1`.\n\
- [x] 2.2 `POST /api/v1/books` with validation\n\
- [x] 4.10 `GET /metrics/health` (liveness check)\n\
- [x] AUDIT-R3-00 Record the findings in `AUDIT_PROBLEMS.md`.\n\
- [x] AUDIT-R3-CLOSE-01 Re-audit the findings, and delete `AUDIT_PROBLEMS.md` when all are closed.\n\
- [x] **C2. Transactions** New endpoint. Replaces current `/api/projects/:id/exec`.\n\
- [x] **C7. Delete obsolete server code** Remove: `/api/projects/:id/dom` (checksum-based), `project-events.ts` (full-content events). *Note: Kept project-events.ts temporarily.*\n\
- [ ] **[WEB-INIT]** Create `web/package.json`:\n\
```json\n\
{}\n\
```\n\
Create `web/vite.config.js`:\n\
```js\n\
export default {}\n\
```\n\
\n\
- [x] **[WEB-HTML]** Create `web/index.html`. Include `src/main.jsx`.\n\
- [ ] **[WEB-APP]** Create `web/src/main.jsx` rendering the app.\n\
- [ ] **Delete Legacy Overlay Code:** Purge `src/overlay/` once the QML refactor is complete.\n\
\n\
## Deferred Sequence\n\
\n\
These specifications are recorded now but have `status: blocked`. They remain non-selectable until the complete sequence is satisfied.\n\
\n\
1. PTC-103 — role-scoped `python_exec` broker integration.\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("qt_add_qml_module", &["verified"]),
        ("Delete `OverlayRenderer", &["verified"]),
        ("Remove `FFmpegAudioSource", &["verified"]),
        ("TagLib", &[]),
        ("[HTTP-SERVER]", &["verified"]),
        ("[HTTP-ROUTES]", &["verified"]),
        ("gpt-4.1", &[]),
        ("2.2", &["verified"]),
        ("4.10", &["verified"]),
        ("AUDIT-R3-00", &["verified"]),
        ("AUDIT-R3-CLOSE-01", &["verified"]),
        ("C2.", &["verified"]),
        ("C7.", &["verified"]),
        ("vite.config.js", &["pending"]),
        ("[WEB-HTML]", &["verified"]),
        ("Purge", &["unclaimed"]),
        ("python_exec", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// test42 (pyrex41/autopoiesis): a monorepo reorganisation moved `src/core/…` to
/// `packages/core/src/core/…`, and the plan still names the old places. A done item
/// naming a path the history had as written, now only deeper, has nothing where it says;
/// a path found deeper that was never there as written is package-relative and verified.
#[test]
fn a_path_moved_away_since_an_earlier_commit_is_missing_where_the_document_names_it() {
    let sb = Sandbox::new();
    let repo = sb.repo("monorepo", 1);
    let prd = "# Plan\n\
\n\
- [x] Create `thought` class in `src/core/primitives.lisp`\n\
- [x] Write `scripts/build.sh`\n\
- [x] Add the demo device in `devices/block.rs`\n";
    let files: &[(&str, &str)] = &[
        ("src/core/primitives.lisp", "(defclass thought () ())\n"),
        ("scripts/build.sh", "#!/bin/sh\nsbcl --load build.lisp\n"),
        ("demo-vmm/src/devices/block.rs", "pub struct Block;\n"),
    ];
    let (_, before) = committed_and_checked(&sb, &repo, files, prd);
    let all_verified: &[(&str, &[&str])] = &[
        ("primitives.lisp", &["verified"]),
        ("scripts/build.sh", &["verified"]),
        ("devices/block.rs", &["verified"]),
    ];
    assert_statuses(prd, &before, all_verified);

    std::fs::create_dir_all(repo.join("packages/core/src")).unwrap();
    sb.git(&repo, &["mv", "src/core", "packages/core/src/core"]);
    sb.git(&repo, &["mv", "scripts", "packages/core/scripts"]);
    sb.git(&repo, &["commit", "-q", "-m", "monorepo"]);
    let out = sb.distill(&repo).args(["drift", "--json"]).output().unwrap();
    let after = json(&String::from_utf8(out.stdout).unwrap());
    let expected: &[(&str, &[&str])] = &[
        ("primitives.lisp", &["fake"]),
        ("scripts/build.sh", &["fake"]),
        ("devices/block.rs", &["verified"]),
    ];
    assert_statuses(prd, &after, expected);
    let evidence = after["claims"].to_string();
    assert!(
        evidence.contains("it moved to packages/core/scripts/build.sh"),
        "{after:#}"
    );

    // dev46 (realoc/eurovision-vote-party): a task file written after the move names the
    // file from inside its package; no commit had it there beside this document.
    let task = "# Task\n\n- [x] Write `scripts/build.sh`\n";
    std::fs::write(repo.join("TASK.md"), task).unwrap();
    sb.git(&repo, &["add", "TASK.md"]);
    sb.git(&repo, &["commit", "-q", "-m", "task"]);
    let out = sb
        .distill(&repo)
        .args(["drift", "--files", "TASK.md", "--json"])
        .output()
        .unwrap();
    let written_after = json(&String::from_utf8(out.stdout).unwrap());
    assert_statuses(task, &written_after, &[("scripts/build.sh", &["verified"])]);
}

/// dev43 (IronsDu/cpp-remote-profiler, a plan written in Chinese): a change table's
/// "| 删除 | `a.h` |" and "删除 `x` 和 `y/`" record removals, so the changelog's earlier
/// mentions of those files are history; "从 `spdlog/fmt/fmt.h` 切换到 `std::format`"
/// switches away from the header. An unticked item that opens with its endpoint
/// (`GET /pprof/heap` - …, or an endpoint table's row, ⏳ or 📋 in its status cell) is
/// the endpoint's entry: served already, it is unclaimed. A
/// URL constant of an embedded client script (`my $PAGE = "/pprof/contention";`) serves
/// nothing.
#[test]
fn chinese_change_records_endpoint_entries_and_url_constants_are_read_as_meant() {
    let sb = Sandbox::new();
    let repo = sb.repo("profiler", 1);
    let files: &[(&str, &str)] = &[
        (
            "src/drogon_adapter.cpp",
            "void registerDrogonHandlers() {\n  drogon::app().registerHandler(\"/pprof/heap\", heap);\n}\n",
        ),
        (
            "src/internal/embed_pprof.h",
            "static const char* kScript = R\"(\nmy $CONTENTION_PAGE = \"/pprof/contention\";\n)\";\n",
        ),
        (
            "src/log.cpp",
            "#include <format>\nauto line = std::format(\"{}\", 1);\n",
        ),
    ];
    let prd = "# 计划\n\
\n\
## 2. API 接口\n\
\n\
- [ ] `GET /pprof/heap` - Heap profile，返回原始 profile 文件\n\
- [ ] `GET /pprof/contention` - Contention profile（可选）\n\
\n\
| 端点 | 方法 | 说明 | 状态 |\n\
|------|------|------|------|\n\
| `/pprof/heap` | GET | Heap profile | ⏳ |\n\
| `/pprof/contention` | GET | Contention profile | 📋 |\n\
\n\
## 变更日志\n\
\n\
### 2026-01-13\n\
- 创建 `src/web_server.cpp` - 提取所有 HTTP 路由处理\n\
- 日志格式化从 `spdlog/fmt/fmt.h` 切换到 C++20 `std::format`\n\
\n\
#### 文件变更清单\n\
\n\
| 操作 | 文件 | 说明 |\n\
|------|------|------|\n\
| 删除 | `src/web_server.cpp` | 旧文件名，已重命名为 drogon_adapter.cpp |\n\
| 删除 | `src/backends/drogon/` | 旧 Drogon 适配器 |\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("GET /pprof/heap", &["unclaimed"]),
        // Not served: with no route table this tool reads here, undecided.
        ("GET /pprof/contention", &["unchecked"]),
        ("| `/pprof/heap` | GET", &["unclaimed"]),
        ("| `/pprof/contention` | GET", &["unchecked"]),
        ("创建 `src/web_server.cpp`", &["verified"]),
        ("spdlog/fmt/fmt.h", &[]),
    ];
    assert_statuses(prd, &report, expected);
    let history = report["claims"].to_string();
    assert!(history.contains("history: removed by line"), "{report:#}");
    // 📋 in the row's status cell: planned.
    let planned_row = line_of(prd, "| `/pprof/contention` | GET");
    let row = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["line"] == planned_row)
        .unwrap();
    assert_eq!(row["stated"], "not_done", "{row:#}");
}

/// test42 (r-via/anatoly): a story saves its bench results under `_bmad-output/`, which
/// the repository ignores, and updates `epics.md`, whose full path under that directory
/// the story gives too. Nothing under an ignored output directory is ever committed, so
/// its absence says nothing; the user guide the story also writes is missing.
#[test]
fn paths_under_an_ignored_directory_are_never_missing() {
    let sb = Sandbox::new();
    let repo = sb.repo("bench", 1);
    let files: &[(&str, &str)] = &[
        (".gitignore", "_bmad-output/\nnode_modules/\n"),
        ("README.md", "# Bench\n"),
    ];
    let prd = "# Plan\n\
\n\
- [x] Story 50.8: save `_bmad-output/implementation-artifacts/epic-50/f1.json`, link `README.md` to `docs/embedding-providers.md`, and add Epic 50 to `epics.md` (master tracker `_bmad-output/planning-artifacts/epics.md`)\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    assert_statuses(prd, &report, &[("Story 50.8", &["partial"])]);
    let evidence = report["claims"][0]["evidence"].to_string();
    assert!(
        evidence.contains("docs/embedding-providers.md: not found"),
        "{report:#}"
    );
    assert!(
        evidence.contains("epics.md: unchecked (as the document writes it elsewhere"),
        "{report:#}"
    );
    assert!(
        evidence.contains("epic-50/f1.json: unchecked (not in the tree, and ignored by .gitignore"),
        "{report:#}"
    );
}

/// dev44 (atayl16/islam4kids, Rails): `Public::BlogsController` is claimed built, but the
/// public controller is the top-level `BlogsController` and no `Public` namespace exists;
/// `Admin::BlogsController` lives in `app/controllers/admin/`. dev43: a library's
/// `MallocExtension::GetHeapSample()` is called through `instance()`.
#[test]
fn names_in_their_namespace_need_the_namespace() {
    let sb = Sandbox::new();
    let repo = sb.repo("rails", 1);
    let files: &[(&str, &str)] = &[
        (
            "app/controllers/admin/blogs_controller.rb",
            "module Admin\n  class BlogsController < ApplicationController\n  end\nend\n",
        ),
        (
            "app/controllers/blogs_controller.rb",
            "class BlogsController < ApplicationController\nend\n",
        ),
        (
            "src/heap.cpp",
            "void dump() { MallocExtension::instance()->GetHeapSample(&out); }\n",
        ),
    ];
    let prd = "# Tasks\n\
\n\
- [x] 12. Build `Admin::BlogsController` (CRUD)\n\
- [x] 16. Build `Public::BlogsController` (index, show only)\n\
- [x] 20. Read the heap with `MallocExtension::GetHeapSample()`\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("Admin::BlogsController", &["verified"]),
        ("Public::BlogsController", &["fake"]),
        ("GetHeapSample", &["verified"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// dev45 and dev46: a Go ServeMux pattern ending in `/` serves its subtree
/// (realoc/eurovision-vote-party); a route parameter the document writes takes no word
/// of a defined route whose own parameter takes one of the document's
/// (dev-loopedneedle/looped-needle-api: `…/workflow` against `/audits/{audit_id}` under
/// another router's prefix); a store's actions are its object literal's functions
/// (y3-vs/rag-app: `createNewChat: () => {`), so the unticked items that ask for them
/// are unclaimed.
#[test]
fn subtree_handlers_route_parameters_and_object_literal_functions() {
    let sb = Sandbox::new();
    let repo = sb.repo("routes", 1);
    let files: &[(&str, &str)] = &[
        (
            "server/main.go",
            "package main\n\nfunc main() {\n\tmux.Handle(\"/api/parties\", partyHandler)\n\tmux.Handle(\"/api/parties/\", apiHandler)\n}\n",
        ),
        (
            "src/audits/router.py",
            "router = APIRouter(prefix=\"/api/v1\")\n\n@router.get(\"/audits/{audit_id}\")\ndef get_audit(audit_id): ...\n",
        ),
        (
            "src/audit_workflows/router.py",
            "router = APIRouter(prefix=\"/api/v1/audits\")\n\n@router.get(\"/{audit_id}/workflows\")\ndef list_workflows(audit_id): ...\n",
        ),
        (
            "app/lib/rag/chat-store.ts",
            "interface ChatStore {\n  createNewChat: () => string;\n  addMessage: (m: Message) => void;\n}\n\nexport const useChatStore = create<ChatStore>()((set) => ({\n  createNewChat: () => {\n    return id;\n  },\n}));\n",
        ),
    ];
    let prd = "# Plan\n\
\n\
- [x] `GET /api/parties/:code` - Get party by code\n\
- [x] GET `/api/v1/audits/{audit_id}/workflow` in `src/audit_workflows/router.py`\n\
- [x] Create `app/lib/rag/chat-store.ts` structure\n\
- [ ] Implement `createNewChat()` action\n\
- [ ] Implement `addMessage()` action\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("/api/parties/:code", &["verified"]),
        ("/workflow`", &["partial"]),
        ("createNewChat", &["unclaimed"]),
        ("addMessage", &["pending"]),
    ];
    assert_statuses(prd, &report, expected);
}

/// dev45 (y3-vs/rag-app): "Install core AI libraries (`ai`, `openai-edge`, …)" ticked,
/// though `openai-edge` never reached `package.json`; a package installed already under
/// an unticked item is unclaimed; what is installed onto a machine (globally, by
/// Homebrew) is no dependency of the tree.
#[test]
fn packages_an_item_installs_are_looked_for_in_the_manifests() {
    let sb = Sandbox::new();
    let repo = sb.repo("packages", 1);
    let files: &[(&str, &str)] = &[(
        "package.json",
        "{\n  \"dependencies\": {\n    \"ai\": \"^5.0.0\",\n    \"axios\": \"^1.7.0\",\n    \"zod\": \"^3.23.0\"\n  },\n  \"devDependencies\": { \"@types/uuid\": \"^10.0.0\" }\n}\n",
    )];
    let prd = "# Checklist\n\
\n\
- [x] Install core AI libraries (`ai`, `openai-edge`, `axios`)\n\
- [x] Install dev dependencies (`@types/uuid`)\n\
- [ ] Install validation library (`zod`)\n\
- [x] Install the Vercel CLI globally (`vercel`)\n";
    let (_, report) = committed_and_checked(&sb, &repo, files, prd);
    let expected: &[(&str, &[&str])] = &[
        ("openai-edge", &["partial"]),
        ("@types/uuid", &["verified"]),
        ("`zod`", &["unclaimed"]),
        ("vercel", &[]),
    ];
    assert_statuses(prd, &report, expected);
    let partial = report["claims"].to_string();
    assert!(partial.contains("package openai-edge: not found"), "{report:#}");
}
