//! `git distill verify`: check receipts against the repository.

use super::{Context, Exit, output::print_json};
use crate::receipt::verify::CheckStatus;
use crate::workflow::verify::{RefAttestation, SignaturePolicy, attestation, commits_with_receipts, verify_with};
use anyhow::bail;

/// Verify receipts: canonical bytes, schema and consistency, binding to the commit,
/// integrity of every input and output that can be found, lineage, and with
/// --reproduce a re-run of deterministic stages (drift, score) compared byte for byte.
///
/// Exit 0 when every check passed, 1 when one failed, 3 when something could not be
/// decided (objects or files missing, e.g. a shallow clone) unless --allow-missing.
/// Signed receipts (`receipts --sign`, or `git config distill.receipts.sign true`) are
/// checked against the allowed-signers file; unsigned receipts prove consistency, not
/// authorship.
///
/// Every line on the notes refs (receipts and signatures aside) is also compared with
/// the notes the receipts pin: a line no receipt covers is reported as unattested
/// (written by hand, by another tool, or forged); --strict makes that a failure.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Commits whose receipts to verify (default HEAD).
    revs: Vec<String>,
    /// Verify the receipts on every commit.
    #[arg(long, conflicts_with = "revs")]
    all: bool,
    /// Re-run deterministic stages and compare outputs.
    #[arg(long)]
    reproduce: bool,
    /// Treat missing objects and files as passing.
    #[arg(long)]
    allow_missing: bool,
    /// Allowed-signers file for SSH signatures (default: gpg.ssh.allowedSignersFile).
    #[arg(long, value_name = "FILE")]
    allowed_signers: Option<std::path::PathBuf>,
    /// Fail receipts that carry no signature.
    #[arg(long)]
    require_signatures: bool,
    /// Also fail (exit 1) when a stored note line is covered by no receipt.
    #[arg(long)]
    strict: bool,
    /// Print JSON: `{receipts: [...], attestation: [...], unsigned: N}`.
    #[arg(long)]
    json: bool,
}

/// What `verify --json` prints.
#[derive(serde::Serialize)]
struct Report<'a> {
    receipts: &'a [crate::workflow::verify::ReceiptVerdict],
    attestation: &'a [RefAttestation],
    unsigned: usize,
}

/// Run `git distill verify`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let commits = if args.all {
        commits_with_receipts(&store)?
    } else if args.revs.is_empty() {
        vec![store.resolve("HEAD")?]
    } else {
        args.revs.iter().map(|r| store.resolve(r)).collect::<Result<_, _>>()?
    };
    let policy = SignaturePolicy {
        allowed_signers: args.allowed_signers.as_deref().map(|p| ctx.path(p)).or_else(|| {
            store
                .config_value("gpg.ssh.allowedSignersFile")
                .map(std::path::PathBuf::from)
        }),
        require: args.require_signatures,
    };
    let verdicts = verify_with(&store, &commits, args.reproduce, &policy)?;
    if verdicts.is_empty() && !args.all {
        bail!(
            "no receipts on {}",
            commits.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    let attested = attestation(&store)?;
    let unattested: usize = attested.iter().map(|a| a.unattested.len()).sum();
    let unsigned = verdicts
        .iter()
        .filter(|v| !v.checks.iter().any(|c| c.name == "signature"))
        .count();
    if args.json {
        print_json(&Report {
            receipts: &verdicts,
            attestation: &attested,
            unsigned,
        })?;
    } else {
        for v in &verdicts {
            println!(
                "{} {} {} ({}:{})",
                word(v.status),
                &v.id[..19],
                v.stage,
                &v.commit[..12],
                v.line
            );
            for c in &v.checks {
                println!("    {:<7} {}", word(c.status), c.name);
                if c.status != CheckStatus::Pass {
                    for d in c.details.iter() {
                        println!("            {d}");
                    }
                }
            }
        }
        let failed = verdicts.iter().filter(|v| v.status == CheckStatus::Fail).count();
        println!("{} receipts, {} failed", verdicts.len(), failed);
        let lines: usize = attested.iter().map(|a| a.lines).sum();
        println!("{lines} note lines, {unattested} unattested (covered by no receipt)");
        for a in attested.iter().filter(|a| !a.unattested.is_empty()) {
            println!(
                "    {}: {} of {} lines unattested",
                a.notes_ref,
                a.unattested.len(),
                a.lines
            );
            for u in a.unattested.iter().take(5) {
                println!("        {}:{} {}", &u.commit[..12], u.line, u.excerpt);
            }
        }
        if unsigned > 0 {
            println!(
                "{unsigned} of {} receipts unsigned: they prove consistency, not authorship (authorship was not checked)",
                verdicts.len()
            );
        }
    }
    let worst = verdicts.iter().map(|v| v.status).max().unwrap_or(CheckStatus::Pass);
    Ok(match worst {
        CheckStatus::Fail => Exit::Failed,
        _ if args.strict && unattested > 0 => Exit::Failed,
        CheckStatus::Unknown if !args.allow_missing => Exit::Inconclusive,
        _ => Exit::Ok,
    })
}

fn word(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "pass",
        CheckStatus::Warn => "warn",
        CheckStatus::Unknown => "unknown",
        CheckStatus::Fail => "FAIL",
    }
}
