//! Links into a section (`[Phase 2](#phase-2-core)`, `[API](docs/api.md#errors)`): the
//! heading they point to is there, by the slugs GitHub gives headings.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A link to a section of a Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// The link's destination as written (`docs/api.md#errors`, `#phase-2`).
    pub written: String,
    /// The document it points into, from the repository's root; `None` for the linking
    /// document itself.
    pub file: Option<String>,
    /// The section's id, percent-decoded.
    pub fragment: String,
}

/// The section link a destination makes, if it is a relative link with a fragment.
/// `prd_dir` is the linking document's directory.
pub fn anchor_link(prd_dir: &str, dest: &str) -> Option<AnchorLink> {
    let (path, fragment) = dest.split_once('#')?;
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8().ok()?;
    let fragment = fragment.trim();
    if fragment.is_empty() {
        return None;
    }
    let file = if path.is_empty() {
        None
    } else {
        Some(super::spans::link_path(prd_dir, path)?)
    };
    Some(AnchorLink {
        written: dest.to_owned(),
        file,
        fragment: fragment.to_owned(),
    })
}

/// Whether a file is a Markdown document, whose headings are its sections.
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".mdx", ".mkd"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A fragment that points at lines (`#L10`, `#L10-L20`), not at a section.
pub fn is_line_anchor(fragment: &str) -> bool {
    static LINES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$").expect("static regex"));
    LINES.is_match(fragment)
}

/// The ids a Markdown document's sections can be linked by: each heading's GitHub slug
/// (a repeated heading gets `-1`, `-2`, …), explicit `{#id}` attributes, and HTML `id`
/// and `name` attributes.
pub fn section_ids(markdown: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<String> = None;
    let mut in_image = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = heading.take() {
                    let base = slug(&text);
                    let n = seen.entry(base.clone()).or_default();
                    ids.insert(if *n == 0 { base.clone() } else { format!("{base}-{n}") });
                    *n += 1;
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            _ => {}
        }
    }
    static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\{#([^\s{}]+)[^{}]*\}|\b(?:id|name)\s*=\s*["']([^"']+)["']"#).expect("static regex")
    });
    for found in EXPLICIT.captures_iter(markdown) {
        if let Some(id) = found.get(1).or_else(|| found.get(2)) {
            ids.insert(id.as_str().to_lowercase());
        }
    }
    ids
}

/// GitHub's slug of a heading's text: lower case, every character that is not a
/// letter, a digit, `_`, `-` or a space removed, each space made a `-`.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Whether a fragment names one of `ids`. Renderers differ on the punctuation of a
/// slug (GitLab folds `--`, some keep case), so letters and digits alone decide.
pub fn names_section(fragment: &str, ids: &HashSet<String>) -> bool {
    let fragment = fragment
        .strip_prefix("user-content-")
        .unwrap_or(fragment)
        .to_lowercase();
    if ids.contains(&fragment) {
        return true;
    }
    let bare = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let wanted = bare(&fragment);
    !wanted.is_empty() && ids.iter().any(|id| bare(id) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("Phase 2: Core Engine"), "phase-2-core-engine");
        assert_eq!(slug("1. Overview & Goals"), "1-overview--goals");
        assert_eq!(slug("`parse()` API"), "parse-api");
        assert_eq!(slug("Über uns"), "über-uns");
    }

    #[test]
    fn section_ids_count_repeats_and_read_explicit_ids() {
        let doc = "# Plan\n\n## Tasks\n\n## Tasks\n\n### `run()` and **more**\n\n\
                   <a name=\"legacy-notes\"></a>\n\nSetext\n------\n";
        let ids = section_ids(doc);
        for id in ["plan", "tasks", "tasks-1", "run-and-more", "legacy-notes", "setext"] {
            assert!(ids.contains(id), "{id} in {ids:?}");
        }
    }

    #[test]
    fn fragments_match_by_letters_and_digits() {
        let ids = section_ids("## Phase 2 — Core\n");
        assert!(names_section("phase-2--core", &ids));
        assert!(names_section("phase-2-core", &ids), "GitLab's folded form");
        assert!(names_section("user-content-phase-2--core", &ids));
        assert!(!names_section("phase-3-core", &ids));
    }

    #[test]
    fn links_split_into_file_and_fragment() {
        let link = anchor_link("docs", "api.md#Error%20codes").expect("a section link");
        assert_eq!(link.file.as_deref(), Some("docs/api.md"));
        assert_eq!(link.fragment, "Error codes");
        assert_eq!(anchor_link("", "#tasks").and_then(|l| l.file), None);
        assert_eq!(anchor_link("", "https://example.com/a#b"), None);
        assert_eq!(anchor_link("", "notes.md"), None);
        assert!(is_line_anchor("L10-L20"));
        assert!(!is_line_anchor("links"));
    }
}
