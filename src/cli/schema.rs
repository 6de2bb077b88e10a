//! `git distill schema`: print or write the generated JSON Schemas.

use super::{Context, Exit};
use crate::schema::Kind;
use anyhow::Context as _;
use std::path::PathBuf;

/// Print the JSON Schema (2020-12) of a record kind, or write all of them.
///
/// The schemas are generated from the Rust types; `schemas/` in the source tree is
/// refreshed with `git distill schema --write schemas`, and a test fails when it is stale.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind to print.
    #[arg(long, value_parser = super::named::<Kind>(), required_unless_present = "write")]
    kind: Option<Kind>,
    /// Write `<kind>.schema.json` for every kind into this directory.
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    write: Option<PathBuf>,
}

/// Run `git distill schema`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if let Some(dir) = args.write {
        let dir = ctx.path(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for kind in Kind::ALL {
            let path = dir.join(format!("{}.schema.json", kind.name()));
            std::fs::write(&path, kind.schema_file()).with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", path.display());
        }
    } else if let Some(kind) = args.kind {
        print!("{}", kind.schema_file());
    }
    Ok(Exit::Ok)
}
