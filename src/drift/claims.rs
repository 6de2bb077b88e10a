//! Claims read from a PRD with pulldown-cmark: paths, symbols, status items, counts.
//!
//! A block is a list item, a paragraph outside lists, or a table row. Inline code
//! and relative links in a block name repository paths; `path::symbol` and
//! `symbol()` name definitions. A block whose status is stated (checkbox, phrasing,
//! or its heading) becomes one status claim over everything it names; otherwise each
//! path and symbol is its own claim. Anything else is prose and is not judged.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What a claim asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A repository path exists.
    Path,
    /// A symbol is defined in a file.
    Symbol,
    /// A done / not-done item over the paths and symbols it names.
    Status,
    /// A directory holds a stated number of entries.
    Count,
}

/// Whether a status item says it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stated {
    /// Shipped, done, implemented, `[x]`.
    Done,
    /// Planned, todo, `[ ]`.
    NotDone,
}

/// A symbol said to be defined in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SymbolRef {
    /// The file that should define it.
    pub path: String,
    /// The symbol's name.
    pub name: String,
}

/// One judged statement of the PRD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// What is asserted.
    pub kind: ClaimKind,
    /// The PRD file.
    pub file: String,
    /// 1-based line of the block in the PRD.
    pub line: usize,
    /// Headings above the claim, outermost first.
    pub heading_path: Vec<String>,
    /// The block's text, shortened.
    pub text: String,
    /// Normalized target: the path, `path::symbol`, the item text, or `N noun in dir`.
    pub target: String,
    /// For status claims: what the PRD says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<Stated>,
    /// Paths the claim names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Symbols the claim names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<SymbolRef>,
    /// For count claims: the stated number, the noun, the directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<CountClaim>,
}

/// "N things under dir".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountClaim {
    /// The number stated.
    pub expected: u64,
    /// What is counted (`crates`, `files`).
    pub noun: String,
    /// The directory.
    pub dir: String,
}

#[derive(Default)]
struct Block {
    paragraph: bool,
    start: usize,
    text: String,
    codes: Vec<String>,
    links: Vec<String>,
    task: Option<bool>,
}

/// Extract the claims of PRD file `file` (its path in the repository) from `text`.
pub fn extract_claims(file: &str, text: &str) -> Vec<Claim> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);
    let prd_dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");

    let mut claims = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut heading_text: Option<(usize, String)> = None;
    let mut blocks: Vec<Block> = Vec::new();
    let mut in_code_block = false;

    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading_text = Some((level as usize, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading_text.take() {
                    headings.retain(|(l, _)| *l < level);
                    headings.push((level, title.trim().to_owned()));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Item | Tag::TableRow | Tag::TableHead) => blocks.push(Block {
                start: range.start,
                ..Block::default()
            }),
            Event::Start(Tag::Paragraph) if blocks.is_empty() => blocks.push(Block {
                paragraph: true,
                start: range.start,
                ..Block::default()
            }),
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                if let Some(block) = blocks.pop() {
                    let heading_path = headings.iter().map(|(_, t)| t.clone()).collect();
                    claims.extend(block_claims(file, line_of(block.start), heading_path, block));
                }
            }
            Event::End(TagEnd::Paragraph) if blocks.last().is_some_and(|b| b.paragraph) => {
                if let Some(block) = blocks.pop() {
                    let heading_path = headings.iter().map(|(_, t)| t.clone()).collect();
                    claims.extend(block_claims(file, line_of(block.start), heading_path, block));
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(b) = blocks.last_mut() {
                    b.task = Some(done);
                }
            }
            Event::Text(t) if !in_code_block => {
                if let Some((_, title)) = heading_text.as_mut() {
                    title.push_str(&t);
                } else if let Some(b) = blocks.last_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::Code(c) => {
                if let Some((_, title)) = heading_text.as_mut() {
                    title.push_str(&c);
                } else if let Some(b) = blocks.last_mut() {
                    b.text.push('`');
                    b.text.push_str(&c);
                    b.text.push('`');
                    b.codes.push(c.to_string());
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(b) = blocks.last_mut()
                    && let Some(path) = link_path(prd_dir, &dest_url)
                {
                    b.links.push(path);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = blocks.last_mut() {
                    b.text.push(' ');
                }
            }
            _ => {}
        }
    }
    claims
}

fn block_claims(file: &str, line: usize, heading_path: Vec<String>, block: Block) -> Vec<Claim> {
    let mut paths: Vec<String> = Vec::new();
    let mut symbols: Vec<SymbolRef> = Vec::new();
    let mut bare_symbols: Vec<String> = Vec::new();
    for code in &block.codes {
        let code = code.trim();
        if let Some((left, right)) = code.split_once("::")
            && let Some(path) = as_path(left)
            && let Some(name) = right.rsplit("::").next().map(|s| s.trim_end_matches("()"))
            && is_identifier(name)
        {
            push_unique(&mut paths, path.clone());
            let symbol = SymbolRef {
                path,
                name: name.to_owned(),
            };
            if !symbols.contains(&symbol) {
                symbols.push(symbol);
            }
        } else if let Some(path) = as_path(code) {
            push_unique(&mut paths, path);
        } else if let Some(name) = code.strip_suffix("()")
            && is_identifier(name)
        {
            push_unique(&mut bare_symbols, name.to_owned());
        }
    }
    for link in block.links {
        push_unique(&mut paths, link);
    }
    // `symbol()` next to a path: defined in one of the block's paths (the first file named).
    if let Some(home) = paths.iter().find(|p| has_extension(p)).cloned() {
        for name in bare_symbols {
            let symbol = SymbolRef {
                path: home.clone(),
                name,
            };
            if !symbols.contains(&symbol) {
                symbols.push(symbol);
            }
        }
    }

    let text = crate::text::truncate(block.text.trim(), 160);
    let base = |kind, target: String| Claim {
        kind,
        file: file.to_owned(),
        line,
        heading_path: heading_path.clone(),
        text: text.clone(),
        target,
        stated: None,
        paths: Vec::new(),
        symbols: Vec::new(),
        count: None,
    };
    let mut out = Vec::new();
    let counts = count_claims(&block.text);
    // A counted directory is judged by its count, not again as a path.
    paths.retain(|p| !counts.iter().any(|c| &c.dir == p));
    for count in counts {
        let mut claim = base(
            ClaimKind::Count,
            format!("{} {} in {}", count.expected, count.noun, count.dir),
        );
        claim.count = Some(count);
        out.push(claim);
    }
    if paths.is_empty() && symbols.is_empty() {
        return out;
    }
    let stated = match block.task {
        Some(true) => Some(Stated::Done),
        Some(false) => Some(Stated::NotDone),
        None => {
            stated_by_phrasing(&block.text).or_else(|| heading_path.iter().rev().find_map(|h| stated_by_phrasing(h)))
        }
    };
    match stated {
        Some(stated) => {
            let mut claim = base(ClaimKind::Status, normalize_item(&block.text));
            claim.stated = Some(stated);
            claim.paths = paths;
            claim.symbols = symbols;
            out.push(claim);
        }
        None => {
            for symbol in &symbols {
                let mut claim = base(ClaimKind::Symbol, format!("{}::{}", symbol.path, symbol.name));
                claim.symbols = vec![symbol.clone()];
                out.push(claim);
            }
            for path in paths.iter().filter(|p| !symbols.iter().any(|s| &s.path == *p)) {
                let mut claim = base(ClaimKind::Path, path.clone());
                claim.paths = vec![path.clone()];
                out.push(claim);
            }
        }
    }
    out
}

static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(done|shipped|implemented|completed?|landed|delivered|finished|released)\b|✅|✔")
        .expect("static regex")
});
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(planned|todo|to do|not yet|pending|wip|in progress|upcoming|future|backlog|roadmap|next)\b|🚧|⏳",
    )
    .expect("static regex")
});
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,6}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+([a-z][a-z-]*)\s+(?:under|in|inside)\s+`([^`\s]+)`")
        .expect("static regex")
});
static STATUS_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(done|shipped|implemented|completed?|landed|delivered|finished|released|planned|todo|to do|not yet|pending|wip|in progress|upcoming)\b|✅|✔|🚧|⏳|\[[ xX]\]")
        .expect("static regex")
});

/// Not-done phrasing wins over done phrasing ("not yet implemented").
fn stated_by_phrasing(text: &str) -> Option<Stated> {
    if NOT_DONE.is_match(text) {
        Some(Stated::NotDone)
    } else if DONE.is_match(text) {
        Some(Stated::Done)
    } else {
        None
    }
}

fn count_claims(text: &str) -> Vec<CountClaim> {
    COUNT
        .captures_iter(text)
        .filter_map(|c| {
            let expected = word_number(&c[1])?;
            let dir = as_path(&c[3]).or_else(|| Some(c[3].trim_end_matches('/').to_owned()))?;
            Some(CountClaim {
                expected,
                noun: c[2].to_lowercase(),
                dir,
            })
        })
        .collect()
}

fn word_number(word: &str) -> Option<u64> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ];
    word.parse().ok().or_else(|| {
        let lower = word.to_lowercase();
        WORDS.iter().position(|w| *w == lower).map(|i| i as u64 + 1)
    })
}

/// The item text without status words and checkboxes, lowercased, whitespace collapsed:
/// ticking a box or rewording "planned" to "shipped" keeps the claim's identity.
fn normalize_item(text: &str) -> String {
    let stripped = STATUS_WORDS.replace_all(text, " ");
    stripped
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && !"`/._-:".contains(c))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

const EXTENSIONS: &[&str] = &[
    "rs", "ts", "tsx", "js", "jsx", "mjs", "py", "go", "java", "kt", "rb", "c", "h", "cc", "cpp", "hpp", "cs", "swift",
    "md", "toml", "json", "jsonl", "yaml", "yml", "sh", "sql", "proto", "html", "css", "lock", "txt", "cfg", "ini",
];

fn has_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// A code span that names a repository path, normalized (no `./`, no trailing `/`).
fn as_path(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty()
        || code.contains("://")
        || code.starts_with(['-', '$', '<', '~', '@'])
        || code.contains(|c: char| c.is_whitespace() || "*?()[]{}<>|;'\"=,".contains(c))
    {
        return None;
    }
    let cleaned = code
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/');
    // Git's own names (`refs/…`, `.git/…`) are not paths in the tree.
    if cleaned.starts_with("refs/") || cleaned == ".git" || cleaned.starts_with(".git/") {
        return None;
    }
    let segments_ok = !cleaned.is_empty()
        && cleaned
            .split('/')
            .all(|s| !s.is_empty() && s != ".." && s.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)));
    if !segments_ok {
        return None;
    }
    let looks_like_path = code.trim_start_matches("./").contains('/') || has_extension(cleaned);
    let is_version = cleaned.chars().all(|c| c.is_ascii_digit() || c == '.');
    (looks_like_path && !is_version).then(|| cleaned.to_owned())
}

/// A relative link target resolved against the PRD's directory.
fn link_path(prd_dir: &str, dest: &str) -> Option<String> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("mailto:") {
        return None;
    }
    if let Some(colon) = dest.find(':')
        && !dest[..colon].contains('/')
    {
        return None;
    }
    let dest = dest.split(['#', '?']).next().unwrap_or_default();
    let joined = if let Some(rooted) = dest.strip_prefix('/') {
        rooted.to_owned()
    } else if prd_dir.is_empty() {
        dest.to_owned()
    } else {
        format!("{prd_dir}/{dest}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRD: &str = "# Gateway\n\nThe router lives in `crates/gateway/src/v1/mode.rs`, see [spec](docs/SPEC.md).\n\n## Phase 1 (shipped)\n\n- [x] Mode routing in `crates/gateway/src/v1/mode.rs::route`\n- [ ] Audit log `crates/audit/src/lib.rs`\n- Telemetry via `emit()` in `src/telemetry.rs` is planned\n\n## Layout\n\nThere are 3 crates under `crates/`.\n\n```\nnot/a/claim.rs\n```\n";

    #[test]
    fn extracts_every_claim_kind_with_lines() {
        let claims = extract_claims("PRD.md", PRD);
        let summary: Vec<(ClaimKind, usize, &str)> =
            claims.iter().map(|c| (c.kind, c.line, c.target.as_str())).collect();
        assert_eq!(
            summary,
            vec![
                (ClaimKind::Path, 3, "crates/gateway/src/v1/mode.rs"),
                (ClaimKind::Path, 3, "docs/SPEC.md"),
                (
                    ClaimKind::Status,
                    7,
                    "mode routing in `crates/gateway/src/v1/mode.rs::route`"
                ),
                (ClaimKind::Status, 8, "audit log `crates/audit/src/lib.rs`"),
                (ClaimKind::Status, 9, "telemetry via `emit()` in `src/telemetry.rs` is"),
                (ClaimKind::Count, 13, "3 crates in crates"),
            ]
        );
        assert_eq!(claims[2].stated, Some(Stated::Done));
        assert_eq!(claims[2].symbols[0].name, "route");
        assert_eq!(claims[3].stated, Some(Stated::NotDone));
        assert_eq!(claims[4].stated, Some(Stated::NotDone));
        assert_eq!(
            claims[4].symbols,
            vec![SymbolRef {
                path: "src/telemetry.rs".into(),
                name: "emit".into()
            }]
        );
        assert_eq!(claims[2].heading_path, vec!["Gateway", "Phase 1 (shipped)"]);
    }

    #[test]
    fn links_resolve_against_the_prd_directory() {
        assert_eq!(link_path("docs", "SPEC.md#top"), Some("docs/SPEC.md".into()));
        assert_eq!(link_path("docs", "../README.md"), Some("README.md".into()));
        assert_eq!(link_path("", "https://example.com/x.md"), None);
        assert_eq!(link_path("", "#anchor"), None);
    }

    #[test]
    fn only_path_like_code_is_a_path() {
        assert_eq!(as_path("./src/main.rs"), Some("src/main.rs".into()));
        assert_eq!(as_path("crates/"), Some("crates".into()));
        assert_eq!(as_path("Cargo.toml"), Some("Cargo.toml".into()));
        for not_path in [
            "cargo test",
            "1.2.3",
            "x",
            "--help",
            "https://a/b",
            "$HOME/x",
            "a/*.rs",
            "refs/notes/distill/evidence",
            ".git/distill/tmp",
        ] {
            assert_eq!(as_path(not_path), None, "{not_path}");
        }
    }
}
