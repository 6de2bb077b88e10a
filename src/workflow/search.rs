//! The search workflow: documents from evidence notes, playbooks and RAG datasets, kept
//! in a cache under `.git/distill/index/` keyed by the blob each came from, so a refresh
//! parses only what changed; embeddings cached by text hash per model, so a text is
//! embedded once. Deleting the directory loses nothing.

use super::score::Rules;
use super::vector_cache::{VectorCache, key};
use super::verdict::{StoredVerdict, judge_stored, recompute};
use super::{Result, WorkflowError, read_note_records};
use crate::config::Config;
use crate::embed::Embedder;
use crate::index::{Corpus, Document, Filters, Fusion, Hit, Mode, Query, Vectors};
use crate::schema::{Category, ChatRole, EvidenceRecord, Playbook, RagSample};
use crate::store::{DATASETS_PREFIX, NotesRef, Store, TreeRef};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CACHE_VERSION: u32 = 2;
/// Git config key naming the embedding model (set by `git distill index --model`).
pub const MODEL_CONFIG_KEY: &str = "distill.search.model";
/// Documents embedded between progress reports and cache appends.
const EMBED_CHUNK: usize = 256;

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

/// Bring the caches up to date with the notes and refs, load the embedding model at
/// `model` (meanwhile, on another thread: it takes as long as the refresh), embed what is
/// new (reporting `(done, total)` to `progress`), and load the index.
pub fn open_index(
    store: &Store,
    rules: &Rules,
    model: Option<&Path>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Index> {
    let dir = store.state_dir().join("index");
    let (refreshed, embedder) = std::thread::scope(|scope| {
        let loading = model.map(|p| scope.spawn(move || Embedder::load(p)));
        let refreshed = refresh_documents(store, rules, &dir);
        let embedder = loading
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(crate::embed::EmbedError::Inference("model loading panicked".into())))
            })
            .transpose();
        (refreshed, embedder)
    });
    let (docs, parsed, blobs) = refreshed?;
    let embedder = embedder?;
    let mut embedded = 0;
    let vectors = match &embedder {
        Some(e) => {
            let (vectors, fresh) = embed_documents(e, &docs, &dir, progress)?;
            embedded = fresh;
            Some(vectors)
        }
        None => None,
    };
    Ok(Index {
        stats: IndexStats {
            documents: docs.len(),
            parsed_blobs: parsed,
            blobs,
            mode: if embedder.is_some() {
                Mode::Hybrid
            } else {
                Mode::Keyword
            },
            model: embedder.as_ref().map(|e| e.origin().to_owned()),
            model_id: embedder.as_ref().map(|e| e.id().to_owned()),
            embedded,
        },
        corpus: Corpus::new(docs, vectors),
        embedder,
    })
}

/// The current documents (sorted, deduplicated, with current categories), the number of
/// source blobs parsed now, and the number of source blobs.
fn refresh_documents(store: &Store, rules: &Rules, dir: &Path) -> Result<(Vec<Document>, usize, usize)> {
    let path = dir.join("documents.json");
    let mut cache: Cache = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|c: &Cache| c.version == CACHE_VERSION)
        .unwrap_or_default();
    let mut fresh: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    let mut parsed = 0;
    for (blob, kind) in sources(store)? {
        // Run documents carry the verdict recomputed under the rules, so their key does too.
        let key = match kind {
            SourceKind::Evidence(_) => format!("{blob}:{}", &rules.hash[..16]),
            _ => blob.to_string(),
        };
        let docs = match cache.blobs.remove(&key) {
            Some(docs) => docs,
            None => {
                parsed += 1;
                documents(store, &store.blob(blob)?, kind, rules)?
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
        std::fs::create_dir_all(dir).map_err(|e| WorkflowError::io(dir, e))?;
        let bytes = serde_json::to_vec(&cache)?;
        std::fs::write(&path, bytes).map_err(|e| WorkflowError::io(&path, e))?;
    }
    // A stored verdict may lower a run's category, never raise it (see `verdict`).
    let scores = read_note_records::<StoredVerdict>(store, &NotesRef::Scores, None)?;
    let blobs = cache.blobs.len();
    let mut docs: Vec<Document> = cache.blobs.into_values().flatten().collect();
    let recomputed: BTreeMap<String, Category> = docs
        .iter()
        .filter(|d| d.kind == "run")
        .filter_map(|d| Some((d.id.clone(), crate::score::parse_category(&d.category)?)))
        .collect();
    let (kept, _) = judge_stored(&recomputed, scores.records.into_iter().map(|(_, s)| s), &rules.hash);
    for d in docs.iter_mut().filter(|d| d.kind == "run") {
        if let Some(category) = kept.get(&d.id) {
            d.category = category.to_string();
        }
    }
    docs.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    docs.dedup_by(|a, b| a.kind == b.kind && a.id == b.id && a.text == b.text);
    Ok((docs, parsed, blobs))
}

/// Vectors for `docs`, embedding only texts the model's cache lacks; returns how many
/// were embedded now.
fn embed_documents(
    embedder: &Embedder,
    docs: &[Document],
    dir: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Vectors, usize)> {
    let path = dir.join(format!("vectors-{}.bin", embedder.id()));
    let mut cache = VectorCache::load(path, embedder.dim());
    let keys: Vec<_> = docs.iter().map(|d| key(&d.text)).collect();
    let mut missing: Vec<usize> = (0..docs.len()).filter(|&i| cache.row(&keys[i]).is_none()).collect();
    // The same text twice is embedded once.
    let mut seen = std::collections::HashSet::new();
    missing.retain(|i| seen.insert(keys[*i]));
    let total = missing.len();
    for (done, chunk) in missing.chunks(EMBED_CHUNK).enumerate() {
        progress(done * EMBED_CHUNK, total);
        let texts: Vec<&str> = chunk.iter().map(|&i| docs[i].text.as_str()).collect();
        let vectors = embedder.embed(&texts)?;
        let entries: Vec<_> = chunk.iter().map(|&i| keys[i]).zip(vectors).collect();
        cache.add(&entries)?;
    }
    progress(total, total);
    let rows: Vec<u32> = keys
        .iter()
        .map(|k| cache.row(k))
        .collect::<Option<_>>()
        .ok_or_else(|| WorkflowError::Internal("embedding cache lost a vector it was just given".into()))?;
    let data = cache.finish(&keys)?;
    let vectors = Vectors::new(embedder.dim(), &data, &rows)
        .ok_or_else(|| WorkflowError::Internal("embedding cache rows out of range".into()))?;
    Ok((vectors, total))
}

#[derive(Debug, Clone, Copy)]
enum SourceKind {
    /// An evidence note, and the commit it annotates.
    Evidence(gix::ObjectId),
    Playbook,
    Rag,
}

/// Every blob documents come from: evidence notes, playbook JSON files, RAG datasets.
fn sources(store: &Store) -> Result<Vec<(gix::ObjectId, SourceKind)>> {
    let mut out = Vec::new();
    let evidence = store.notes_snapshot(&NotesRef::Evidence)?;
    for commit in evidence.annotated() {
        if let Some(blob) = evidence.blob_for(&commit) {
            out.push((blob, SourceKind::Evidence(commit)));
        }
    }
    let mut refs = vec![TreeRef::Playbooks.to_string()];
    refs.extend(store.refs_under(DATASETS_PREFIX)?);
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

fn documents(store: &Store, bytes: &[u8], kind: SourceKind, rules: &Rules) -> Result<Vec<Document>> {
    let lines = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    Ok(match kind {
        SourceKind::Evidence(commit) => {
            let records: Vec<(gix::ObjectId, EvidenceRecord)> = lines
                .filter_map(|l| serde_json::from_slice::<EvidenceRecord>(l).ok())
                .filter(|r| r.schema_version == crate::schema::SCHEMA_VERSION)
                .map(|r| (commit, r))
                .collect();
            let verdicts = recompute(store, &records, rules)?;
            records
                .iter()
                .map(|(_, r)| {
                    let mut doc = run_document(r);
                    if let Some((_, v)) = verdicts.current.get(&r.run_id) {
                        doc.category = v.category.to_string();
                    }
                    doc
                })
                .collect()
        }
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
    })
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
