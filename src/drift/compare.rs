//! Comparing two drift reports: what drift a change introduced, kept, resolved or withdrew.

use super::check::{CheckedClaim, DriftReport};
use serde::Serialize;
use std::collections::BTreeMap;

/// What happened to a claim's drift between base and head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    /// Drift in head that base did not have.
    Introduced,
    /// Drift in both.
    Persisting,
    /// Drift in base that head no longer has.
    Resolved,
    /// Drift in base whose claim head's PRD no longer makes.
    Withdrawn,
}

/// Which side of the change moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The PRD changed the claim (new, edited, ticked, removed).
    Doc,
    /// The claim is the same; the code under it changed.
    Code,
}

/// One claim's transition.
#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    /// What happened.
    pub kind: TransitionKind,
    /// Which side moved.
    pub side: Side,
    /// The claim key.
    pub key: String,
    /// The claim at base, if it existed there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<CheckedClaim>,
    /// The claim at head, if it exists there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<CheckedClaim>,
}

impl Transition {
    /// The claim as it stands (head, else base).
    pub fn claim(&self) -> &CheckedClaim {
        self.head
            .as_ref()
            .or(self.base.as_ref())
            .expect("a transition has at least one side")
    }
}

/// The comparison of two revisions.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The base revision's commit.
    pub base: String,
    /// The head revision's commit.
    pub head: String,
    /// Transitions, introduced first.
    pub transitions: Vec<Transition>,
    /// Claims without drift on both sides.
    pub unchanged_ok: usize,
    /// Unified diff of the PRD files from base to head.
    pub prd_diff: String,
}

impl Comparison {
    /// Transitions of one kind.
    pub fn of(&self, kind: TransitionKind) -> impl Iterator<Item = &Transition> {
        self.transitions.iter().filter(move |t| t.kind == kind)
    }
}

/// Compare `base` with `head`; `texts` are the PRD files' contents (path, base text, head text).
pub fn compare_reports(base: &DriftReport, head: &DriftReport, texts: &[(String, String, String)]) -> Comparison {
    let base_by_key: BTreeMap<&str, &CheckedClaim> = base.claims.iter().map(|c| (c.key.as_str(), c)).collect();
    let head_by_key: BTreeMap<&str, &CheckedClaim> = head.claims.iter().map(|c| (c.key.as_str(), c)).collect();
    let mut transitions = Vec::new();
    let mut unchanged_ok = 0;
    for (key, h) in &head_by_key {
        let b = base_by_key.get(key).copied();
        let kind = match (b.map(|b| b.status.is_drift()), h.status.is_drift()) {
            (Some(true), true) => TransitionKind::Persisting,
            (Some(true), false) => TransitionKind::Resolved,
            (_, true) => TransitionKind::Introduced,
            _ => {
                unchanged_ok += 1;
                continue;
            }
        };
        let side = match b {
            Some(b) if same_statement(b, h) => Side::Code,
            _ => Side::Doc,
        };
        transitions.push(Transition {
            kind,
            side,
            key: key.to_string(),
            base: b.cloned(),
            head: Some((*h).clone()),
        });
    }
    for (key, b) in &base_by_key {
        if !head_by_key.contains_key(key) && b.status.is_drift() {
            transitions.push(Transition {
                kind: TransitionKind::Withdrawn,
                side: Side::Doc,
                key: key.to_string(),
                base: Some((*b).clone()),
                head: None,
            });
        }
    }
    transitions.sort_by(|a, b| {
        (a.kind, &a.claim().claim.file, a.claim().claim.line).cmp(&(
            b.kind,
            &b.claim().claim.file,
            b.claim().claim.line,
        ))
    });
    let prd_diff = texts
        .iter()
        .filter(|(_, old, new)| old != new)
        .map(|(path, old, new)| {
            similar::TextDiff::from_lines(old, new)
                .unified_diff()
                .context_radius(2)
                .header(&format!("a/{path}"), &format!("b/{path}"))
                .to_string()
        })
        .collect();
    Comparison {
        base: base.commit.clone(),
        head: head.commit.clone(),
        transitions,
        unchanged_ok,
        prd_diff,
    }
}

/// Whether the PRD says the same thing about the claim on both sides.
fn same_statement(a: &CheckedClaim, b: &CheckedClaim) -> bool {
    a.claim.stated == b.claim.stated
        && a.claim.paths == b.claim.paths
        && a.claim.symbols == b.claim.symbols
        && a.claim.count == b.claim.count
}
