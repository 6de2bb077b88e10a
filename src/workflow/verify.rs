//! Verifying receipts against the repository: binding to the commit, integrity of
//! every artifact that can be found, lineage of inputs, and optional reproduction.

use super::Result;
use super::score::{Rules, score_records};
use crate::drift::{DriftReport, build_report};
use crate::receipt::verify::{Check, CheckStatus, check_consistency, check_form};
use crate::schema::{Artifact, EvidenceRecord, Receipt, sha256_hex};
use crate::score::{RuleSet, rule_set_hash};
use crate::store::{ArtifactName, NOTES_PREFIX, NotesRef, Store};
use gix::ObjectId;
use serde::Serialize;
use std::collections::HashSet;

/// The verdict on one stored receipt.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptVerdict {
    /// The commit whose receipts note holds it.
    pub commit: String,
    /// Line in that note (1-based).
    pub line: usize,
    /// `sha256:` of the stored bytes.
    pub id: String,
    /// The stage, when the receipt parsed.
    pub stage: String,
    /// Every check.
    pub checks: Vec<Check>,
    /// The worst check status.
    pub status: CheckStatus,
}

/// Every receipt line on `commits`, parsed or not: (commit, line number, bytes).
pub fn receipt_lines(store: &Store, commits: &[ObjectId]) -> Result<Vec<(ObjectId, usize, Vec<u8>)>> {
    let mut out = Vec::new();
    for commit in commits {
        if let Some(note) = store.read_note(&NotesRef::Receipts, *commit)? {
            for (i, line) in note.split(|b| *b == b'\n').enumerate().filter(|(_, l)| !l.is_empty()) {
                out.push((*commit, i + 1, line.to_vec()));
            }
        }
    }
    Ok(out)
}

/// Commits that carry receipts.
pub fn commits_with_receipts(store: &Store) -> Result<Vec<ObjectId>> {
    Ok(store.notes_snapshot(&NotesRef::Receipts)?.annotated())
}

/// Signature checking: the allowed-signers file, and whether unsigned receipts fail.
#[derive(Debug, Clone, Default)]
pub struct SignaturePolicy {
    /// `gpg.ssh.allowedSignersFile` or `--allowed-signers`.
    pub allowed_signers: Option<std::path::PathBuf>,
    /// Fail receipts that carry no signature.
    pub require: bool,
}

/// Verify every receipt on `commits`.
pub fn verify(store: &Store, commits: &[ObjectId], reproduce: bool) -> Result<Vec<ReceiptVerdict>> {
    verify_with(store, commits, reproduce, &SignaturePolicy::default())
}

/// Verify every receipt on `commits`, checking signatures per `policy`.
pub fn verify_with(
    store: &Store,
    commits: &[ObjectId],
    reproduce: bool,
    policy: &SignaturePolicy,
) -> Result<Vec<ReceiptVerdict>> {
    // Every receipt is read once: all of them name the outputs lineage checks against,
    // the requested commits' are verified.
    let all = receipt_lines(store, &commits_with_receipts(store)?)?;
    let mut all_outputs: HashSet<(String, String)> = HashSet::new();
    for (_, _, line) in &all {
        if let Ok(r) = serde_json::from_slice::<Receipt>(line) {
            all_outputs.extend(r.predicate.outputs.into_iter().map(|a| (a.name, a.digest.sha256)));
        }
    }
    let wanted: HashSet<ObjectId> = commits.iter().copied().collect();
    let lines = all.into_iter().filter(|(commit, _, _)| wanted.contains(commit));
    let mut verdicts = Vec::new();
    for (commit, line_no, line) in lines {
        let (canonical, schema, receipt) = check_form(&line);
        let mut checks = vec![canonical, schema];
        let mut stage = String::new();
        if let Some(receipt) = receipt {
            stage = receipt.predicate.stage.clone();
            checks.push(check_consistency(&receipt));
            checks.push(binding(store, commit, &receipt));
            checks.push(integrity(store, &receipt));
            checks.push(lineage(store, &receipt, &all_outputs));
            if reproduce {
                checks.push(reproduction(store, &receipt));
            }
            if let Some(check) = signature(store, commit, &line, policy)? {
                checks.push(check);
            }
        }
        let status = checks.iter().map(|c| c.status).max().unwrap_or(CheckStatus::Pass);
        verdicts.push(ReceiptVerdict {
            commit: commit.to_string(),
            line: line_no,
            id: crate::receipt::line_id(&line),
            stage,
            checks,
            status,
        });
    }
    Ok(verdicts)
}

/// The signature check, when there is a signature or one is required.
fn signature(store: &Store, commit: ObjectId, line: &[u8], policy: &SignaturePolicy) -> Result<Option<Check>> {
    use crate::receipt::sign::{Envelope, verify as verify_signature};
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let envelopes: Vec<Envelope> = store
        .read_note(&NotesRef::Signatures, commit)?
        .unwrap_or_default()
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Envelope>(l).ok())
        .filter(|e| b64.decode(&e.payload).is_ok_and(|p| p == line))
        .collect();
    let mut c = Check::new("signature");
    if envelopes.is_empty() {
        if !policy.require {
            return Ok(None);
        }
        c.note(CheckStatus::Fail, "unsigned (signatures are required)");
        return Ok(Some(c));
    }
    let Some(allowed) = &policy.allowed_signers else {
        c.note(
            CheckStatus::Unknown,
            "signed, but no allowed-signers file (gpg.ssh.allowedSignersFile)",
        );
        return Ok(Some(c));
    };
    // A signature by a key the file does not list proves nothing either way: it fails the
    // check only when no listed signer vouches for the receipt.
    let mut vouched = false;
    let mut strangers = Vec::new();
    for envelope in &envelopes {
        match verify_signature(envelope, line, allowed) {
            Ok(principal) => {
                vouched = true;
                c.note(CheckStatus::Pass, format!("signed by {principal}"));
            }
            Err(e @ crate::receipt::sign::SignError::UnknownSigner { .. }) => strangers.push(e.to_string()),
            Err(e) => c.note(CheckStatus::Fail, e.to_string()),
        }
    }
    let status = if vouched { CheckStatus::Warn } else { CheckStatus::Fail };
    for stranger in strangers {
        c.note(status, stranger);
    }
    Ok(Some(c))
}

fn binding(store: &Store, on: ObjectId, r: &Receipt) -> Check {
    let mut c = Check::new("binding");
    let source = &r.predicate.source;
    if on.to_hex() != source.git_commit {
        c.note(
            CheckStatus::Fail,
            format!("receipt names commit {} but is attached to {on}", source.git_commit),
        );
    }
    match store.parse_id(&source.git_commit).and_then(|id| store.commit_info(id)) {
        Ok(info) if info.tree == source.git_tree => c.note(CheckStatus::Pass, "commit exists and its tree matches"),
        Ok(info) => c.note(
            CheckStatus::Fail,
            format!(
                "commit's tree is {} but the receipt says {}",
                info.tree, source.git_tree
            ),
        ),
        Err(e) => c.note(CheckStatus::Unknown, format!("commit {}: {e}", source.git_commit)),
    }
    c
}

/// The bytes an artifact names, found in git (pinned commit, current ref, blob at the
/// source commit) or the work tree. `None` when they cannot be found.
fn locate(store: &Store, r: &Receipt, a: &Artifact) -> Option<Vec<u8>> {
    let pin = a.digest.git_commit.as_deref().and_then(|p| store.parse_id(p).ok());
    match artifact_name(a) {
        ArtifactName::Note { notes_ref, commit } => {
            let commit = store.parse_id(&commit).ok()?;
            match pin {
                Some(pin) => store.read_note_at(pin, commit).ok().flatten(),
                None => store.read_note(&notes_ref, commit).ok().flatten(),
            }
        }
        ArtifactName::TreeFile { tree, path } => match pin {
            Some(pin) => store.read_file_at_commit(pin, &path).ok().flatten(),
            None => store.read_file_at_ref(&tree, &path).ok().flatten(),
        },
        ArtifactName::GitPath { reference, path } => {
            let tip = store.tip_of(&reference).ok().flatten()?;
            if reference.starts_with("refs/notes/") {
                let commit = store.parse_id(&path).ok()?;
                store.read_note_at(tip, commit).ok().flatten()
            } else {
                store.read_file_at_commit(tip, &path).ok().flatten()
            }
        }
        ArtifactName::Rules(_) | ArtifactName::Commit(_) => None,
        ArtifactName::WorkFile(path) => {
            let source = store.parse_id(&r.predicate.source.git_commit).ok();
            if let Some(commit) = source
                && let Ok(Some(bytes)) = store.read_file_at_commit(commit, &path)
            {
                return Some(bytes);
            }
            let on_disk = super::paths::on_disk(&path, &store.workdir());
            std::fs::read(on_disk).ok()
        }
    }
}

/// Whether an artifact is a file (of the work tree or outside it), not git-distill data.
fn is_file(a: &Artifact) -> bool {
    matches!(artifact_name(a), ArtifactName::WorkFile(_))
}

/// What an artifact's name says it is.
fn artifact_name(a: &Artifact) -> ArtifactName {
    match a.name.parse() {
        Ok(name) => name,
        Err(never) => match never {},
    }
}

fn integrity(store: &Store, r: &Receipt) -> Check {
    let mut c = Check::new("integrity");
    let p = &r.predicate;
    for (role, a) in p
        .inputs
        .iter()
        .map(|a| ("input", a))
        .chain(p.outputs.iter().map(|a| ("output", a)))
    {
        if let ArtifactName::Rules(origin) = artifact_name(a) {
            let recomputed = if origin == "default" {
                Some(rule_set_hash(&RuleSet::default_rules()))
            } else {
                std::fs::read_to_string(store.workdir().join(&origin))
                    .ok()
                    .and_then(|t| RuleSet::parse(&origin, &t).ok())
                    .map(|set| rule_set_hash(&set))
            };
            match recomputed {
                Some(h) if h == a.digest.sha256 => {
                    c.note(CheckStatus::Pass, format!("{role} {}: rules hash matches", a.name))
                }
                Some(_) => c.note(CheckStatus::Warn, format!("{role} {}: rules changed since", a.name)),
                None => c.note(CheckStatus::Unknown, format!("{role} {}: rules not found", a.name)),
            }
            continue;
        }
        match locate(store, r, a) {
            None => c.note(CheckStatus::Unknown, format!("{role} {}: not found", a.name)),
            Some(bytes) => {
                let digest = sha256_hex(&bytes);
                if digest != a.digest.sha256 {
                    let status = if role == "input" && a.digest.git_commit.is_none() && is_file(a) {
                        // A log file outside git that grew since: stale, not tampered.
                        CheckStatus::Warn
                    } else {
                        CheckStatus::Fail
                    };
                    c.note(
                        status,
                        format!("{role} {}: sha256 {digest} != recorded {}", a.name, a.digest.sha256),
                    );
                    continue;
                }
                if let Some(ann) = &a.annotations
                    && let Some(lines) = record_count(&artifact_name(a), &bytes)
                    && lines != ann.record_count
                {
                    c.note(
                        CheckStatus::Fail,
                        format!("{role} {}: {lines} records, receipt says {}", a.name, ann.record_count),
                    );
                    continue;
                }
                c.note(CheckStatus::Pass, format!("{role} {}: sha256 matches", a.name));
            }
        }
    }
    c
}

/// Records in a note or dataset file: rows of a Parquet file (from its footer; 0 when
/// it is not Parquet), lines of anything else. `None` for artifacts not counted.
fn record_count(name: &ArtifactName, bytes: &[u8]) -> Option<u64> {
    match name {
        ArtifactName::TreeFile { path, .. } if path.ends_with(".parquet") => {
            Some(crate::export::parquet_row_count(bytes).unwrap_or(0))
        }
        ArtifactName::Note { .. } | ArtifactName::TreeFile { .. } => Some(crate::store::jsonl::line_count(bytes)),
        _ => None,
    }
}

fn lineage(store: &Store, r: &Receipt, outputs: &HashSet<(String, String)>) -> Check {
    let mut c = Check::new("lineage");
    let source = store.parse_id(&r.predicate.source.git_commit).ok();
    for a in &r.predicate.inputs {
        let tracked = source.is_some_and(|s| store.read_file_at_commit(s, &a.name).ok().flatten().is_some());
        let produced = outputs.contains(&(a.name.clone(), a.digest.sha256.clone()));
        let git_data = !is_file(a);
        if tracked {
            c.note(CheckStatus::Pass, format!("{}: tracked file at the commit", a.name));
        } else if produced {
            c.note(CheckStatus::Pass, format!("{}: output of an earlier receipt", a.name));
        } else if git_data {
            c.note(
                CheckStatus::Pass,
                format!("{}: git-distill data in this repository", a.name),
            );
        } else {
            c.note(
                CheckStatus::Warn,
                format!("{}: external input, not tracked by git", a.name),
            );
        }
    }
    c
}

fn reproduction(store: &Store, r: &Receipt) -> Check {
    let mut c = Check::new("reproduce");
    let result = match r.predicate.stage.as_str() {
        "drift" => reproduce_drift(store, r),
        "score" => reproduce_score(store, r),
        other => {
            c.note(CheckStatus::Warn, format!("stage {other} is not re-run by verify"));
            return c;
        }
    };
    match result {
        Ok(detail) => c.note(CheckStatus::Pass, detail),
        Err(detail) if detail.starts_with("MISMATCH") => c.note(CheckStatus::Fail, detail),
        Err(detail) => c.note(CheckStatus::Unknown, detail),
    }
    c
}

fn reproduce_drift(store: &Store, r: &Receipt) -> std::result::Result<String, String> {
    let output = r.predicate.outputs.first().ok_or("no output to compare")?;
    let stored = locate(store, r, output).ok_or("the drift note is missing")?;
    let report: DriftReport = serde_json::from_slice(&stored).map_err(|e| format!("drift note unreadable: {e}"))?;
    let commit = store
        .parse_id(&r.predicate.source.git_commit)
        .map_err(|e| e.to_string())?;
    let tree = store.commit_tree(commit).map_err(|e| e.to_string())?;
    let paths: Vec<String> = report.prd_files.iter().map(|f| f.path.clone()).collect();
    let rebuilt = build_report(&report.commit, &report.tree, &paths, &tree);
    let mut line = serde_json::to_vec(&rebuilt).map_err(|e| e.to_string())?;
    line.push(b'\n');
    if sha256_hex(&line) == output.digest.sha256 {
        Ok("re-ran drift at the commit: identical bytes".into())
    } else {
        Err("MISMATCH: re-running drift at the commit gives different bytes".into())
    }
}

fn reproduce_score(store: &Store, r: &Receipt) -> std::result::Result<String, String> {
    let rules_input = r
        .predicate
        .inputs
        .iter()
        .find(|a| matches!(artifact_name(a), ArtifactName::Rules(_)))
        .ok_or("no rules input")?;
    if rules_input.name != "rules:default" {
        return Err("custom rules: reproduce with the rule file at hand is not supported yet".into());
    }
    let set = RuleSet::default_rules();
    let rules = Rules {
        hash: rule_set_hash(&set),
        set,
        origin: "default".into(),
    };
    if rules.hash != rules_input.digest.sha256 {
        return Err("the default rules changed since this receipt".into());
    }
    let mut records = Vec::new();
    for a in &r.predicate.inputs {
        let ArtifactName::Note {
            notes_ref: NotesRef::Evidence,
            commit,
        } = artifact_name(a)
        else {
            continue;
        };
        let bytes = locate(store, r, a).ok_or_else(|| format!("{} missing", a.name))?;
        let commit = store.parse_id(&commit).map_err(|e| e.to_string())?;
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            if let Ok(record) = serde_json::from_slice::<EvidenceRecord>(line) {
                records.push((commit, record));
            }
        }
    }
    let rescored = score_records(store, &records, &rules).map_err(|e| e.to_string())?;
    for output in &r.predicate.outputs {
        let bytes = locate(store, r, output).ok_or_else(|| format!("{} missing", output.name))?;
        let text = String::from_utf8_lossy(&bytes);
        let ArtifactName::Note { commit, .. } = artifact_name(output) else {
            continue;
        };
        for (c, scored) in rescored.iter().filter(|(c, _)| c.to_hex() == commit) {
            let line = serde_json::to_string(scored).map_err(|e| e.to_string())?;
            if !text.lines().any(|l| l == line) {
                return Err(format!(
                    "MISMATCH: rescoring {} on {c} gives a line the note lacks",
                    scored.run_id
                ));
            }
        }
    }
    Ok(format!(
        "re-scored {} runs: every verdict is in the stored notes",
        rescored.len()
    ))
}

/// How much of one notes ref's current content receipts attest.
#[derive(Debug, Clone, Serialize)]
pub struct RefAttestation {
    /// The notes ref.
    pub notes_ref: String,
    /// Lines on its tip.
    pub lines: usize,
    /// Lines no receipt's output covers (sorted by commit, then line).
    pub unattested: Vec<UnattestedLine>,
}

/// A stored line that no receipt covers: written by hand, by an older binary, or forged.
#[derive(Debug, Clone, Serialize)]
pub struct UnattestedLine {
    /// The commit the note annotates.
    pub commit: String,
    /// Line in that note (1-based).
    pub line: usize,
    /// The line's first characters, for a person to recognise it.
    pub excerpt: String,
}

/// Compare the tip of every git-distill notes ref (receipts and signatures aside) with the
/// notes the receipts pin. A line is attested when some receipt's output digest covers a
/// note of the same ref holding that exact line — on any commit, since post-rewrite,
/// cherry-pick and reattach move attested lines between commits unchanged.
pub fn attestation(store: &Store) -> Result<Vec<RefAttestation>> {
    let receipts = receipt_lines(store, &commits_with_receipts(store)?)?;
    // (notes ref, sha256 of the note) → where to read it: (pin, annotated commit).
    let mut attested_notes: std::collections::BTreeMap<(String, String), (Option<ObjectId>, ObjectId)> =
        std::collections::BTreeMap::new();
    for (_, _, line) in &receipts {
        let Ok(receipt) = serde_json::from_slice::<Receipt>(line) else {
            continue;
        };
        for a in receipt.predicate.outputs {
            let ArtifactName::Note { notes_ref, commit } = artifact_name(&a) else {
                continue;
            };
            let Ok(commit) = store.parse_id(&commit) else {
                continue;
            };
            let pin = a.digest.git_commit.as_deref().and_then(|p| store.parse_id(p).ok());
            attested_notes
                .entry((notes_ref.to_string(), a.digest.sha256))
                .or_insert((pin, commit));
        }
    }
    let mut out = Vec::new();
    for name in store.refs_under(NOTES_PREFIX)? {
        let notes_ref = NotesRef::from_full_name(&name)?;
        if notes_ref == NotesRef::Receipts || notes_ref == NotesRef::Signatures {
            continue;
        }
        let mut covered: HashSet<Vec<u8>> = HashSet::new();
        for ((_, digest), (pin, commit)) in attested_notes.iter().filter(|((r, _), _)| *r == name) {
            let note = match pin {
                Some(pin) => store.read_note_at(*pin, *commit)?,
                None => store.read_note(&notes_ref, *commit)?,
            };
            if let Some(note) = note.filter(|n| sha256_hex(n) == *digest) {
                covered.extend(
                    note.split(|b| *b == b'\n')
                        .filter(|l| !l.is_empty())
                        .map(<[u8]>::to_vec),
                );
            }
        }
        let snapshot = store.notes_snapshot(&notes_ref)?;
        let mut report = RefAttestation {
            notes_ref: name.clone(),
            lines: 0,
            unattested: Vec::new(),
        };
        for commit in snapshot.annotated() {
            let Some(blob) = snapshot.blob_for(&commit) else {
                continue;
            };
            let note = store.blob(blob)?;
            for (i, line) in note.split(|b| *b == b'\n').enumerate().filter(|(_, l)| !l.is_empty()) {
                report.lines += 1;
                if !covered.contains(line) {
                    report.unattested.push(UnattestedLine {
                        commit: commit.to_string(),
                        line: i + 1,
                        excerpt: String::from_utf8_lossy(line).chars().take(120).collect(),
                    });
                }
            }
        }
        out.push(report);
    }
    Ok(out)
}
