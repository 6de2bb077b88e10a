//! PRD drift: claims read from PRD files, checked against a tree, compared across revisions.
//!
//! Pure: the tree is reached through [`TreeView`], which `store` implements for
//! commits and the CLI for the work tree. No git access and no clock in here.

mod anchors;
mod check;
mod claims;
mod compare;
mod ignored;
#[cfg(test)]
mod memory_tree;
mod phrasing;
mod resolve;
mod routes;
mod signatures;
mod spans;
mod symbols;
mod test_counts;

pub use check::{
    CheckedClaim, ClaimStatus, DRIFT_SCHEMA_VERSION, DRIFT_TOOL_VERSION, DriftReport, MAX_PRD_BYTES, PrdFile, TreeView,
    Unreadable, build_report, check_claims, read_prd,
};
pub use claims::{
    Claim, ClaimKind, CountClaim, Extracted, SkippedSpan, SpanReading, Stated, SymbolRef, extract_claims,
};
pub use compare::{Comparison, Side, Transition, TransitionKind, compare_reports};
pub use symbols::defines_symbol;
