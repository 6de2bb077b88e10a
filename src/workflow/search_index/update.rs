//! Bringing the index up to date: read the sources that changed, parse the note lines
//! not indexed yet into one new segment, mark what is gone, recompute categories, merge
//! segments when there are too many, and name it all in a new manifest.

use super::lock::write_atomic;
use super::{MANIFEST, Manifest, Parts, Refresh, Tips, VERSION, empty_parts, open_parts, read_sources, tree_refs};
use crate::index::segment::{Backing, Entry, Segment};
use crate::index::{DELETED, Overlay, Stats, segment_bases};
use crate::schema::Category;
use crate::store::{NotesRef, Store};
use crate::workflow::score::Rules;
use crate::workflow::search::{SourceKind, documents};
use crate::workflow::vector_cache::key as line_key;
use crate::workflow::verdict::{StoredVerdict, judge_stored};
use crate::workflow::{Result, WorkflowError, read_note_records};
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Segments beyond this are merged (all but the largest, or all when the largest no
/// longer outweighs the rest), so a query opens a bounded number of files.
const MAX_SEGMENTS: usize = 8;

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
    for name in tree_refs(store)? {
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

/// A live document already indexed.
struct Indexed {
    global: usize,
    line: [u8; 16],
    run_id: String,
}

/// What one pass over a note found: the lines not indexed yet (each once, with its key)
/// and which indexed lines are still there.
struct NewLines {
    fresh: Vec<([u8; 16], Vec<u8>)>,
    present: FxHashSet<[u8; 16]>,
}

/// Stream the blob `blob` line by line (a note can be hundreds of megabytes; only its new
/// lines are kept), sorting each line by whether its key is in `known`.
fn new_lines(store: &Store, blob: gix::ObjectId, known: &FxHashSet<[u8; 16]>) -> Result<NewLines> {
    let mut reader = store.blob_reader(blob)?;
    let mut out = NewLines {
        fresh: Vec::new(),
        present: FxHashSet::default(),
    };
    let mut seen = FxHashSet::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = std::io::BufRead::read_until(&mut reader, b'\n', &mut line)
            .map_err(|e| WorkflowError::invalid(format!("note blob {blob}"), e))?;
        if n == 0 {
            return Ok(out);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        let key = line_key(&line);
        if known.contains(&key) {
            out.present.insert(key);
        } else if seen.insert(key) {
            out.fresh.push((key, line.clone()));
        }
    }
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
pub(super) fn update(
    store: &Store,
    rules: &Rules,
    dir: &Path,
    old: Option<Manifest>,
    tips: Tips,
) -> Result<(Manifest, Refresh)> {
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
        let wanted = seg.string_mask(|s| touched.contains(s));
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
        if old_sources.get(&source.key) == listed.get(source.key.as_str()) {
            continue;
        }
        let indexed = by_source.remove(&source.key).unwrap_or_default();
        // Line keys are digests already: a fast hash loses nothing.
        let known: FxHashSet<[u8; 16]> = indexed.iter().map(|d| d.line).collect();
        let read = new_lines(store, source.blob, &known)?;
        let (kept, gone): (Vec<Indexed>, Vec<Indexed>) =
            indexed.into_iter().partition(|d| read.present.contains(&d.line));
        delete(&mut parts.overlay, &gone, &mut refresh);
        let picked: Vec<&[u8]> = read.fresh.iter().map(|(_, l)| l.as_slice()).collect();
        let mut keys: Vec<[u8; 16]> = read.fresh.iter().map(|(k, _)| *k).collect();
        let mut parsed = documents(store, &picked, source.kind, rules)?;
        refresh.parsed += picked.len();
        // A new record of a run already indexed from this note changes that run's verdict:
        // the note is read again whole.
        let kept_runs: HashSet<&str> = kept.iter().map(|d| d.run_id.as_str()).collect();
        let regroup = matches!(source.kind, SourceKind::Evidence(_))
            && parsed.iter().any(|(_, d)| kept_runs.contains(d.id.as_str()));
        if regroup {
            delete(&mut parts.overlay, &kept, &mut refresh);
            let bytes = store.blob(source.blob)?;
            let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
            keys = lines.iter().map(line_key).collect();
            parsed = documents(store, &lines, source.kind, rules)?;
            refresh.parsed += lines.len();
        }
        for (i, document) in parsed {
            entries.push(Entry {
                document,
                source_key: source.key.clone(),
                line_key: keys[i],
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

    /// The global number of each segment's first document.
    pub(super) fn bases(&self) -> Vec<usize> {
        segment_bases(&self.segments)
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
    let mut old = std::mem::replace(parts, empty_parts());
    parts.overlay.categories = std::mem::take(&mut old.overlay.categories);
    let mut merged: Vec<(Entry, u16)> = Vec::new();
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
    if !merged.is_empty() {
        let (entries, values): (Vec<Entry>, Vec<u16>) = merged.into_iter().unzip();
        let mut next = values.into_iter();
        parts.push_with(dir, format!("seg-{generation}m.idx"), &entries, move |_, _| {
            next.next().unwrap_or(DELETED)
        })?;
    }
    Ok(())
}
