//! Note lines of a large collect, kept in memory up to a bound, then spilled to disk as
//! sorted runs and k-way merged (with the note already stored) into a blob written as a
//! stream — so collecting a multi-gigabyte log holds only a bounded amount of memory.

use super::{Result, WorkflowError};
use crate::store::{NotesRef, Store, jsonl};
use gix::ObjectId;
use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

/// Lines held in memory before a spill.
const SPILL_BYTES: usize = 16 << 20;

/// A merged note, written as a blob.
#[derive(Debug, Clone)]
pub struct MergedNote {
    /// The annotated commit.
    pub commit: ObjectId,
    /// The blob holding the merged note.
    pub blob: ObjectId,
    /// The note blob it was merged with (`None`: there was none).
    pub base: Option<ObjectId>,
    /// SHA-256 of the merged note.
    pub sha256: String,
    /// Lines in it.
    pub lines: u64,
}

/// Lines per commit, bounded in memory.
pub struct LineSpill {
    dir: tempfile::TempDir,
    memory: BTreeMap<ObjectId, Vec<String>>,
    bytes: usize,
    runs: BTreeMap<ObjectId, Vec<PathBuf>>,
    spills: usize,
    limit: usize,
}

impl LineSpill {
    /// Spill files go under `parent` (created), removed when the spill is dropped.
    pub fn new(parent: &std::path::Path) -> Result<LineSpill> {
        Self::with_limit(parent, SPILL_BYTES)
    }

    fn with_limit(parent: &std::path::Path, limit: usize) -> Result<LineSpill> {
        std::fs::create_dir_all(parent).map_err(|e| WorkflowError::Other(format!("{}: {e}", parent.display())))?;
        let dir = tempfile::Builder::new()
            .prefix("collect-")
            .tempdir_in(parent)
            .map_err(|e| WorkflowError::Other(format!("{}: {e}", parent.display())))?;
        Ok(LineSpill {
            dir,
            memory: BTreeMap::new(),
            bytes: 0,
            runs: BTreeMap::new(),
            spills: 0,
            limit,
        })
    }

    /// Add a line (one JSON record, no newline) for `commit`.
    pub fn push(&mut self, commit: ObjectId, line: String) -> Result<()> {
        self.bytes += line.len() + 1;
        self.memory.entry(commit).or_default().push(line);
        if self.bytes > self.limit {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        for (commit, mut lines) in std::mem::take(&mut self.memory) {
            lines.sort_unstable();
            lines.dedup();
            self.spills += 1;
            let path = self.dir.path().join(format!("{commit}-{}.jsonl", self.spills));
            let io = |e: std::io::Error| WorkflowError::Other(format!("{}: {e}", path.display()));
            let mut out = BufWriter::new(std::fs::File::create(&path).map_err(io)?);
            for line in &lines {
                out.write_all(line.as_bytes())
                    .and_then(|_| out.write_all(b"\n"))
                    .map_err(io)?;
            }
            out.flush().map_err(io)?;
            self.runs.entry(commit).or_default().push(path);
        }
        self.bytes = 0;
        Ok(())
    }

    /// Merge each commit's lines with its note on `notes_ref` into a new blob.
    pub fn finish(mut self, store: &Store, notes_ref: &NotesRef) -> Result<Vec<MergedNote>> {
        let mut commits: Vec<ObjectId> = self.memory.keys().chain(self.runs.keys()).copied().collect();
        commits.sort();
        commits.dedup();
        let mut merged = Vec::new();
        for commit in commits {
            let base = store.note_blob(notes_ref, commit)?;
            let existing = match base {
                Some(blob) => store.blob(blob)?,
                None => Vec::new(),
            };
            let sources = self.sources(commit, &existing)?;
            let out_path = self.dir.path().join(format!("{commit}.merged"));
            let (sha256, lines) = merge_into(sources, &out_path)?;
            let blob = store.write_blob_file(&out_path)?;
            merged.push(MergedNote {
                commit,
                blob,
                base,
                sha256,
                lines,
            });
        }
        Ok(merged)
    }
}

type Source = Box<dyn Iterator<Item = std::io::Result<Vec<u8>>>>;

impl LineSpill {
    /// The sorted line sources of `commit`: the stored note (normalized first — notes
    /// written by plain git may be unsorted), the lines in memory, and every spilled run.
    fn sources(&mut self, commit: ObjectId, existing: &[u8]) -> Result<Vec<Source>> {
        let existing: Vec<Vec<u8>> = jsonl::normalize(existing)
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        let mut memory = self.memory.remove(&commit).unwrap_or_default();
        memory.sort_unstable();
        let mut sources: Vec<Source> = vec![
            Box::new(existing.into_iter().map(Ok)),
            Box::new(memory.into_iter().map(|l| Ok(l.into_bytes()))),
        ];
        for path in self.runs.remove(&commit).unwrap_or_default() {
            let file =
                std::fs::File::open(&path).map_err(|e| WorkflowError::Other(format!("{}: {e}", path.display())))?;
            sources.push(Box::new(BufReader::new(file).split(b'\n')));
        }
        Ok(sources)
    }
}

/// K-way merge of sorted line sources into `path`, dropping duplicates; returns the
/// SHA-256 and line count of what was written.
fn merge_into(mut sources: Vec<Source>, path: &std::path::Path) -> Result<(String, u64)> {
    let io = |e: std::io::Error| WorkflowError::Other(format!("{}: {e}", path.display()));
    let mut heap: BinaryHeap<Reverse<(Vec<u8>, usize)>> = BinaryHeap::new();
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some(line) = source.next() {
            heap.push(Reverse((line.map_err(io)?, i)));
        }
    }
    let mut out = BufWriter::new(std::fs::File::create(path).map_err(io)?);
    let mut hasher = Sha256::new();
    let mut last: Option<Vec<u8>> = None;
    let mut lines = 0;
    while let Some(Reverse((line, i))) = heap.pop() {
        if let Some(next) = sources[i].next() {
            heap.push(Reverse((next.map_err(io)?, i)));
        }
        if line.is_empty() || last.as_ref() == Some(&line) {
            continue;
        }
        out.write_all(&line).and_then(|_| out.write_all(b"\n")).map_err(io)?;
        hasher.update(&line);
        hasher.update(b"\n");
        lines += 1;
        last = Some(line);
    }
    out.flush().map_err(io)?;
    Ok((hex::encode(hasher.finalize()), lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_runs_merge_sorted_and_deduplicated_with_the_stored_note() {
        let parent = tempfile::tempdir().unwrap();
        let mut spill = LineSpill::with_limit(parent.path(), 16).unwrap();
        let commit = ObjectId::null(gix::hash::Kind::Sha1);
        for line in [
            "{\"n\":5}",
            "{\"n\":1}",
            "{\"n\":3}",
            "{\"n\":1}",
            "{\"n\":9}",
            "{\"n\":2}",
        ] {
            spill.push(commit, line.to_owned()).unwrap();
        }
        assert!(spill.spills >= 2, "the tiny limit spilled to disk");
        let sources = spill.sources(commit, b"{\"n\":7}\n{\"n\":3}\n").unwrap();
        let out = parent.path().join("merged");
        let (sha, lines) = merge_into(sources, &out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            text,
            "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":5}\n{\"n\":7}\n{\"n\":9}\n"
        );
        assert_eq!(lines, 6);
        assert_eq!(sha, crate::schema::sha256_hex(text.as_bytes()));
        assert_eq!(
            text.as_bytes(),
            jsonl::union(&[text.as_bytes()]).as_slice(),
            "same normal form as a union"
        );
    }
}
