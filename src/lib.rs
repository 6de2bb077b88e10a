#![warn(missing_docs)]
//! git-distill: turn AI coding-agent run logs into evidence stored in git.
//!
//! The library holds the model and the stages; it never prints. The binary
//! (`src/main.rs` and [`cli`]) parses arguments, calls in here and renders.

pub mod capture;
pub mod cli;
pub mod collect;
pub mod config;
pub mod drift;
pub mod embed;
pub mod export;
pub mod index;
pub mod ledger;
pub mod named;
pub mod playbook;
pub mod receipt;
pub mod schema;
pub mod score;
pub mod scratchpad;
pub mod store;
pub mod text;
pub mod workflow;
