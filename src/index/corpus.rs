//! A searchable corpus: immutable segments, an overlay saying which of their documents
//! are deleted and what category each has now, and the collection statistics BM25 needs.
//! Documents are numbered across segments in order (a document's global number is its
//! segment's base plus its place in the segment).

use super::Mode;
use super::bm25::{B, EPSILON, K1};
use super::segment::{Backing, Entry, Meta, Segment};
use super::{Document, Filters, Hit, Query, RankedBy, Vectors, snippet, tokenize};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Overlay value of a deleted document.
pub const DELETED: u16 = u16::MAX;
const OVERLAY_MAGIC: &[u8; 8] = b"GDOVL01\n";

/// Which documents are live and their current category: the part of an index that a
/// rescoring or a rewritten note changes, kept apart from the immutable segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    /// The distinct categories, indexed by the values of `of_doc`.
    pub categories: Vec<String>,
    /// Per global document: its category's index, or [`DELETED`].
    pub of_doc: Vec<u16>,
}

impl Overlay {
    /// The index of `category`, added when new.
    pub fn intern(&mut self, category: &str) -> u16 {
        match self.categories.iter().position(|c| c == category) {
            Some(i) => i as u16,
            None => {
                self.categories.push(category.to_owned());
                (self.categories.len() - 1) as u16
            }
        }
    }

    /// The category of global document `doc`, `None` when deleted.
    pub fn category(&self, doc: usize) -> Option<&str> {
        match self.of_doc.get(doc) {
            Some(&DELETED) | None => None,
            Some(&i) => self.categories.get(i as usize).map(String::as_str),
        }
    }

    /// The stored form: magic, category count and the categories (u32 length + bytes),
    /// document count, then a u16 per document, little-endian.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = OVERLAY_MAGIC.to_vec();
        out.extend_from_slice(&(self.categories.len() as u32).to_le_bytes());
        for c in &self.categories {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        out.extend_from_slice(&(self.of_doc.len() as u32).to_le_bytes());
        for v in &self.of_doc {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Read the stored form; `None` when it is not one.
    pub fn decode(bytes: &[u8]) -> Option<Overlay> {
        fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
            *rest = tail;
            Some(head)
        }
        fn count(rest: &mut &[u8]) -> Option<usize> {
            Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?) as usize)
        }
        let mut rest = bytes.strip_prefix(OVERLAY_MAGIC)?;
        let mut categories = Vec::new();
        for _ in 0..count(&mut rest)? {
            let len = count(&mut rest)?;
            categories.push(String::from_utf8(take(&mut rest, len)?.to_vec()).ok()?);
        }
        let docs = count(&mut rest)?;
        let body = take(&mut rest, 2 * docs)?;
        if !rest.is_empty() {
            return None;
        }
        let of_doc = body.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        Some(Overlay { categories, of_doc })
    }
}

/// Collection statistics of the live documents, as BM25 uses them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Live documents.
    pub live: u64,
    /// Their tokens, summed.
    pub total_length: u64,
    /// The idf given to terms in more than half the documents: ε × the mean idf of the
    /// vocabulary (rank_bm25's rule; it depends on every term, so it is kept, not derived
    /// per query), or ε × its magnitude when the mean is not positive.
    pub idf_floor: f64,
}

impl Stats {
    /// Compute them over the live documents of `segments`.
    pub fn compute(segments: &[Segment], overlay: &Overlay) -> Stats {
        let bases = segment_bases(segments);
        let live = |s: usize, doc: usize| overlay.category(bases[s] + doc).is_some();
        let mut stats = Stats::default();
        for (s, seg) in segments.iter().enumerate() {
            for doc in (0..seg.len()).filter(|&d| live(s, d)) {
                stats.live += 1;
                stats.total_length += u64::from(seg.length(doc));
            }
        }
        // Live document frequency of every term across segments.
        let mut df: HashMap<&[u8], u64> = HashMap::new();
        for (s, seg) in segments.iter().enumerate() {
            let all_live = (0..seg.len()).all(|d| live(s, d));
            for t in 0..seg.terms() {
                let postings = seg.postings_at(t);
                let n = if all_live {
                    postings.len() as u64
                } else {
                    postings.iter().filter(|(d, _)| live(s, *d)).count() as u64
                };
                if n > 0 {
                    *df.entry(seg.term(t)).or_default() += n;
                }
            }
        }
        let n = stats.live as f64;
        let sum: f64 = df.values().map(|&d| idf(n, d as f64)).sum();
        let mean = if df.is_empty() { 0.0 } else { sum / df.len() as f64 };
        // rank_bm25's floor, except where it is not positive: in a collection so small
        // that every term is in more than half the documents (one run, two runs), it
        // would score every match below zero and nothing would be found.
        stats.idf_floor = EPSILON * if mean > 0.0 { mean } else { mean.abs().max(f64::EPSILON) };
        stats
    }

    fn average_length(&self) -> f64 {
        if self.live == 0 {
            0.0
        } else {
            self.total_length as f64 / self.live as f64
        }
    }
}

/// rank_bm25's idf (before the floor).
fn idf(n: f64, df: f64) -> f64 {
    (n - df + 0.5).ln() - (df + 0.5).ln()
}

/// The global number of each segment's first document.
pub fn segment_bases(segments: &[Segment]) -> Vec<usize> {
    let mut at = 0;
    segments
        .iter()
        .map(|s| {
            let base = at;
            at += s.len();
            base
        })
        .collect()
}

/// Documents with their keyword index and, where embedded, their vectors.
pub struct Corpus {
    segments: Vec<Segment>,
    vectors: Vec<Option<Vectors>>,
    bases: Vec<usize>,
    overlay: Overlay,
    stats: Stats,
}

/// Reads one string-id field of a document's metadata.
type Field = fn(&Meta) -> u32;

/// A filter compiled against one segment's string table.
struct SegmentFilter {
    /// Per filtered field: which string ids pass.
    fields: Vec<(Field, Vec<bool>)>,
}

impl Corpus {
    /// Index `docs` in memory; `vectors`, when given, has one row per document in order.
    pub fn new(docs: Vec<Document>, vectors: Option<Vectors>) -> Corpus {
        let mut overlay = Overlay::default();
        overlay.of_doc = docs.iter().map(|d| overlay.intern(&d.category)).collect();
        let entries: Vec<Entry> = docs
            .into_iter()
            .map(|document| Entry {
                document,
                source_key: String::new(),
                line_key: [0; 16],
            })
            .collect();
        let bytes = super::segment::build(&entries);
        let segment = match Segment::open(Backing::Owned(bytes), "in-memory segment") {
            Ok(s) => s,
            Err(e) => unreachable!("a segment just built reads back: {e}"),
        };
        let segments = vec![segment];
        let stats = Stats::compute(&segments, &overlay);
        Corpus::from_parts(segments, vec![vectors], overlay, stats)
    }

    /// A corpus of stored parts. `vectors` has an entry per segment (`None`: not embedded).
    pub fn from_parts(segments: Vec<Segment>, vectors: Vec<Option<Vectors>>, overlay: Overlay, stats: Stats) -> Corpus {
        Corpus {
            bases: segment_bases(&segments),
            segments,
            vectors,
            overlay,
            stats,
        }
    }

    /// Live documents.
    pub fn len(&self) -> usize {
        self.stats.live as usize
    }

    /// Whether no document is live.
    pub fn is_empty(&self) -> bool {
        self.stats.live == 0
    }

    /// Every live document, in index order.
    pub fn documents(&self) -> impl Iterator<Item = Document> + '_ {
        (0..self.overlay.of_doc.len())
            .filter(|&d| self.live(d))
            .map(|d| self.document(d))
    }

    /// Segment and place of global document `doc`.
    fn locate(&self, doc: usize) -> (usize, usize) {
        let s = self.bases.partition_point(|&b| b <= doc).saturating_sub(1);
        (s, doc - self.bases[s])
    }

    fn id(&self, doc: usize) -> &str {
        let (s, d) = self.locate(doc);
        self.segments[s].id(d)
    }

    /// Global document `doc` with its current category.
    pub fn document(&self, doc: usize) -> Document {
        let (s, d) = self.locate(doc);
        self.segments[s].document(d, self.overlay.category(doc).unwrap_or_default())
    }

    fn compile(&self, filters: &Filters) -> Vec<SegmentFilter> {
        self.segments
            .iter()
            .map(|seg| {
                let mut fields: Vec<(Field, Vec<bool>)> = Vec::new();
                let mut add = |get: Field, keep: &dyn Fn(&str) -> bool| fields.push((get, seg.string_mask(keep)));
                if let Some(v) = &filters.kind {
                    add(|m| m.kind, &|s| s == v);
                }
                if let Some(v) = &filters.task_type {
                    add(|m| m.task_type, &|s| s == v);
                }
                if let Some(v) = &filters.source {
                    add(|m| m.source, &|s| s == v);
                }
                if let Some(v) = &filters.model {
                    add(|m| m.model, &|s| s.contains(v.as_str()));
                }
                if let Some(c) = &filters.commits {
                    add(|m| m.commit, &|s| c.contains(s));
                }
                SegmentFilter { fields }
            })
            .collect()
    }

    fn admit(&self, compiled: &[SegmentFilter], filters: &Filters, doc: usize) -> bool {
        let Some(category) = self.overlay.category(doc) else {
            return false;
        };
        if filters.category.is_some_and(|c| c.as_str() != category) {
            return false;
        }
        let (s, d) = self.locate(doc);
        if compiled[s].fields.is_empty() {
            return true;
        }
        let meta = self.segments[s].meta(d);
        compiled[s]
            .fields
            .iter()
            .all(|(get, pass)| pass.get(get(&meta) as usize).copied().unwrap_or(false))
    }

    /// Whether global document `doc` is live.
    fn live(&self, doc: usize) -> bool {
        self.overlay.of_doc.get(doc).is_some_and(|&v| v != DELETED)
    }

    /// BM25 scores (rank_bm25's) of the live documents holding a query term, in document
    /// order.
    pub fn keyword_scores(&self, terms: &[String]) -> Vec<(usize, f64)> {
        let n = self.stats.live as f64;
        let avgdl = self.stats.average_length();
        let total = self.overlay.of_doc.len();
        // Dense accumulators: a common term matches most documents.
        let mut scores = vec![0f64; total];
        let mut hit = vec![false; total];
        for q in terms {
            let lists: Vec<_> = self
                .segments
                .iter()
                .enumerate()
                .filter_map(|(s, seg)| seg.postings(q).map(|p| (s, p)))
                .collect();
            let df: usize = lists
                .iter()
                .map(|(s, p)| p.iter().filter(|(d, _)| self.live(self.bases[*s] + d)).count())
                .sum();
            if df == 0 {
                continue;
            }
            let mut weight = idf(n, df as f64);
            if weight < 0.0 {
                weight = self.stats.idf_floor;
            }
            for (s, postings) in &lists {
                let (seg, base) = (&self.segments[*s], self.bases[*s]);
                for (d, tf) in postings.iter() {
                    if !self.live(base + d) {
                        continue;
                    }
                    let tf = f64::from(tf);
                    let norm = K1 * (1.0 - B + B * f64::from(seg.length(d)) / avgdl);
                    scores[base + d] += weight * tf * (K1 + 1.0) / (tf + norm);
                    hit[base + d] = true;
                }
            }
        }
        (0..total).filter(|&d| hit[d]).map(|d| (d, scores[d])).collect()
    }

    /// Rank the admitted documents for `query`; ties go to the smaller id. A document
    /// stored twice with the same text (a run in two notes) is shown once.
    pub fn search(&self, query: &Query, filters: &Filters) -> Vec<Hit> {
        let terms = tokenize(query.text);
        let depth = query.fusion.depth.max(query.k);
        let compiled = self.compile(filters);
        let keyword = match query.mode {
            Mode::Keyword | Mode::Hybrid => {
                let candidates = self
                    .keyword_scores(&terms)
                    .into_iter()
                    .filter(|(d, s)| *s > 0.0 && self.admit(&compiled, filters, *d))
                    .collect();
                self.top(candidates, depth)
            }
            Mode::Dense => Vec::new(),
        };
        let dense = match (query.mode, query.vector) {
            (Mode::Dense | Mode::Hybrid, Some(v)) => self.dense_ranking(v, &compiled, filters, depth),
            _ => Vec::new(),
        };
        let ranked = match query.mode {
            Mode::Keyword => keyword.clone(),
            Mode::Dense => dense.clone(),
            Mode::Hybrid => query.fusion.fuse(&keyword, &dense, |d| self.id(d)),
        };
        let place = |list: &[(usize, f64)], i: usize| {
            list.iter().position(|(j, _)| *j == i).map(|p| RankedBy {
                rank: p + 1,
                score: list[p].1,
            })
        };
        let mut hits: Vec<Hit> = Vec::new();
        for (d, score) in ranked {
            if hits.len() == query.k {
                break;
            }
            let document = self.document(d);
            if hits.iter().any(|h| {
                h.document.kind == document.kind && h.document.id == document.id && h.document.text == document.text
            }) {
                continue;
            }
            let (field, snippet) = snippet(&document, &terms);
            hits.push(Hit {
                rank: hits.len() + 1,
                score,
                keyword: place(&keyword, d),
                dense: place(&dense, d),
                field,
                snippet,
                document,
            });
        }
        hits
    }

    /// The `depth` nearest admitted documents by cosine similarity: a pass over the
    /// quantized vectors, then the best `RESCORE_FACTOR × depth` rescored exactly.
    fn dense_ranking(
        &self,
        query: &[f32],
        compiled: &[SegmentFilter],
        filters: &Filters,
        depth: usize,
    ) -> Vec<(usize, f64)> {
        let vectors_of = |d: usize| {
            let (s, local) = self.locate(d);
            self.vectors[s].as_ref().map(|v| (v, local))
        };
        // Segment by segment, so each row is found without a lookup.
        let approximate = self
            .segments
            .iter()
            .enumerate()
            .filter_map(|(s, seg)| Some((self.bases[s], seg.len(), self.vectors[s].as_ref()?)))
            .flat_map(|(base, len, v)| {
                (0..len)
                    .into_par_iter()
                    .with_min_len(4096)
                    .filter(|&local| self.admit(compiled, filters, base + local))
                    .map(|local| (base + local, f64::from(v.approximate(local, query))))
                    .collect::<Vec<_>>()
            })
            .collect();
        let exact = self
            .top(approximate, depth.saturating_mul(RESCORE_FACTOR))
            .into_iter()
            .filter_map(|(d, _)| {
                let (v, local) = vectors_of(d)?;
                Some((d, f64::from(crate::embed::dot(v.row(local), query))))
            })
            .collect();
        self.top(exact, depth)
    }

    /// The best `n` of `scored`, best first, ties by id: a partial selection, then a sort
    /// of just those, so 100k candidates cost one linear pass.
    fn top(&self, mut scored: Vec<(usize, f64)>, n: usize) -> Vec<(usize, f64)> {
        let order =
            |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then_with(|| self.id(a.0).cmp(self.id(b.0)));
        if scored.len() > n && n > 0 {
            scored.select_nth_unstable_by(n - 1, order);
            scored.truncate(n);
        }
        scored.sort_by(order);
        scored.truncate(n);
        scored
    }
}

/// Candidates per result kept from the quantized pass for exact rescoring.
const RESCORE_FACTOR: usize = 4;

#[cfg(test)]
mod tests {
    use super::super::test_doc as doc;
    use super::*;

    const TEXTS: [&str; 6] = [
        "fix login bug session token",
        "add audit log crate record fix",
        "fix build error mismatched types error",
        "update docs readme",
        "login page redirect fix session",
        "rate limit retry backoff",
    ];

    /// Pinned from `rank_bm25.BM25Okapi(corpus).get_scores(query)` (rank-bm25 0.2.2).
    const CASES: [(&[&str], [f64; 6]); 5] = [
        (
            &["fix", "session"],
            [
                0.8632334708926578,
                0.26054159986399117,
                0.26054159986399117,
                0.0,
                0.8632334708926578,
                0.0,
            ],
        ),
        (&["error"], [0.0, 0.0, 1.7224780132469744, 0.0, 0.0, 0.0]),
        (
            &["audit", "record", "log"],
            [0.0, 3.5159446226853093, 0.0, 0.0, 0.0, 0.0],
        ),
        (
            &["fix"],
            [
                0.2844282660654437,
                0.26054159986399117,
                0.26054159986399117,
                0.0,
                0.2844282660654437,
                0.0,
            ],
        ),
        (
            &["login", "fix", "fix"],
            [
                1.1476617369581015,
                0.5210831997279823,
                0.5210831997279823,
                0.0,
                1.1476617369581015,
                0.0,
            ],
        ),
    ];

    fn check(corpus: &Corpus, global: &[usize]) {
        for (query, expected) in CASES {
            let q: Vec<String> = query.iter().map(|s| s.to_string()).collect();
            let got: HashMap<usize, f64> = corpus.keyword_scores(&q).into_iter().collect();
            for (i, e) in expected.iter().enumerate() {
                let g = got.get(&global[i]).copied().unwrap_or(0.0);
                assert!((g - e).abs() < 1e-12, "{query:?} doc {i}: {g} vs {e}");
            }
        }
    }

    #[test]
    fn scores_equal_rank_bm25() {
        let docs = TEXTS
            .iter()
            .enumerate()
            .map(|(i, t)| doc(&i.to_string(), "accepted", t))
            .collect();
        check(&Corpus::new(docs, None), &[0, 1, 2, 3, 4, 5]);
    }

    /// The same collection spread over two segments, with deleted documents in both,
    /// scores exactly as the collection alone.
    #[test]
    fn segments_with_deletions_score_as_one_collection() {
        let entry = |i: usize, text: &str| Entry {
            document: doc(&i.to_string(), "accepted", text),
            source_key: String::new(),
            line_key: [0; 16],
        };
        let first = [
            entry(0, TEXTS[0]),
            entry(90, "fix fix stale copy"),
            entry(1, TEXTS[1]),
            entry(2, TEXTS[2]),
        ];
        let second = [
            entry(3, TEXTS[3]),
            entry(4, TEXTS[4]),
            entry(91, "session gone"),
            entry(5, TEXTS[5]),
        ];
        let segments: Vec<Segment> = [&first[..], &second[..]]
            .iter()
            .map(|e| Segment::open(Backing::Owned(super::super::segment::build(e)), "t").unwrap())
            .collect();
        let mut overlay = Overlay::default();
        let accepted = overlay.intern("accepted");
        overlay.of_doc = vec![
            accepted, DELETED, accepted, accepted, accepted, accepted, DELETED, accepted,
        ];
        let stats = Stats::compute(&segments, &overlay);
        assert_eq!(stats.live, 6);
        let corpus = Corpus::from_parts(segments, vec![None, None], overlay, stats);
        check(&corpus, &[0, 2, 3, 4, 5, 7]);
        let hits = corpus.search(
            &Query {
                text: "stale",
                vector: None,
                k: 5,
                mode: Mode::Keyword,
                fusion: Default::default(),
            },
            &Filters::default(),
        );
        assert!(hits.is_empty(), "a deleted document is never found");
    }

    #[test]
    fn a_collection_of_one_run_still_finds_it() {
        let corpus = Corpus::new(vec![doc("only", "accepted", "retry loop never backs off")], None);
        let scores = corpus.keyword_scores(&["retry".to_owned()]);
        assert!(scores.len() == 1 && scores[0].1 > 0.0, "{scores:?}");
    }

    #[test]
    fn an_overlay_reads_back_and_refuses_damage() {
        let mut overlay = Overlay::default();
        let a = overlay.intern("accepted");
        let r = overlay.intern("0.5");
        overlay.of_doc = vec![a, DELETED, r];
        let bytes = overlay.encode();
        assert_eq!(Overlay::decode(&bytes), Some(overlay));
        assert_eq!(Overlay::decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(Overlay::decode(&[bytes.as_slice(), b"x"].concat()), None);
    }

    #[test]
    fn quantized_pass_then_exact_rescoring_equals_exact_ranking() {
        let (n, dim) = (2000, 48);
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 2001) as f32 / 1000.0 - 1.0
        };
        let unit = |v: Vec<f32>| {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
        };
        let rows: Vec<Vec<f32>> = (0..n).map(|_| unit((0..dim).map(|_| next()).collect())).collect();
        let query = unit((0..dim).map(|_| next()).collect());
        let docs: Vec<Document> = (0..n).map(|i| doc(&format!("{i:05}"), "accepted", "text")).collect();
        let block: Vec<f32> = rows.iter().flatten().copied().collect();
        let order: Vec<u32> = (0..n as u32).collect();
        let corpus = Corpus::new(docs, Vectors::new(dim, &block, &order));

        let ours = corpus.dense_ranking(&query, &corpus.compile(&Filters::default()), &Filters::default(), 20);
        let mut exact: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, f64::from(crate::embed::dot(r, &query))))
            .collect();
        exact.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        exact.truncate(20);
        assert_eq!(ours, exact);
    }
}
