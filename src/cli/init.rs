//! `git distill init`: write a commented starter `.distill/config.toml`.

use super::{Context, Exit};
use crate::config::CONFIG_PATH;
use anyhow::{Context as _, bail};
use std::path::{Path, PathBuf};

/// Write a starter .distill/config.toml, with sources for the Claude Code, Codex,
/// Gemini CLI and Aider logs of this repository when they are found.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrite an existing config.
    #[arg(long)]
    force: bool,
}

/// Run `git distill init`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let workdir = store.workdir();
    let path = workdir.join(CONFIG_PATH);
    if path.exists() && !args.force {
        bail!("{} exists; use --force to overwrite it", path.display());
    }
    let home = crate::workflow::paths::home_dir();
    let claude = home.as_deref().and_then(|h| claude_project_dir(h, &workdir));
    let codex = home
        .as_deref()
        .map(|h| h.join(".codex/sessions"))
        .filter(|p| p.is_dir());
    let gemini = home.as_deref().and_then(|h| gemini_chats_dir(h, &workdir));
    let aider = workdir.join(".aider.chat.history.md").is_file();
    let text = starter(claude.as_deref(), codex.is_some(), gemini.as_deref(), aider);
    std::fs::create_dir_all(path.parent().unwrap_or(&workdir))
        .with_context(|| format!("cannot create {}", path.display()))?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote {}", path.display());
    match &claude {
        Some(dir) => println!("  found Claude Code logs: {}", dir.display()),
        None => println!("  no Claude Code logs found for this repository (source left commented)"),
    }
    if codex.is_some() {
        println!("  found Codex sessions under ~/.codex/sessions");
    }
    if let Some(dir) = &gemini {
        println!("  found Gemini CLI recordings: {}", dir.display());
    }
    if aider {
        println!("  found Aider's chat history: .aider.chat.history.md");
    }
    Ok(Exit::Ok)
}

/// Claude Code keeps a project's sessions under `~/.claude/projects/<slug>`, the slug
/// being the absolute path with `/` and `.` replaced by `-`.
fn claude_project_dir(home: &Path, workdir: &Path) -> Option<PathBuf> {
    let absolute = workdir.canonicalize().ok()?;
    let slug: String = absolute
        .to_string_lossy()
        .chars()
        .map(|c| if c == '/' || c == '.' { '-' } else { c })
        .collect();
    let dir = home.join(".claude/projects").join(slug);
    dir.is_dir().then_some(dir)
}

/// Gemini CLI keeps a project's recordings under `~/.gemini/tmp/<id>/chats`, the id
/// being the SHA-256 of the project root (older versions) or a short name from its
/// project registry, usually the directory's name (newer ones).
fn gemini_chats_dir(home: &Path, workdir: &Path) -> Option<PathBuf> {
    use sha2::Digest as _;
    let absolute = workdir.canonicalize().ok()?;
    let hash = hex::encode(sha2::Sha256::digest(absolute.to_string_lossy().as_bytes()));
    let name = absolute.file_name()?.to_string_lossy().into_owned();
    [hash, name]
        .into_iter()
        .map(|id| home.join(".gemini/tmp").join(id).join("chats"))
        .find(|dir| dir.is_dir())
}

fn starter(claude: Option<&Path>, codex: bool, gemini: Option<&Path>, aider: bool) -> String {
    let gemini_block = match gemini {
        Some(dir) => format!(
            "[[source]]\nname = \"gemini\"\nadapter = \"gemini\"\npath = \"{}/session-*.json*\"\n",
            tilde(dir)
        ),
        None => "# [[source]]\n# name = \"gemini\"\n# adapter = \"gemini\"\n# path = \"~/.gemini/tmp/<project-id>/chats/session-*.json*\"\n"
            .to_owned(),
    };
    let aider_prefix = if aider { "" } else { "# " };
    let claude_block = match claude {
        Some(dir) => format!(
            "[[source]]\nname = \"claude\"\nadapter = \"claude-code\"\npath = \"{}/*.jsonl\"\n",
            tilde(dir)
        ),
        None => "# [[source]]\n# name = \"claude\"\n# adapter = \"claude-code\"\n# path = \"~/.claude/projects/<project-slug>/*.jsonl\"\n"
            .to_owned(),
    };
    let codex_prefix = if codex { "" } else { "# " };
    format!(
        "# git-distill configuration. Reference: docs/config.md\n\
         \n\
         # Claude Code session transcripts for this repository.\n\
         {claude_block}\n\
         # OpenAI Codex CLI rollouts (all sessions; runs are linked to commits by time).\n\
         {codex_prefix}[[source]]\n\
         {codex_prefix}name = \"codex\"\n\
         {codex_prefix}adapter = \"codex\"\n\
         {codex_prefix}path = \"~/.codex/sessions/**/rollout-*.jsonl\"\n\
         \n\
         # Gemini CLI chat recordings for this repository.\n\
         {gemini_block}\n\
         # Aider's chat history (one run per launch).\n\
         {aider_prefix}[[source]]\n\
         {aider_prefix}name = \"aider\"\n\
         {aider_prefix}adapter = \"aider\"\n\
         {aider_prefix}path = \".aider.chat.history.md\"\n\
         \n\
         # Your own JSONL telemetry: map EvidenceRecord fields to JSON pointers.\n\
         # [[source]]\n\
         # name = \"telemetry\"\n\
         # adapter = \"jsonl\"\n\
         # path = \"logs/runs.jsonl\"\n\
         # [source.map]\n\
         # run_id = \"/run_id\"\n\
         # model_name = \"/model\"\n\
         # timestamp = \"/ts\"\n\
         # model_role = {{ const = \"executor\" }}\n\
         \n\
         [drift]\n\
         files = [\"PRD.md\"]\n\
         # require_prd = false\n\
         # pre_push = \"warn\"   # or \"block\"\n\
         \n\
         [collect]\n\
         # max_line_bytes = 8388608\n"
    )
}

fn tilde(path: &Path) -> String {
    match crate::workflow::paths::home_dir().and_then(|home| path.strip_prefix(home).ok().map(Path::to_path_buf)) {
        Some(rest) => format!("~/{}", rest.to_string_lossy()),
        None => path.to_string_lossy().into_owned(),
    }
}
