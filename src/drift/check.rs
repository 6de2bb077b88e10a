//! Checking claims against a tree: each claim gets a status and the evidence for it.

use super::claims::{Claim, ClaimKind, Stated};
use super::symbols::defines_symbol;
use serde::{Deserialize, Serialize};

/// Version of the drift report format.
pub const DRIFT_SCHEMA_VERSION: u32 = 1;

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
}

impl ClaimStatus {
    /// Whether the status is drift between the PRD and the code.
    pub fn is_drift(self) -> bool {
        !matches!(
            self,
            ClaimStatus::Verified | ClaimStatus::Pending | ClaimStatus::Inconclusive
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
        }
    }

    /// Parse a snake_case name.
    pub fn parse(name: &str) -> Option<ClaimStatus> {
        [
            ClaimStatus::Verified,
            ClaimStatus::Pending,
            ClaimStatus::Missing,
            ClaimStatus::Fake,
            ClaimStatus::Partial,
            ClaimStatus::Unclaimed,
            ClaimStatus::CountMismatch,
            ClaimStatus::Inconclusive,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
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
pub fn check_claims(claims: Vec<Claim>, tree: &dyn TreeView) -> Vec<CheckedClaim> {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut file_cache: std::collections::HashMap<String, Result<Option<String>, Unreadable>> = Default::default();
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
            let (status, evidence) = judge(&claim, tree, &mut file_cache);
            CheckedClaim {
                key,
                claim,
                status,
                evidence,
            }
        })
        .collect()
}

fn judge(
    claim: &Claim,
    tree: &dyn TreeView,
    files: &mut std::collections::HashMap<String, Result<Option<String>, Unreadable>>,
) -> (ClaimStatus, Vec<String>) {
    let mut evidence = Vec::new();
    let mut present = 0usize;
    let mut total = 0usize;
    let symbol_paths: Vec<&str> = claim.symbols.iter().map(|s| s.path.as_str()).collect();
    for path in claim.paths.iter().filter(|p| !symbol_paths.contains(&p.as_str())) {
        total += 1;
        if tree.exists(path) {
            present += 1;
            evidence.push(format!("{path}: exists"));
        } else {
            evidence.push(format!("{path}: not found"));
        }
    }
    for symbol in &claim.symbols {
        total += 1;
        let source = files.entry(symbol.path.clone()).or_insert_with(|| {
            tree.read(&symbol.path)
                .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned()))
        });
        let source = match source {
            Ok(source) => source.as_ref(),
            Err(Unreadable(why)) => {
                evidence.push(format!("{}: cannot be read ({why})", symbol.path));
                return (ClaimStatus::Inconclusive, evidence);
            }
        };
        match source {
            None => evidence.push(format!("{}: file not found (wanted {})", symbol.path, symbol.name)),
            Some(text) if defines_symbol(&symbol.path, text, &symbol.name) => {
                present += 1;
                evidence.push(format!("{}::{}: defined", symbol.path, symbol.name));
            }
            Some(_) => evidence.push(format!("{}::{}: no definition found", symbol.path, symbol.name)),
        }
    }
    let status = match claim.kind {
        ClaimKind::Count => {
            let Some(count) = &claim.count else {
                return (ClaimStatus::Verified, evidence);
            };
            if !tree.exists(&count.dir) {
                evidence.push(format!("{}: not found", count.dir));
                return (ClaimStatus::CountMismatch, evidence);
            }
            let (files, dirs) = tree.children(&count.dir);
            let counts_files = matches!(
                count.noun.as_str(),
                "files" | "file" | "tests" | "scripts" | "docs" | "documents" | "schemas" | "fixtures" | "migrations"
            );
            let (found, what) = if counts_files {
                (files, "files")
            } else {
                (dirs, "directories")
            };
            evidence.push(format!(
                "{}: {found} {what} (stated {} {})",
                count.dir, count.expected, count.noun
            ));
            if found == count.expected {
                ClaimStatus::Verified
            } else {
                ClaimStatus::CountMismatch
            }
        }
        ClaimKind::Status => match (claim.stated, present, total) {
            (Some(Stated::Done), p, t) if p == t => ClaimStatus::Verified,
            (Some(Stated::Done), 0, _) => ClaimStatus::Fake,
            (Some(Stated::Done), _, _) => ClaimStatus::Partial,
            (_, p, t) if p == t && t > 0 => ClaimStatus::Unclaimed,
            _ => ClaimStatus::Pending,
        },
        ClaimKind::Path | ClaimKind::Symbol => {
            if present == total {
                ClaimStatus::Verified
            } else {
                ClaimStatus::Missing
            }
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
    for path in prd_paths {
        let (mut file, text) = read_prd(tree, path);
        if let Some(text) = text {
            let mut found = super::claims::extract_claims(path, &text);
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
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        prd_files,
        claims: check_claims(claims, tree),
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
