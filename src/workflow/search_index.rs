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

use super::score::Rules;
use super::search::{SourceKind, documents};
use super::vector_cache::{VectorCache, key};
use super::verdict::{StoredVerdict, judge_stored};
use super::{Result, WorkflowError, read_note_records};
use crate::embed::Embedder;
use crate::index::segment::{Backing, Entry, Segment};
use crate::index::{Corpus, DELETED, Overlay, Stats, Vectors, encode_vectors};
use crate::schema::Category;
use crate::store::{DATASETS_PREFIX, NotesRef, Store, TreeRef};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Bumped when any file's format or the meaning of a field changes.
const VERSION: u32 = 3;
const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";
/// Segments beyond this are merged (all but the largest, or all when the largest no
/// longer outweighs the rest), so a query opens a bounded number of files.
const MAX_SEGMENTS: usize = 8;
/// Documents embedded between progress reports and cache appends.
const EMBED_CHUNK: usize = 256;
/// How long a search waits for another process to build the first index.
const FIRST_BUILD_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// The commits the sources were at: when they are unchanged, so is the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Tips {
    evidence: Option<String>,
    scores: Option<String>,
    trees: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    /// Hash of the scoring rules the categories were computed under.
    rules: String,
    tips: Tips,
    generation: u64,
    segments: Vec<String>,
    overlay: String,
    sources: String,
    stats: Stats,
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
    let mut refs = vec![TreeRef::Playbooks.to_string()];
    refs.extend(store.refs_under(DATASETS_PREFIX)?);
    for name in refs {
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
struct Parts {
    names: Vec<String>,
    segments: Vec<Segment>,
    overlay: Overlay,
}

fn empty_parts() -> Parts {
    Parts {
        names: Vec::new(),
        segments: Vec::new(),
        overlay: Overlay::default(),
    }
}

fn open_parts(dir: &Path, m: &Manifest) -> Result<Parts> {
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

/// One place a document comes from.
struct Source {
    key: String,
    blob: gix::ObjectId,
    kind: SourceKind,
}

/// Every source: evidence notes (keyed by the commit they annotate), playbook files and
/// RAG datasets (keyed by `ref:path`).
fn sources(store: &Store) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let evidence = store.notes_snapshot(&NotesRef::Evidence)?;
    for commit in evidence.annotated() {
        if let Some(blob) = evidence.blob_for(&commit) {
            out.push(Source {
                key: commit.to_string(),
                blob,
                kind: SourceKind::Evidence(commit),
            });
        }
    }
    let mut refs = vec![TreeRef::Playbooks.to_string()];
    refs.extend(store.refs_under(DATASETS_PREFIX)?);
    for name in refs {
        let Ok(commit) = store.resolve(&name) else { continue };
        let tree = store.commit_tree(commit)?;
        for (path, blob) in tree.files() {
            let kind = if path.ends_with(".json") && name.ends_with("/playbooks") {
                SourceKind::Playbook
            } else if path == "rag/train.jsonl" {
                SourceKind::Rag
            } else {
                continue;
            };
            out.push(Source {
                key: format!("{name}:{path}"),
                blob,
                kind,
            });
        }
    }
    Ok(out)
}

fn line_key(line: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(line);
    let mut k = [0u8; 16];
    k.copy_from_slice(&digest[..16]);
    k
}

/// A live document already indexed.
struct Indexed {
    global: usize,
    line: [u8; 16],
    run_id: String,
}

/// Mark `docs` deleted.
fn delete(overlay: &mut Overlay, docs: &[Indexed], refresh: &mut Refresh) {
    for d in docs {
        overlay.of_doc[d.global] = DELETED;
        refresh.removed += 1;
    }
}

/// Bring the index to `tips`: parse what changed, write a segment of it, mark what is
/// gone, recompute categories and statistics, and name it all in a new manifest.
fn update(store: &Store, rules: &Rules, dir: &Path, old: Option<Manifest>, tips: Tips) -> Result<(Manifest, Refresh)> {
    let reusable = old.filter(|m| m.rules == rules.hash);
    let (mut parts, old_sources) = match &reusable {
        Some(m) => match (open_parts(dir, m), read_sources(&dir.join(&m.sources))) {
            (Ok(parts), Some(sources)) => (parts, sources),
            _ => (empty_parts(), BTreeMap::new()),
        },
        None => (empty_parts(), BTreeMap::new()),
    };
    let generation = reusable.as_ref().map_or(0, |m| m.generation) + 1;
    let mut refresh = Refresh::default();
    let current = sources(store)?;
    // Only the documents of sources that changed or vanished are looked at.
    let listed: HashMap<&str, String> = current.iter().map(|s| (s.key.as_str(), s.blob.to_string())).collect();
    let touched: HashSet<&str> = old_sources
        .iter()
        .filter(|(key, blob)| listed.get(key.as_str()) != Some(*blob))
        .map(|(key, _)| key.as_str())
        .collect();
    let mut by_source: HashMap<String, Vec<Indexed>> = HashMap::new();
    let mut base = 0;
    for seg in &parts.segments {
        let mut wanted = vec![false; seg.strings()];
        for id in seg.string_ids(|s| touched.contains(s)) {
            wanted[id as usize] = true;
        }
        for doc in 0..seg.len() {
            let meta = seg.meta(doc);
            if wanted.get(meta.source_key as usize).copied().unwrap_or(false)
                && parts.overlay.category(base + doc).is_some()
            {
                by_source
                    .entry(seg.string(meta.source_key).to_owned())
                    .or_default()
                    .push(Indexed {
                        global: base + doc,
                        line: meta.line_key,
                        run_id: seg.id(doc).to_owned(),
                    });
            }
        }
        base += seg.len();
    }
    let indexed_before = base;
    for (key, docs) in &by_source {
        if !listed.contains_key(key.as_str()) {
            delete(&mut parts.overlay, docs, &mut refresh);
        }
    }
    let mut entries: Vec<Entry> = Vec::new();
    for source in &current {
        if old_sources.get(&source.key) == Some(&source.blob.to_string()) {
            continue;
        }
        let bytes = store.blob(source.blob)?;
        let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
        let keys: Vec<[u8; 16]> = lines.iter().map(|l| line_key(l)).collect();
        let indexed = by_source.remove(&source.key).unwrap_or_default();
        let wanted: HashSet<[u8; 16]> = keys.iter().copied().collect();
        let (kept, gone): (Vec<Indexed>, Vec<Indexed>) = indexed.into_iter().partition(|d| wanted.contains(&d.line));
        delete(&mut parts.overlay, &gone, &mut refresh);
        let mut seen: HashSet<[u8; 16]> = kept.iter().map(|d| d.line).collect();
        let fresh: Vec<usize> = (0..lines.len()).filter(|&i| seen.insert(keys[i])).collect();
        let picked: Vec<&[u8]> = fresh.iter().map(|&i| lines[i]).collect();
        let mut parsed = documents(store, &picked, source.kind, rules)?;
        refresh.parsed += picked.len();
        // A new record of a run already indexed from this note changes that run's verdict:
        // the note is read again whole.
        let kept_runs: HashSet<&str> = kept.iter().map(|d| d.run_id.as_str()).collect();
        let regroup = matches!(source.kind, SourceKind::Evidence(_))
            && parsed.iter().any(|(_, d)| kept_runs.contains(d.id.as_str()));
        let line_of = if regroup {
            delete(&mut parts.overlay, &kept, &mut refresh);
            parsed = documents(store, &lines, source.kind, rules)?;
            refresh.parsed += lines.len();
            (0..lines.len()).collect::<Vec<_>>()
        } else {
            fresh
        };
        for (i, document) in parsed {
            entries.push(Entry {
                document,
                source_key: source.key.clone(),
                line_key: keys[line_of[i]],
            });
        }
    }
    refresh.added = entries.len();
    if !entries.is_empty() {
        let name = format!("seg-{generation}.idx");
        parts.push(dir, name, &entries)?;
    }
    // Stored verdicts unchanged: only the new documents need judging.
    let scores_moved = reusable.as_ref().is_none_or(|m| m.tips.scores != tips.scores);
    if scores_moved || tips.scores.is_some() {
        apply_stored_verdicts(store, rules, &mut parts, if scores_moved { 0 } else { indexed_before })?;
    }
    compact(dir, generation, &mut parts)?;
    let stats = Stats::compute(&parts.segments, &parts.overlay);
    let manifest = Manifest {
        version: VERSION,
        rules: rules.hash.clone(),
        tips,
        generation,
        segments: parts.names,
        overlay: format!("overlay-{generation}.bin"),
        sources: format!("sources-{generation}.json"),
        stats,
    };
    write_atomic(&dir.join(&manifest.overlay), &parts.overlay.encode())?;
    let listed: BTreeMap<&str, String> = listed.into_iter().collect();
    write_atomic(&dir.join(&manifest.sources), &serde_json::to_vec(&listed)?)?;
    write_atomic(&dir.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
    Ok((manifest, refresh))
}

impl Parts {
    /// Write `entries` as segment `name` and add it, their base categories as current.
    fn push(&mut self, dir: &Path, name: String, entries: &[Entry]) -> Result<()> {
        self.push_with(dir, name, entries, |overlay, e| overlay.intern(&e.document.category))
    }

    fn push_with(
        &mut self,
        dir: &Path,
        name: String,
        entries: &[Entry],
        mut category: impl FnMut(&mut Overlay, &Entry) -> u16,
    ) -> Result<()> {
        let path = dir.join(&name);
        write_atomic(&path, &crate::index::segment::build(entries))?;
        let segment = Backing::map(&path)
            .and_then(|b| Segment::open(b, &name))
            .map_err(|e| WorkflowError::invalid(&name, e))?;
        for e in entries {
            let c = category(&mut self.overlay, e);
            self.overlay.of_doc.push(c);
        }
        self.segments.push(segment);
        self.names.push(name);
        Ok(())
    }

    /// `(segment, global base)` pairs.
    fn bases(&self) -> Vec<usize> {
        let mut at = 0;
        self.segments
            .iter()
            .map(|s| {
                let b = at;
                at += s.len();
                b
            })
            .collect()
    }
}

/// Current categories of the documents from global number `from` on: each run's
/// recomputed (base) category, lowered by a verdict stored under the same rules (see
/// `verdict`).
fn apply_stored_verdicts(store: &Store, rules: &Rules, parts: &mut Parts, from: usize) -> Result<()> {
    let scores = read_note_records::<StoredVerdict>(store, &NotesRef::Scores, None)?;
    let mut recomputed: BTreeMap<String, Category> = BTreeMap::new();
    let mut runs: Vec<(usize, String, String)> = Vec::new();
    for (seg, base) in parts.segments.iter().zip(parts.bases()) {
        for doc in 0..seg.len() {
            if base + doc < from || parts.overlay.category(base + doc).is_none() {
                continue;
            }
            let meta = seg.meta(doc);
            if seg.string(meta.kind) != "run" {
                continue;
            }
            let category = seg.string(meta.category);
            if let Some(c) = crate::score::parse_category(category) {
                recomputed.insert(seg.id(doc).to_owned(), c);
            }
            runs.push((base + doc, seg.id(doc).to_owned(), category.to_owned()));
        }
    }
    let (kept, _) = judge_stored(&recomputed, scores.records.into_iter().map(|(_, s)| s), &rules.hash);
    for (global, id, base) in runs {
        let now = kept.get(&id).map(|c| c.to_string()).unwrap_or(base);
        parts.overlay.of_doc[global] = parts.overlay.intern(&now);
    }
    Ok(())
}

/// Drop segments with nothing live, and merge when there are too many or one is mostly
/// deleted, so a query reads a bounded number of files.
fn compact(dir: &Path, generation: u64, parts: &mut Parts) -> Result<()> {
    let bases = parts.bases();
    let live: Vec<usize> = parts
        .segments
        .iter()
        .zip(&bases)
        .map(|(seg, base)| {
            (0..seg.len())
                .filter(|d| parts.overlay.category(base + d).is_some())
                .count()
        })
        .collect();
    let total: usize = live.iter().sum();
    let largest = (0..live.len()).max_by_key(|&i| live[i]);
    let crowded = live.iter().filter(|&&n| n > 0).count() > MAX_SEGMENTS;
    let merge: Vec<bool> = (0..live.len())
        .map(|i| {
            let mostly_deleted = live[i] > 0 && 2 * live[i] < parts.segments[i].len();
            let outweighs = largest.is_some_and(|l| 2 * live[l] > total);
            mostly_deleted || (crowded && (Some(i) != largest || !outweighs))
        })
        .collect();
    if live.iter().all(|&n| n > 0) && !merge.contains(&true) {
        return Ok(());
    }
    let old = std::mem::replace(parts, empty_parts());
    let mut merged: Vec<(Entry, u16)> = Vec::new();
    let mut categories = old.overlay.categories.clone();
    for (i, (seg, name)) in old.segments.into_iter().zip(old.names).enumerate() {
        let base = bases[i];
        if live[i] == 0 {
            continue;
        }
        let values = &old.overlay.of_doc[base..base + seg.len()];
        if merge[i] {
            for (doc, &value) in values.iter().enumerate() {
                if value == DELETED {
                    continue;
                }
                let meta = seg.meta(doc);
                merged.push((
                    Entry {
                        document: seg.document(doc, seg.string(meta.category)),
                        source_key: seg.string(meta.source_key).to_owned(),
                        line_key: meta.line_key,
                    },
                    value,
                ));
            }
        } else {
            parts.overlay.of_doc.extend_from_slice(values);
            parts.segments.push(seg);
            parts.names.push(name);
        }
    }
    parts.overlay.categories = std::mem::take(&mut categories);
    if !merged.is_empty() {
        let (entries, values): (Vec<Entry>, Vec<u16>) = merged.into_iter().unzip();
        let mut next = values.into_iter();
        parts.push_with(dir, format!("seg-{generation}m.idx"), &entries, move |_, _| {
            next.next().unwrap_or(DELETED)
        })?;
    }
    Ok(())
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
    if vectors_complete(dir, m, Some(model)) {
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
    let lacking: Vec<usize> = (0..m.segments.len())
        .filter(|&s| !dir.join(vector_file(&m.segments[s], model)).is_file())
        .collect();
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

fn read_sources(path: &Path) -> Option<BTreeMap<String, String>> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Write `bytes` to `path` through a temporary file renamed into place, so a reader sees
/// the old file or the new one, never part of one.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.tmp{}", path.display(), std::process::id()));
    std::fs::write(&tmp, bytes).map_err(WorkflowError::io_on(&tmp))?;
    std::fs::rename(&tmp, path).map_err(WorkflowError::io_on(path))
}

/// The right to update the index: a file holding the updater's process id, removed when
/// dropped. A lock left by a process that no longer runs is taken over.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn try_acquire(dir: &Path) -> Result<Option<Lock>> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(Some(Lock { path }));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !holder_is_gone(&path) {
                        return Ok(None);
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(WorkflowError::io(&path, e)),
            }
        }
        Ok(None)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the process named in the lock file has ended (a lock without a readable id
/// is left alone for a minute: its holder may be writing it).
fn holder_is_gone(path: &Path) -> bool {
    let pid = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok());
    match pid {
        Some(pid) => !process_alive(pid),
        None => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60)),
    }
}

#[cfg(unix)]
fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: i32) -> bool {
    true
}
