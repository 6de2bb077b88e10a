//! `git distill collect`: read agent logs into evidence notes.

use super::{Context, Exit, output::print_json};
use crate::collect::{AdapterKind, SourceSpec};
use crate::config::{CONFIG_PATH, Config};
use crate::workflow::collect::{CollectReport, Input, collect, configured_inputs};
use crate::workflow::git_native;
use crate::workflow::paths::expand_path;
use crate::workflow::paths::regular_file;
use anyhow::bail;
use std::path::Path;

/// Collect agent run logs into evidence records on refs/notes/distill/evidence.
///
/// Without paths, reads the sources in .distill/config.toml (all, or those named
/// with --source) and the sessions coding agents reported through their hooks
/// (`git distill hooks install --agent`). With --adapter and paths, reads those files ad hoc.
/// Secrets are redacted before anything is written; lines that cannot be used are
/// quarantined (refs/notes/distill/quarantine) with their reason, never dropped.
/// Collecting the same logs twice changes nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or globs to read with --adapter; for `git-ai` and `entire`, an optional
    /// revision range whose commits to read (default: HEAD's history).
    #[arg(value_name = "PATH", requires = "adapter")]
    paths: Vec<String>,
    /// Adapter for ad hoc paths.
    #[arg(long, value_parser = super::named::<AdapterKind>())]
    adapter: Option<AdapterKind>,
    /// Lakehouse preset for ad hoc paths (mode, contract, distilled, trust, scrum, audit, outcome, override).
    #[arg(long, requires = "adapter")]
    preset: Option<String>,
    /// Configured sources to read (repeatable); default all.
    #[arg(long = "source", value_name = "NAME", conflicts_with = "adapter")]
    sources: Vec<String>,
    /// Attach every run to this commit instead of linking by time.
    #[arg(long, value_name = "REV")]
    at: Option<String>,
    /// Exit 1 when any line was quarantined.
    #[arg(long)]
    strict: bool,
    /// List where secrets were redacted (file, offset, rules — never the secret).
    #[arg(long)]
    redaction_report: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill collect`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let workdir = store.workdir();
    let config = Config::load(&workdir)?;
    let inputs = inputs(&args, &config, &workdir, ctx)?;
    let at = args.at.as_deref().map(|rev| store.resolve(rev)).transpose()?;
    let total: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = super::output::progress_bar(
        total,
        "{spinner} collecting {bytes}/{total_bytes} ({bytes_per_sec}) {wide_bar}",
    );
    let report = collect(&store, &inputs, at, &|done| bar.set_position(done))?;
    bar.finish_and_clear();
    if args.json {
        print_json(&report)?;
    } else {
        render(&report, args.redaction_report);
    }
    Ok(if args.strict && !report.quarantined.is_empty() {
        Exit::Failed
    } else {
        Exit::Ok
    })
}

fn inputs(args: &Args, config: &Config, workdir: &Path, ctx: &Context) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    if let Some(adapter) = args.adapter {
        let store = || ctx.store();
        let range = args.paths.first().map(String::as_str);
        if args.paths.len() > 1 && matches!(adapter, AdapterKind::GitAi | AdapterKind::Entire) {
            bail!("--adapter {} takes one revision range, not paths", adapter.name());
        }
        match adapter {
            AdapterKind::GitAi => return Ok(git_native::git_ai_inputs(&store()?, range, config)?),
            AdapterKind::Entire => {
                let (inputs, warnings) = git_native::entire_inputs(&store()?, range, config)?;
                for w in warnings {
                    eprintln!("warning: {w}");
                }
                return Ok(inputs);
            }
            _ => {}
        }
        if args.paths.is_empty() {
            bail!("--adapter needs at least one PATH");
        }
        let spec = SourceSpec {
            preset: args.preset.clone(),
            ..SourceSpec::ad_hoc(adapter.name(), adapter, config)
        };
        let base = ctx.directory.clone().unwrap_or(std::env::current_dir()?);
        for pattern in &args.paths {
            let files = expand_path(pattern, &base).map_err(anyhow::Error::msg)?;
            if files.is_empty() {
                bail!("no files match {pattern}");
            }
            for path in files {
                regular_file(&path).map_err(anyhow::Error::msg)?;
                out.push(Input::new(spec.clone(), path, workdir));
            }
        }
        return Ok(out);
    }
    let store_pending = || -> anyhow::Result<Vec<Input>> {
        let store = ctx.store()?;
        Ok(crate::workflow::capture::pending_inputs(&store, config))
    };
    let mut pending = if args.sources.is_empty() {
        store_pending()?
    } else {
        Vec::new()
    };
    if config.sources.is_empty() {
        if pending.is_empty() {
            bail!(
                "no sources configured in {CONFIG_PATH} and no agent sessions pending; run `git distill init`, `git distill hooks install --agent <agent>`, or pass --adapter <name> <path>..."
            );
        }
        return Ok(pending);
    }
    let (mut inputs, warnings) = configured_inputs(&ctx.store()?, config, &args.sources)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    pending.retain(|p| !inputs.iter().any(|i| i.path == p.path));
    inputs.extend(pending);
    Ok(inputs)
}

fn render(report: &CollectReport, sites: bool) {
    for f in &report.files {
        println!(
            "{}: {} lines, {} runs, {} quarantined{}",
            f.file,
            f.lines_read,
            f.runs,
            f.quarantined,
            if f.changed_during_read {
                " (changed while read)"
            } else {
                ""
            }
        );
    }
    for q in &report.quarantined {
        println!("  quarantined {}:{}: {}", q.source_file, q.line, q.reason);
    }
    let redacted: Vec<String> = report
        .redactions
        .iter()
        .map(|(rule, n)| format!("{rule}×{n}"))
        .collect();
    println!(
        "collected {} new records ({} already stored), {} quarantined, {} commits; redacted: {}",
        report.records_new,
        report.records_existing,
        report.quarantined.len(),
        report.commits.len(),
        if redacted.is_empty() {
            "none".into()
        } else {
            redacted.join(", ")
        }
    );
    if sites {
        for site in &report.redaction_sites {
            let rules: Vec<String> = site.rules.iter().map(|(r, n)| format!("{r}×{n}")).collect();
            println!("  redacted {} @{}: {}", site.file, site.line_offset, rules.join(", "));
        }
    }
    println!("receipt {}", report.receipt_id);
}
