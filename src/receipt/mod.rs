//! Receipts: the one shared builder every stage uses, their canonical form, and
//! their storage as lines of `refs/notes/distill/receipts`.

mod agent;
mod build;
pub mod sign;
pub mod verify;

pub use build::{ReceiptBuilder, line_id, receipt_bytes, receipt_id};
