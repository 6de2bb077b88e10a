//! Claims read from a PRD with pulldown-cmark: paths, routes, symbols, status items,
//! counts.
//!
//! A block is a list item, a paragraph outside lists, or a table row. Each code span
//! and relative link in it is classified ([`super::spans`]) and given a role by the
//! words around it: what the item is about, where a change happens, what it removes,
//! or only an example. A block whose status is stated becomes one status claim over
//! everything it names; otherwise each path, route and symbol is its own claim.
//!
//! A block's status, first found wins: its own checkbox; its own phrasing (done /
//! planned); its parent item's checkbox; its story's checkboxes (every box under the
//! same heading unticked → not done, every box ticked → done); the headings' phrasing.

use super::anchors::{AnchorLink, anchor_link};
use super::phrasing::{
    CRITERIA, NOT_A_PLAN, changes_existing, creates, in_progress, intro_status, stated_by_phrasing, status_field,
    without_code,
};
use super::spans::{Role, SpanKind, as_path, classify, link_path, role_of};
use super::test_counts::{Counted, StatedCount, stated_counts};
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
    /// A URL route of the product exists.
    Route,
    /// A link into a section (`#phase-2`, `docs/api.md#errors`) names a heading there.
    Anchor,
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
    /// The file is the one the block names, not written with the symbol (`path::name`):
    /// a definition elsewhere in the tree also counts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
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
    /// The block's text as the PRD writes it, shortened.
    pub text: String,
    /// Normalized target: the path, `path::symbol`, the route, the item text, or `N noun in dir`.
    pub target: String,
    /// For status claims: what the PRD says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<Stated>,
    /// A not-done item that also says part of it landed ("parser landed; rest deferred"),
    /// or one nested in such an item.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_progress: bool,
    /// The status comes from the item's story (the checkboxes around it), not from the
    /// item itself: enough to expect what it names, not to say the document lags.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    /// The item names something in code that is not a path, route or identifier this
    /// tool checks (`status`, a field): it cannot be shown to be fully there.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opaque: bool,
    /// Those bare words (`code`, `status`): too common to look up across the tree, they
    /// are looked for in the files the item is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The item says it creates what it names (create, add, new, implement, …).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub creates: bool,
    /// The item starts with a verb that changes what is there (consolidate, move,
    /// refactor, fix, …): what it names exists before the work, done or not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changes_existing: bool,

    /// Paths the claim is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Paths where a change happens: they must exist, and existing proves nothing more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    /// Paths the item removes: expected absent once done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals: Vec<String>,
    /// Functions or names the item removes or replaces (`Replace custom \`exp()\``):
    /// expected no longer defined once done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_identifiers: Vec<String>,
    /// URL routes the claim names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<String>,
    /// Routes where a change happens (`Add fields to GET \`/api/settings\``): they must
    /// exist, and existing proves nothing more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_locations: Vec<String>,
    /// Routes the item removes (`Removed separate \`/pillars\` page`): expected gone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_routes: Vec<String>,
    /// Packages an item installs (`Install core libraries (\`ai\`, \`axios\`)`): expected
    /// among the dependencies the tree's manifests list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Symbols the claim names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<SymbolRef>,
    /// Identifiers named without a file (`ChatService`, `refresh_cache()`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
    /// Function signatures the claim writes out (`Build(path string) (string, error)`):
    /// the code must define each function with that shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<String>,
    /// For count claims: the stated number, the noun, the directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<CountClaim>,
    /// For anchor claims: the link into a section, as written (`docs/api.md#errors`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
}

/// "N things under dir", or "N tests" of one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountClaim {
    /// The number stated.
    pub expected: u64,
    /// Written `15+`: at least that many.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_least: bool,
    /// What is counted (`crates`, `files`; in a file, `tests` or `benchmarks`).
    pub noun: String,
    /// The directory whose entries are counted, or the file whose definitions are.
    /// Serialized as `dir`, its name in every report written before file counts.
    #[serde(rename = "dir")]
    pub path: String,
}

impl CountClaim {
    /// Whether it counts what one file defines (its tests or benchmarks), not the
    /// entries of a directory.
    pub fn in_file(&self) -> bool {
        super::spans::has_extension(&self.path)
    }
}

/// A code span that names nothing this tree can be asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedSpan {
    /// 1-based line in the PRD.
    pub line: usize,
    /// The span as written.
    pub span: String,
    /// Why (`url`, `key_binding`, `placeholder`, `machine_path`, `example`, …).
    pub reason: String,
}

/// How one code span was read (`drift --explain LINE` shows these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpanReading {
    /// 1-based line of the span.
    pub line: usize,
    /// First line of the block it is in (the line its claims carry).
    pub block_line: usize,
    /// The span as written.
    pub span: String,
    /// What it was read as: `path src/a.rs`, `route /x`, `skipped: url`, …
    pub reading: String,
}

/// What one PRD holds.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The claims, in PRD order.
    pub claims: Vec<Claim>,
    /// Spans skipped, with why.
    pub skipped: Vec<SkippedSpan>,
    /// Every code span and how it was read.
    pub readings: Vec<SpanReading>,
    /// Names a block with no status says were removed ("| 删除 | `a.h` |" in a change
    /// table, "Deleted `b.rs`" in a changelog), with the block's line: a record of the
    /// file's life, not a claim to check.
    pub recorded_removals: Vec<(String, usize)>,
}

struct Span {
    /// Byte range of the span (backticks included) in the block text.
    start: usize,
    end: usize,
    line: usize,
    code: String,
    struck: bool,
}

#[derive(Default)]
struct Block {
    paragraph: bool,
    start: usize,
    text: String,
    spans: Vec<Span>,
    links: Vec<String>,
    /// Links into a section (`#phase-2`, `docs/api.md#errors`).
    anchors: Vec<AnchorLink>,
    task: Option<bool>,
    /// The checkbox of the item this one is nested in.
    parent_task: Option<bool>,
    /// The item this one is nested in is unticked but partly done.
    parent_in_progress: bool,
    /// The text of the item this one is nested in, as far as it had gone: an item made
    /// only of names ("- `ports.spec.ts`, `trading.spec.ts`") does what its parent says
    /// ("Re-run the E2E suites for all remaining spec files:").
    parent_text: Option<String>,
    /// What the words of the item this one is nested in say, when it has no checkbox
    /// ("**Check-in flow is complete:**").
    parent_phrased: Option<Stated>,
    section: usize,
    /// An item of a list of criteria ("**Success Criteria** (what must be TRUE):"): what
    /// must hold, not what happened, whatever its words say.
    criterion: bool,
    /// An item of a list a worked example introduces ("**Example:** Given files with
    /// imports:"): its names are the example's, not the tree's.
    example: bool,
}

/// Where a table's status column is, and the current row's cell in it.
#[derive(Default)]
struct TableState {
    in_head: bool,
    cell: usize,
    head: Vec<String>,
    status_column: Option<usize>,
    row_status: String,
}

impl TableState {
    /// Follow `event`; at the end of a body row of a table with a status column, what that
    /// row's status says ([`row_state`]).
    fn observe(&mut self, event: &Event) -> Option<bool> {
        match event {
            Event::Start(Tag::Table(_)) => *self = TableState::default(),
            Event::Start(Tag::TableHead) => (self.in_head, self.cell) = (true, 0),
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                self.status_column = self.head.iter().position(|cell| {
                    matches!(
                        cell.trim().to_lowercase().as_str(),
                        "status" | "state" | "done" | "progress"
                    )
                });
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                self.row_status.clear();
            }
            Event::End(TagEnd::TableCell) => self.cell += 1,
            Event::Text(t) | Event::Code(t) if self.in_head => {
                self.head.resize(self.cell + 1, String::new());
                self.head[self.cell].push_str(t);
            }
            Event::Text(t) | Event::Code(t) if Some(self.cell) == self.status_column => self.row_status.push_str(t),
            Event::End(TagEnd::TableRow) => return self.status_column.and_then(|_| row_state(&self.row_status)),
            _ => {}
        }
        None
    }
}

/// What a status cell says of its row: done (`DONE`, `✅`, `shipped`), not started
/// (empty, `TODO`, `planned`, `⏳`, `Not started`), under way (`Partial - …`: not done,
/// and the row's text says it is in progress), or neither (`❌ Missing`, `⚠️ Partial`:
/// an audit's finding about the present, read as a plain statement).
fn row_state(cell: &str) -> Option<bool> {
    let cell = cell.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| cell.contains(word));
    if has(&["❌", "⚠"]) {
        None
    } else if has(&["not started", "not yet", "not begun", "partial"]) {
        Some(false)
    } else if has(&["not ", "missing", "fail", "block"]) {
        None
    } else if has(&[
        "done",
        "✅",
        "✓",
        "✔",
        "complete",
        "shipped",
        "merged",
        "implemented",
        "finished",
        "achieved",
    ]) {
        Some(true)
    } else if cell.is_empty()
        || has(&[
            "todo",
            "to do",
            "planned",
            "pending",
            "⏳",
            "🚧",
            "wip",
            "in progress",
            "next",
            "backlog",
        ])
    {
        Some(false)
    } else {
        None
    }
}

struct Finished {
    block: Block,
    line: usize,
    heading_path: Vec<String>,
}

/// `text` with table rows that a blank line cut off from their table joined back: the
/// blank line becomes a row of `-` cells (a row with no claim and no status). Agent
/// loops append rows to a plan's table this way; Markdown renders them as a paragraph
/// of pipes, but their author, and a reader, take them for rows of the table above.
fn rejoin_split_tables(text: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = text.split('\n').collect();
    let is_row = |line: &str| {
        let line = line.trim();
        line.starts_with('|') && line.matches('|').count() >= 3
    };
    let is_delimiter = |line: &str| is_row(line) && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
    let mut joined: Vec<usize> = Vec::new();
    // Whether the lines so far are rows of a table (its delimiter row seen).
    let mut in_table = false;
    let mut i = 0;
    while i < lines.len() {
        if is_delimiter(lines[i]) && i > 0 && is_row(lines[i - 1]) {
            in_table = true;
        } else if in_table && lines[i].trim().is_empty() {
            let gap = lines[i..].iter().take_while(|l| l.trim().is_empty()).count();
            if lines
                .get(i + gap)
                .is_some_and(|next| is_row(next) && !is_delimiter(next))
                && !lines.get(i + gap + 1).is_some_and(|after| is_delimiter(after))
            {
                joined.extend(i..i + gap);
                i += gap;
                continue;
            }
            in_table = false;
        } else if !is_row(lines[i]) {
            in_table = false;
        }
        i += 1;
    }
    if joined.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + joined.len() * 8);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if joined.binary_search(&i).is_ok() {
            out.push_str("| - | - |");
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Extract the claims of PRD file `file` (its path in the repository) from `text`.
pub fn extract_claims(file: &str, text: &str) -> Extracted {
    let text = &*rejoin_split_tables(text);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);
    let prd_dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");

    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut heading_text: Option<(usize, String)> = None;
    let mut blocks: Vec<Block> = Vec::new();
    let mut finished: Vec<Finished> = Vec::new();
    // Checkboxes per section; a section starts at each heading.
    let mut sections: Vec<Section> = vec![Section::default()];
    let mut in_code_block = false;
    let mut struck = 0usize;
    // A table whose header has a status column: each row's cell there is its checkbox.
    let mut table = TableState::default();
    // The paragraph just before the current list introduced criteria.
    let mut criteria_follow = false;
    let mut example_follows = false;
    // What a paragraph that introduces the list after it says of that list
    // ("**Backend API (exists):**").
    let mut list_phrased: Option<Stated> = None;
    // The end of the last top-level task item, and its state: a paragraph that follows
    // it past code fences alone, no blank line between, is still its text.
    let mut last_task: Option<(usize, bool)> = None;
    // The document's title (its first level-1 heading): the words of its domain.
    let mut title_words = String::new();

    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        // A status cell is the row's checkbox (unless it has one of its own).
        if let Some(done) = table.observe(&event) {
            tick(&mut blocks, &mut sections, done, false);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                last_task = None;
                criteria_follow = false;
                example_follows = false;
                list_phrased = None;
                heading_text = Some((level as usize, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading_text.take() {
                    // `### [ ] Step: Integration Testing` (Zenflow's plans): the heading's
                    // box is its section's.
                    let title = title.trim();
                    let (box_of_heading, title) = match title.get(..3) {
                        Some("[ ]") => (Some(false), &title[3..]),
                        Some("[x]" | "[X]") => (Some(true), &title[3..]),
                        _ => (None, title),
                    };
                    if level == 1 && title_words.is_empty() {
                        title_words = title.to_lowercase();
                    }
                    headings.retain(|(l, _)| *l < level);
                    headings.push((level, title.trim().to_owned()));
                    sections.push(Section {
                        level,
                        ticked: usize::from(box_of_heading == Some(true)),
                        unticked: usize::from(box_of_heading == Some(false)),
                        ..Section::default()
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Strikethrough) => struck += 1,
            Event::End(TagEnd::Strikethrough) => struck = struck.saturating_sub(1),
            Event::Start(Tag::Item | Tag::TableRow | Tag::TableHead) => {
                let parent_task = blocks.last().and_then(|b| b.task.or(b.parent_task));
                let parent_in_progress = blocks
                    .last()
                    .is_some_and(|b| b.parent_in_progress || (b.task == Some(false) && in_progress(&b.text)));
                if let Some(section) = sections.last_mut() {
                    section.has_items = true;
                }
                let criterion = blocks.last().map_or(criteria_follow, |b| b.criterion);
                let example = blocks.last().map_or(example_follows, |b| b.example);
                let parent_phrased = match blocks.last() {
                    Some(b) => Some(b)
                        .filter(|b| b.task.is_none() && !b.criterion)
                        .and_then(|b| stated_by_phrasing(&b.text).or(b.parent_phrased)),
                    None => list_phrased,
                };
                let parent_text = blocks.last().map(|b| b.text.clone());
                blocks.push(Block {
                    start: range.start,
                    parent_task,
                    parent_in_progress,
                    parent_text,
                    parent_phrased,
                    section: sections.len() - 1,
                    criterion,
                    example,
                    ..Block::default()
                })
            }
            Event::Start(Tag::Paragraph) if blocks.is_empty() => {
                let parent_task = last_task
                    .take()
                    .filter(|&(end, _)| only_fences_between(text.get(end..range.start).unwrap_or_default()))
                    .map(|(_, done)| done);
                blocks.push(Block {
                    paragraph: true,
                    start: range.start,
                    section: sections.len() - 1,
                    parent_task,
                    ..Block::default()
                })
            }
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                if blocks.len() == 1 {
                    last_task = blocks[0].task.or(blocks[0].parent_task).map(|done| (range.end, done));
                }
                if let Some(block) = blocks.pop() {
                    finished.push(Finished {
                        line: line_of(block.start),
                        heading_path: headings.iter().map(|(_, t)| t.clone()).collect(),
                        block,
                    });
                }
            }
            Event::End(TagEnd::Paragraph) if blocks.last().is_some_and(|b| b.paragraph) => {
                if let Some(block) = blocks.pop() {
                    last_task = block.parent_task.map(|done| (range.end, done));
                    criteria_follow = CRITERIA.is_match(&block.text);
                    example_follows = super::spans::introduces_example(&block.text);
                    list_phrased = Some(&block.text)
                        .filter(|t| !criteria_follow && t.trim_end().trim_end_matches('*').ends_with(':'))
                        .and_then(|t| stated_by_phrasing(t));
                    if let Some(section) = sections.last_mut().filter(|s| !s.has_items && s.intro.is_none()) {
                        section.intro = intro_status(&block.text);
                    }
                    finished.push(Finished {
                        line: line_of(block.start),
                        heading_path: headings.iter().map(|(_, t)| t.clone()).collect(),
                        block,
                    });
                }
            }
            Event::TaskListMarker(done) => tick(&mut blocks, &mut sections, done, true),
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
                    let start = b.text.len();
                    b.text.push('`');
                    b.text.push_str(&c);
                    b.text.push('`');
                    b.spans.push(Span {
                        start,
                        end: b.text.len(),
                        line: line_of(range.start),
                        code: c.to_string(),
                        struck: struck > 0,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if heading_text.is_none() => {
                if let Some(b) = blocks.last_mut() {
                    if let Some(path) = link_path(prd_dir, &dest_url) {
                        b.links.push(path);
                    }
                    if let Some(anchor) = anchor_link(prd_dir, &dest_url)
                        && !b.anchors.contains(&anchor)
                    {
                        b.anchors.push(anchor);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = blocks.last_mut() {
                    b.text.push(' ');
                }
            }
            // Cells stay apart in a row's text: "M | Partial - …", not "MPartial - …".
            Event::End(TagEnd::TableCell) => {
                if let Some(b) = blocks.last_mut() {
                    b.text.push_str(" | ");
                }
            }
            _ => {}
        }
    }
    finished.sort_by_key(|f| f.block.start);
    let mut out = Extracted::default();
    // The one file the last paragraph was about, and its section.
    let mut lead: Option<(usize, String)> = None;
    let document = document_state(&sections);
    let tasks: Vec<(String, bool)> = finished
        .iter()
        .filter_map(|f| Some((f.block.text.to_lowercase(), f.block.task?)))
        .collect();
    for f in finished {
        // A list of the files the plan works on ("## Relevant Files" of a task list) is
        // as done as the tasks about each file, or else as the whole document.
        let story = story_state(&sections, f.block.section).or_else(|| {
            f.heading_path
                .iter()
                .any(|h| FILE_LIST.is_match(h))
                .then(|| state_of_tasks_about(&f.block, &tasks, &title_words).or(document))
                .flatten()
        });
        let intro = intro_state(&sections, f.block.section);
        let section = f.block.section;
        let paragraph = f.block.paragraph;
        let in_lead = lead.as_ref().filter(|(s, _)| *s == section).map(|(_, p)| p.as_str());
        let about = block_claims(file, f, story, intro, in_lead, &mut out);
        if paragraph {
            lead = about.map(|p| (section, p));
        }
    }
    out
}

/// Whether the text between a task item and a paragraph holds only fenced code: no
/// blank line outside a fence, and at least one fence. A fence at the margin ends the
/// list in Markdown, but a reader takes "Create `web/vite.config.js`:" written right
/// after an item's code as more of the item (test29, R2BPW's fix_plan.md).
fn only_fences_between(gap: &str) -> bool {
    let mut in_fence = false;
    let mut fences = 0;
    for line in gap.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            fences += 1;
        } else if !in_fence {
            return false;
        }
    }
    fences > 0
}

/// Checkboxes under one heading (before the next heading of any level).
#[derive(Default)]
struct Section {
    level: usize,
    ticked: usize,
    unticked: usize,
    /// What a paragraph opening the section, before its first item, says of all of it
    /// ("Deferred to a future release. Tracked but not in current roadmap.").
    intro: Option<Stated>,
    /// An item or table row of the section was seen: later paragraphs open nothing.
    has_items: bool,
}

/// A checkbox of the current block (`replace`: over one it already has), counted in its
/// section.
fn tick(blocks: &mut [Block], sections: &mut [Section], done: bool, replace: bool) {
    if let Some(b) = blocks.last_mut()
        && (replace || b.task.is_none())
    {
        b.task = Some(done);
    }
    if let Some(section) = sections.last_mut() {
        if done {
            section.ticked += 1;
        } else {
            section.unticked += 1;
        }
    }
}

/// The state of the story a section belongs to: the section's own subtree, if it holds
/// checkboxes — all unticked, not done; all ticked, done — else the checkboxes directly
/// under each enclosing heading in turn. A sibling's boxes say nothing of this section
/// ("Phase 4", with no boxes yet, is not done because Phase 3's plans are ticked). The
/// document's title (a level-1 heading) and the text before any heading are no story.
fn story_state(sections: &[Section], at: usize) -> Option<Stated> {
    let mut index = at;
    let mut subtree = true;
    loop {
        let level = sections.get(index)?.level;
        if level <= 1 {
            return None;
        }
        let end = if subtree {
            sections[index + 1..]
                .iter()
                .position(|s| level > 0 && s.level <= level)
                .map_or(sections.len(), |p| index + 1 + p)
        } else {
            index + 1
        };
        subtree = false;
        let (ticked, unticked) = sections[index..end]
            .iter()
            .fold((0, 0), |(t, u), s| (t + s.ticked, u + s.unticked));
        match (ticked, unticked) {
            (0, 0) => {}
            (0, _) => return Some(Stated::NotDone),
            (_, 0) => return Some(Stated::Done),
            _ => return None,
        }
        // The enclosing heading: the nearest earlier section of a lower level.
        index = sections[..index].iter().rposition(|s| s.level < level)?;
    }
}

/// A heading over the list of files a plan touches ("Relevant Files", "Files to
/// Create", "Key files", "Affected files").
static FILE_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:relevant|key|affected|related|touched)\s+files|files\s+(?:to\s+(?:create|modify|change|touch|add)|touched|involved|affected))\b")
        .expect("static regex")
});

/// The state of the tasks that speak of the one file a block names, by the words of its
/// name (`CourseEnrollment.tsx` → "course enrollment"; `api/users/route.ts` → "users"):
/// done when all of them are ticked, not done when none is.
fn state_of_tasks_about(block: &Block, tasks: &[(String, bool)], title: &str) -> Option<Stated> {
    // Words that name a kind of file, not what it is about.
    const GENERIC: &[&str] = &[
        "use",
        "index",
        "route",
        "routes",
        "page",
        "layout",
        "utils",
        "util",
        "lib",
        "src",
        "app",
        "api",
        "main",
        "mod",
        "component",
        "components",
        "types",
        "test",
        "tests",
        "spec",
        "context",
        "hooks",
        "service",
        "services",
    ];
    let [span] = block.spans.as_slice() else { return None };
    let path = span.code.trim().trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let stem = name.split('.').next().unwrap_or(name);
    let words_of = |part: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in part.chars() {
            if c.is_uppercase() && !word.is_empty() && !word.ends_with(char::is_uppercase) {
                words.push(std::mem::take(&mut word));
            }
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
        words.push(word);
        words.retain(|w| w.len() > 2 && !GENERIC.contains(&w.as_str()));
        words
    };
    let mut words = words_of(stem);
    if words.is_empty() {
        words = words_of(parts.next()?);
    }
    if words.is_empty() {
        return None;
    }
    let mut about: Vec<bool> = tasks
        .iter()
        .filter(|(text, _)| words.iter().all(|w| text.contains(w.as_str())))
        .map(|(_, done)| *done)
        .collect();
    // No task has all the words: the tasks with the rarest word that some task has
    // (`test_auth_jwt.py` → the one task about "jwt", not the many about "auth"; dev42,
    // voj), among tasks that hold at least half the words and name no file of their own
    // (a task creating `stock_data_server.py` is not about `stock_data_agent.py`; dev31).
    let names_a_file = |text: &str| text.split('`').skip(1).step_by(2).any(super::spans::has_extension);
    let half = words.len().div_ceil(2);
    let about_enough =
        |text: &str| !names_a_file(text) && words.iter().filter(|w| text.contains(w.as_str())).count() >= half;
    // Words of the title are the whole document's ("agent" in "Agent-Driven …").
    if about.is_empty()
        && let Some(rarest) = words
            .iter()
            .filter(|w| !title.contains(w.as_str()))
            .map(|w| {
                tasks
                    .iter()
                    .filter(|(text, _)| text.contains(w.as_str()) && about_enough(text))
                    .map(|(_, done)| *done)
                    .collect::<Vec<bool>>()
            })
            .filter(|with| !with.is_empty())
            .min_by_key(Vec::len)
    {
        about = rarest;
    }
    match (about.iter().any(|d| *d), about.iter().any(|d| !d)) {
        (true, false) => Some(Stated::Done),
        (false, true) => Some(Stated::NotDone),
        _ => None,
    }
}

/// The state of the whole document's checkboxes: done when every box is ticked, not
/// done while any is open.
fn document_state(sections: &[Section]) -> Option<Stated> {
    let (ticked, unticked) = sections.iter().fold((0, 0), |(t, u), s| (t + s.ticked, u + s.unticked));
    match (ticked, unticked) {
        (0, 0) => None,
        (_, 0) => Some(Stated::Done),
        _ => Some(Stated::NotDone),
    }
}

/// What the opening paragraph of a block's section, or of the nearest enclosing
/// section that has one, says of everything in it.
fn intro_state(sections: &[Section], at: usize) -> Option<Stated> {
    let mut index = at;
    loop {
        let section = sections.get(index)?;
        if section.level <= 1 {
            return None;
        }
        if let Some(stated) = section.intro {
            return Some(stated);
        }
        index = sections[..index].iter().rposition(|s| s.level < section.level)?;
    }
}

/// What a block names, sorted by role.
#[derive(Default)]
struct Named {
    paths: Vec<String>,
    locations: Vec<String>,
    removals: Vec<String>,
    routes: Vec<String>,
    route_locations: Vec<String>,
    removed_routes: Vec<String>,
    packages: Vec<String>,
    symbols: Vec<SymbolRef>,
    calls: Vec<String>,
    identifiers: Vec<String>,
    /// Signatures written out: the function's name, and the signature as written.
    signatures: Vec<(String, String)>,
    /// Functions or names the item removes.
    removed_names: Vec<String>,
    /// A bare word in code (`status`) the item is about.
    opaque: bool,
    /// Those words.
    fields: Vec<String>,
    /// Paths and locations in the order the block names them.
    order: Vec<String>,
}

impl Named {
    fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.locations.is_empty()
            && self.removals.is_empty()
            && self.routes.is_empty()
            && self.route_locations.is_empty()
            && self.removed_routes.is_empty()
            && self.packages.is_empty()
            && self.symbols.is_empty()
    }
}

/// An upper-case word that names a command or keyword (`PEXPIRE`, `GETRANGE`).
pub(super) fn is_command_word(code: &str) -> bool {
    (4..=20).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn name_spans(block: &Block, line: usize, out: &mut Extracted) -> Named {
    let mut named = Named::default();
    let text = &block.text;
    // "- [x] `EXPIRE`, `PEXPIRE`, `TTL`, `PTTL`, `PERSIST`": a list of the commands (or
    // keywords) the product handles, each looked for in the code (dev48, kv-stash).
    let command_list = block.spans.iter().filter(|s| is_command_word(&s.code)).count() >= 3;
    for span in &block.spans {
        let mut read_as = |reading: String| {
            out.readings.push(SpanReading {
                line: span.line,
                block_line: line,
                span: span.code.clone(),
                reading,
            })
        };
        let kind = match classify(&span.code) {
            SpanKind::Prose if command_list && is_command_word(&span.code) => SpanKind::Identifier(span.code.clone()),
            kind => kind,
        };
        // "Install core AI libraries (`ai`, `openai-edge`)": packages the manifests list.
        if !block.example
            && matches!(kind, SpanKind::Prose | SpanKind::Identifier(_) | SpanKind::Paths(_))
            && super::phrasing::installs_packages(text)
            && super::phrasing::is_package_name(&span.code)
        {
            read_as(format!("package {} (what the item is about)", span.code.trim()));
            push_unique(&mut named.packages, span.code.trim().to_owned());
            continue;
        }
        // `Build(path string) (string, error)`: a function the code must define with
        // this shape.
        if matches!(kind, SpanKind::Prose)
            && !block.example
            && let Some(signature) = super::signatures::parse(&span.code)
        {
            read_as(format!("signature of function {}()", signature.name));
            push_unique(
                &mut named.signatures,
                (signature.name.clone(), span.code.trim().to_owned()),
            );
            push_unique(&mut named.calls, signature.name);
            continue;
        }
        if matches!(kind, SpanKind::Prose) {
            // "Removed the deprecated API (`Process`, `Execute`, …)": a capitalized bare
            // word the item removes is a name whose definition must be gone (dev28).
            let word = span.code.trim();
            let identifier = SpanKind::Identifier(word.to_owned());
            if !block.example
                && super::spans::is_identifier(word)
                && word.starts_with(|c: char| c.is_ascii_uppercase())
                && role_of(
                    &identifier,
                    word,
                    &text[..span.start],
                    &text[span.end..],
                    text,
                    span.struck,
                ) == Role::Removed
            {
                read_as(format!("{} ({})", describe(&identifier), role_name(Role::Removed)));
                push_unique(&mut named.removed_names, word.to_owned());
                continue;
            }
            if super::spans::is_identifier(word) {
                named.opaque = true;
                push_unique(&mut named.fields, word.to_owned());
            }
            read_as("code text, not a claim".to_owned());
            continue;
        }
        let the_role = if block.example {
            Role::Example
        } else {
            match role_of(
                &kind,
                &span.code,
                &text[..span.start],
                &text[span.end..],
                text,
                span.struck,
            ) {
                // "Add redirects from old routes: `/app/feed` → `/app/inbox`": the old
                // route stays, serving the redirect (dev47).
                Role::Removed if redirects(block) && super::spans::starts_with_arrow(&text[span.end..]) => {
                    Role::Location
                }
                // Its target is where the redirect leads, not the redirect itself.
                Role::Subject if redirects(block) && super::spans::ends_with_arrow(&text[..span.start]) => {
                    Role::Location
                }
                role => role,
            }
        };
        let reason = match (&kind, the_role) {
            (SpanKind::Skip(reason), _) => Some(*reason),
            (_, Role::Example) => Some("example"),
            _ => None,
        };
        if let Some(reason) = reason {
            read_as(format!("skipped: {reason}"));
            out.skipped.push(SkippedSpan {
                line: span.line,
                span: span.code.clone(),
                reason: reason.to_owned(),
            });
            continue;
        }
        read_as(format!("{} ({})", describe(&kind), role_name(the_role)));
        match kind {
            SpanKind::Paths(paths) => {
                let list = match the_role {
                    Role::Location => &mut named.locations,
                    Role::Removed => &mut named.removals,
                    _ => &mut named.paths,
                };
                for p in paths {
                    if the_role != Role::Removed {
                        push_unique(&mut named.order, p.clone());
                    }
                    push_unique(list, p);
                }
            }
            SpanKind::Route(route) if the_role == Role::Location => push_unique(&mut named.route_locations, route),
            SpanKind::Route(route) if the_role == Role::Removed => push_unique(&mut named.removed_routes, route),
            SpanKind::Route(route) => push_unique(&mut named.routes, route),
            SpanKind::Symbol { path, name } => {
                let symbol = SymbolRef {
                    path,
                    name,
                    inferred: false,
                };
                if !named.symbols.contains(&symbol) {
                    named.symbols.push(symbol);
                }
            }
            SpanKind::Call(name) | SpanKind::Identifier(name) if the_role == Role::Removed => {
                push_unique(&mut named.removed_names, name);
            }
            SpanKind::Call(name) => push_unique(&mut named.calls, name),
            // `field in \`MessageCreate\``: where the change goes, not what it is.
            SpanKind::Identifier(_) if the_role == Role::Location => {}
            SpanKind::Identifier(name) => push_unique(&mut named.identifiers, name),
            SpanKind::Skip(_) | SpanKind::Prose => {}
        }
    }
    for link in &block.links {
        push_unique(&mut named.paths, link.clone());
        push_unique(&mut named.order, link.clone());
    }
    // `symbol()` next to the one source file a block names is defined there; otherwise
    // it is looked up across the tree.
    let home = the_one_file(&named, is_source_file);
    for name in std::mem::take(&mut named.calls) {
        match &home {
            Some(path) => {
                let symbol = SymbolRef {
                    path: path.clone(),
                    name,
                    inferred: true,
                };
                if !named.symbols.contains(&symbol) {
                    named.symbols.push(symbol);
                }
            }
            None => push_unique(&mut named.identifiers, name),
        }
    }
    named
}

/// Whether a block, or the item it is listed under, speaks of redirects.
fn redirects(block: &Block) -> bool {
    static REDIRECT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bredirect(?:s|ed|ing)?\b").expect("static regex"));
    REDIRECT.is_match(&block.text) || block.parent_text.as_deref().is_some_and(|t| REDIRECT.is_match(t))
}

/// The claims of one block. `lead`: the one file the paragraph before it, in the same
/// section, is about; returned for the blocks after this one when it is such a paragraph.
fn block_claims(
    file: &str,
    finished: Finished,
    story: Option<Stated>,
    intro: Option<Stated>,
    lead: Option<&str>,
    out: &mut Extracted,
) -> Option<String> {
    let Finished {
        block,
        line,
        heading_path,
    } = finished;
    let mut named = name_spans(&block, line, out);
    let text = crate::text::truncate(block.text.trim(), 160);
    let base = |kind, target: String| Claim {
        kind,
        file: file.to_owned(),
        line,
        heading_path: heading_path.clone(),
        text: text.clone(),
        target,
        stated: None,
        in_progress: false,
        inherited: false,
        opaque: false,
        fields: Vec::new(),
        creates: false,
        changes_existing: false,
        paths: Vec::new(),
        locations: Vec::new(),
        removals: Vec::new(),
        removed_identifiers: Vec::new(),
        routes: Vec::new(),
        route_locations: Vec::new(),
        removed_routes: Vec::new(),
        packages: Vec::new(),
        symbols: Vec::new(),
        identifiers: Vec::new(),
        signatures: Vec::new(),
        count: None,
        anchors: Vec::new(),
    };
    let counts = count_claims(&block.text);
    // A counted directory is judged by its count, not again as a path.
    let counted = |p: &String| counts.iter().any(|c| &c.path == p);
    named.paths.retain(|p| !counted(p));
    named.locations.retain(|p| !counted(p));
    named.order.retain(|p| !counted(p));
    named.routes.retain(|r| !counted(&r.trim_start_matches('/').to_owned()));
    for count in counts {
        let mut claim = base(ClaimKind::Count, count_target(&count));
        claim.count = Some(count);
        out.claims.push(claim);
    }
    let own = match block.task {
        Some(true) => Some(Stated::Done),
        Some(false) => Some(Stated::NotDone),
        None if block.criterion => None,
        None => status_field(&block.text).or_else(|| stated_by_phrasing(&block.text)),
    };
    let parent = block
        .parent_task
        .map(|done| if done { Stated::Done } else { Stated::NotDone });
    // The first heading is the document's title ("Roadmap"), not a section's status; a
    // section that is no plan ("Not planned", "Non-goals") gives no status at all.
    let from_heading = || {
        heading_path
            .iter()
            .skip(1)
            .rev()
            .take_while(|h| !NOT_A_PLAN.is_match(h))
            .find_map(|h| stated_by_phrasing(h))
    };
    // The words of the item it is nested in, then those opening its section, come
    // before its story: the item is one step of what they say is complete, or planned.
    let context = block.parent_phrased.or(intro.filter(|_| !block.paragraph)).or(story);
    let (stated, inherited) = match (own, parent, context) {
        (Some(s), _, _) | (None, Some(s), _) => (Some(s), false),
        (None, None, Some(s)) => (Some(s), true),
        // A row of a plan's file table, "`provider.go` | New file with …": to be created,
        // as far as the item says; whether it exists then tells nothing.
        (None, None, None) => match from_heading() {
            None if announces_new_file(&block.text) => (Some(Stated::NotDone), true),
            stated => (stated, false),
        },
    };
    // "`x_test.go` (37 tests)", or "- 13 benchmark functions" under a paragraph about
    // one file: what the file defines, unless the item is still to do.
    let one_file = the_one_file(&named, is_source_file);
    // A document's length is stated too ("`guide.md` — 10 topics, 300+ lines").
    let one_document = the_one_file(&named, is_document);
    // The words right after the file's span, up to the next span ("`x_test.go` (37
    // tests)"): a number further on ("`pnpm test:unit` 49 tests") is another thing's.
    let near = |path: &str| -> Option<String> {
        let span = block
            .spans
            .iter()
            .find(|s| s.code.contains(path) || path.ends_with(s.code.trim()))?;
        let after = &block.text[span.end..];
        let words = after.split('`').next().unwrap_or(after);
        Some(crate::text::truncate(words, 100))
    };
    let counted = match one_file.as_ref().or(one_document.as_ref()) {
        Some(path) => near(path).map(|words| (path.clone(), words)),
        // A list item of words alone, under a paragraph about one file.
        None if !block.paragraph && block.spans.is_empty() && block.links.is_empty() => {
            lead.map(|path| (path.to_owned(), block.text.clone()))
        }
        None => None,
    };
    if let Some((path, words)) = counted.filter(|_| stated != Some(Stated::NotDone)) {
        let countable = |c: &StatedCount| c.counted == Counted::Lines || is_source_file(&path);
        for stated_count in stated_counts(&words).into_iter().filter(countable) {
            let count = CountClaim {
                expected: stated_count.expected,
                at_least: stated_count.at_least,
                noun: stated_count.counted.noun().to_owned(),
                path: path.clone(),
            };
            let mut claim = base(ClaimKind::Count, count_target(&count));
            claim.count = Some(count);
            out.claims.push(claim);
        }
    }
    // A link into a section is checked whatever the item says of its work: the section
    // it points to is there or the link is broken.
    for anchor in &block.anchors {
        let mut claim = base(ClaimKind::Anchor, anchor.written.clone());
        claim.anchors = vec![anchor.written.clone()];
        out.claims.push(claim);
    }
    let lead_of_next = one_file.filter(|_| block.paragraph);
    if named.is_empty() && (stated.is_none() || named.identifiers.is_empty() && named.removed_names.is_empty()) {
        return lead_of_next;
    }
    match stated {
        Some(stated) => {
            let mut claim = base(ClaimKind::Status, normalize_item(&block.text));
            claim.stated = Some(stated);
            claim.in_progress = block.parent_in_progress || (block.task == Some(false) && in_progress(&block.text));
            claim.inherited = inherited;
            claim.opaque = named.opaque;
            claim.fields = named.fields;
            let only_names = !without_code(&block.text).chars().any(char::is_alphabetic);
            let doing = match &block.parent_text {
                Some(parent) if only_names && without_code(parent).chars().any(char::is_alphabetic) => parent,
                _ => &block.text,
            };
            // Installing a package adds it to the manifests.
            claim.creates = creates(doing) || !named.packages.is_empty();
            claim.changes_existing = changes_existing(doing);
            claim.paths = named.paths;
            claim.locations = named.locations;
            claim.removals = named.removals;
            claim.removed_identifiers = named.removed_names;
            claim.routes = named.routes;
            claim.route_locations = named.route_locations;
            claim.removed_routes = named.removed_routes;
            claim.packages = named.packages;
            claim.symbols = named.symbols;
            claim.identifiers = named.identifiers;
            claim.signatures = named.signatures.into_iter().map(|(_, written)| written).collect();
            out.claims.push(claim);
        }
        None => {
            for name in named.removals.iter().chain(&named.removed_names) {
                out.recorded_removals.push((name.clone(), line));
            }
            for symbol in &named.symbols {
                let mut claim = base(ClaimKind::Symbol, format!("{}::{}", symbol.path, symbol.name));
                claim.symbols = vec![symbol.clone()];
                claim.signatures = named
                    .signatures
                    .iter()
                    .filter(|(name, _)| *name == symbol.name)
                    .map(|(_, written)| written.clone())
                    .collect();
                out.claims.push(claim);
            }
            let symbol_files: Vec<&String> = named.symbols.iter().map(|s| &s.path).collect();
            for path in named.order.iter().filter(|p| !symbol_files.contains(p)) {
                let mut claim = base(ClaimKind::Path, path.clone());
                if named.paths.contains(path) {
                    claim.paths = vec![path.clone()];
                } else {
                    claim.locations = vec![path.clone()];
                }
                out.claims.push(claim);
            }
            for route in named.routes.into_iter().chain(named.route_locations) {
                let mut claim = base(ClaimKind::Route, route.clone());
                claim.routes = vec![route];
                out.claims.push(claim);
            }
        }
    }
    lead_of_next
}

/// Whether a block says what it names is a file still to make ("New file with the
/// Provider interface", "(new)", "to be created").
fn announces_new_file(text: &str) -> bool {
    static NEW_FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bnew file\b|\(new\)|\b(?:to|will) be (?:created|added|generated)\b").expect("static regex")
    });
    NEW_FILE.is_match(&super::phrasing::without_code(text))
}

/// The one file of a kind a block names, if it names exactly one.
fn the_one_file(named: &Named, of_kind: fn(&str) -> bool) -> Option<String> {
    let mut files = named.paths.iter().chain(&named.locations).filter(|p| of_kind(p));
    match (files.next(), files.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

/// A count claim's target: `N noun in path`.
fn count_target(count: &CountClaim) -> String {
    let plus = if count.at_least { "+" } else { "" };
    format!("{}{plus} {} in {}", count.expected, count.noun, count.path)
}

fn is_document(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| matches!(ext, "md" | "mdx" | "txt" | "rst" | "adoc"))
}

fn is_source_file(path: &str) -> bool {
    const SOURCE: &[&str] = &[
        "rs", "ts", "tsx", "js", "jsx", "mjs", "py", "go", "java", "kt", "rb", "cs", "swift", "php", "ex", "exs", "c",
        "cc", "cpp", "h", "hpp", "svelte", "vue", "dart", "kts", "m", "mm", "astro",
    ];
    path.rsplit_once('.').is_some_and(|(_, ext)| SOURCE.contains(&ext))
}

fn describe(kind: &SpanKind) -> String {
    match kind {
        SpanKind::Paths(paths) => format!("path {}", paths.join(", ")),
        SpanKind::Route(route) => format!("route {route}"),
        SpanKind::Symbol { path, name } => format!("symbol {name} in {path}"),
        SpanKind::Call(name) => format!("function {name}()"),
        SpanKind::Identifier(name) => format!("identifier {name}"),
        SpanKind::Skip(reason) => format!("skipped: {reason}"),
        SpanKind::Prose => "code text".to_owned(),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Subject => "what the item is about",
        Role::Location => "where the change goes: must exist, proves nothing more",
        Role::Removed => "removed by the item: expected gone once done",
        Role::Example => "an example",
    }
}

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,6}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+([a-z][a-z-]*)\s+(?:under|in|inside)\s+`([^`\s]+)`")
        .expect("static regex")
});
static STATUS_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(done|shipped|implemented|completed?|landed|delivered|finished|released|planned|todo|to do|not yet|pending|wip|in progress|upcoming)\b|✅|✔|🚧|⏳|\[[ xX]\]")
        .expect("static regex")
});

/// "N things under `dir`", and "N in `dir`" when the block names what it counts
/// ("Total Files: 454 (308 in `/app`, 146 in `/lib`)").
fn count_claims(text: &str) -> Vec<CountClaim> {
    static BARE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{1,6})\s+(?:under|in|inside)\s+`([^`\s]+)`").expect("static regex"));
    static NOUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(files|tests|crates|packages|modules|components|scripts|migrations|fixtures|schemas|pages|routes)\b")
            .expect("static regex")
    });
    let dir_of = |text: &str| as_path(text).or_else(|| Some(text.trim_end_matches('/').to_owned()));
    // "13 tests in `update_test.go`" counts inside a file, which the tree cannot tell.
    let dir_of = |text: &str| dir_of(text).filter(|d| !super::spans::has_extension(d));
    // "3 in `_resetToSkyPosition()`" counts calls inside a function.
    let dir_of = |text: &str| dir_of(text).filter(|d| !d.contains('('));
    let mut counts: Vec<CountClaim> = COUNT
        .captures_iter(text)
        .filter_map(|c| {
            Some(CountClaim {
                expected: word_number(&c[1])?,
                noun: c[2].to_lowercase(),
                at_least: false,
                path: dir_of(&c[3])?,
            })
        })
        .collect();
    if let Some(noun) = NOUN.captures(&without_code(text)).map(|c| c[1].to_lowercase()) {
        for c in BARE.captures_iter(text) {
            let (Some(expected), Some(dir)) = (c[1].parse().ok(), dir_of(&c[2])) else {
                continue;
            };
            if !counts.iter().any(|k| k.path == dir) {
                counts.push(CountClaim {
                    expected,
                    at_least: false,
                    noun: noun.clone(),
                    path: dir,
                });
            }
        }
    }
    counts
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

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cut_off_from_their_table_stay_its_rows() {
        // dev24 (GroverChorizo/TickerTape): an agent loop appended rows after a blank line.
        let plan = "| ID | Files Touched | Status |\n|----|----|----|\n| TT-100 | `a.py` | Done - styled. |\n\n| TT-101 | `b.py` | Done - tests added; follow-ups planned. |\n| TT-102 | `c.py` | Not started |\n\nAfter.\n";
        let joined = rejoin_split_tables(plan);
        assert_eq!(joined.lines().count(), plan.lines().count(), "lines keep their numbers");
        let claims = extract_claims("PLAN.md", plan).claims;
        let states: Vec<(usize, Option<Stated>)> = claims.iter().map(|c| (c.line, c.stated)).collect();
        assert_eq!(
            states,
            [
                (3, Some(Stated::Done)),
                (5, Some(Stated::Done)),
                (6, Some(Stated::NotDone))
            ]
        );
        assert!(matches!(
            rejoin_split_tables("| a | b |\n\nText | with | pipes\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_status_cell_says_done_not_started_under_way_or_nothing() {
        // dev24 (GroverChorizo/TickerTape): "Not started", "Partial - … pending".
        assert_eq!(row_state("Not started"), Some(false));
        assert_eq!(
            row_state("Partial - alert store + popups exist; panel wiring pending."),
            Some(false)
        );
        assert_eq!(row_state("⚠️ Partial"), None);
        assert_eq!(row_state("❌ Missing"), None);
        assert_eq!(row_state("Done - layout breakpoints."), Some(true));
    }

    const PRD: &str = "# Gateway\n\nThe router lives in `crates/gateway/src/v1/mode.rs`, see [spec](docs/SPEC.md).\n\n## Phase 1 (shipped)\n\n- [x] Mode routing in `crates/gateway/src/v1/mode.rs::route`\n- [ ] Audit log `crates/audit/src/lib.rs`\n- Telemetry via `emit()` in `src/telemetry.rs` is planned\n\n## Layout\n\nThere are 3 crates under `crates/`.\n\n```\nnot/a/claim.rs\n```\n";

    #[test]
    fn extracts_every_claim_kind_with_lines() {
        let claims = extract_claims("PRD.md", PRD).claims;
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
                name: "emit".into(),
                inferred: true,
            }]
        );
        assert_eq!(claims[2].heading_path, vec!["Gateway", "Phase 1 (shipped)"]);
    }

    /// pool (Prodro21/RackPro): a phase just added to the roadmap lists what must be true
    /// when it is done; "is deleted" there is a condition, not a status.
    /// dev48 (Abhishek2095/kv-stash, a Redis clone): a ticked list of the commands it
    /// serves names each; one upper-case word alone is still prose.
    #[test]
    fn a_list_of_commands_names_each_command() {
        let prd = "# Plan\n\n- [x] `EXPIRE`, `PEXPIRE`, `TTL`, `PTTL`, `PERSIST`.\n- [x] Log at `INFO` level\n";
        let claims = extract_claims("PRD.md", prd).claims;
        let listed = claims.iter().find(|c| c.line == 3).map(|c| c.identifiers.clone());
        assert_eq!(
            listed,
            Some(vec![
                "EXPIRE".to_owned(),
                "PEXPIRE".to_owned(),
                "PTTL".to_owned(),
                "PERSIST".to_owned()
            ])
        );
        assert!(
            claims.iter().all(|c| !c.identifiers.contains(&"INFO".to_owned())),
            "{claims:#?}"
        );
    }

    #[test]
    fn criteria_are_conditions_not_statuses() {
        let prd = "# Roadmap\n\n### Phase 7: Tech Debt Cleanup\n\n**Success Criteria** (what must be TRUE):\n  1. Dead `src/components/Toast.tsx` file is deleted (replaced by Sonner)\n\n**Notes**:\n\n- `src/old.ts` was deleted\n";
        let claims = extract_claims("PRD.md", prd).claims;
        assert!(
            claims.iter().all(|c| c.stated != Some(Stated::Done) || c.line == 10),
            "{claims:#?}"
        );
        assert_eq!(
            claims.iter().find(|c| c.line == 10).and_then(|c| c.stated),
            Some(Stated::Done)
        );
    }

    /// pool (1269/larraes-kitchen): Phase 3's plans are ticked; Phase 4 has none yet, so
    /// its criteria are no done item.
    #[test]
    fn a_sibling_sections_boxes_are_not_this_sections_status() {
        let prd = "# Roadmap\n\n## Phase Details\n\n### Phase 3\n\n- [x] 03-01-PLAN.md\n\n### Phase 4\n\nThen:\n\n- `robots.txt` is reachable\n";
        let claims = extract_claims("PRD.md", prd).claims;
        let robots = claims.iter().find(|c| c.target.contains("robots")).unwrap();
        assert_eq!(robots.stated, None, "{robots:#?}");
    }

    /// test9 (sgupta604/wind-lens): "All 358 tests passing … (3 in `_resetToSkyPosition()`,
    /// 2 for edge wrapping)" counts calls in a function, not files in a directory.
    #[test]
    fn a_count_inside_a_function_is_no_count_of_a_directory() {
        let text = "Added `resetTrail()` calls in 5 locations (3 in `_resetToSkyPosition()`, 2 for edge wrapping). All 358 tests passing.";
        assert!(count_claims(text).is_empty(), "{:?}", count_claims(text));
        assert_eq!(count_claims("308 files in `app/`, all tests pass").len(), 1);
    }
}
