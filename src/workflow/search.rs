//! The search workflow: documents from evidence notes, playbooks and RAG datasets, and
//! the index they are searched in (kept on disk by `search_index`; deleting it loses
//! nothing).

use super::score::Rules;
pub use super::search_index::OnBusy;
use super::verdict::recompute;
use super::{Result, WorkflowError};
use crate::config::Config;
use crate::embed::Embedder;
use crate::index::{Corpus, Document, Filters, Fusion, Hit, Mode, Query};
use crate::schema::{ChatRole, EvidenceRecord, Playbook, RagSample};
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Git config key naming the embedding model (set by `git distill index --model`).
pub const MODEL_CONFIG_KEY: &str = "distill.search.model";

/// What the index holds and how it was refreshed.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Documents indexed.
    pub documents: usize,
    /// Source lines parsed in this refresh (the rest were indexed before).
    pub parsed: usize,
    /// Documents added in this refresh.
    pub added: usize,
    /// Documents removed in this refresh (their note lines are gone).
    pub removed: usize,
    /// Segment files the index is made of.
    pub segments: usize,
    /// Another process was updating the index; this search used it as it was.
    pub stale: bool,
    /// Default retrieval mode: `hybrid` with an embedding model, else `keyword-only`.
    pub mode: Mode,
    /// Where the embedding model was loaded from, when there is one.
    pub model: Option<String>,
    /// Content hash of the model's files, when there is one.
    pub model_id: Option<String>,
    /// Documents embedded in this refresh (the rest came from the embedding cache).
    pub embedded: usize,
}

/// A loaded, current index.
pub struct Index {
    corpus: Corpus,
    embedder: Option<Embedder>,
    /// How it was built.
    pub stats: IndexStats,
}

/// Why a search cannot run as asked.
fn no_model(mode: Mode) -> WorkflowError {
    WorkflowError::usage(format!(
        "{} search needs an embedding model; none is configured (set {MODEL_CONFIG_KEY} with `git distill index --model <dir-or-wheel>`, or [search] model in .distill/config.toml)",
        mode.as_str()
    ))
}

impl Index {
    /// Every document it holds.
    pub fn documents(&self) -> impl Iterator<Item = Document> + '_ {
        self.corpus.documents()
    }

    /// Search it. `mode` defaults to hybrid when a model is loaded, else keyword-only.
    pub fn search(
        &self,
        text: &str,
        k: usize,
        mode: Option<Mode>,
        fusion: Fusion,
        filters: &Filters,
    ) -> Result<(Mode, Vec<Hit>)> {
        let mode = mode.unwrap_or(self.stats.mode);
        let vector = match (mode, &self.embedder) {
            (Mode::Keyword, _) => None,
            (_, Some(embedder)) => embedder.embed(&[text])?.pop(),
            (_, None) => return Err(no_model(mode)),
        };
        let query = Query {
            text,
            vector: vector.as_deref(),
            k,
            mode,
            fusion,
        };
        Ok((mode, self.corpus.search(&query, filters)))
    }
}

/// The embedding model to use: `flag` (from the command line), else git config
/// `distill.search.model`, else `[search] model` in `.distill/config.toml` (relative to
/// the work tree). `~/` expands to the home directory.
pub fn model_path(store: &Store, config: &Config, flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    let expand = super::paths::expand_home;
    if let Some(v) = store.config_value(MODEL_CONFIG_KEY).filter(|v| !v.is_empty()) {
        return Some(expand(&v));
    }
    config.search.model.as_deref().map(|m| store.workdir().join(expand(m)))
}

/// Fusion settings from the config.
pub fn fusion(config: &Config) -> Fusion {
    Fusion {
        k: config.search.rrf_k,
        keyword_weight: config.search.keyword_weight,
        dense_weight: config.search.dense_weight,
        ..Fusion::default()
    }
}

/// Bring the index up to date with the notes and refs, load the embedding model at
/// `model` (meanwhile, on another thread), embed what is new (reporting `(done, total)` to
/// `progress`), and open it.
pub fn open_index(
    store: &Store,
    rules: &Rules,
    model: Option<&Path>,
    on_busy: OnBusy,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Index> {
    let dir = store.state_dir().join("index");
    // The model loads on another thread while the keyword index is brought up to date;
    // vectors for what is new are added once it is here.
    let (keyword, embedder) = std::thread::scope(|scope| {
        let loading = model.map(|p| scope.spawn(move || Embedder::load(p)));
        let keyword = super::search_index::open(store, rules, &dir, None, on_busy, progress);
        let embedder = loading
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(crate::embed::EmbedError::Inference("model loading panicked".into())))
            })
            .transpose();
        (keyword, embedder)
    });
    let embedder = embedder?;
    let (corpus, refresh) = match &embedder {
        None => keyword?,
        Some(e) => {
            let (_, updated) = keyword?;
            let (corpus, embedded) = super::search_index::open(store, rules, &dir, Some(e), on_busy, progress)?;
            (
                corpus,
                super::search_index::Refresh {
                    embedded: embedded.embedded,
                    stale: updated.stale || embedded.stale,
                    ..updated
                },
            )
        }
    };
    Ok(Index {
        stats: IndexStats {
            documents: corpus.len(),
            parsed: refresh.parsed,
            added: refresh.added,
            removed: refresh.removed,
            segments: refresh.segments,
            stale: refresh.stale,
            mode: if embedder.is_some() {
                Mode::Hybrid
            } else {
                Mode::Keyword
            },
            model: embedder.as_ref().map(|e| e.origin().to_owned()),
            model_id: embedder.as_ref().map(|e| e.id().to_owned()),
            embedded: refresh.embedded,
        },
        corpus,
        embedder,
    })
}

/// Where documents come from.
#[derive(Debug, Clone, Copy)]
pub(super) enum SourceKind {
    /// An evidence note, and the commit it annotates.
    Evidence(gix::ObjectId),
    /// A playbook JSON file.
    Playbook,
    /// A RAG dataset.
    Rag,
}

/// The documents of `lines` (of one source), each with the index of its line.
pub(super) fn documents(
    store: &Store,
    lines: &[&[u8]],
    kind: SourceKind,
    rules: &Rules,
) -> Result<Vec<(usize, Document)>> {
    Ok(match kind {
        SourceKind::Evidence(commit) => {
            let (at, linked): (Vec<usize>, Vec<(gix::ObjectId, EvidenceRecord)>) = parse_lines(lines)
                .into_iter()
                .filter(|(_, r): &(usize, EvidenceRecord)| r.schema_version == crate::schema::SCHEMA_VERSION)
                .map(|(i, r)| (i, (commit, r)))
                .unzip();
            let verdicts = recompute(store, &linked, rules)?;
            at.into_par_iter()
                .zip(linked.par_iter())
                .map(|(i, (_, r))| {
                    let mut doc = run_document(r);
                    if let Some((_, v)) = verdicts.current.get(&r.run_id) {
                        doc.category = v.category.to_string();
                    }
                    (i, doc)
                })
                .collect()
        }
        SourceKind::Playbook => parse_lines(lines)
            .into_iter()
            .map(|(i, p): (usize, Playbook)| (i, playbook_document(&p)))
            .collect(),
        SourceKind::Rag => parse_lines(lines)
            .into_iter()
            .map(|(i, r): (usize, RagSample)| {
                (
                    i,
                    Document {
                        kind: "rag".into(),
                        id: r.sample_id.clone(),
                        task_type: r.task_type.clone(),
                        model: r.tags.get(1).cloned().unwrap_or_default(),
                        category: r.success_score.to_string(),
                        commit: r.provenance.commit.clone().unwrap_or_default(),
                        source: r.provenance.source.clone().unwrap_or_default(),
                        text: r.content.clone(),
                    },
                )
            })
            .collect(),
    })
}

/// The lines that parse as `T`, with their indices (others are not documents), parsed
/// in parallel.
fn parse_lines<T: serde::de::DeserializeOwned + Send>(lines: &[&[u8]]) -> Vec<(usize, T)> {
    lines
        .par_iter()
        .enumerate()
        .filter_map(|(i, l)| serde_json::from_slice(l).ok().map(|r| (i, r)))
        .collect()
}

fn run_document(r: &EvidenceRecord) -> Document {
    let mut text = vec![
        format!("task {} ({})", r.task_id, r.task_type),
        format!("model {}", r.model_name),
    ];
    for c in &r.commands_run {
        text.push(format!(
            "command: {}{}",
            c.command,
            c.exit_code.map(|x| format!(" (exit {x})")).unwrap_or_default()
        ));
    }
    text.extend(r.source_files.iter().map(|f| format!("file: {f}")));
    text.extend(
        r.validation_results
            .iter()
            .map(|v| format!("validation: {} {}", v.name, if v.passed { "passed" } else { "failed" })),
    );
    text.extend(r.failure_markers.iter().map(|m| format!("failure: {m}")));
    text.extend(r.success_markers.iter().map(|m| format!("success: {m}")));
    text.extend(r.observer_notes.iter().map(|m| format!("note: {m}")));
    text.extend(r.retrieved_context.iter().map(|m| format!("context: {m}")));
    for m in r
        .transcript
        .iter()
        .filter(|m| matches!(m.role, ChatRole::User | ChatRole::Assistant))
    {
        let content: String = m.content.chars().take(500).collect();
        if !content.trim().is_empty() {
            text.push(format!(
                "{}: {}",
                if m.role == ChatRole::User { "user" } else { "assistant" },
                content.replace('\n', " ")
            ));
        }
    }
    Document {
        kind: "run".into(),
        id: r.run_id.clone(),
        task_type: r.task_type.clone(),
        model: r.model_name.clone(),
        category: String::new(),
        commit: r.provenance.commit.clone().unwrap_or_default(),
        source: r.provenance.source.clone().unwrap_or_default(),
        text: text.join("\n"),
    }
}

fn playbook_document(p: &Playbook) -> Document {
    let mut text = vec![format!(
        "playbook {} ({}): {}",
        p.playbook_id, p.task_type, p.problem_pattern
    )];
    for (label, items) in [
        ("criterion", &p.acceptance_criteria),
        ("worked", &p.commands_worked),
        ("failed", &p.commands_failed),
        ("file", &p.files_touched),
        ("failure mode", &p.known_failure_modes),
        ("recovery", &p.recovery_strategy),
    ] {
        text.extend(items.iter().map(|i| format!("{label}: {i}")));
    }
    Document {
        kind: "playbook".into(),
        id: p.playbook_id.clone(),
        task_type: p.task_type.clone(),
        model: p.model_routing_path.join(" "),
        category: "accepted".into(),
        commit: String::new(),
        source: "playbooks".into(),
        text: text.join("\n"),
    }
}
