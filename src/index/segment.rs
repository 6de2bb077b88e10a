//! Segments: the documents of one index update with their inverted index, in one
//! immutable file that is memory-mapped and read in place, so opening costs a few
//! bounds checks whatever its size and a query touches only the pages it needs.
//!
//! Layout, every integer little-endian: the 8 bytes `GDSEG01\n`, the document, string and
//! term counts (u32 each, then 4 zero bytes), a table of [`SECTIONS`] `(offset, length)`
//! u64 pairs, then the sections it points to:
//!
//! | section | content |
//! |---|---|
//! | meta | per document, [`META`] bytes: kind, task type, model, source, commit, source key, base category (u32 string ids), line key (16 bytes) |
//! | strings | the string table (offsets, then bytes) |
//! | ids, texts | per document its id and its text (offsets, then bytes) |
//! | terms | the sorted vocabulary (offsets, then bytes) |
//! | postings | per term, offsets into a list of `(document, term frequency)` u32 pairs |
//! | lengths | per document its token count (u32), apart from the metadata so a query
//!   touches 4 bytes a matching document, not a whole metadata row |
//!
//! Offsets are u64, `count + 1` of them, so entry `i` is `data[off[i]..off[i + 1]]`.

use super::{Document, tokenize};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"GDSEG01\n";
/// Sections, in file order.
const SECTIONS: usize = 11;
const HEADER: usize = MAGIC.len() + 16 + SECTIONS * 16;
/// Bytes of metadata per document.
pub const META: usize = 7 * 4 + 16;

/// A segment that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// The file could not be opened or mapped.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The bytes are not a segment this version writes.
    #[error("{what}: not a readable index segment")]
    Corrupt {
        /// Which file or part.
        what: String,
    },
}

/// The bytes a segment lives in: read into memory or mapped from its file.
pub enum Backing {
    /// Built or read in this process.
    Owned(Vec<u8>),
    /// Mapped from a file nobody rewrites (segments are immutable once renamed into place).
    Mapped(memmap2::Mmap),
    /// Bytes copied into 4-aligned words (their length), for data read as `f32`.
    Aligned(Vec<u32>, usize),
}

impl std::ops::Deref for Backing {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Backing::Owned(v) => v,
            Backing::Mapped(m) => m,
            Backing::Aligned(words, len) => &bytemuck::cast_slice(words)[..*len],
        }
    }
}

impl Backing {
    /// Map `path` read-only.
    pub fn map(path: &Path) -> Result<Backing, SegmentError> {
        let io = |source| SegmentError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: index files are written under a temporary name and renamed into place,
        // never modified afterwards, so the mapping does not change under us. A file
        // truncated by something else would fault on access; `verify` is the remedy.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(Backing::Mapped(map))
    }

    /// The same bytes starting at a 4-aligned address (a copy only when they do not).
    pub fn aligned(self) -> Backing {
        if (self.as_ptr() as usize) % 4 == 0 {
            return self;
        }
        let mut words = vec![0u32; self.len().div_ceil(4)];
        bytemuck::cast_slice_mut::<u32, u8>(&mut words)[..self.len()].copy_from_slice(&self);
        Backing::Aligned(words, self.len())
    }
}

/// One document as a segment stores it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document (its `category` is the base category, before stored verdicts).
    pub document: Document,
    /// Where it came from: the annotated commit of an evidence note, or `ref:path`.
    pub source_key: String,
    /// Hash of the source line it was parsed from.
    pub line_key: [u8; 16],
}

/// The fixed-width metadata of one document.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// String ids of kind, task type, model, source, commit, source key and base category.
    pub kind: u32,
    #[allow(missing_docs)]
    pub task_type: u32,
    #[allow(missing_docs)]
    pub model: u32,
    #[allow(missing_docs)]
    pub source: u32,
    #[allow(missing_docs)]
    pub commit: u32,
    #[allow(missing_docs)]
    pub source_key: u32,
    #[allow(missing_docs)]
    pub category: u32,
    /// Hash of the source line.
    pub line_key: [u8; 16],
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?)).ok()
}

/// A column of byte strings: `count + 1` u64 offsets, then the bytes.
#[derive(Debug, Clone, Copy)]
struct Column {
    offsets: (usize, usize),
    data: (usize, usize),
}

/// An open segment.
pub struct Segment {
    bytes: Backing,
    docs: usize,
    strings: usize,
    terms: usize,
    meta: usize,
    string_col: Column,
    ids: Column,
    texts: Column,
    term_col: Column,
    postings: Column,
    lengths: usize,
}

impl Segment {
    /// Read a segment from `bytes`, checking its header and section bounds.
    pub fn open(bytes: Backing, what: &str) -> Result<Segment, SegmentError> {
        let corrupt = || SegmentError::Corrupt { what: what.to_owned() };
        let b: &[u8] = &bytes;
        if b.len() < HEADER || &b[..MAGIC.len()] != MAGIC {
            return Err(corrupt());
        }
        let count = |i: usize| u32_at(b, MAGIC.len() + 4 * i).map(|n| n as usize).ok_or_else(corrupt);
        let (docs, strings, terms) = (count(0)?, count(1)?, count(2)?);
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = MAGIC.len() + 16 + 16 * i;
            let (off, len) = (
                u64_at(b, at).ok_or_else(corrupt)?,
                u64_at(b, at + 8).ok_or_else(corrupt)?,
            );
            if off.checked_add(len).is_none_or(|end| end > b.len()) {
                return Err(corrupt());
            }
            *s = (off, len);
        }
        let column = |i: usize, n: usize| -> Result<Column, SegmentError> {
            let (offsets, data) = (sections[i], sections[i + 1]);
            let last = u64_at(b, offsets.0 + 8 * n).ok_or_else(corrupt)?;
            if offsets.1 != 8 * (n + 1) || last != data.1 {
                return Err(corrupt());
            }
            Ok(Column { offsets, data })
        };
        if sections[0].1 != docs * META {
            return Err(corrupt());
        }
        let string_col = column(1, strings)?;
        let ids = column(3, docs)?;
        let texts = column(5, docs)?;
        let term_col = column(7, terms)?;
        // The postings column's data is u32 pairs; its offsets count pairs, not bytes.
        let post_offsets = (sections[9].0, 8 * (terms + 1));
        let pairs = u64_at(b, post_offsets.0 + 8 * terms).ok_or_else(corrupt)?;
        if sections[9].1 != 8 * (terms + 1) + 8 * pairs {
            return Err(corrupt());
        }
        let postings = Column {
            offsets: post_offsets,
            data: (post_offsets.0 + post_offsets.1, 8 * pairs),
        };
        if sections[10].1 != 4 * docs {
            return Err(corrupt());
        }
        Ok(Segment {
            meta: sections[0].0,
            bytes,
            docs,
            strings,
            terms,
            string_col,
            ids,
            texts,
            term_col,
            postings,
            lengths: sections[10].0,
        })
    }

    /// Documents in it (live and deleted).
    pub fn len(&self) -> usize {
        self.docs
    }

    /// Whether it holds no documents.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The raw range of entry `i` of `col`, in units of `unit` bytes.
    fn entry(&self, col: Column, i: usize, unit: usize) -> &[u8] {
        let b: &[u8] = &self.bytes;
        let start = u64_at(b, col.offsets.0 + 8 * i).unwrap_or(0);
        let end = u64_at(b, col.offsets.0 + 8 * (i + 1)).unwrap_or(0);
        let data = &b[col.data.0..col.data.0 + col.data.1];
        data.get(start * unit..end * unit).unwrap_or_default()
    }

    fn text_at(&self, col: Column, i: usize) -> &str {
        std::str::from_utf8(self.entry(col, i, 1)).unwrap_or_default()
    }

    /// String `id` of the string table ("" when out of range).
    pub fn string(&self, id: u32) -> &str {
        if id as usize >= self.strings {
            return "";
        }
        self.text_at(self.string_col, id as usize)
    }

    /// Strings in the string table.
    pub fn strings(&self) -> usize {
        self.strings
    }

    /// Per string id, whether its string satisfies `keep`.
    pub fn string_mask(&self, keep: impl Fn(&str) -> bool) -> Vec<bool> {
        (0..self.strings as u32).map(|i| keep(self.string(i))).collect()
    }

    /// The metadata of document `doc`.
    pub fn meta(&self, doc: usize) -> Meta {
        let at = self.meta + doc * META;
        let b: &[u8] = &self.bytes;
        let field = |i: usize| u32_at(b, at + 4 * i).unwrap_or(u32::MAX);
        let mut line_key = [0u8; 16];
        if let Some(k) = b.get(at + 28..at + 44) {
            line_key.copy_from_slice(k);
        }
        Meta {
            kind: field(0),
            task_type: field(1),
            model: field(2),
            source: field(3),
            commit: field(4),
            source_key: field(5),
            category: field(6),
            line_key,
        }
    }

    /// Tokens in the text of document `doc` (BM25's document length).
    pub fn length(&self, doc: usize) -> u32 {
        u32_at(&self.bytes, self.lengths + 4 * doc).unwrap_or(0)
    }

    /// The id of document `doc`.
    pub fn id(&self, doc: usize) -> &str {
        self.text_at(self.ids, doc)
    }

    /// The text of document `doc`.
    pub fn text(&self, doc: usize) -> &str {
        self.text_at(self.texts, doc)
    }

    /// Document `doc`, with `category` in place of its base category.
    pub fn document(&self, doc: usize, category: &str) -> Document {
        let m = self.meta(doc);
        Document {
            kind: self.string(m.kind).to_owned(),
            id: self.id(doc).to_owned(),
            task_type: self.string(m.task_type).to_owned(),
            model: self.string(m.model).to_owned(),
            category: category.to_owned(),
            commit: self.string(m.commit).to_owned(),
            source: self.string(m.source).to_owned(),
            text: self.text(doc).to_owned(),
        }
    }

    /// Terms in the vocabulary.
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// Term `i` of the sorted vocabulary.
    pub fn term(&self, i: usize) -> &[u8] {
        self.entry(self.term_col, i, 1)
    }

    /// The postings of term `i`: `(document, term frequency)` pairs as u32 LE bytes.
    pub fn postings_at(&self, i: usize) -> Postings<'_> {
        Postings(self.entry(self.postings, i, 8))
    }

    /// The postings of `term`, when the segment has it.
    pub fn postings(&self, term: &str) -> Option<Postings<'_>> {
        let (mut lo, mut hi) = (0, self.terms);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.term(mid).cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.postings_at(mid)),
            }
        }
        None
    }
}

/// A term's postings, read in place.
#[derive(Clone, Copy)]
pub struct Postings<'a>(&'a [u8]);

impl<'a> Postings<'a> {
    /// Documents holding the term.
    pub fn len(&self) -> usize {
        self.0.len() / 8
    }

    /// Whether no document holds it.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(document, term frequency)` pairs in document order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, u32)> + 'a {
        self.0.chunks_exact(8).map(|p| {
            let doc = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
            (doc, u32::from_le_bytes([p[4], p[5], p[6], p[7]]))
        })
    }
}

/// Interns strings into a table.
#[derive(Default)]
struct Strings {
    ids: HashMap<String, u32>,
    list: Vec<String>,
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.list.len() as u32;
        self.ids.insert(s.to_owned(), id);
        self.list.push(s.to_owned());
        id
    }
}

fn push_column<'a>(out: &mut Vec<u8>, sections: &mut Vec<(usize, usize)>, items: impl Iterator<Item = &'a [u8]>) {
    let items: Vec<&[u8]> = items.collect();
    let start = out.len();
    let mut at = 0u64;
    out.extend_from_slice(&at.to_le_bytes());
    for item in &items {
        at += item.len() as u64;
        out.extend_from_slice(&at.to_le_bytes());
    }
    sections.push((start, out.len() - start));
    let start = out.len();
    for item in items {
        out.extend_from_slice(item);
    }
    sections.push((start, out.len() - start));
}

/// The bytes of a segment holding `entries`, in their order.
pub fn build(entries: &[Entry]) -> Vec<u8> {
    let tokens: Vec<Vec<String>> = entries.par_iter().map(|e| tokenize(&e.document.text)).collect();
    let mut index: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for (doc, doc_tokens) in tokens.iter().enumerate() {
        let mut tf: HashMap<&str, u32> = HashMap::new();
        for t in doc_tokens {
            *tf.entry(t.as_str()).or_default() += 1;
        }
        for (term, n) in tf {
            index.entry(term).or_default().push((doc as u32, n));
        }
    }
    let mut strings = Strings::default();
    let mut meta = Vec::with_capacity(entries.len() * META);
    for e in entries {
        let d = &e.document;
        for s in [
            &d.kind,
            &d.task_type,
            &d.model,
            &d.source,
            &d.commit,
            &e.source_key,
            &d.category,
        ] {
            meta.extend_from_slice(&strings.id(s).to_le_bytes());
        }
        meta.extend_from_slice(&e.line_key);
    }
    let mut out = vec![0u8; HEADER];
    out[..MAGIC.len()].copy_from_slice(MAGIC);
    for (i, n) in [entries.len(), strings.list.len(), index.len()].into_iter().enumerate() {
        out[MAGIC.len() + 4 * i..MAGIC.len() + 4 * i + 4].copy_from_slice(&(n as u32).to_le_bytes());
    }
    let mut sections = vec![(out.len(), meta.len())];
    out.extend_from_slice(&meta);
    push_column(&mut out, &mut sections, strings.list.iter().map(|s| s.as_bytes()));
    push_column(
        &mut out,
        &mut sections,
        entries.iter().map(|e| e.document.id.as_bytes()),
    );
    push_column(
        &mut out,
        &mut sections,
        entries.iter().map(|e| e.document.text.as_bytes()),
    );
    push_column(&mut out, &mut sections, index.keys().map(|t| t.as_bytes()));
    // Postings: offsets counted in pairs, then the pairs, as one section.
    let start = out.len();
    let mut at = 0u64;
    out.extend_from_slice(&at.to_le_bytes());
    for list in index.values() {
        at += list.len() as u64;
        out.extend_from_slice(&at.to_le_bytes());
    }
    for list in index.values() {
        for (doc, tf) in list {
            out.extend_from_slice(&doc.to_le_bytes());
            out.extend_from_slice(&tf.to_le_bytes());
        }
    }
    sections.push((start, out.len() - start));
    let start = out.len();
    for doc_tokens in &tokens {
        out.extend_from_slice(&(doc_tokens.len() as u32).to_le_bytes());
    }
    sections.push((start, out.len() - start));
    for (i, (off, len)) in sections.iter().enumerate() {
        let at = MAGIC.len() + 16 + 16 * i;
        out[at..at + 8].copy_from_slice(&(*off as u64).to_le_bytes());
        out[at + 8..at + 16].copy_from_slice(&(*len as u64).to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, text: &str) -> Entry {
        Entry {
            document: Document {
                kind: "run".into(),
                id: id.into(),
                task_type: "bugfix".into(),
                model: "m".into(),
                category: "accepted".into(),
                commit: "c1".into(),
                source: "s".into(),
                text: text.into(),
            },
            source_key: "c1".into(),
            line_key: [7; 16],
        }
    }

    #[test]
    fn a_built_segment_reads_back_every_field_and_posting() {
        let entries = vec![entry("a", "fix the login bug"), entry("b", "login page é fix fix")];
        let seg = Segment::open(Backing::Owned(build(&entries)), "test").unwrap();
        assert_eq!(seg.len(), 2);
        assert_eq!(seg.document(1, "rejected").text, "login page é fix fix");
        assert_eq!(seg.document(1, "rejected").category, "rejected");
        assert_eq!(seg.id(0), "a");
        let m = seg.meta(1);
        assert_eq!(
            (seg.string(m.kind), seg.string(m.category), seg.length(1)),
            ("run", "accepted", 4)
        );
        assert_eq!(m.line_key, [7; 16]);
        let fix: Vec<_> = seg.postings("fix").unwrap().iter().collect();
        assert_eq!(fix, vec![(0, 1), (1, 2)]);
        assert!(seg.postings("absent").is_none());
        assert_eq!(seg.postings("page").unwrap().len(), 1);
    }

    #[test]
    fn damaged_bytes_are_refused_not_read() {
        let bytes = build(&[entry("a", "text")]);
        for cut in [0, 8, HEADER - 1, bytes.len() - 1] {
            assert!(
                Segment::open(Backing::Owned(bytes[..cut].to_vec()), "cut").is_err(),
                "{cut}"
            );
        }
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(Segment::open(Backing::Owned(wrong), "magic").is_err());
        let empty = Segment::open(Backing::Owned(build(&[])), "empty").unwrap();
        assert!(empty.is_empty() && empty.postings("x").is_none());
    }
}
