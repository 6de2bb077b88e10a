//! What the words of a PRD block say: whether it is done or planned, and whether it
//! creates what it names or changes what exists. (What the words around a span make of
//! it is [`super::spans::role_of`].)

use super::claims::Stated;
use regex::Regex;
use std::sync::LazyLock;

/// The status a section's opening paragraph gives all of it, when the paragraph is or
/// holds a status line ("Status: Completed on 2026-03-19", "Deferred to a future
/// release.", "**Time Estimate:** 2 hours / **Status:** ⏳ Not Started"), not prose that
/// mentions one.
pub(super) fn intro_status(text: &str) -> Option<Stated> {
    static STATUS_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:status\**\s*:|state\**\s*:|deferred|postponed|planned|not started|done|completed?|shipped|finished)\b")
            .expect("static regex")
    });
    status_field(text).or_else(|| STATUS_LINE.is_match(text).then(|| stated_by_phrasing(text)).flatten())
}

/// What a block's "Status:" field says, read up to the next field's label: in a block
/// of fields ("**File:** `x.jsx` **Status:** 🔴 **Completed By:**") the field decides,
/// and the other labels ("Completed By") are names of fields, not statements.
pub(super) fn status_field(text: &str) -> Option<Stated> {
    // Lines of a paragraph arrive joined: the field is found by its label.
    static STATUS_FIELD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bstatus\**\s*:\**\s*(.{0,60})").expect("static regex"));
    // The next field: a capitalized label of up to three words and its colon.
    static NEXT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s(?:\*\*)?[A-Z][A-Za-z]*(?:\s+[A-Za-z]+){0,2}(?:\*\*)?\s*:").expect("static regex")
    });
    // "**Status**: MISSING", "Status: stub": what the field says is not there yet.
    static ABSENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:missing|stub(?:bed)?|not implemented|unimplemented|absent)\b").expect("static regex")
    });
    let field = STATUS_FIELD.captures(text)?.get(1)?.as_str();
    let value = NEXT_LABEL.find(field).map_or(field, |next| &field[..next.start()]);
    // The value ends with its sentence or its code span: "`status: blocked`. They remain
    // … until the complete sequence …" says blocked (test29, revolvr).
    let value = value.split(['`', ';']).next().unwrap_or(value);
    let value = value.split(". ").next().unwrap_or(value);
    // Traffic-light marks: red or a cross is not started, amber is under way, green is done.
    let marks: String = value.chars().take_while(|c| !c.is_alphanumeric()).collect();
    if marks.contains(['🔴', '❌', '⭕', '🟡', '🟠']) {
        return Some(Stated::NotDone);
    }
    if marks.contains('🟢') {
        return Some(Stated::Done);
    }
    let words = value.trim_start_matches(|c: char| !c.is_alphanumeric());
    if ABSENT.is_match(words) {
        return Some(Stated::NotDone);
    }
    stated_by_phrasing(value.split(':').next().unwrap_or_default())
}

/// Whether an item's text says part of it is done ("parser landed", "started: file, git").
pub(super) fn in_progress(text: &str) -> bool {
    static PARTLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(started|partial|partially|partly|in progress|wip|begun|ongoing|halfway|scaffold(?:ed)?)\b")
            .expect("static regex")
    });
    // "Purge `src/overlay/` once QML refactor is complete": a condition on the work, not
    // a part of it that is done (test29, chadvis).
    static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:once|when|after|until|before|as soon as)\b[^.;,]*").expect("static regex")
    });
    let text = without_code(&without_definition_of_done(text));
    let text = CONDITION.replace_all(&text, " ");
    DONE.is_match(&text) || PARTLY.is_match(&text)
}

/// A heading of what is not planned (*Non-goals*, *Out of scope*): it gives its items
/// no status.
pub(super) static NOT_A_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(not planned|won'?t do|wontfix|out of scope|non-goals?|not our concern|rejected ideas?)\b")
        .expect("static regex")
});

/// Whether an item says it creates what it names: a creating verb, or nothing but the
/// names themselves (`- [ ] \`.env.example\``). Not an item that asks for what the
/// thing does, listed below it ("Implement \`main()\` function to:"): that the name
/// exists does not say it does those.
/// Whether an item installs packages ("Install core AI libraries (…)", "Install dev
/// dependencies", "`npm install zod`"), into the project rather than onto a machine
/// ("install the CLI globally", `brew install`, an editor's extension).
pub(super) fn installs_packages(text: &str) -> bool {
    static INSTALLS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\binstall(?:s|ed|ing)?\b[^.;:\n]*?\b(?:librar(?:y|ies)|dependenc(?:y|ies)|packages?|deps|sdks?)\b|\b(?:npm|pnpm|yarn|bun)\s+(?:i|install|add)\b|\bpip3?\s+install\b|\b(?:poetry|uv|cargo)\s+add\b")
            .expect("static regex")
    });
    static ON_A_MACHINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\bglobal(?:ly)?\b|\s-g\b|\b(?:brew|apt(?:-get)?|choco|winget|pipx)\b|\bextensions?\b|\bplugins?\b|\bpackage\s+managers?\b",
        )
        .expect("static regex")
    });
    INSTALLS.is_match(text) && !ON_A_MACHINE.is_match(text)
}

/// Whether a code span is written as a registry package's name: `openai-edge`,
/// `@types/uuid`, `lucide-react` — not a file (`setup.py`), a command or a version.
pub(super) fn is_package_name(code: &str) -> bool {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)?$").expect("static regex")
    });
    // Tools installed onto a machine, not into the project ("Install `uv` and sync the
    // dependencies", "Install `pnpm` package manager").
    const MACHINE_TOOLS: &[&str] = &[
        "node",
        "nodejs",
        "npm",
        "pnpm",
        "yarn",
        "bun",
        "deno",
        "uv",
        "pip",
        "pipx",
        "poetry",
        "python",
        "python3",
        "cargo",
        "rustup",
        "go",
        "docker",
        "git",
        "gh",
        "brew",
        "make",
        "cmake",
        "java",
        "dotnet",
        "ruby",
        "bundler",
        "nvm",
        "volta",
        "mise",
        "asdf",
        "conda",
        "terraform",
        "kubectl",
        "helm",
        "aws",
        "gcloud",
        "az",
        "vercel",
        "netlify",
        "supabase",
        "firebase",
        "wrangler",
        "ollama",
        "ffmpeg",
    ];
    let code = code.trim();
    code.len() <= 60 && NAME.is_match(code) && !super::spans::has_extension(code) && !MACHINE_TOOLS.contains(&code)
}

pub(super) fn creates(text: &str) -> bool {
    static FOR_PURPOSE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:to|so that|that)\s*:\s*$").expect("static regex"));
    if text
        .lines()
        .next()
        .is_some_and(|first| FOR_PURPOSE.is_match(first.trim_end()))
    {
        return false;
    }
    // "implement `stream()` as a full agentic loop": what the thing must become, not
    // its name.
    static AS_WHAT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:implement|rewrite|rebuild|make|turn)\s+(?:the\s+)?`[^`]+`\s+(?:as|into)\b")
            .expect("static regex")
    });
    if AS_WHAT.is_match(text) {
        return false;
    }
    // "`GET /pprof/heap` - Heap profile", an endpoint table's "| `/pprof/heap` | GET |
    // … | ⏳ |": an item that opens with an endpoint, method and all, is that endpoint's
    // entry in the plan (dev43, cpp-remote-profiler).
    static ENDPOINT_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\W*`(?:(?:GET|POST|PUT|PATCH|DELETE)\s+/[^`]*`|/[^`]*`\s*\|\s*(?:GET|POST|PUT|PATCH|DELETE)\s*\|)",
        )
        .expect("static regex")
    });
    if !without_code(text).chars().any(char::is_alphabetic) || ENDPOINT_ENTRY.is_match(text) {
        return true;
    }
    // "CLI `useAgent` creates new agent per prompt": what the named code does now.
    static DOES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)`[^`]+`\s+(?:creates|adds|builds|generates|writes|introduces|implements)\b[^.;(]*")
            .expect("static regex")
    });
    let text = &DOES.replace_all(text, " ");
    // "Created: 2026-01-31", "Updated on 2025-03-02": when the document was written.
    static DATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:created|added|updated|generated|written)\W{0,4}(?:on\s+)?\d{4}-\d{1,2}-\d{1,2}")
            .expect("static regex")
    });
    let text = &DATED.replace_all(text, " ");
    static CREATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(create[sd]?|add(?:s|ed)?|new|implement(?:s|ed)?|write|scaffold|introduce[sd]?|set up|build|generate|port)\b|создать|реализовать|добавить|написать|作成|追加|実装|新規|導入|创建|新建|新增|添加|实现|생성|추가|구현|작성")
            .expect("static regex")
    });
    CREATE.is_match(&without_code(text))
}

/// Whether an item's first word (after labels such as `UI-007:`) is a verb that works on
/// what already exists.
pub(super) fn changes_existing(text: &str) -> bool {
    const VERBS: &[&str] = &[
        "consolidate",
        "move",
        "extract",
        "refactor",
        "rename",
        "fix",
        "update",
        "improve",
        "optimize",
        "optimise",
        "migrate",
        "replace",
        "clean",
        "simplify",
        "merge",
        "split",
        "dedupe",
        "deduplicate",
        "rework",
        "restructure",
        "reorganize",
        "reorganise",
        "convert",
        "modify",
        "change",
        "adjust",
        "tune",
        "harden",
        "polish",
        "extend",
        "enhance",
        "upgrade",
        "bump",
        "debug",
        "patch",
        "ensure",
        "investigate",
        "profile",
        "review",
        "audit",
        "document",
        "verify",
        "unify",
        "inline",
        "decouple",
        "relocate",
        "reduce",
        "speed",
    ];
    // Only when the item starts with it: a code span first names what it is about.
    let starts_with_code = text.trim_start().starts_with('`');
    // After labels: "Scope: Modify `AudioManager.swift` in `combineBuffersToData()`".
    let first = opening_words(&without_code(text)).find(|(word, label)| !label || VERBS.contains(&word.as_str()));
    !starts_with_code && first.is_some_and(|(w, _)| VERBS.contains(&w.as_str()))
}

/// The words that can open a block, lower-cased, each with whether it ends in a colon
/// (a label such as `Solution:`); words with digits (`UI-007:`, `T3.`) and bare marks
/// are passed over.
fn opening_words(text: &str) -> impl Iterator<Item = (String, bool)> + '_ {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic) && !w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| {
            (
                w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase(),
                w.ends_with(':'),
            )
        })
}

/// Whether a block with no status opens by asking to create what it names
/// ("**Implementation**: Create `src/ack-manager.ts` with batching logic"): work to do,
/// not a statement that it exists.
pub(super) fn asks_to_create(text: &str) -> bool {
    const VERBS: &[&str] = &[
        "create",
        "add",
        "implement",
        "write",
        "build",
        "generate",
        "introduce",
        "scaffold",
    ];
    opening_words(text)
        .find(|(_, label)| !label)
        .is_some_and(|(w, _)| VERBS.contains(&w.as_str()))
}

/// Whether the text says the program looks for a file when it runs ("Checks for
/// `.ralph/hooks/worktree-init` executable, runs if present"): a path of wherever it
/// runs, not of this tree.
pub(super) fn looked_for_at_run_time(text: &str) -> bool {
    static LOOKS_FOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:checks? (?:for|if|whether)|looks? for|if (?:it )?(?:is )?(?:present|exists)|when present|if found|falls? back to)\b")
            .expect("static regex")
    });
    LOOKS_FOR.is_match(&without_code(text))
}

/// Whether the text places its work on another branch or worktree, not merged here
/// ("Task 4.2 under parallel-worktree orchestration: … this PR ships only the slug
/// test"): what it names is not this tree's yet.
pub(super) fn elsewhere_than_this_branch(text: &str) -> bool {
    static ELSEWHERE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bparallel[- ]worktrees?\b|\bworktree\b|\bworker branch(?:es)?\b|\bsibling (?:worker )?branch(?:es)?\b|\bunmerged\b|\bnot (?:yet )?merged\b|\bthis PR ships\b|\bits own (?:merged )?PRs?\b")
            .expect("static regex")
    });
    ELSEWHERE.is_match(&without_code(text))
}

/// Text without its code spans: `futures::future` says nothing about a status.
pub(super) fn without_code(text: &str) -> String {
    static SPANS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").expect("static regex"));
    SPANS.replace_all(text, " ").into_owned()
}

/// A paragraph that introduces a list of conditions to meet.
pub(super) static CRITERIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:success|acceptance|exit|completion) criteria\b|\bmust be true\b|\bdefinition of done\b|\bdone when\b")
        .expect("static regex")
});

/// Text without "Definition of Done", which names a checklist, not a status.
fn without_definition_of_done(text: &str) -> String {
    static DOD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)definition of done").expect("static regex"));
    DOD.replace_all(text, " ").into_owned()
}

/// Words that say something is done.
static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(done|shipped|implemented|completed?|landed|delivered|finished|released|removed|deleted|already exists)\b|\((?:already\s+)?exists\)|✅|✔")
        .expect("static regex")
});

/// Words that say something is not done yet. 📋 only as a table's status cell ("| 📋
/// |", planned; dev43): on a heading it is an icon.
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(planned|todo|to do|not yet|not started|pending|wip|in progress|upcoming|future|backlog|next|later|deferred|blocked|on hold|optional)\b|\(to (?:add|build|create|implement|write)\)|🚧|⏳|⬜|☐|\|\s*📋\s*\|",
    )
    .expect("static regex")
});

/// Not-done phrasing wins over done phrasing ("not yet implemented").
pub(super) fn stated_by_phrasing(text: &str) -> Option<Stated> {
    // "can be done by callers" says what is possible, not what happened.
    static MODAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:can|could|should|will|would|must|may|might|to|needs? to)\s+(?:not\s+)?be\s+\w+")
            .expect("static regex")
    });
    let text = without_code(&without_definition_of_done(text));
    let text = &MODAL.replace_all(&text, " ");
    // "Calculate next occurrence", "reject future dates": what the code computes, not
    // when the work happens.
    static DATA_WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:next|future|later|previous)\s+(?:occurrences?|pages?|items?|tokens?|lines?|values?|elements?|dates?|due dates?|times?|records?|cursors?|batch(?:es)?|chunks?|frames?|ticks?|characters?|fields?|nodes?|matches|results?|events?|messages?|entries|entry|instances?|numbers?|index|offsets?|attempts?|retr(?:y|ies)|requests?|steps? of)\b")
            .expect("static regex")
    });
    let text = &DATA_WORDS.replace_all(text, " ");
    if NOT_DONE.is_match(text) {
        Some(Stated::NotDone)
    } else if DONE.is_match(text) || starts_in_past_tense(text) {
        Some(Stated::Done)
    } else {
        None
    }
}

/// Whether a block starts by saying what was done, in the past tense ("Created
/// `MandalaGrid` component", "Added `heatData` query"): a record, not a plan.
fn starts_in_past_tense(text: &str) -> bool {
    const VERBS: &[&str] = &[
        "created",
        "added",
        "built",
        "wrote",
        "introduced",
        "fixed",
        "refactored",
        "moved",
        "replaced",
        "renamed",
        "updated",
        "wired",
        "integrated",
        "migrated",
        "extracted",
        "converted",
        "rebuilt",
        "rewrote",
        "simplified",
        "enabled",
        "configured",
        "installed",
        "upgraded",
        "merged",
        "consolidated",
        "scaffolded",
        "ported",
        "transformed",
        "connected",
        "switched",
        "changed",
        "deployed",
        "documented",
        "improved",
        "optimized",
        "cleaned",
        "exposed",
        "hooked",
        "unified",
        "reworked",
        "restructured",
        "dropped",
    ];
    // After a label: "Solution: Rebuilt `/craft` as a wizard".
    let first = opening_words(text).find(|(_, label)| !label);
    first.is_some_and(|(w, _)| VERBS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev45 (y3-vs/rag-app): the libraries a checklist installs.
    #[test]
    fn items_that_install_packages_and_the_names_they_install() {
        assert!(installs_packages("Install core AI libraries (`ai`, `openai-edge`)"));
        assert!(installs_packages("Install dev dependencies (`@types/uuid`)"));
        assert!(installs_packages("Run `npm install zod`"));
        assert!(!installs_packages("Install the Vercel CLI globally (`vercel`)"));
        assert!(!installs_packages("Install the `prettier` extension in VS Code"));
        assert!(!installs_packages("Install `git-distill` and run the demo"));
        for name in ["openai-edge", "@types/uuid", "ai", "lucide-react", "socket.io"] {
            assert!(is_package_name(name), "{name}");
        }
        assert!(!installs_packages("Install `pnpm` package manager"));
        for code in [
            "setup.py",
            "npm install zod",
            "OpenAI",
            "src/lib",
            "^1.2.0",
            "uv",
            "pnpm",
        ] {
            assert!(!is_package_name(code), "{code}");
        }
    }

    /// mbcrawfo/vibefun's lexer plan (dev16): a phase opens with its time estimate, then
    /// its status; prose that mentions a state is no status line.
    #[test]
    fn a_status_field_after_other_fields_states_the_section() {
        assert_eq!(
            intro_status("**Time Estimate:** 1.5 hours **Status:** ⏳ Not Started"),
            Some(Stated::NotDone)
        );
        assert_eq!(
            intro_status("**Time Estimate:** 30 minutes **Actual Time:** ~30 minutes **Status:** ✅ Done"),
            Some(Stated::Done)
        );
        assert_eq!(intro_status("Status: Completed on 2026-03-19"), Some(Stated::Done));
        assert_eq!(intro_status("This phase builds on what is done in Phase 2."), None);
    }

    /// LibreLoom/LibreServ's roadmap (dev31): a task's block of fields gives its state
    /// by a traffic light, and the empty "Completed By:" after it is a field's name.
    #[test]
    fn a_traffic_light_status_decides_and_field_names_state_nothing() {
        let field = "File: `server/frontend/src/components/onboarding/WelcomeCard.jsx` Effort: 2 hours \
                     Dependencies: T1.1.1 Status: 🔴 Completed By:";
        assert_eq!(status_field(field), Some(Stated::NotDone));
        assert_eq!(
            status_field("**Status:** 🟡 **Claimed by @trafficcone** **Completed By:** @trafficcone"),
            Some(Stated::NotDone)
        );
        assert_eq!(status_field("Status: 🟢 Completed By: @ana"), Some(Stated::Done));
        assert_eq!(status_field("Status: Done: merged in #12"), Some(Stated::Done));
        // "**Backend API (exists):**" over a list of endpoints says they are there.
        assert_eq!(stated_by_phrasing("Backend API (exists):"), Some(Stated::Done));
        assert_eq!(stated_by_phrasing("The handler already exists"), Some(Stated::Done));
        assert_eq!(stated_by_phrasing("Backend API (to add):"), Some(Stated::NotDone));
    }

    /// dev26 (donlair/pubsub, arvesolland/ralph): a bold label with its colon outside
    /// (`**Status**: MISSING`) and a missing or stubbed status are not done; a heading's
    /// white square is an unticked box; a date the document was created on creates nothing.
    #[test]
    fn missing_status_fields_white_squares_and_creation_dates() {
        assert_eq!(
            intro_status("**Status**: MISSING **Files to Create**:"),
            Some(Stated::NotDone)
        );
        assert_eq!(intro_status("**Status**: STUB"), Some(Stated::NotDone));
        assert_eq!(intro_status("**Status**: ✅ COMPLETE"), Some(Stated::Done));
        assert_eq!(
            stated_by_phrasing("⬜ Subscription Compatibility (MISSING)"),
            Some(Stated::NotDone)
        );
        assert!(!creates(
            "Spec: `/specs/go-rewrite/SPEC.md` Created: 2026-01-31 Status: pending"
        ));
        assert!(creates("Created `src/app.rs` on 2026-01-31"));
    }

    /// test9 (miscarriage87/ScrAInee): "Consolidate duplicates: `MenuButton`, …" under an
    /// unticked story works on structs that exist before it starts; a noun-phrase item
    /// (`llm.Backend` interface) or "Create …" names what it makes.
    #[test]
    fn an_item_that_changes_what_exists_is_told_from_one_that_creates() {
        assert!(changes_existing("Consolidate duplicates: `MenuButton`, `ActionButton`"));
        assert!(changes_existing(
            "UI-008: Move: `QuickAskViewModel` → `UI/QuickAsk.swift`"
        ));
        assert!(!changes_existing("UI-007: Create shared components library"));
        // dev17 (lucassynnott/WispFlow): the change is stated after a label.
        assert!(changes_existing(
            "Scope: Modify `AudioManager.swift` in `combineBuffersToData()`"
        ));
        assert!(!changes_existing("`llm.Backend` interface (`Explain` / `Name`)"));
        assert!(!changes_existing("Add `fix_paths()` to `sync.py`"));
        // dev13 (spanexx/repomap): what the function must do is listed below it.
        assert!(!creates("Implement `main()` function to:\n  1. Parse flags"));
        assert!(creates("Implement `main()` in `cmd/repomap/main.go`"));
        // dev48 (a Rails plan in Japanese): "create", "add" after the name.
        assert!(creates("`app/controllers/notifications_controller.rb` 作成"));
        assert!(creates("`Gemfile` に `activity_notification` 追加"));
        assert!(!creates("`app/models/user.rb` を更新"));
        // dev18 (ryaneggz/deep-factor-agent): what a name must become, what code does now.
        assert!(!creates(
            "P4.1 — Full streaming agent loop (implement `stream()` as full agentic loop)"
        ));
        assert!(!creates(
            "P3.4 — CLI `useAgent` creates new agent per prompt (no multi-turn)"
        ));
    }

    /// test7 (0xSardius/polaris): a session log's "Created `MandalaGrid` component" and
    /// "Solution: Rebuilt `/craft`" say what was done.
    #[test]
    fn a_block_in_the_past_tense_is_a_record_of_work_done() {
        assert_eq!(
            stated_by_phrasing("Created `MandalaGrid` component with 9x9 grid"),
            Some(Stated::Done)
        );
        assert_eq!(
            stated_by_phrasing("Solution: Rebuilt `/craft` as a wizard"),
            Some(Stated::Done)
        );
        assert_eq!(stated_by_phrasing("Create `MandalaGrid` component"), None);
        assert_eq!(stated_by_phrasing("Added later (planned)"), Some(Stated::NotDone));
        // dev25 (Garogaro1/ticktick-clone): what a utility computes is no status.
        assert_eq!(
            stated_by_phrasing("`getNextDueDate()` - Calculate next occurrence"),
            None
        );
        assert_eq!(stated_by_phrasing("Validation rejects future dates"), None);
        assert_eq!(stated_by_phrasing("Next: wire the calendar"), Some(Stated::NotDone));
    }
}
