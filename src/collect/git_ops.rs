//! Git operations a request asks for ("commit all code", "open a PR") and the ones a
//! command performs, so a session's outcome can say which were asked and done.

use super::validation::{program_words, segments};

/// Git operations a request asks for, as a set of bits (one per [`GIT_OPS`] entry).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GitOps(u8);

/// The operations: name, how a request asks for it, the git subcommands that do it.
pub(super) const GIT_OPS: &[(&str, &str, &[&str])] = &[
    (
        "commit",
        r"\bcommit\b(?:\s+(?:all|the|these|this|it|everything|my|our|changes?|code|work))|^\s*/?commit\b|^\s*git\s+commit\b|\b(?:commit|push)\s*(?:,\s*|\s+(?:and|then|y|e|et|und)\s+|\s*[&+]\s*)(?:commit|push)\b|\b(?:a|an|un|une|one)\s+(?:[\w-]+\s+){0,2}commit(?:\s*$|\s*[.,;!?]|\s+(?:with|for|of|and|that|to|on|based|avec|pour|de)\b)|\b(?:incremental|small|atomic|frequent|separate|granular|logical)\s+commits\b|커밋|コミット|提交",
        &["commit"],
    ),
    (
        "push",
        r"\bpush\b(?:\s+(?:it|this|that|them|the|these|your|my|our|changes?|commits?|branch|to|up|origin)\b|\s*[.,;!?]|\s*$)|\b(?:commit|push)\s*(?:,\s*|\s+(?:and|then|y|e|et|und)\s+|\s*[&+]\s*)(?:commit|push)\b|푸시|푸쉬|プッシュ|推送",
        &["push"],
    ),
    (
        "pull",
        r"\bpull\b(?:\s+(?:the\s+)?(?:latest|changes|main|master|origin|from|down|in|it|upstream)\b|\s*[.,;!?]|\s*$)",
        &["pull"],
    ),
    (
        "checkout",
        r"\bcheck\s?out\s+(?:the\s+)?(?:branch\b|main\b|master\b|develop\b|[\w./-]+/[\w./-]+)|\bswitch\s+(?:to\s+)?(?:the\s+)?(?:branch|main|master)\b",
        &["checkout", "switch"],
    ),
    ("rebase", r"\brebase\b", &["rebase"]),
    (
        "tag",
        r"\btag\s+(?:a\s+|the\s+|a\s+new\s+)?(?:release|version|v\d)|\b(?:create|cut|publish|make)\s+(?:a\s+|the\s+)?(?:new\s+)?(?:tag|release)\b",
        &["tag"],
    ),
    // A request that is the command itself (`git add .`), or asks to stage the work.
    (
        "add",
        r"^\s*git\s+add\b|\bstage\s+(?:all|the|these|everything|my|your|changes?|files?)\b",
        &["add"],
    ),
    // Not git's but GitHub's: `gh pr create` (see `GitOps::done_by`).
    (
        "pull request",
        r"\b(?:open|create|make|submit|raise|file)\s+(?:a\s+|the\s+|an?\s+new\s+)?(?:PR|pull request|merge request)\b|\bone\s+(?:PR|pull request)\s+per\b|\bper[- ]\w+\s+(?:PRs|pull requests)\b",
        &[],
    ),
];

/// What a request says after an agent's transcript pasted into it (three or more lines
/// of shell prompts, "Thinking:" or a harness's bullets): the pasted session's own
/// requests ("Tag release for hackathon submission") and its summary's next steps were
/// another run's; the person's words follow the paste ("Continue please").
fn after_pasted_transcript(request: &str) -> &str {
    static TRANSCRIPT_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?m)^(?:\$ \S|Thinking:|⏺ |▣ |● |> \S.*\n\s*⎿)").expect("static regex")
    });
    let lines: Vec<_> = TRANSCRIPT_LINE.find_iter(request).collect();
    match lines.as_slice() {
        [_, _, .., last] => {
            let rest = &request[last.start()..];
            rest.find('\n').map_or("", |end| &rest[end..])
        }
        _ => request,
    }
}

impl GitOps {
    /// The operations `request` asks for ("commit all code", "check out main and pull").
    pub fn asked_in(request: &str) -> GitOps {
        static ASKED: std::sync::LazyLock<regex::RegexSet> = std::sync::LazyLock::new(|| {
            regex::RegexSet::new(GIT_OPS.iter().map(|(_, asked, _)| format!("(?im){asked}"))).expect("static regex")
        });
        // What a harness hands over as data (`<untrusted-content source="plan">…`, "never
        // as instructions") asks for nothing: a plan's "commit and push" is the
        // orchestrator's step, not this run's.
        static DATA: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"(?s)<(untrusted[\w-]*)\b[^>]*>.*?</untrusted[\w-]*>").expect("static regex")
        });
        let request = DATA.replace_all(request, " ");
        let request = after_pasted_transcript(&request);
        GitOps(ASKED.matches(request).iter().fold(0, |bits, op| bits | 1 << op))
    }

    /// The operation a git subcommand performs, if it is one of [`GIT_OPS`].
    pub(super) fn of_command(subcommand: &str) -> Option<usize> {
        GIT_OPS
            .iter()
            .position(|(_, _, commands)| commands.contains(&subcommand))
    }

    pub(super) fn contains(self, op: usize) -> bool {
        op < 8 && self.0 & (1 << op) != 0
    }

    /// Whether every operation of `other` is one of these (and `other` has some).
    pub(super) fn covers(self, other: GitOps) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    /// Both sets.
    pub fn with(self, other: GitOps) -> GitOps {
        GitOps(self.0 | other.0)
    }

    /// The operations that deliver work (commit, push, pull request): one a request asks
    /// for and the run never completes leaves the request part done.
    pub(super) const DELIVERED: [&str; 5] = ["commit", "push", "tag", "pull request", "add"];

    /// Whether a request is a git command typed as the request (`git add .`).
    pub fn is_command(request: &str) -> bool {
        let request = request.trim();
        !request.contains('\n') && program_words(request).first().is_some_and(|p| p == "git")
    }

    /// Whether every part of `command` is git's (`git add . && git status`).
    pub(super) fn only_git(command: &str) -> bool {
        segments(command)
            .iter()
            .all(|s| program_words(&s.text).first().is_some_and(|p| p == "git"))
    }

    /// The index of the operation called `name` in [`GIT_OPS`].
    pub(super) fn named(name: &str) -> usize {
        GIT_OPS.iter().position(|(n, _, _)| *n == name).unwrap_or(usize::MAX)
    }

    /// The operations a successful command performed (`git add x && git commit -m y`).
    pub(super) fn done_by(command: &str) -> GitOps {
        segments(command)
            .into_iter()
            .filter(|s| !s.downstream)
            .flat_map(|s| match program_words(&s.text).as_slice() {
                [git, op, ..] if git == "git" => GitOps::of_command(op).into_iter().collect(),
                [gh, pr, create, ..] if gh == "gh" && pr == "pr" && create == "create" => {
                    vec![GitOps::named("pull request")]
                }
                [gh, release, create, ..] if gh == "gh" && release == "release" && create == "create" => {
                    vec![GitOps::named("tag")]
                }
                // GitButler's CLI: `but commit <branch> -m …`, `but push`, and `but pr
                // new`, which pushes the branch it opens the request for.
                [but, op, ..] if but == "but" && matches!(op.as_str(), "commit" | "push") => {
                    GitOps::of_command(op).into_iter().collect()
                }
                [but, pr, new, ..] if but == "but" && pr == "pr" && matches!(new.as_str(), "new" | "create") => {
                    vec![GitOps::named("pull request"), GitOps::named("push")]
                }
                _ => Vec::new(),
            })
            .filter(|&op| op < GIT_OPS.len())
            .fold(GitOps::default(), |ops, op| GitOps(ops.0 | 1 << op))
    }

    pub(super) fn name(op: usize) -> &'static str {
        GIT_OPS.get(op).map_or("operation", |(name, _, _)| name)
    }
}

/// The git operations the requests ask for: the task's, and the last request's, whose
/// commands start at `last_from`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked {
    /// Asked by the task (the first request) or the last request.
    pub any: GitOps,
    /// Asked by the last request.
    pub last: GitOps,
    /// Index of the first command run for the last request.
    pub last_from: usize,
    /// The last request is a git command itself (`git add .`).
    pub last_is_command: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev27 (Kooksun/RPS_3): a request in Korean asks for a commit, a merge and a push.
    #[test]
    fn requests_in_other_languages_ask_for_git_operations() {
        let asked = GitOps::asked_in("좋아. 그럼 이제 현재 브랜치를 커밋하고 메인으로 머지해서 원격지에 푸시한다.");
        assert!(asked.contains(GitOps::named("commit")));
        assert!(asked.contains(GitOps::named("push")));
        assert!(GitOps::asked_in("変更をコミットしてプッシュして").contains(GitOps::named("push")));
        assert_eq!(GitOps::asked_in("스펙 문서를 업데이트 해."), GitOps::default());
    }

    /// dev29: "a clean commit", "un commit avec …", "push and commit please".
    #[test]
    fn a_commit_asked_for_as_a_noun_and_push_and_commit() {
        let commit = GitOps::named("commit");
        let push = GitOps::named("push");
        assert!(GitOps::asked_in("setup git a make a clean commit based").contains(commit));
        assert!(GitOps::asked_in("j'ai juste envie de faire un commit avec le nouveau repo propre").contains(commit));
        let both = GitOps::asked_in("push and commit please");
        assert!(both.contains(commit) && both.contains(push));
        assert!(!GitOps::asked_in("write a commit message linter").contains(commit));
        assert!(!GitOps::asked_in("why did a commit hook fail?").contains(commit));
        // dev31 (bastion-agentique/bastion): an OpenCode session pasted whole, whose own
        // request was "Tag release", then "Continue please".
        let pasted = "Next Steps\n- Commit and push all changes\n- Tag release for hackathon submission\n\
                      Thinking: let me tag.\n$ git tag -a v0.3.0\n(no output)\n$ git push origin main --follow-tags\n\
                      ▣  Build · Big Pickle · 1m 14s\nContinue please continue this please";
        assert_eq!(GitOps::asked_in(pasted), GitOps::default());
        assert!(GitOps::asked_in("$ cargo test\nThinking: ok\n$ ls\nnow commit and push").contains(commit));
        // dev42 (Blizard32/seniales, Aider): "y luego realices un commit y push con un
        // comentario descriptivo".
        let spanish =
            GitOps::asked_in("edites cada uno de los archivos y luego realices un commit y push con un comentario");
        assert!(spanish.contains(commit) && spanish.contains(push));
    }
}
