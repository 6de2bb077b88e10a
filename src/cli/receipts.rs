//! `git distill receipts`: list the receipts attached to a commit.

use super::{Context, Exit, output::print_json};
use crate::schema::Receipt;
use crate::workflow::verify::receipt_lines;

/// List the receipts on a commit (default HEAD): id, stage, validation, counts, timing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commit.
    #[arg(default_value = "HEAD")]
    rev: String,
    /// Print the receipts as JSON.
    #[arg(long)]
    json: bool,
    /// Sign the commit's receipts with your SSH signing key (user.signingkey: a key file,
    /// or a public key whose private half ssh-agent holds); the DSSE envelopes go to
    /// refs/notes/distill/signatures.
    #[arg(long)]
    sign: bool,
}

/// Run `git distill receipts`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let commit = store.resolve(&args.rev)?;
    let lines = receipt_lines(&store, &[commit])?;
    if args.sign {
        let receipts: Vec<Vec<u8>> = lines.iter().map(|(_, _, l)| l.clone()).collect();
        let n = crate::workflow::sign_receipts(&store, commit, &receipts)?;
        println!("signed {n} receipts on {commit}");
        return Ok(Exit::Ok);
    }
    let mut parsed = Vec::new();
    for (_, _, line) in &lines {
        let id = crate::receipt::line_id(line);
        parsed.push((id, serde_json::from_slice::<Receipt>(line).ok()));
    }
    if args.json {
        let rows: Vec<serde_json::Value> = parsed
            .iter()
            .map(|(id, r)| serde_json::json!({ "id": id, "receipt": r }))
            .collect();
        print_json(&rows)?;
        return Ok(Exit::Ok);
    }
    if parsed.is_empty() {
        println!("no receipts on {commit}");
    }
    for (id, receipt) in &parsed {
        match receipt {
            Some(r) => {
                let p = &r.predicate;
                println!(
                    "{}  {:<10} {}  in {} out {}{}  {} ({} ms)  {} inputs, {} outputs",
                    &id[..19],
                    p.stage,
                    if p.validation.pass { "pass" } else { "FAIL" },
                    p.record_counts.records_in,
                    p.record_counts.records_out,
                    p.record_counts
                        .quarantined
                        .map(|q| format!(" quarantined {q}"))
                        .unwrap_or_default(),
                    p.timing.started_at,
                    p.timing.duration_ms,
                    p.inputs.len(),
                    p.outputs.len()
                );
            }
            None => println!("{}  (unreadable receipt)", &id[..19]),
        }
    }
    Ok(Exit::Ok)
}
