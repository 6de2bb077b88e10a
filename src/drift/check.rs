//! Checking claims against a tree: each claim gets a status and the evidence for it.

use super::claims::{Claim, ClaimKind, Stated};
use super::resolve::{Found, Resolver};
use super::symbols::defines_symbol;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Version of the drift report format.
pub const DRIFT_SCHEMA_VERSION: u32 = 1;

/// The version that made a report: the package's, and the classifier's (bumped when a
/// claim would be judged differently), so a stored report from another classifier is
/// recomputed, not reused.
pub const DRIFT_TOOL_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+drift.45");

/// Read access to one tree (a commit's, or the work tree).
pub trait TreeView {
    /// Whether `path` is a file or a directory in the tree.
    fn exists(&self, path: &str) -> bool;
    /// The bytes of file `path`: `Ok(None)` when it is not a file of the tree, `Err` when
    /// it is but cannot be read (a blob a partial or shallow clone lacks) — which is never
    /// taken as absence.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable>;
    /// Direct children of directory `dir`: (files, directories).
    fn children(&self, dir: &str) -> (u64, u64);
    /// Every path of the tree, with whether it is a directory, in no particular order.
    fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool));
    /// Whether a file or directory was at `path` in an earlier commit of this tree's
    /// first-parent history (boundedly far back) that also had `alongside` (the document
    /// naming it). Views without history answer `false`.
    fn had_earlier(&self, _path: &str, _alongside: &str) -> bool {
        false
    }
}

/// A file the tree lists whose bytes cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// The verdict on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Everything the claim names is there.
    Verified,
    /// A not-done item whose code is not there yet: as stated, no drift.
    Pending,
    /// A path or symbol claim whose target is not there.
    Missing,
    /// Marked done, but nothing it names is there.
    Fake,
    /// Marked done, but only some of what it names is there.
    Partial,
    /// Marked not done, but everything it names is there (the doc lags the code).
    Unclaimed,
    /// A stated count that does not match the tree.
    CountMismatch,
    /// A file the claim needs could not be read (a partial clone lacks its blob): not
    /// drift, not verified either.
    Inconclusive,
    /// Said to be removed, but still there.
    StaleRemoval,
    /// The tree cannot decide it (a route no definition this tool reads has, a change
    /// inside a file that exists): reported, never drift.
    Unchecked,
    /// A name several paths of the tree fit: reported with the candidates, never drift.
    Ambiguous,
}

impl crate::named::Named for ClaimStatus {
    const ALL: &'static [ClaimStatus] = &[
        ClaimStatus::Verified,
        ClaimStatus::Pending,
        ClaimStatus::Missing,
        ClaimStatus::Fake,
        ClaimStatus::Partial,
        ClaimStatus::Unclaimed,
        ClaimStatus::CountMismatch,
        ClaimStatus::Inconclusive,
        ClaimStatus::StaleRemoval,
        ClaimStatus::Unchecked,
        ClaimStatus::Ambiguous,
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl ClaimStatus {
    /// Whether the status is drift between the PRD and the code.
    pub fn is_drift(self) -> bool {
        !matches!(
            self,
            ClaimStatus::Verified
                | ClaimStatus::Pending
                | ClaimStatus::Inconclusive
                | ClaimStatus::Unchecked
                | ClaimStatus::Ambiguous
        )
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Verified => "verified",
            ClaimStatus::Pending => "pending",
            ClaimStatus::Missing => "missing",
            ClaimStatus::Fake => "fake",
            ClaimStatus::Partial => "partial",
            ClaimStatus::Unclaimed => "unclaimed",
            ClaimStatus::CountMismatch => "count_mismatch",
            ClaimStatus::Inconclusive => "inconclusive",
            ClaimStatus::StaleRemoval => "stale_removal",
            ClaimStatus::Unchecked => "unchecked",
            ClaimStatus::Ambiguous => "ambiguous",
        }
    }
}

/// A claim with its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedClaim {
    /// Identity across revisions: kind, heading path and normalized target (no line numbers).
    pub key: String,
    /// The claim.
    #[serde(flatten)]
    pub claim: Claim,
    /// The verdict.
    pub status: ClaimStatus,
    /// What was found, one fact a line.
    pub evidence: Vec<String>,
}

/// A PRD file as found at the checked revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrdFile {
    /// Path in the repository.
    pub path: String,
    /// Whether it exists there.
    pub present: bool,
    /// SHA-256 of its bytes, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Problems reading it (not UTF-8, too large).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The drift report of one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Always [`DRIFT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The commit checked, or `worktree`.
    pub commit: String,
    /// Its tree, or empty for the work tree.
    pub tree: String,
    /// Version of git-distill that checked it.
    pub tool_version: String,
    /// The PRD files looked at.
    pub prd_files: Vec<PrdFile>,
    /// Every judged claim, in PRD order.
    pub claims: Vec<CheckedClaim>,
    /// Code spans that name nothing this tree can be asked about, counted by reason
    /// (`url`, `key_binding`, `placeholder`, `example`, …).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub skipped: std::collections::BTreeMap<String, usize>,
}

impl DriftReport {
    /// Whether something could not be decided: a PRD or a file a claim needs could not
    /// be read (objects missing).
    pub fn inconclusive(&self) -> bool {
        self.claims.iter().any(|c| c.status == ClaimStatus::Inconclusive)
            || self
                .prd_files
                .iter()
                .any(|f| f.warnings.iter().any(|w| w.starts_with(UNREADABLE_PREFIX)))
    }

    /// Claims whose status is drift.
    pub fn drift(&self) -> impl Iterator<Item = &CheckedClaim> {
        self.claims.iter().filter(|c| c.status.is_drift())
    }

    /// Count of claims per status, in status order.
    pub fn counts(&self) -> Vec<(ClaimStatus, usize)> {
        let mut counts: std::collections::BTreeMap<ClaimStatus, usize> = Default::default();
        for c in &self.claims {
            *counts.entry(c.status).or_default() += 1;
        }
        counts.into_iter().collect()
    }
}

/// Check `claims` against `tree`. Keys get an ordinal when a section repeats a target.
/// `recorded_removals`: names blocks without a status say were removed (see
/// [`super::claims::Extracted::recorded_removals`]).
pub fn check_claims(
    claims: Vec<Claim>,
    recorded_removals: Vec<(String, usize)>,
    tree: &dyn TreeView,
) -> Vec<CheckedClaim> {
    let wanted = claims
        .iter()
        .flat_map(|c| {
            let inferred = c.symbols.iter().filter(|s| s.inferred).map(|s| &s.name);
            // The words of a slash-joined path without an extension may be names the
            // code uses (`reason/message`).
            let words = c
                .paths
                .iter()
                .filter(|p| p.contains('/') && !super::spans::has_extension(p))
                .flat_map(|p| p.split('/'))
                .filter(|w| super::spans::is_identifier(w))
                .map(str::to_owned);
            // `Admin::BlogsController` is looked for by its two names.
            let parts = c
                .identifiers
                .iter()
                .filter(|name| name.contains("::"))
                .flat_map(|name| name.split("::"))
                .map(str::to_owned);
            c.identifiers
                .iter()
                .chain(&c.removed_identifiers)
                .chain(inferred)
                .cloned()
                .chain(words)
                .chain(parts)
                .collect::<Vec<_>>()
        })
        .collect();
    let paths = claims
        .iter()
        .flat_map(|c| {
            c.paths
                .iter()
                .chain(&c.locations)
                .chain(&c.removals)
                .chain(&c.routes)
                .chain(&c.route_locations)
                .cloned()
                // A command is handled where the code compares a string with its name.
                .chain(
                    c.identifiers
                        .iter()
                        .filter(|n| super::claims::is_command_word(n))
                        .flat_map(|n| [n.clone(), n.to_ascii_lowercase()]),
                )
        })
        .collect();
    let resolver = Resolver::new(tree, wanted, paths);
    // What a done item of the document says it removed, with its line: another done
    // item naming it records the state before ("Both `a()` and `b()` now skip …", then
    // "Deleted `b()`").
    // A change table's "| 删除 | `a.h` |" records a removal too (dev43).
    let mut removed_by_document: std::collections::HashMap<String, usize> = Default::default();
    let done_removals = claims.iter().filter(|c| c.stated == Some(Stated::Done)).flat_map(|c| {
        c.removed_identifiers
            .iter()
            .chain(&c.removals)
            .map(|name| (name.clone(), c.line))
    });
    for (name, line) in done_removals.chain(recorded_removals) {
        let earliest = removed_by_document.entry(name).or_insert(line);
        *earliest = (*earliest).min(line);
    }
    // What an open item of the document names, with its line: a plain mention of it
    // elsewhere (a command table's `./install.sh`) speaks of what is planned.
    let mut planned_by_document: std::collections::HashMap<String, usize> = Default::default();
    // What an open item says it creates: not there yet wherever the document names it,
    // a done item's mention too ("include `src/main.jsx`" in a ticked step, the file
    // made by an open one; test29).
    let mut created_by_open_item: std::collections::HashMap<String, usize> = Default::default();
    for c in claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Status && c.stated == Some(Stated::NotDone))
    {
        for name in c.paths.iter().chain(&c.locations) {
            planned_by_document.entry(name.clone()).or_insert(c.line);
        }
        if c.creates {
            for name in &c.paths {
                created_by_open_item.entry(name.clone()).or_insert(c.line);
            }
        }
    }
    let full_paths = claims
        .iter()
        .flat_map(|c| c.paths.iter().chain(&c.locations))
        .filter(|p| p.contains('/'))
        .cloned()
        .collect();
    let document = Document {
        removed: removed_by_document,
        planned: planned_by_document,
        created_later: created_by_open_item,
        full_paths,
    };
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut file_cache: FileCache = Default::default();
    // The ids of each linked document's sections, read once however many links it has.
    let mut sections: SectionCache = Default::default();
    claims
        .into_iter()
        .map(|claim| {
            let base_key = format!(
                "{:?}|{}|{}|{}",
                claim.kind,
                claim.file,
                claim.heading_path.join(" > "),
                claim.target
            )
            .to_lowercase();
            let n = seen.entry(base_key.clone()).or_default();
            *n += 1;
            let key = if *n == 1 { base_key } else { format!("{base_key}#{n}") };
            let (status, evidence) = if claim.kind == ClaimKind::Anchor {
                judge_anchor(&claim, tree, &mut file_cache, &mut sections)
            } else {
                judge(&claim, tree, &resolver, &document, &mut file_cache)
            };
            CheckedClaim {
                key,
                claim,
                status,
                evidence,
            }
        })
        .collect()
}

/// A bare file name of an item whose nearest heading names a directory ("Phase 17 —
/// Skill content (`.agents/skills/capture/`)", then "Write skill `README.md`"): the
/// file of that directory, absent while the directory is. `None` when the heading
/// names no directory, or the directory is there without the file (the name may be
/// another directory's).
fn under_heading_directory(claim: &Claim, name: &str, tree: &dyn TreeView, resolver: &Resolver<'_>) -> Option<Found> {
    static DIRECTORY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[\s(`])(\.?[A-Za-z0-9_][\w.-]*(?:/[\w.-]+)*)/(?:[\s)`,:]|$)").expect("static regex")
    });
    if name.contains('/') {
        return None;
    }
    let directory = DIRECTORY.captures(claim.heading_path.last()?)?.get(1)?.as_str();
    match resolver.path(&format!("{directory}/{name}"), "") {
        found @ Found::Here(_) => Some(found),
        _ if !tree.exists(directory) => Some(Found::Absent),
        _ => None,
    }
}

/// The other checkout a heading says its section's work happens in ("Phase 22 — site
/// bridge (runs in `~/Projects/site`)"): a directory of the user's machine.
fn worked_on_elsewhere(claim: &Claim) -> Option<String> {
    static ELSEWHERE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:runs? in|in|inside|at|under)\s+`?((?:~|\$HOME|/Users/|/home/)[^\s`)]*)")
            .expect("static regex")
    });
    claim
        .heading_path
        .iter()
        .find_map(|heading| ELSEWHERE.captures(heading))
        .map(|caps| caps[1].to_owned())
}

/// Blob texts read during one check, by path: each file is read once.
type FileCache = std::collections::HashMap<String, Result<Option<String>, Unreadable>>;

/// A Markdown document's section ids, by path.
type SectionCache = std::collections::HashMap<String, std::collections::HashSet<String>>;

/// The text of `file`, read through the cache.
fn read_cached<'c>(
    files: &'c mut FileCache,
    tree: &dyn TreeView,
    file: &str,
) -> &'c Result<Option<String>, Unreadable> {
    files.entry(file.to_owned()).or_insert_with(|| {
        tree.read(file)
            .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned()))
    })
}

/// Whether `written` and `name` are one file: the same path, or `name` is `written` seen
/// from a directory below the root (`legacy-exec.ts` for `src/cli/legacy-exec.ts`,
/// `src/main.jsx` for `web/src/main.jsx`).
fn same_file(written: &str, name: &str) -> bool {
    written == name || written.strip_suffix(name).is_some_and(|rest| rest.ends_with('/'))
}

/// What the whole document says of names, by the line that says it.
struct Document {
    /// Names a done item removed.
    removed: std::collections::HashMap<String, usize>,
    /// Paths an open item names.
    planned: std::collections::HashMap<String, usize>,
    /// Paths an open item creates.
    created_later: std::collections::HashMap<String, usize>,
    /// Every path the document writes with its directories.
    full_paths: std::collections::BTreeSet<String>,
}

impl Document {
    /// The one path the document writes in full for a bare file name (`epics.md`, and
    /// elsewhere "master tracker `_bmad-output/planning-artifacts/epics.md`"; test42).
    fn written_in_full(&self, name: &str) -> Option<&String> {
        if name.contains('/') {
            return None;
        }
        let suffix = format!("/{name}");
        let mut full = self.full_paths.iter().filter(|p| p.ends_with(&suffix));
        match (full.next(), full.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

/// What was found of one claim's parts.
#[derive(Default)]
struct Tally {
    evidence: Vec<String>,
    /// Parts the claim is about (not mere locations): present / decided.
    subjects: (usize, usize),
    /// Locations: present / decided.
    locations: (usize, usize),
    /// Removals: still present / decided.
    unremoved: (usize, usize),
    undecided: bool,
    ambiguous: bool,
    unreadable: bool,
}

impl Tally {
    fn note(&mut self, what: &str, found: Found, part: Part) {
        let removal = matches!(part, Part::Removal);
        let present = match found {
            Found::Here(at) if removal => {
                self.evidence
                    .push(format!("{what}: still present at {at} (the item removes it)"));
                true
            }
            Found::Absent if removal => {
                self.evidence.push(format!("{what}: gone, as the item says"));
                false
            }
            Found::Moved(at) if removal => {
                self.evidence
                    .push(format!("{what}: still present, moved to {at} (the item removes it)"));
                true
            }
            Found::Moved(at) => {
                self.evidence.push(format!(
                    "{what}: not found at this path, which an earlier commit had; it moved to {at}"
                ));
                false
            }
            Found::Here(at) if at == what => {
                self.evidence.push(format!("{what}: exists"));
                true
            }
            Found::Here(at) => {
                self.evidence.push(format!("{what}: found at {at}"));
                true
            }
            Found::Absent => {
                self.evidence.push(format!("{what}: not found"));
                false
            }
            Found::Ambiguous(candidates) => {
                self.evidence
                    .push(format!("{what}: ambiguous ({})", candidates.join(", ")));
                self.ambiguous = true;
                return;
            }
            Found::Undecided(why) => {
                self.evidence.push(format!("{what}: unchecked ({why})"));
                self.undecided = true;
                return;
            }
            Found::Unreadable(file) => {
                self.evidence.push(format!("{what}: cannot be read ({file})"));
                self.unreadable = true;
                return;
            }
        };
        // For removals the first count is of names still present.
        let slot = match part {
            Part::Subject => &mut self.subjects,
            Part::Location => &mut self.locations,
            Part::Removal => &mut self.unremoved,
        };
        slot.1 += 1;
        if present {
            slot.0 += 1;
        }
    }

    fn decided(&self) -> usize {
        self.subjects.1 + self.locations.1 + self.unremoved.1
    }

    /// Everything decided is as a done item says: present, and removals gone.
    fn all_as_done(&self) -> bool {
        self.subjects.0 == self.subjects.1 && self.locations.0 == self.locations.1 && self.unremoved.0 == 0
    }

    fn nothing_as_done(&self) -> bool {
        self.subjects.0 == 0 && self.locations.0 == 0 && self.unremoved.0 == self.unremoved.1
    }
}

#[derive(Clone, Copy)]
enum Part {
    Subject,
    Location,
    Removal,
}

/// A bare method name so common that a definition of it anywhere does not show the
/// item's: `Run`, `init`, `handle`.
fn is_common_verb(name: &str) -> bool {
    const VERBS: &[&str] = &[
        "run", "start", "stop", "init", "new", "get", "set", "add", "update", "delete", "remove", "create", "open",
        "close", "load", "save", "read", "write", "parse", "handle", "process", "execute", "exec", "call", "apply",
        "build", "render", "reset", "clear", "send", "fetch", "validate", "main",
    ];
    VERBS.contains(&name.to_ascii_lowercase().as_str())
}

/// A path written with its directories, found only deeper in the tree (`src/core/x.lisp`
/// at `packages/core/src/core/x.lisp`), that an earlier commit had as written: the file
/// moved and the document still names its old place (test42, a monorepo
/// reorganisation). Found by suffix with no such history, or with a history in which
/// the document came only after the move, it is a package-relative path, as written
/// (dev46: a task file written after `persistence/` moved under `server/`).
fn moved_away(written: &str, prd: &str, found: Found, tree: &dyn TreeView) -> Found {
    let prd_dir = prd.rsplit_once('/').map_or("", |(dir, _)| dir);
    match found {
        Found::Here(at)
            if written.contains('/')
                && at.ends_with(&format!("/{written}"))
                && (prd_dir.is_empty() || at != format!("{prd_dir}/{written}"))
                && tree.had_earlier(written, prd) =>
        {
            Found::Moved(at)
        }
        found => found,
    }
}

fn judge(
    claim: &Claim,
    tree: &dyn TreeView,
    resolver: &Resolver<'_>,
    document: &Document,
    files: &mut FileCache,
) -> (ClaimStatus, Vec<String>) {
    let prd_dir = claim.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    if let Some(place) = worked_on_elsewhere(claim) {
        return (
            ClaimStatus::Unchecked,
            vec![format!("the section's work happens in {place}, not in this tree")],
        );
    }
    let mut t = Tally::default();
    // A name absent from the tree that another done item (or a change record) says
    // was removed is there as history, when this item is done or a plain mention.
    let recorded_removal = |name: &str| {
        document
            .removed
            .iter()
            .filter(|(removed, _)| same_file(removed, name))
            .map(|(_, &line)| line)
            .filter(|&line| line != claim.line && claim.stated != Some(Stated::NotDone))
            .min()
            .map(|line| Found::Here(format!("history: removed by line {line} of the document")))
    };
    // The same file, or a directory of it.
    let same_or_under = |planned: &str, name: &str| {
        same_file(planned, name) || planned.strip_prefix(name).is_some_and(|rest| rest.starts_with('/'))
    };
    let planned = |name: &str| {
        // The earliest such item, whatever the map's order.
        let mentioned = document
            .planned
            .iter()
            .filter(|(planned, _)| claim.stated.is_none() && same_or_under(planned, name));
        let created = document
            .created_later
            .iter()
            .filter(|(created, _)| claim.stated == Some(Stated::Done) && same_or_under(created, name));
        mentioned
            .chain(created)
            .map(|(_, &line)| line)
            .filter(|&line| line != claim.line)
            .min()
            .map(|line| Found::Undecided(format!("planned by the open item of line {line}")))
    };
    // An absent path the document or the item accounts for: planned by an open item,
    // looked for by the program where it runs, or on a branch not merged here.
    let absent_as_said = |path: &str| {
        planned(path)
            .or_else(|| {
                super::phrasing::looked_for_at_run_time(&claim.text)
                    .then(|| Found::Undecided("a file the program looks for where it runs".to_owned()))
            })
            .or_else(|| {
                super::phrasing::elsewhere_than_this_branch(&claim.text)
                    .then(|| Found::Undecided("the text places the work on another branch or worktree".to_owned()))
            })
    };
    // A bare name absent from the tree is the path the document writes in full for it,
    // when that path's absence says nothing (an ignored directory's file).
    let in_full = |name: &str| match document.written_in_full(name).map(|full| resolver.path(full, prd_dir)) {
        Some(Found::Undecided(why)) => Some(Found::Undecided(format!("as the document writes it elsewhere: {why}"))),
        _ => None,
    };
    // A path as the document tells its life: absent as it says, or moved away.
    let as_told = |path: &str, found: Found| match found {
        Found::Absent => recorded_removal(path)
            .or_else(|| absent_as_said(path))
            .or_else(|| in_full(path))
            .unwrap_or(Found::Absent),
        found => moved_away(path, &claim.file, found, tree),
    };
    let symbol_paths: Vec<&str> = claim.symbols.iter().map(|s| s.path.as_str()).collect();
    for path in claim.paths.iter().filter(|p| !symbol_paths.contains(&p.as_str())) {
        let written_as_directory = claim.text.contains(&format!("{path}/`"));
        let found = under_heading_directory(claim, path, tree, resolver)
            .unwrap_or_else(|| resolver.path_as(path, prd_dir, written_as_directory));
        t.note(path, as_told(path, found), Part::Subject);
    }
    for path in claim.locations.iter().filter(|p| !symbol_paths.contains(&p.as_str())) {
        t.note(path, as_told(path, resolver.path(path, prd_dir)), Part::Location);
    }
    for path in &claim.removals {
        t.note(path, resolver.path(path, prd_dir), Part::Removal);
    }
    for name in &claim.removed_identifiers {
        t.note(name, resolver.removed(name), Part::Removal);
    }
    let routes = claim.routes.iter().map(|r| (r, Part::Subject));
    for (route, part) in routes.chain(claim.route_locations.iter().map(|r| (r, Part::Location))) {
        let as_path = route.trim_start_matches('/');
        let found = match resolver.path(as_path, "") {
            Found::Here(at) if at == as_path => Found::Here(format!("the directory {at}")),
            _ => resolver.route(route, &claim.text),
        };
        t.note(&format!("route {route}"), found, part);
    }
    for package in &claim.packages {
        t.note(&format!("package {package}"), resolver.package(package), Part::Subject);
    }
    for route in &claim.removed_routes {
        t.note(
            &format!("route {route}"),
            resolver.route(route, &claim.text),
            Part::Removal,
        );
    }
    for symbol in &claim.symbols {
        let file = match resolver.path(&symbol.path, prd_dir) {
            Found::Here(at) if tree.exists(&at) => at,
            Found::Ambiguous(candidates) => {
                t.note(&symbol.path, Found::Ambiguous(candidates), Part::Subject);
                continue;
            }
            _ => {
                t.evidence
                    .push(format!("{}: file not found (wanted {})", symbol.path, symbol.name));
                t.subjects.1 += 1;
                continue;
            }
        };
        let source = read_cached(files, tree, &file);
        let what = format!("{}::{}", symbol.path, symbol.name);
        match source {
            Err(Unreadable(why)) => t.note(&what, Found::Unreadable(format!("{file}: {why}")), Part::Subject),
            Ok(None) => t.note(&what, Found::Absent, Part::Subject),
            Ok(Some(text)) if defines_symbol(&file, text, &symbol.name) => {
                t.evidence.push(format!("{what}: defined in {file}"));
                t.subjects.0 += 1;
                t.subjects.1 += 1;
            }
            // "Added `tests/Unit/RoleTest.php`; restricted `roleRules()`": the one file of
            // the block need not be the function's.
            Ok(Some(_))
                if symbol.inferred
                    && let Found::Here(elsewhere) = resolver.defined(&symbol.name) =>
            {
                t.evidence
                    .push(format!("{what}: defined in {elsewhere}, not in {file}"));
                t.subjects.0 += 1;
                t.subjects.1 += 1;
            }
            Ok(Some(_)) if let Some(found) = recorded_removal(&symbol.name) => t.note(&what, found, Part::Subject),
            Ok(Some(_)) => {
                t.evidence.push(format!("{what}: no definition found in {file}"));
                t.subjects.1 += 1;
            }
        }
    }
    for written in &claim.signatures {
        judge_signature(written, claim, resolver, tree, files, &mut t);
    }
    // A done item's identifier is there if the code mentions it at all; a not-done
    // item's only if the code defines it.
    for name in &claim.identifiers {
        let found = match claim.stated {
            // `KEYS` in a list of commands: `case "KEYS":` handles it; the word `keys` in
            // code does not (dev48, kv-stash).
            _ if super::claims::is_command_word(name) => resolver.command(name),
            // A name only an environment template holds is there for an item about the
            // template or the environment; one that says the code reads it needs the code
            // to (dev29: "Add lazy config readers for `TELEGRAM_OIDC_CLIENT_ID`").
            Some(Stated::Done) => match resolver.mentioned(name) {
                Found::Here(file) if super::resolve::is_env_template(&file) && !about_the_environment(&claim.text) => {
                    Found::Absent
                }
                found => found,
            },
            // A variable an environment template declares is there to be set: whether an
            // operator set it, the tree cannot tell (dev28: "- [ ] Set `SENTRY_DSN`").
            _ => match resolver.defined(name) {
                Found::Here(file) if super::resolve::is_env_template(&file) => {
                    Found::Undecided(format!("declared in {file}: setting it is an operator's step"))
                }
                // "Add `Run()` for simple commands": a verb every program defines
                // somewhere (a wizard's `Run`) says nothing of the item's (dev47).
                Found::Here(file) if is_common_verb(name) => Found::Undecided(format!(
                    "defined in {file}, but a name this common may be another thing's"
                )),
                found => found,
            },
        };
        let found = match found {
            Found::Absent => recorded_removal(name)
                .or_else(|| absent_as_said(name))
                .unwrap_or(Found::Absent),
            found => found,
        };
        t.note(name, found, Part::Subject);
    }
    if t.unreadable {
        return (ClaimStatus::Inconclusive, t.evidence);
    }
    let undecided = if t.ambiguous {
        ClaimStatus::Ambiguous
    } else {
        ClaimStatus::Unchecked
    };
    let status = match claim.kind {
        ClaimKind::Count => return judge_count(claim, tree, resolver, files),
        _ if t.decided() == 0 => undecided,
        ClaimKind::Status => match claim.stated {
            Some(Stated::Done) if t.all_as_done() => ClaimStatus::Verified,
            Some(Stated::Done)
                if t.unremoved.0 > 0 && t.subjects.0 == t.subjects.1 && t.locations.0 == t.locations.1 =>
            {
                ClaimStatus::StaleRemoval
            }
            Some(Stated::Done) if t.nothing_as_done() => ClaimStatus::Fake,
            Some(Stated::Done) => ClaimStatus::Partial,
            // "- [ ] Fix port state propagation … Files: `frontend/src/components/Ports.tsx`":
            // a change not yet made (the item opens with its verb) still needs the files it
            // changes, and names them as there.
            Some(Stated::NotDone)
                if claim.changes_existing
                    && !claim.in_progress
                    && !claim.inherited
                    && t.subjects.1 == 0
                    && t.locations.0 < t.locations.1 =>
            {
                ClaimStatus::Missing
            }
            _ if !t.all_as_done() || claim.in_progress => ClaimStatus::Pending,
            // Everything named is there. The document lags the code only if the item
            // itself says it is not done (not its story), names nothing this tool cannot
            // check, and is about what it names — created things, not a place where a
            // change goes; otherwise the tree cannot tell.
            _ if t.subjects.1 == 0 && t.unremoved.1 == 0 => ClaimStatus::Unchecked,
            _ if claim.inherited || t.undecided || t.ambiguous => ClaimStatus::Unchecked,
            _ if claim.opaque && !fields_found(claim, tree, resolver, files, &mut t.evidence) => ClaimStatus::Unchecked,
            // No word of creating what it names: the item may be about changing it
            // ("Sparse vectors at indexing (`workflows/document.py`)", "`/legislation`
            // has multiple bugs"), or starts by doing so ("Consolidate duplicates:
            // `MenuButton`, `ActionButton`"), which needs it there before it starts.
            _ if (!claim.creates || claim.changes_existing) && t.unremoved.1 == 0 => ClaimStatus::Unchecked,
            _ => ClaimStatus::Unclaimed,
        },
        ClaimKind::Path | ClaimKind::Symbol | ClaimKind::Route | ClaimKind::Anchor => {
            if t.all_as_done() {
                ClaimStatus::Verified
            } else if claim.stated.is_none() && super::phrasing::asks_to_create(&claim.text) {
                ClaimStatus::Pending
            } else {
                ClaimStatus::Missing
            }
        }
    };
    (status, t.evidence)
}

/// Whether an item is about the environment a program runs in (`.env.example`, "an
/// environment variable", "placeholder"), so a name an environment template holds is its
/// subject.
fn about_the_environment(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [".env", "environment", "env var", "placeholder"]
        .iter()
        .any(|w| text.contains(w))
}

/// A link into a section: the Markdown document it points into has a heading (or an
/// explicit id) by that name. A document that is not there is its path claim's to
/// report; one that is not Markdown, or a fragment that points at lines, is unchecked.
fn judge_anchor(
    claim: &Claim,
    tree: &dyn TreeView,
    files: &mut FileCache,
    sections: &mut SectionCache,
) -> (ClaimStatus, Vec<String>) {
    use super::anchors::{anchor_link, is_line_anchor, is_markdown, names_section, section_ids};
    let prd_dir = claim.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let Some(link) = claim.anchors.first().and_then(|written| anchor_link(prd_dir, written)) else {
        return (ClaimStatus::Unchecked, Vec::new());
    };
    let file = link.file.unwrap_or_else(|| claim.file.clone());
    let written = &link.written;
    if !is_markdown(&file) || is_line_anchor(&link.fragment) {
        return (
            ClaimStatus::Unchecked,
            vec![format!("{written}: not a section of a Markdown document")],
        );
    }
    match read_cached(files, tree, &file) {
        Err(Unreadable(why)) => (ClaimStatus::Inconclusive, vec![format!("{file}: {why}")]),
        Ok(None) => (
            ClaimStatus::Unchecked,
            vec![format!("{written}: {file} is not a file of this tree")],
        ),
        Ok(Some(text)) => {
            let ids = sections.entry(file.clone()).or_insert_with(|| section_ids(text));
            if names_section(&link.fragment, ids) {
                (ClaimStatus::Verified, vec![format!("{written}: a section of {file}")])
            } else {
                (
                    ClaimStatus::Missing,
                    vec![format!("{written}: not found among the headings of {file}")],
                )
            }
        }
    }
}

/// A signature the claim writes out: the function is there with that shape (as many
/// parameters, the same results), or it is there with another — named by its name, so
/// the report says what the code has.
fn judge_signature(
    written: &str,
    claim: &Claim,
    resolver: &Resolver<'_>,
    tree: &dyn TreeView,
    files: &mut FileCache,
    t: &mut Tally,
) {
    let Some(signature) = super::signatures::parse(written) else {
        return;
    };
    let prd_dir = claim.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    // The file the item says defines it; else every source file of the signature's
    // language that may (common names — `Run`, `Load` — are defined in many).
    let home: Vec<String> = claim
        .symbols
        .iter()
        .filter(|s| s.name == signature.name)
        .filter_map(|s| match resolver.path(&s.path, prd_dir) {
            Found::Here(at) if tree.exists(&at) => Some(at),
            _ => None,
        })
        .collect();
    let candidates = if home.is_empty() {
        resolver
            .source_files()
            .iter()
            .filter(|path| super::signatures::language_fits(&signature, path))
            .take(MAX_SIGNATURE_FILES)
            .cloned()
            .collect()
    } else {
        home
    };
    let mut defined = Vec::new();
    for file in candidates {
        let source = read_cached(files, tree, &file);
        if let Ok(Some(text)) = source
            && text.contains(signature.name.as_str())
        {
            for definition in super::signatures::definitions(&file, text, &signature.name) {
                defined.push((file.clone(), definition));
            }
        }
    }
    // Where the function is not defined at all, its name's own check says so.
    if defined.is_empty() {
        return;
    }
    t.subjects.1 += 1;
    if let Some((file, _)) = defined.iter().find(|(_, d)| super::signatures::fits(&signature, d)) {
        t.subjects.0 += 1;
        t.evidence.push(format!("{written}: defined with this shape in {file}"));
    } else {
        let shapes: Vec<String> = defined
            .iter()
            .take(3)
            .map(|(file, d)| {
                let results = d
                    .results
                    .as_deref()
                    .map(|r| format!(" returning {r}"))
                    .unwrap_or_default();
                format!("{} parameters{results} in {file}", d.params)
            })
            .collect();
        t.evidence.push(format!(
            "{written}: no definition of this shape ({} takes {})",
            signature.name,
            shapes.join("; ")
        ));
    }
}

/// Source files read at most to find a signature's definitions across the tree.
const MAX_SIGNATURE_FILES: usize = 5_000;

/// Whether every bare word a not-done item names (`code`, `status`) is a word of one
/// of the files it is about ("Create `src/core/errors.ts`: `RetinaError` (`code`,
/// `status`)", dev15): then all it names is there, as far as the tree can tell.
fn fields_found(
    claim: &Claim,
    tree: &dyn TreeView,
    resolver: &Resolver<'_>,
    files: &mut FileCache,
    evidence: &mut Vec<String>,
) -> bool {
    let prd_dir = claim.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let mut texts = Vec::new();
    for path in &claim.paths {
        let Found::Here(file) = resolver.path(path, prd_dir) else {
            continue;
        };
        let source = read_cached(files, tree, &file);
        if let Ok(Some(text)) = source {
            texts.push((file, text.clone()));
        }
    }
    if texts.is_empty() || claim.fields.is_empty() {
        return false;
    }
    let is_word = |text: &str, word: &str| {
        text.match_indices(word).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    for field in &claim.fields {
        match texts.iter().find(|(_, text)| is_word(text, field)) {
            Some((file, _)) => evidence.push(format!("{field}: a word of {file}")),
            None => {
                evidence.push(format!("{field}: not in the files the item is about"));
                return false;
            }
        }
    }
    true
}

fn judge_count(
    claim: &Claim,
    tree: &dyn TreeView,
    resolver: &Resolver<'_>,
    files: &mut FileCache,
) -> (ClaimStatus, Vec<String>) {
    let mut evidence = Vec::new();
    let Some(count) = &claim.count else {
        return (ClaimStatus::Verified, evidence);
    };
    if count.in_file() {
        return judge_count_in_file(claim, count, tree, resolver, files);
    }
    if !tree.exists(&count.path) {
        evidence.push(format!("{}: not found", count.path));
        return (ClaimStatus::CountMismatch, evidence);
    }
    let counts_files = matches!(
        count.noun.as_str(),
        "files" | "file" | "tests" | "scripts" | "docs" | "documents" | "schemas" | "fixtures" | "migrations"
    );
    // Files are counted through the whole directory (what "308 files in app/" means);
    // crates, packages and the like are its direct subdirectories.
    let (found, what) = if counts_files {
        let prefix = format!("{}/", count.path);
        let mut files = 0u64;
        tree.for_each_entry(&mut |path, is_dir| {
            if !is_dir && path.starts_with(&prefix) {
                files += 1;
            }
        });
        (files, "files")
    } else {
        (tree.children(&count.path).1, "directories")
    };
    evidence.push(format!(
        "{}: {found} {what} (stated {} {})",
        count.path, count.expected, count.noun
    ));
    let status = if found == count.expected {
        ClaimStatus::Verified
    } else {
        ClaimStatus::CountMismatch
    };
    (status, evidence)
}

/// "`x_test.go` (37 tests)": the tests (or benchmarks) the file defines. A file this
/// tool cannot find, read or count in is left to its path claim: unchecked here.
fn judge_count_in_file(
    claim: &Claim,
    count: &super::claims::CountClaim,
    tree: &dyn TreeView,
    resolver: &Resolver<'_>,
    files: &mut FileCache,
) -> (ClaimStatus, Vec<String>) {
    use super::test_counts::{Counted, StatedCount, agrees, defined};
    let prd_dir = claim.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let unchecked = |why: String| (ClaimStatus::Unchecked, vec![format!("{}: {why}", count.path)]);
    let Some(counted) = Counted::of_noun(&count.noun) else {
        return unchecked(format!("cannot count {}", count.noun));
    };
    let file = match resolver.path(&count.path, prd_dir) {
        Found::Here(at) => at,
        _ => return unchecked("no single file to count in".to_owned()),
    };
    let source = read_cached(files, tree, &file);
    let text = match source {
        Err(Unreadable(why)) => {
            return (
                ClaimStatus::Inconclusive,
                vec![format!("{file}: cannot be read ({why})")],
            );
        }
        Ok(None) => return unchecked("not a file".to_owned()),
        Ok(Some(text)) => text,
    };
    let Some(found) = defined(&file, text, counted) else {
        return unchecked(format!("no {} this tool can count in this language", count.noun));
    };
    // "Extracted `selectModel()` into `src/ralph/modelSelection.ts` … and created 9
    // unit tests": a module that defines no test names what the tests cover, and they
    // live in a file of their own.
    if counted == Counted::Tests && found.found == 0 && !super::resolve::is_test_file(&file) {
        return unchecked("defines no test: the tests of it live elsewhere".to_owned());
    }
    let stated = StatedCount {
        expected: count.expected,
        at_least: count.at_least,
        counted,
    };
    let plus = if count.at_least { "+" } else { "" };
    let mut evidence = vec![format!(
        "{file}: {} {}{}{} (stated {}{plus})",
        found.found,
        count.noun,
        if counted == Counted::Lines { "" } else { " defined" },
        if found.expands { ", more generated" } else { "" },
        count.expected
    )];
    let status = match agrees(&stated, found) {
        Some(true) => ClaimStatus::Verified,
        Some(false) => ClaimStatus::CountMismatch,
        None => {
            evidence.push("the file generates cases: a higher number cannot be told".to_owned());
            ClaimStatus::Unchecked
        }
    };
    (status, evidence)
}

/// How a PRD's warning starts when its bytes could not be read.
pub const UNREADABLE_PREFIX: &str = "cannot be read: ";

/// PRDs larger than this are read only up to it (with a warning), so a huge file cannot stall a check.
pub const MAX_PRD_BYTES: usize = 4 * 1024 * 1024;

/// Claims checked per PRD at most (with a warning beyond), so a PRD full of code spans
/// cannot make a drift note of hundreds of megabytes.
pub const MAX_CLAIMS_PER_PRD: usize = 10_000;

/// Read one PRD file from `tree`: its state and its text (lossy for non-UTF-8, capped in size).
pub fn read_prd(tree: &dyn TreeView, path: &str) -> (PrdFile, Option<String>) {
    let mut bytes = match tree.read(path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return (
                PrdFile {
                    path: path.to_owned(),
                    present: false,
                    sha256: None,
                    warnings: Vec::new(),
                },
                None,
            );
        }
        Err(Unreadable(why)) => {
            return (
                PrdFile {
                    path: path.to_owned(),
                    present: true,
                    sha256: None,
                    warnings: vec![format!("{UNREADABLE_PREFIX}{why}")],
                },
                None,
            );
        }
    };
    let sha256 = crate::schema::sha256_hex(&bytes);
    let mut warnings = Vec::new();
    if bytes.len() > MAX_PRD_BYTES {
        warnings.push(format!(
            "larger than {MAX_PRD_BYTES} bytes; only the first {MAX_PRD_BYTES} were read"
        ));
        bytes.truncate(MAX_PRD_BYTES);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            warnings.push("not valid UTF-8; invalid bytes were replaced".to_owned());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    (
        PrdFile {
            path: path.to_owned(),
            present: true,
            sha256: Some(sha256),
            warnings,
        },
        Some(text),
    )
}

/// Build the drift report of one revision: read each PRD, extract claims, check them.
pub fn build_report(commit: &str, tree_id: &str, prd_paths: &[String], tree: &dyn TreeView) -> DriftReport {
    let mut prd_files = Vec::new();
    let mut claims = Vec::new();
    let mut skipped = std::collections::BTreeMap::new();
    let mut recorded_removals = Vec::new();
    for path in prd_paths {
        let (mut file, text) = read_prd(tree, path);
        if let Some(text) = text {
            let extracted = super::claims::extract_claims(path, &text);
            for span in &extracted.skipped {
                *skipped.entry(span.reason.clone()).or_default() += 1;
            }
            recorded_removals.extend(extracted.recorded_removals);
            let mut found = extracted.claims;
            if found.len() > MAX_CLAIMS_PER_PRD {
                file.warnings.push(format!(
                    "{} claims; only the first {MAX_CLAIMS_PER_PRD} were checked",
                    found.len()
                ));
                found.truncate(MAX_CLAIMS_PER_PRD);
            }
            claims.extend(found);
        }
        prd_files.push(file);
    }
    DriftReport {
        schema_version: DRIFT_SCHEMA_VERSION,
        commit: commit.to_owned(),
        tree: tree_id.to_owned(),
        tool_version: DRIFT_TOOL_VERSION.to_owned(),
        prd_files,
        claims: check_claims(claims, recorded_removals, tree),
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree of one PRD file.
    struct OnePrd(Vec<u8>);

    impl TreeView for OnePrd {
        fn exists(&self, path: &str) -> bool {
            path == "PRD.md"
        }
        fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable> {
            Ok((path == "PRD.md").then(|| self.0.clone()))
        }
        fn children(&self, _: &str) -> (u64, u64) {
            (1, 0)
        }
        fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
            each("PRD.md", false);
        }
    }

    /// dev48 (Abhishek2095/kv-stash): a ticked list of commands, two handled by a
    /// `case` of their name, one only a word of the code (`keys` of a map).
    #[test]
    fn a_listed_command_is_handled_where_a_string_names_it() {
        let tree = crate::drift::memory_tree::MemoryTree(vec![
            ("PRD.md", "# Plan\n\n- [x] `EXPIRE`, `PERSIST`, `KEYS`.\n"),
            (
                "server/handler.go",
                "package server\n\nfunc handle(name string, keys []string) {\n\tswitch name {\n\tcase \"EXPIRE\":\n\tcase \"persist\":\n\t}\n}\n",
            ),
        ]);
        let report = build_report("c", "t", &["PRD.md".to_owned()], &tree);
        let claim = report.claims.iter().find(|c| c.claim.line == 3).expect("the list");
        assert_eq!(claim.status, ClaimStatus::Partial, "{:?}", claim.evidence);
        assert!(
            claim.evidence.iter().any(|e| e.starts_with("KEYS: not found")),
            "{:?}",
            claim.evidence
        );
    }

    #[test]
    fn a_prd_of_endless_claims_is_capped_with_a_warning() {
        let prd: String = (0..MAX_CLAIMS_PER_PRD + 50)
            .map(|i| format!("- [x] Add `src/file_{i}.rs`\n"))
            .collect();
        let report = build_report("c", "t", &["PRD.md".to_owned()], &OnePrd(prd.into_bytes()));
        assert_eq!(report.claims.len(), MAX_CLAIMS_PER_PRD);
        assert!(
            report.prd_files[0].warnings[0].contains("only the first"),
            "{:?}",
            report.prd_files
        );
    }
}
