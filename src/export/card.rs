//! The dataset card: a README.md with Hugging Face YAML metadata.

use super::Datasets;
use std::fmt::Write as _;

/// Where the data came from, for the card.
#[derive(Debug, Clone, Default)]
pub struct ProvenanceSummary {
    /// Commits whose runs were read.
    pub commits: Vec<String>,
    /// Source names.
    pub sources: Vec<String>,
    /// Scorer versions.
    pub scorer_versions: Vec<String>,
    /// Rule set hashes.
    pub rule_hashes: Vec<String>,
}

/// The configs and the splits each has a file for (only files that were written).
fn configs(data: &Datasets) -> Vec<(&'static str, Vec<&'static str>)> {
    [
        ("sft", &["train", "validation"][..]),
        ("preference", &["train", "validation"][..]),
        ("rag", &["train"][..]),
    ]
    .into_iter()
    .map(|(config, splits)| {
        let present = splits
            .iter()
            .copied()
            .filter(|s| {
                data.files
                    .contains_key(&format!("{config}/{s}.{}", data.format.extension()))
            })
            .collect::<Vec<_>>();
        (config, present)
    })
    .filter(|(_, present)| !present.is_empty())
    .collect()
}

/// The card for dataset `name`; `license` and `language` go into its metadata.
pub fn dataset_card(
    name: &str,
    data: &Datasets,
    provenance: &ProvenanceSummary,
    license: &str,
    language: &[String],
) -> String {
    let ext = data.format.extension();
    let rows = |table: &str| data.rows.get(&format!("{table}.{ext}")).copied().unwrap_or(0);
    let configs = configs(data);
    let mut yaml = String::from("---\n");
    let _ = writeln!(yaml, "license: {license}");
    if !language.is_empty() {
        yaml.push_str("language:\n");
        for code in language {
            let _ = writeln!(yaml, "- {code}");
        }
    }
    yaml.push_str("configs:\n");
    for (config, present) in &configs {
        let _ = writeln!(yaml, "- config_name: {config}\n  data_files:");
        for split in present {
            let _ = writeln!(yaml, "  - split: {split}\n    path: {config}/{split}.{ext}");
        }
    }
    yaml.push_str("task_categories:\n- text-generation\n- question-answering\n");
    yaml.push_str("tags:\n- git-distill\n- agent-runs\n- sft\n- dpo\n- rag\n");
    let _ = writeln!(yaml, "pretty_name: {name}");
    yaml.push_str("---\n\n");

    let mut md = yaml;
    let _ = writeln!(md, "# {name}\n");
    md.push_str("Datasets distilled by git-distill from AI coding-agent runs recorded in this repository.\n\n");
    md.push_str("| config | split | file | rows |\n|---|---|---|---|\n");
    for (file, n) in data.rows.iter().filter(|(f, _)| data.files.contains_key(*f)) {
        let (config, rest) = file.split_once('/').unwrap_or((file, ""));
        let split = rest.strip_suffix(&format!(".{ext}")).unwrap_or(rest);
        let _ = writeln!(md, "| {config} | {split} | `{file}` | {n} |");
    }
    md.push_str("\n## Formats\n\n");
    let _ = writeln!(
        md,
        "- `sft/*.{ext}`: `{{\"messages\": [{{\"role\", \"content\", \"tool_calls\"?, \"tool_call_id\"?}}], \"tools\": [...]}}` — TRL's tool-calling conversational format (`SFTTrainer`): a call's `function.arguments` is an object, `tools` the JSON schemas of the functions called."
    );
    let _ = writeln!(
        md,
        "- `preference/*.{ext}`: `{{\"prompt\", \"chosen\", \"rejected\"}}`, each a list of messages — TRL's conversational preference format (`DPOTrainer`)."
    );
    let _ = writeln!(
        md,
        "- `rag/train.{ext}`: RagSample records (content, tags, success_score, provenance)."
    );
    let _ = writeln!(
        md,
        "- `*/records.{ext}`: the SftSample / PreferenceSample records with scores and provenance."
    );
    if data.format == super::Format::Parquet {
        md.push_str("- Parquet: objects are structs holding the union of the keys their rows have (a missing key reads as null), arrays are lists; the splits of a config share one schema. A field whose values have no common type is JSON text.\n");
    }
    md.push('\n');
    // The snippet loads exactly the files this export wrote.
    md.push_str("```python\nfrom datasets import load_dataset\n");
    for (config, present) in &configs {
        let files: Vec<String> = present
            .iter()
            .map(|s| format!("\"{s}\": \"{config}/{s}.{ext}\""))
            .collect();
        let _ = writeln!(
            md,
            "{config} = load_dataset(\"{}\", data_files={{{}}})",
            data.format.loader(),
            files.join(", ")
        );
    }
    md.push_str("```\n\n");
    md.push_str("## Guarantees\n\n");
    md.push_str("- **SFT holds accepted runs only.** Runs scored partially_accepted, rejected or needs_human_review never appear: the builder selects accepted verdicts, the SftSample schema refuses any other quality_score, and every row is checked again before it is written. Rows join evidence by the record's content hash, never by run id alone.\n");
    md.push_str("- **RAG holds accepted and partially accepted runs only.**\n");
    md.push_str("- **Preference pairs** are two different runs of the same task, the chosen one scored strictly better, with a reason citing both scores.\n");
    md.push_str("- **No task is in two splits**: the split is decided by a hash of the task id.\n");
    md.push_str("- **Secrets were redacted** before the runs were stored; prompts and answers outside conversations are kept only as hashes.\n");
    let dup = |m: &std::collections::BTreeMap<String, usize>| -> String {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(
        md,
        "- Duplicates removed — exact: {}; near (MinHash, 5-word shingles): {}.",
        dup(&data.exact_duplicates),
        dup(&data.near_duplicates)
    );
    md.push_str("\n## Provenance\n\n");
    let _ = writeln!(md, "- commits: {}", list(&provenance.commits));
    let _ = writeln!(md, "- sources: {}", list(&provenance.sources));
    let _ = writeln!(md, "- scorer: {}", list(&provenance.scorer_versions));
    let _ = writeln!(md, "- rule sets: {}", list(&provenance.rule_hashes));
    let _ = writeln!(
        md,
        "- rows: sft {} + {}, preference {} + {}, rag {}",
        rows("sft/train"),
        rows("sft/validation"),
        rows("preference/train"),
        rows("preference/validation"),
        rows("rag/train")
    );
    md
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    }
}
