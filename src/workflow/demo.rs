//! The demo: a small repository whose history has agent logs of every kind and a PRD
//! that drifts and recovers, built from the bundled fixtures and run through the whole
//! pipeline with the hooks installed — offline, in one command.

use super::{Result, WorkflowError};
use crate::store::{Store, init_repository};
use std::path::{Path, PathBuf};

type File = (&'static str, &'static [u8]);

macro_rules! fixture {
    ($dest:literal, $src:literal) => {
        ($dest, include_bytes!(concat!("../../fixtures/", $src)) as &[u8])
    };
}

const CONFIG: &[u8] = br#"# git-distill demo configuration
[[source]]
name = "claude"
adapter = "claude-code"
path = "agent-logs/claude/*.jsonl"

[[source]]
name = "codex"
adapter = "codex"
path = "agent-logs/codex/*.jsonl"

[[source]]
name = "lakehouse"
adapter = "lakehouse"
path = "agent-logs/lakehouse/*.jsonl"

[[source]]
name = "telemetry"
adapter = "jsonl"
path = "agent-logs/telemetry.jsonl"
[source.map]
run_id = "/run"
task_id = "/job"
task_type = { pointer = "/kind", default = "general" }
timestamp = "/ts"
model_name = "/agent/model"
model_role = "/agent/role"
input = "/prompt"
output = "/answer"
validation_results = "/checks"
failure_markers = "/errors"
latency_ms = "/ms"
cost_usd = "/usd"
source_files = "/touched"
observer_notes = "/env"

[drift]
files = ["PRD.md"]
"#;

const BASE: &[File] = &[
    (
        "README.md",
        b"# gateway\n\nA demo repository made by `git distill demo`.\n",
    ),
    (".gitignore", b"agent-logs/\n"),
    (".distill/config.toml", CONFIG),
    fixture!("PRD.md", "drift/base/PRD.md"),
    fixture!(
        "crates/gateway/src/v1/mode.rs",
        "drift/base/crates/gateway/src/v1/mode.rs"
    ),
    fixture!("crates/tools/README.md", "drift/base/crates/tools/README.md"),
    fixture!("src/health.py", "drift/base/src/health.py"),
    fixture!("src/legacy.rs", "drift/base/src/legacy.rs"),
    fixture!("docs/SPEC.md", "drift/base/docs/SPEC.md"),
    fixture!(
        "agent-logs/claude/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl",
        "sources/claude-code/7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl"
    ),
    fixture!("agent-logs/telemetry.jsonl", "sources/jsonl/telemetry.jsonl"),
    fixture!(
        "agent-logs/lakehouse/mode_experiments.jsonl",
        "sources/lakehouse/mode_experiments.jsonl"
    ),
    fixture!(
        "agent-logs/lakehouse/contract_analyses.jsonl",
        "sources/lakehouse/contract_analyses.jsonl"
    ),
    fixture!(
        "agent-logs/lakehouse/distilled_facts.jsonl",
        "sources/lakehouse/distilled_facts.jsonl"
    ),
    fixture!(
        "agent-logs/lakehouse/outcomes.jsonl",
        "sources/lakehouse/outcomes.jsonl"
    ),
];

const DRIFT: &[File] = &[
    fixture!("PRD.md", "drift/prd-drift.md"),
    fixture!(
        "agent-logs/claude/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.jsonl",
        "sources/claude-code/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.jsonl"
    ),
    fixture!(
        "agent-logs/lakehouse/scrum_reviews.jsonl",
        "sources/lakehouse/scrum_reviews.jsonl"
    ),
    fixture!("agent-logs/lakehouse/audits.jsonl", "sources/lakehouse/audits.jsonl"),
    fixture!(
        "agent-logs/lakehouse/model_trust.jsonl",
        "sources/lakehouse/model_trust.jsonl"
    ),
    fixture!(
        "agent-logs/lakehouse/overrides.jsonl",
        "sources/lakehouse/overrides.jsonl"
    ),
];

const RESOLVE: &[File] = &[
    fixture!("crates/audit/src/lib.rs", "drift/audit-lib.rs"),
    fixture!("src/legacy.rs", "drift/base/src/legacy.rs"),
    fixture!(
        "agent-logs/codex/rollout-2026-01-02T14-00-00-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9.jsonl",
        "sources/codex/rollout-2026-01-02T14-00-00-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9.jsonl"
    ),
    fixture!(
        "agent-logs/codex/rollout-2025-12-30T08-00-00-legacy.jsonl",
        "sources/codex/rollout-2025-12-30T08-00-00-legacy.jsonl"
    ),
];

/// One step of the demo: files to write and remove, an edit of the PRD, a commit message and its date.
struct Step {
    files: &'static [File],
    remove: &'static [&'static str],
    message: &'static str,
    date: &'static str,
    prd_edit: Option<(&'static str, &'static str)>,
}

const STEPS: &[Step] = &[
    Step {
        files: BASE,
        remove: &[],
        message: "Gateway with mode routing",
        date: "2026-01-01T10:00:00Z",
        prd_edit: None,
    },
    Step {
        files: DRIFT,
        remove: &["src/legacy.rs"],
        message: "Claim the audit log; drop legacy",
        date: "2026-01-02T12:00:00Z",
        prd_edit: None,
    },
    Step {
        files: RESOLVE,
        remove: &[],
        message: "Implement the audit log; restore legacy",
        date: "2026-01-03T10:00:00Z",
        prd_edit: Some(("There are 2 crates", "There are 3 crates")),
    },
];

/// Build the demo repository in `dir` (which must not exist or be empty), with the hooks
/// of `binary` installed, committing each step so the hooks collect, score and check drift.
pub fn build(dir: &Path, binary: &Path) -> Result<(Store, Vec<String>)> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(WorkflowError::usage(format!(
            "{} exists and is not empty; pick another directory",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| WorkflowError::io(dir, e))?;
    init_repository(dir)?;
    let store = Store::discover(dir)?;
    if store.config_value("user.email").is_none() {
        store.git_command(&["config", "user.name", "git-distill demo"])?;
        store.git_command(&["config", "user.email", "demo@git-distill.invalid"])?;
    }
    super::hooks::install(&store, binary)?;
    let mut done = Vec::new();
    for step in STEPS {
        for (path, bytes) in step.files {
            write(dir, path, bytes)?;
        }
        for path in step.remove {
            let _ = std::fs::remove_file(dir.join(path));
        }
        if let Some((from, to)) = step.prd_edit {
            let prd = dir.join("PRD.md");
            let text = std::fs::read_to_string(&prd).map_err(WorkflowError::io_on(&prd))?;
            write(dir, "PRD.md", text.replace(from, to).as_bytes())?;
        }
        let commit = store.commit_all(step.message, Some(step.date))?;
        done.push(format!("{} {}", &commit[..12], step.message));
    }
    // Reopen: the hooks wrote refs and objects from other processes.
    Ok((Store::discover(dir)?, done))
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path: PathBuf = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| WorkflowError::io(parent, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| WorkflowError::io(&path, e))
}
