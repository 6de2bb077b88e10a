//! Note lines of a large collect, kept in memory up to a bound, then spilled to disk as
//! sorted runs and k-way merged (with the note already stored) into a blob written as a
//! stream — so collecting a multi-gigabyte log holds only a bounded amount of memory.

use super::{Result, WorkflowError};
use crate::store::{NotesRef, Store, jsonl};
use gix::ObjectId;
use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, sync_channel};

mod run_file;

/// Lines held in memory before a spill.
const SPILL_BYTES: usize = 16 << 20;

/// Bytes per piece handed from the merge to the object writer (compressed in parallel).
const CHUNK_BYTES: usize = 1 << 20;

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
///
/// Lines pushed must be distinct from each other and from the lines of the stored note
/// (collect guarantees it: a record's line holds its `sig_hash`, and a stored or seen
/// `sig_hash` is never pushed). That makes the merge a disjoint union whose size is known
/// before it starts, so it streams straight into the object database.
pub struct LineSpill {
    dir: tempfile::TempDir,
    memory: BTreeMap<ObjectId, Vec<String>>,
    bytes: usize,
    /// Bytes pushed per commit, newlines included.
    pushed: BTreeMap<ObjectId, u64>,
    runs: BTreeMap<ObjectId, Vec<PathBuf>>,
    spills: usize,
    limit: usize,
    /// Writes sorted runs to disk while collect goes on; started at the first spill.
    writer: Option<RunWriter>,
}

/// A thread writing sorted runs to their files.
struct RunWriter {
    runs: SyncSender<(PathBuf, Vec<String>)>,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl RunWriter {
    fn start() -> RunWriter {
        // Rendezvous: the run being written is the only one held besides the one filling.
        let (runs, received) = sync_channel::<(PathBuf, Vec<String>)>(0);
        let thread = std::thread::spawn(move || {
            for (path, lines) in received {
                run_file::write(&path, &lines)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            }
            Ok(())
        });
        RunWriter { runs, thread }
    }

    /// Wait for every queued run to be on disk.
    fn finish(self) -> Result<()> {
        drop(self.runs);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the spill writer panicked")))
            .map_err(|e| WorkflowError::io(std::env::temp_dir(), e))
    }
}

impl LineSpill {
    /// Spill files go under `parent` (created), removed when the spill is dropped.
    pub fn new(parent: &std::path::Path) -> Result<LineSpill> {
        Self::with_limit(parent, SPILL_BYTES)
    }

    fn with_limit(parent: &std::path::Path, limit: usize) -> Result<LineSpill> {
        std::fs::create_dir_all(parent).map_err(|e| WorkflowError::io(parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix("collect-")
            .tempdir_in(parent)
            .map_err(|e| WorkflowError::io(parent, e))?;
        Ok(LineSpill {
            dir,
            memory: BTreeMap::new(),
            bytes: 0,
            pushed: BTreeMap::new(),
            runs: BTreeMap::new(),
            spills: 0,
            limit,
            writer: None,
        })
    }

    /// Add a line (one JSON record, no newline) for `commit`.
    pub fn push(&mut self, commit: ObjectId, line: String) -> Result<()> {
        self.bytes += line.len() + 1;
        *self.pushed.entry(commit).or_default() += line.len() as u64 + 1;
        self.memory.entry(commit).or_default().push(line);
        if self.bytes > self.limit {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        use rayon::slice::ParallelSliceMut as _;
        for (commit, mut lines) in std::mem::take(&mut self.memory) {
            lines.par_sort_unstable();
            self.spills += 1;
            let path = self.dir.path().join(format!("{commit}-{}.jsonl", self.spills));
            self.runs.entry(commit).or_default().push(path.clone());
            let writer = self.writer.get_or_insert_with(RunWriter::start);
            if writer.runs.send((path, lines)).is_err() {
                // The writer stopped on an error: report it (the run it refused is gone).
                let stopped = self.writer.take().map_or(Ok(()), RunWriter::finish);
                return stopped.and(Err(WorkflowError::Internal("the spill writer stopped".into())));
            }
        }
        self.bytes = 0;
        Ok(())
    }

    /// Merge each commit's lines with its note on `notes_ref` into a new blob. The merge
    /// runs on its own thread, handing pieces to the object writer here, which hashes
    /// them and has the pool compress them.
    pub fn finish(mut self, store: &Store, notes_ref: &NotesRef) -> Result<Vec<MergedNote>> {
        let mut commits: Vec<ObjectId> = self.memory.keys().chain(self.runs.keys()).copied().collect();
        commits.sort();
        commits.dedup();
        let mut merged = Vec::new();
        for commit in commits {
            let base = store.note_blob(notes_ref, commit)?;
            let (stored_bytes, stored) = match base {
                Some(blob) => stored_note(store, blob)?,
                None => (0, Box::new(std::iter::empty()) as Source),
            };
            let size = stored_bytes + self.pushed.get(&commit).copied().unwrap_or(0);
            let sources = self.sources(commit, stored)?;
            let (blob, merge) = std::thread::scope(|scope| {
                let (chunks, received) = sync_channel(4);
                let merging = scope
                    .spawn(move || merge_into(sources, BufWriter::with_capacity(CHUNK_BYTES, ChunkSender(chunks))));
                let blob = store.write_blob_pieces(size, received.into_iter().map(Ok));
                let merge = merging
                    .join()
                    .unwrap_or_else(|_| Err(WorkflowError::Internal("the note merge panicked".into())));
                (blob, merge)
            });
            let ((sha256, lines), blob) = match (merge, blob) {
                (Ok(merge), Ok(blob)) => (merge, blob),
                (Ok(_), Err(write)) => return Err(write.into()),
                // The writer stops because the merge did: the merge's error is the cause.
                (Err(merge), _) => return Err(merge),
            };
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

type Source = Box<dyn Iterator<Item = std::io::Result<Vec<u8>>> + Send>;

impl LineSpill {
    /// The sorted line sources of `commit`: the stored note, the lines in memory, and
    /// every spilled run.
    fn sources(&mut self, commit: ObjectId, stored: Source) -> Result<Vec<Source>> {
        // Every spilled run must be on disk before it is read.
        if let Some(writer) = self.writer.take() {
            writer.finish()?;
        }
        let mut memory = self.memory.remove(&commit).unwrap_or_default();
        memory.sort_unstable();
        let mut sources: Vec<Source> = vec![stored, Box::new(memory.into_iter().map(|l| Ok(l.into_bytes())))];
        for path in self.runs.remove(&commit).unwrap_or_default() {
            let run = run_file::RunReader::open(&path).map_err(|e| WorkflowError::io(&path, e))?;
            sources.push(Box::new(run));
        }
        Ok(sources)
    }
}

/// The stored note as a sorted source, with its size in normal form. Our notes are in
/// normal form already (sorted, unique, `\n`-terminated) and are streamed, checked in a
/// first pass; a note plain git wrote out of order is normalized in memory.
fn stored_note(store: &Store, blob: ObjectId) -> Result<(u64, Source)> {
    let io = |e: std::io::Error| note_read_error(blob, e);
    let mut bytes = 0u64;
    let mut previous: Option<Vec<u8>> = None;
    let mut in_order = true;
    for line in store.blob_reader(blob)?.split(b'\n') {
        let line = line.map_err(io)?;
        if line.is_empty() {
            continue;
        }
        if previous.as_ref().is_some_and(|p| *p >= line) {
            in_order = false;
            break;
        }
        bytes += line.len() as u64 + 1;
        previous = Some(line);
    }
    if in_order {
        let lines = store
            .blob_reader(blob)?
            .split(b'\n')
            .filter(|line| !matches!(line, Ok(l) if l.is_empty()));
        return Ok((bytes, Box::new(lines)));
    }
    let normalized = jsonl::normalize(&store.blob(blob)?);
    let lines: Vec<Vec<u8>> = normalized
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    Ok((normalized.len() as u64, Box::new(lines.into_iter().map(Ok))))
}

/// K-way merge of sorted line sources into `out`, dropping duplicates; returns the
/// SHA-256 and line count of what was written.
fn merge_into(mut sources: Vec<Source>, mut out: impl Write) -> Result<(String, u64)> {
    let io = |e: std::io::Error| WorkflowError::io(std::env::temp_dir(), e);
    let mut heap: BinaryHeap<Reverse<(Vec<u8>, usize)>> = BinaryHeap::new();
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some(line) = source.next() {
            heap.push(Reverse((line.map_err(io)?, i)));
        }
    }
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

/// The merge's end of the hand-over: each write becomes one chunk.
struct ChunkSender(SyncSender<Vec<u8>>);

impl Write for ChunkSender {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| std::io::Error::other("the object writer stopped"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A note blob whose stream failed part-way.
pub(super) fn note_read_error(blob: ObjectId, e: std::io::Error) -> WorkflowError {
    WorkflowError::Store(crate::store::StoreError::Git {
        context: format!("reading note {blob}"),
        message: e.to_string(),
    })
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
        let stored: Source = Box::new([b"{\"n\":3}".to_vec(), b"{\"n\":7}".to_vec()].into_iter().map(Ok));
        let sources = spill.sources(commit, stored).unwrap();
        let mut out = Vec::new();
        let (sha, lines) = merge_into(sources, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
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
