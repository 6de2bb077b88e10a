//! The search index on disk, under `.git/distill/index/`: immutable, memory-mapped segment
//! files (documents and inverted index), vector files beside them (one per segment and
//! model), an overlay (which documents are deleted, each one's category now), the list of
//! sources the index was built from, and `manifest.json` naming them all.
//!
//! A search that finds the manifest built from the current notes and refs maps the files
//! and searches: nothing is parsed or rebuilt. When the notes moved, only changed sources
//! are read and only their new lines parsed; those documents become a new segment, the
//! ones whose lines are gone are marked deleted in the overlay, and a new manifest is
//! renamed into place. Readers never see a half-written index: every file is written
//! under a temporary name and renamed, and files are never changed once named. One
//! process updates at a time (`lock`); a search that finds another one updating uses the
//! index as it was. The notes stay the source of truth: a missing or damaged index is
//! rebuilt from them.

mod lock;
mod update;

use super::score::Rules;
use super::vector_cache::{VectorCache, key};
use super::{Result, WorkflowError};
use crate::embed::Embedder;
use crate::index::segment::{Backing, Segment};
use crate::index::{Corpus, Overlay, Stats, Vectors, encode_vectors};
use crate::store::{DATASETS_PREFIX, NotesRef, Store, TreeRef};
use lock::{LOCK, Lock, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use update::update;

/// Bumped when any file's format or the meaning of a field changes.
pub(super) const VERSION: u32 = 3;
pub(super) const MANIFEST: &str = "manifest.json";
/// Documents embedded between progress reports and cache appends.
const EMBED_CHUNK: usize = 256;
/// How long a search waits for another process to build the first index.
const FIRST_BUILD_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// The commits the sources were at: when they are unchanged, so is the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Tips {
    pub(super) evidence: Option<String>,
    pub(super) scores: Option<String>,
    pub(super) trees: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) version: u32,
    /// Hash of the scoring rules the categories were computed under.
    pub(super) rules: String,
    pub(super) tips: Tips,
    pub(super) generation: u64,
    pub(super) segments: Vec<String>,
    pub(super) overlay: String,
    pub(super) sources: String,
    pub(super) stats: Stats,
}

/// What opening the index did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Refresh {
    /// Source lines parsed now (the rest were indexed before).
    pub parsed: usize,
    /// Documents added.
    pub added: usize,
    /// Documents removed (their note lines are gone).
    pub removed: usize,
    /// Segment files.
    pub segments: usize,
    /// Documents embedded now.
    pub embedded: usize,
    /// Another process was updating the index; it was searched as it was.
    pub stale: bool,
}

/// What to do when another process is updating the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBusy {
    /// Wait for it, then bring the index up to date (`git distill index`).
    Wait,
    /// Search the index as it is, if there is one (`git distill search`).
    UseAsIs,
}

/// Open the index at `dir`, first bringing it up to date with the notes and refs (and
/// embedding what `embedder` has not embedded yet).
pub(super) fn open(
    store: &Store,
    rules: &Rules,
    dir: &Path,
    embedder: Option<&Embedder>,
    on_busy: OnBusy,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Corpus, Refresh)> {
    let tips = current_tips(store)?;
    let model = embedder.map(Embedder::id);
    let current = |m: &Manifest| m.rules == rules.hash && m.tips == tips && vectors_complete(dir, m, model);
    if let Some(m) = read_manifest(dir).filter(current)
        && let Ok(corpus) = load(dir, &m, model)
    {
        return Ok((corpus, refreshed(&m, Refresh::default())));
    }
    std::fs::create_dir_all(dir).map_err(WorkflowError::io_on(dir))?;
    let started = std::time::Instant::now();
    let _lock = loop {
        if let Some(lock) = Lock::try_acquire(dir)? {
            break lock;
        }
        // Someone else is updating: search what is there, or wait for a first index.
        if on_busy == OnBusy::UseAsIs
            && let Some(m) = read_manifest(dir).filter(|m| m.rules == rules.hash)
            && let Ok(corpus) = load(dir, &m, model)
        {
            let stale = Refresh {
                stale: true,
                ..Refresh::default()
            };
            return Ok((corpus, refreshed(&m, stale)));
        }
        if on_busy == OnBusy::UseAsIs && started.elapsed() > FIRST_BUILD_WAIT {
            return Err(WorkflowError::Refused(format!(
                "another process holds {} and has not finished building the index",
                dir.join(LOCK).display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    // Read again under the lock: the holder before us may have brought it up to date.
    let old = read_manifest(dir);
    let (manifest, mut refresh) = match old {
        Some(m) if m.rules == rules.hash && m.tips == tips && open_parts(dir, &m).is_ok() => (m, Refresh::default()),
        old => update(store, rules, dir, old, tips)?,
    };
    if let Some(e) = embedder {
        refresh.embedded = embed_segments(dir, &manifest, e, progress)?;
    }
    clean(dir, &manifest);
    let corpus = load(dir, &manifest, model)?;
    Ok((corpus, refreshed(&manifest, refresh)))
}

fn refreshed(m: &Manifest, mut r: Refresh) -> Refresh {
    r.segments = m.segments.len();
    r
}

/// The tips of everything documents come from.
fn current_tips(store: &Store) -> Result<Tips> {
    let hex = |o: Option<gix::ObjectId>| o.map(|o| o.to_string());
    let mut trees = BTreeMap::new();
    for name in tree_refs(store)? {
        if let Some(tip) = store.tip_of(&name)? {
            trees.insert(name, tip.to_string());
        }
    }
    Ok(Tips {
        evidence: hex(store.notes_tip(&NotesRef::Evidence)?),
        scores: hex(store.notes_tip(&NotesRef::Scores)?),
        trees,
    })
}

/// The refs whose trees documents come from: playbooks and every dataset.
pub(super) fn tree_refs(store: &Store) -> Result<Vec<String>> {
    let mut refs = vec![TreeRef::Playbooks.to_string()];
    refs.extend(store.refs_under(DATASETS_PREFIX)?);
    Ok(refs)
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
    serde_json::from_slice::<Manifest>(&bytes)
        .ok()
        .filter(|m| m.version == VERSION)
}

fn vector_file(segment: &str, model: &str) -> String {
    format!("{segment}.{model}.vec")
}

fn vectors_complete(dir: &Path, m: &Manifest, model: Option<&str>) -> bool {
    model.is_none_or(|model| m.segments.iter().all(|s| dir.join(vector_file(s, model)).is_file()))
}

/// The parts named by a manifest, opened: segments mapped, the overlay read.
pub(super) struct Parts {
    pub(super) names: Vec<String>,
    pub(super) segments: Vec<Segment>,
    pub(super) overlay: Overlay,
}

pub(super) fn empty_parts() -> Parts {
    Parts {
        names: Vec::new(),
        segments: Vec::new(),
        overlay: Overlay::default(),
    }
}

pub(super) fn open_parts(dir: &Path, m: &Manifest) -> Result<Parts> {
    let segments = m
        .segments
        .iter()
        .map(|name| Segment::open(Backing::map(&dir.join(name))?, name))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| WorkflowError::invalid("search index", e))?;
    let path = dir.join(&m.overlay);
    let bytes = std::fs::read(&path).map_err(WorkflowError::io_on(&path))?;
    let overlay = Overlay::decode(&bytes)
        .filter(|o| o.of_doc.len() == segments.iter().map(Segment::len).sum::<usize>())
        .ok_or_else(|| WorkflowError::invalid(path.display(), "not an index overlay for its segments"))?;
    Ok(Parts {
        names: m.segments.clone(),
        segments,
        overlay,
    })
}

fn load(dir: &Path, m: &Manifest, model: Option<&str>) -> Result<Corpus> {
    let parts = open_parts(dir, m)?;
    let mut vectors = Vec::with_capacity(parts.segments.len());
    for (name, seg) in m.segments.iter().zip(&parts.segments) {
        let Some(model) = model else {
            vectors.push(None);
            continue;
        };
        let path = dir.join(vector_file(name, model));
        if !path.is_file() {
            vectors.push(None);
            continue;
        }
        let opened = Backing::map(&path).and_then(|b| Vectors::open(b, name));
        match opened {
            Ok(v) if v.len() == seg.len() && v.dim() > 0 => vectors.push(Some(v)),
            // Damaged: removed, so the next update writes it again from the cache.
            _ => {
                let _ = std::fs::remove_file(&path);
                return Err(WorkflowError::invalid(
                    path.display(),
                    "not a vector file for its segment",
                ));
            }
        }
    }
    Ok(Corpus::from_parts(parts.segments, vectors, parts.overlay, m.stats))
}

/// Write the vector file of every segment that lacks one for `embedder`'s model,
/// embedding only texts its cache lacks (appended as they come, so an interrupted run
/// resumes). Returns how many texts were embedded.
fn embed_segments(
    dir: &Path,
    m: &Manifest,
    embedder: &Embedder,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize> {
    let model = embedder.id();
    let lacking: Vec<usize> = (0..m.segments.len())
        .filter(|&s| !dir.join(vector_file(&m.segments[s], model)).is_file())
        .collect();
    if lacking.is_empty() {
        return Ok(0);
    }
    let parts = open_parts(dir, m)?;
    let bases = parts.bases();
    let live_text = |s: usize, doc: usize| {
        parts
            .overlay
            .category(bases[s] + doc)
            .map(|_| parts.segments[s].text(doc))
    };
    let mut cache = VectorCache::load(dir.join(format!("vectors-{model}.bin")), embedder.dim());
    let mut seen = HashSet::new();
    let missing: Vec<(super::vector_cache::Key, &str)> = lacking
        .iter()
        .flat_map(|&s| (0..parts.segments[s].len()).filter_map(move |d| live_text(s, d)))
        .map(|text| (key(text), text))
        .filter(|(k, _)| cache.row(k).is_none() && seen.insert(*k))
        .collect();
    let total = missing.len();
    for (done, chunk) in missing.chunks(EMBED_CHUNK).enumerate() {
        progress(done * EMBED_CHUNK, total);
        let texts: Vec<&str> = chunk.iter().map(|(_, t)| *t).collect();
        let vectors = embedder.embed(&texts)?;
        let entries: Vec<_> = chunk.iter().map(|(k, _)| *k).zip(vectors).collect();
        cache.add(&entries)?;
    }
    progress(total, total);
    let zeros = vec![0f32; embedder.dim()];
    for &s in &lacking {
        let rows: Vec<&[f32]> = (0..parts.segments[s].len())
            .map(|d| match live_text(s, d) {
                Some(text) => cache
                    .vector(&key(text))
                    .ok_or_else(|| WorkflowError::Internal("embedding cache lost a vector it was just given".into())),
                None => Ok(zeros.as_slice()),
            })
            .collect::<Result<_>>()?;
        let file = vector_file(&m.segments[s], model);
        write_atomic(&dir.join(file), &encode_vectors(embedder.dim(), &rows))?;
    }
    let live: Vec<_> = (0..parts.segments.len())
        .flat_map(|s| (0..parts.segments[s].len()).filter_map(move |d| live_text(s, d)))
        .map(key)
        .collect();
    cache.finish(&live)?;
    Ok(total)
}

/// Remove files no manifest names any more (older generations, a crashed writer's
/// temporary files, the cache of earlier versions). Embedding caches are kept.
fn clean(dir: &Path, m: &Manifest) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let named = name == MANIFEST
            || name == LOCK
            || name == m.overlay
            || name == m.sources
            || (name.starts_with("vectors-") && name.ends_with(".bin"))
            || m.segments
                .iter()
                .any(|s| name == *s || (name.starts_with(&format!("{s}.")) && name.ends_with(".vec")));
        if !named {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

pub(super) fn read_sources(path: &Path) -> Option<BTreeMap<String, String>> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}
