//! The search workflow: documents from evidence notes, playbooks and RAG datasets, kept
//! in a cache under `.git/distill/index/` keyed by the blob each came from, so a refresh
//! parses only what changed and deleting the cache loses nothing.

use super::derive::current_verdicts;
use super::score::Rules;
use super::{Result, WorkflowError, read_note_records};
use crate::index::{Bm25, Document, Filters, Hit, build_index, search as rank};
use crate::schema::{ChatRole, EvidenceRecord, Playbook, RagSample, ScoredRun};
use crate::store::{NotesRef, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const CACHE_VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// Source blob id → the documents parsed from it (categories are applied at query time).
    blobs: BTreeMap<String, Vec<Document>>,
}

/// What the index holds and how it was refreshed.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Documents indexed.
    pub documents: usize,
    /// Source blobs parsed in this refresh (the rest came from the cache).
    pub parsed_blobs: usize,
    /// Source blobs in the index.
    pub blobs: usize,
    /// Retrieval mode: `keyword-only` until an embedding model is configured.
    pub mode: String,
}

/// A loaded, current index.
pub struct Index {
    docs: Vec<Document>,
    bm25: Bm25,
    /// How it was built.
    pub stats: IndexStats,
}

impl Index {
    /// Search it.
    pub fn search(&self, query: &str, k: usize, filters: &Filters) -> Vec<Hit> {
        rank(&self.docs, &self.bm25, query, k, filters)
    }
}

/// Bring the cache up to date with the notes and refs, and load the index.
pub fn open_index(store: &Store, rules: &Rules) -> Result<Index> {
    let dir = store.state_dir().join("index");
    let path = dir.join("documents.json");
    let mut cache: Cache = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|c: &Cache| c.version == CACHE_VERSION)
        .unwrap_or_default();
    let mut fresh: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    let mut parsed = 0;
    for (blob, kind) in sources(store)? {
        let key = blob.to_string();
        let docs = match cache.blobs.remove(&key) {
            Some(docs) => docs,
            None => {
                parsed += 1;
                documents(&store.blob(blob)?, kind)
            }
        };
        fresh.insert(key, docs);
    }
    let changed = parsed > 0 || !cache.blobs.is_empty();
    let cache = Cache {
        version: CACHE_VERSION,
        blobs: fresh,
    };
    if changed {
        std::fs::create_dir_all(&dir).map_err(|e| WorkflowError::Other(format!("{}: {e}", dir.display())))?;
        let bytes = serde_json::to_vec(&cache).map_err(|e| WorkflowError::Other(e.to_string()))?;
        std::fs::write(&path, bytes).map_err(|e| WorkflowError::Other(format!("{}: {e}", path.display())))?;
    }
    let scores = read_note_records::<ScoredRun>(store, &NotesRef::scores(), None)?;
    let verdicts = current_verdicts(scores.records.into_iter().map(|(_, s)| s), &rules.hash);
    let blobs = cache.blobs.len();
    let mut docs: Vec<Document> = cache.blobs.into_values().flatten().collect();
    for d in docs.iter_mut().filter(|d| d.kind == "run") {
        if let Some(v) = verdicts.get(&d.id) {
            d.category = v.category.to_string();
        }
    }
    docs.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    docs.dedup_by(|a, b| a.kind == b.kind && a.id == b.id && a.text == b.text);
    let bm25 = build_index(&docs);
    Ok(Index {
        stats: IndexStats {
            documents: docs.len(),
            parsed_blobs: parsed,
            blobs,
            mode: "keyword-only".into(),
        },
        docs,
        bm25,
    })
}

#[derive(Debug, Clone, Copy)]
enum SourceKind {
    Evidence,
    Playbook,
    Rag,
}

/// Every blob documents come from: evidence notes, playbook JSON files, RAG datasets.
fn sources(store: &Store) -> Result<Vec<(gix::ObjectId, SourceKind)>> {
    let mut out = Vec::new();
    let evidence = store.notes_snapshot(&NotesRef::evidence())?;
    for commit in evidence.annotated() {
        if let Some(blob) = evidence.blob_for(&commit) {
            out.push((blob, SourceKind::Evidence));
        }
    }
    let mut refs = vec!["refs/distill/playbooks".to_owned()];
    refs.extend(store.refs_under("refs/distill/datasets/")?);
    for name in refs {
        let Ok(commit) = store.resolve(&name) else { continue };
        let tree = store.commit_tree(commit)?;
        for (path, blob) in tree.files() {
            if path.ends_with(".json") && name.ends_with("/playbooks") {
                out.push((blob, SourceKind::Playbook));
            } else if path == "rag/train.jsonl" {
                out.push((blob, SourceKind::Rag));
            }
        }
    }
    Ok(out)
}

fn documents(bytes: &[u8], kind: SourceKind) -> Vec<Document> {
    let lines = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    match kind {
        SourceKind::Evidence => lines
            .filter_map(|l| serde_json::from_slice::<EvidenceRecord>(l).ok())
            .map(|r| run_document(&r))
            .collect(),
        SourceKind::Playbook => lines
            .filter_map(|l| serde_json::from_slice::<Playbook>(l).ok())
            .map(|p| playbook_document(&p))
            .collect(),
        SourceKind::Rag => lines
            .filter_map(|l| serde_json::from_slice::<RagSample>(l).ok())
            .map(|r| Document {
                kind: "rag".into(),
                id: r.sample_id.clone(),
                task_type: r.task_type.clone(),
                model: r.tags.get(1).cloned().unwrap_or_default(),
                category: r.success_score.to_string(),
                commit: r.provenance.commit.clone().unwrap_or_default(),
                source: r.provenance.source.clone().unwrap_or_default(),
                text: r.content.clone(),
            })
            .collect(),
    }
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
