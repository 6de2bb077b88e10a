//! Scratchpads: free-form agent notes (checklists, "Done / TODO / Failed / Next"
//! sections, plain notes) normalized into a ScratchpadSummary with pulldown-cmark.
//!
//! Sections are recognised by heading words: objective/goal/task; done/completed;
//! failed/blocked; todo/next/pending/remaining; decisions; questions/open; validation/
//! tests/status. Checkboxes anywhere count as done (`[x]`) or pending (`[ ]`).
//! Nothing is invented: what is not stated stays empty, and a scratchpad with no
//! recognisable structure says so in `validation_status`.

use crate::schema::{Provenance, SCHEMA_VERSION, ScratchpadSummary, sha256_hex};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// What `validation_status` says when the scratchpad states nothing about validation.
pub const NOT_STATED: &str = "not stated in the scratchpad";
/// What it says when no structure was recognised at all.
pub const UNSTRUCTURED: &str = "no recognizable structure; nothing stated about validation";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    None,
    Objective,
    Done,
    Failed,
    Pending,
    Decisions,
    Questions,
    Validation,
    Next,
}

fn section_of(title: &str) -> Section {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["objective", "goal", "task", "mission"]) {
        Section::Objective
    } else if has(&["next command", "next step"]) {
        Section::Next
    } else if has(&["done", "completed", "finished", "progress"]) {
        Section::Done
    } else if has(&["failed", "failure", "blocked", "broken"]) {
        Section::Failed
    } else if has(&["todo", "to do", "pending", "remaining", "next", "plan"]) {
        Section::Pending
    } else if has(&["decision"]) {
        Section::Decisions
    } else if has(&["question", "open issue", "unknown"]) {
        Section::Questions
    } else if has(&["validation", "test", "status", "verification"]) {
        Section::Validation
    } else {
        Section::None
    }
}

/// Summarize scratchpad `text` read from `source_file` (recorded at `recorded_at`).
pub fn summarize(source_file: &str, bytes: &[u8], recorded_at: &str) -> ScratchpadSummary {
    let text = String::from_utf8_lossy(bytes);
    let source_sha256 = sha256_hex(bytes);
    let mut s = ScratchpadSummary {
        schema_version: SCHEMA_VERSION,
        objective: None,
        completed: Vec::new(),
        failed: Vec::new(),
        pending: Vec::new(),
        important_paths: Vec::new(),
        decisions: Vec::new(),
        unresolved_questions: Vec::new(),
        validation_status: String::new(),
        next_command: None,
        source_sha256: source_sha256.clone(),
        provenance: Provenance {
            source_file: source_file.to_owned(),
            line_offset: 0,
            sig_hash: String::new(),
            recorded_at: recorded_at.to_owned(),
            source: None,
            adapter: Some("scratchpad".into()),
            commit: None,
            link_rule: None,
        },
    };
    let mut section = Section::None;
    let mut recognised = false;
    let mut heading: Option<String> = None;
    let mut item: Option<(String, Option<bool>)> = None;
    let mut paragraph = String::new();
    let mut in_code = false;
    let mut code = String::new();
    let mut validation: Vec<String> = Vec::new();

    for event in Parser::new_ext(&text, Options::ENABLE_TASKLISTS) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                section = section_of(&title);
                recognised |= section != Section::None;
            }
            Event::Start(Tag::Item) => item = Some((String::new(), None)),
            Event::TaskListMarker(done) => {
                if let Some((_, marker)) = item.as_mut() {
                    *marker = Some(done);
                    recognised = true;
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some((text, marker)) = item.take() {
                    let text = text.trim().to_owned();
                    if !text.is_empty() {
                        file_item(&mut s, section, marker, text, &mut validation);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                code.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                if section == Section::Next && s.next_command.is_none() {
                    s.next_command = code.lines().find(|l| !l.trim().is_empty()).map(|l| l.trim().to_owned());
                }
            }
            Event::End(TagEnd::Paragraph) if item.is_none() => {
                let text = paragraph.trim().to_owned();
                paragraph.clear();
                if text.is_empty() {
                    continue;
                }
                if let Some(rest) = labelled(&text, &["next command:", "next:"]) {
                    s.next_command.get_or_insert(rest.trim_matches('`').to_owned());
                    recognised = true;
                    continue;
                }
                match section {
                    Section::Objective => {
                        s.objective.get_or_insert(text);
                    }
                    Section::Validation => validation.push(text),
                    Section::Next => {
                        s.next_command.get_or_insert(text.trim_matches('`').to_owned());
                    }
                    Section::Decisions => s.decisions.push(text),
                    Section::Questions => s.unresolved_questions.push(text),
                    _ => {
                        if let Some(rest) = labelled(&text, &["objective:", "goal:", "task:"]) {
                            s.objective.get_or_insert(rest.to_owned());
                            recognised = true;
                        }
                    }
                }
            }
            Event::Code(t) => {
                collect_path(&mut s.important_paths, &t);
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some((text, _)) = item.as_mut() {
                    text.push_str(&t);
                } else {
                    paragraph.push_str(&t);
                }
            }
            Event::Text(t) => {
                if in_code {
                    code.push_str(&t);
                } else if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some((text, _)) = item.as_mut() {
                    text.push_str(&t);
                } else {
                    paragraph.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _)) = item.as_mut() {
                    text.push(' ');
                } else {
                    paragraph.push(' ');
                }
            }
            _ => {}
        }
    }
    s.validation_status = if !validation.is_empty() {
        validation.join("; ")
    } else if recognised {
        NOT_STATED.to_owned()
    } else {
        UNSTRUCTURED.to_owned()
    };
    s.provenance.sig_hash = source_sha256;
    s
}

fn file_item(
    s: &mut ScratchpadSummary,
    section: Section,
    marker: Option<bool>,
    text: String,
    validation: &mut Vec<String>,
) {
    match (marker, section) {
        (Some(true), Section::Failed) | (None, Section::Failed) => s.failed.push(text),
        (Some(true), _) => s.completed.push(text),
        (Some(false), _) => s.pending.push(text),
        (None, Section::Done) => s.completed.push(text),
        (None, Section::Pending) => s.pending.push(text),
        (None, Section::Decisions) => s.decisions.push(text),
        (None, Section::Questions) => s.unresolved_questions.push(text),
        (None, Section::Validation) => validation.push(text),
        (None, Section::Next) => {
            s.next_command.get_or_insert(text.trim_matches('`').to_owned());
        }
        (None, Section::Objective) => {
            s.objective.get_or_insert(text);
        }
        (None, Section::None) => {}
    }
}

fn labelled<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    let lower = text.to_lowercase();
    labels
        .iter()
        .find(|l| lower.starts_with(*l))
        .map(|l| text[l.len()..].trim())
}

fn collect_path(paths: &mut Vec<String>, code: &str) {
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\.?/?[\w.\-]+(/[\w.\-]+)+/?$|^[\w\-]+\.[a-z]{1,5}$").expect("static regex"));
    let code = code.trim();
    if PATH.is_match(code) && !code.contains("://") && !paths.iter().any(|p| p == code) {
        paths.push(code.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_checklists() {
        let md = "# Objective\nFix the login bug.\n\n## Done\n- reproduced in `src/login.rs`\n\n## Failed\n- first patch\n\n## TODO\n- [ ] update docs\n- [x] add test\n\n## Decisions\n- keep the session API\n\n## Open questions\n- why does CI differ?\n\n## Validation\ncargo test: 212 passed\n\nNext command: `cargo test -p auth`\n";
        let s = summarize("pad.md", md.as_bytes(), "2026-01-01T00:00:00Z");
        assert_eq!(s.objective.as_deref(), Some("Fix the login bug."));
        assert_eq!(s.completed, vec!["reproduced in src/login.rs", "add test"]);
        assert_eq!(s.failed, vec!["first patch"]);
        assert_eq!(s.pending, vec!["update docs"]);
        assert_eq!(s.decisions, vec!["keep the session API"]);
        assert_eq!(s.unresolved_questions, vec!["why does CI differ?"]);
        assert_eq!(s.validation_status, "cargo test: 212 passed");
        assert_eq!(s.next_command.as_deref(), Some("cargo test -p auth"));
        assert_eq!(s.important_paths, vec!["src/login.rs"]);
    }

    #[test]
    fn unstructured_notes_stay_honestly_empty() {
        let s = summarize(
            "notes.txt",
            b"just thinking out loud about things",
            "2026-01-01T00:00:00Z",
        );
        assert_eq!(s.validation_status, UNSTRUCTURED);
        assert!(s.objective.is_none() && s.completed.is_empty() && s.pending.is_empty());
    }
}
