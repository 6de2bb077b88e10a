//! The git store through the real binary, checked against the real `git`.

mod common;

use common::{Sandbox, stdout_ok};
use std::collections::BTreeSet;

fn line(i: usize) -> String {
    format!("{{\"n\":{i}}}")
}

#[test]
fn our_notes_read_with_git_and_git_notes_read_with_us() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 3);
    let ids = sb.history(&repo, "main");
    stdout_ok(
        sb.distill(&repo)
            .args(["notes", "add", "--kind", "scratch", "HEAD", &line(2), &line(1)]),
    );
    assert_eq!(
        sb.git(&repo, &["notes", "--ref=distill/scratch", "show", "HEAD"]),
        "{\"n\":1}\n{\"n\":2}\n"
    );
    let log = sb.git(&repo, &["log", "--notes=distill/scratch", "-1", "--format=%N"]);
    assert!(log.contains("{\"n\":1}\n{\"n\":2}"), "{log}");

    sb.git(
        &repo,
        &[
            "notes",
            "--ref=distill/scratch",
            "add",
            "-m",
            "{\"by\":\"git\"}",
            &ids[0],
        ],
    );
    let shown = stdout_ok(sb.distill(&repo).args(["show", "--json", &ids[0]]));
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["notes"][0]["kind"], "scratch");
    assert_eq!(shown["notes"][0]["records"][0]["by"], "git");
    // Our earlier note survived git's write, and the notes history has both commits.
    assert_eq!(
        sb.git(&repo, &["notes", "--ref=distill/scratch", "show", "HEAD"]),
        "{\"n\":1}\n{\"n\":2}\n"
    );
    assert_eq!(
        sb.git(&repo, &["rev-list", "--count", "refs/notes/distill/scratch"])
            .trim(),
        "2"
    );
    let reflog = sb.git(&repo, &["reflog", "show", "refs/notes/distill/scratch"]);
    assert!(reflog.contains("git-distill: notes add"), "{reflog}");
}

#[test]
fn thousands_of_notes_use_fanout_in_one_commit_both_ways() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 3000);
    let ids = sb.history(&repo, "main");
    let input: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("{id}\t{}\n", line(i)))
        .collect();
    std::fs::write(repo.join("import.tsv"), &input).unwrap();
    stdout_ok(
        sb.distill(&repo)
            .args(["notes", "import", "--kind", "bulk", "import.tsv"]),
    );
    // One notes commit for the whole batch, with git's fanout.
    assert_eq!(
        sb.git(&repo, &["rev-list", "--count", "refs/notes/distill/bulk"])
            .trim(),
        "1"
    );
    let root = sb.git(&repo, &["ls-tree", "refs/notes/distill/bulk"]);
    assert!(
        root.lines()
            .all(|l| l.contains(" tree ") && l.ends_with(&l[l.len() - 2..])),
        "no fanout: {root}"
    );
    let listed = sb.git(&repo, &["notes", "--ref=distill/bulk", "list"]);
    assert_eq!(listed.lines().count(), 3000);
    assert_eq!(
        sb.git(&repo, &["notes", "--ref=distill/bulk", "show", &ids[1234]]),
        format!("{}\n", line(1234))
    );

    // git writes thousands (fast-import applies its own fanout); we read them all.
    let mut stream = String::from("commit refs/notes/distill/fromgit\ncommitter T <t@e> 1700000000 +0000\ndata 2\nx\n");
    for (i, id) in ids.iter().enumerate() {
        let text = line(i);
        stream.push_str(&format!("N inline {id}\ndata {}\n{text}\n", text.len()));
    }
    sb.fast_import(&repo, &stream);
    let ours = stdout_ok(sb.distill(&repo).args(["notes", "list", "--kind", "fromgit"]));
    let theirs = sb.git(&repo, &["notes", "--ref=distill/fromgit", "list"]);
    let sorted = |s: &str| s.lines().map(str::to_owned).collect::<BTreeSet<_>>();
    assert_eq!(sorted(&ours), sorted(&theirs));
    assert_eq!(sorted(&ours).len(), 3000);
    let shown = stdout_ok(sb.distill(&repo).args(["show", "--json", &ids[2999]]));
    assert!(shown.contains("\"n\": 2999"), "{shown}");
}

#[test]
fn concurrent_writers_lose_nothing() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 20);
    let ids = sb.history(&repo, "main");
    let binary = assert_cmd::cargo::cargo_bin("git-distill");
    let children: Vec<_> = (0..8)
        .map(|p| {
            // Each process attaches 50 notes, one process per note write, on commits shared with the others.
            let script: String = (0..50)
                .map(|i| {
                    let commit = &ids[(p * 50 + i) % ids.len()];
                    format!(
                        "'{}' notes add --kind race {commit} '{{\"p\":{p},\"i\":{i}}}' >/dev/null || exit 1\n",
                        binary.display()
                    )
                })
                .collect();
            let mut cmd = std::process::Command::new("bash");
            cmd.current_dir(&repo).args(["-c", &script]);
            common::isolate(&mut cmd, sb.path());
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer failed");
    }
    let mut lines = BTreeSet::new();
    for id in &ids {
        let out = sb.git_output(&repo, &["notes", "--ref=distill/race", "show", id]);
        lines.extend(String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned));
    }
    assert_eq!(lines.len(), 400, "every one of the 400 notes lines must survive");
}

#[test]
fn fetch_union_merges_like_cat_sort_uniq_and_push_never_forces() {
    let sb = Sandbox::new();
    let clones = sb.shared_remote(2, &["a", "b"]);
    let (a, b) = (clones[0].clone(), clones[1].clone());
    let head = sb.git(&a, &["rev-parse", "HEAD"]).trim().to_owned();
    stdout_ok(
        sb.distill(&a)
            .args(["notes", "add", "--kind", "shared", "HEAD", &line(3), &line(1)]),
    );
    stdout_ok(
        sb.distill(&b)
            .args(["notes", "add", "--kind", "shared", "HEAD", &line(2), &line(1)]),
    );
    stdout_ok(sb.distill(&a).args(["push"]));
    // b's push is rejected (a got there first): b fetches, merges and pushes again.
    let pushed = stdout_ok(sb.distill(&b).args(["push", "--json"]));
    assert!(pushed.contains("\"retried_after_merge\": true"), "{pushed}");
    let merged_b = sb.git(&b, &["notes", "--ref=distill/shared", "show", "HEAD"]);
    assert_eq!(merged_b, format!("{}\n{}\n{}\n", line(1), line(2), line(3)));

    // The same union through git's own strategy gives the same bytes.
    let c = sb.repo("c", 0);
    sb.git(
        &c,
        &["fetch", "-q", a.to_str().unwrap(), "refs/heads/main:refs/heads/base"],
    );
    sb.git(
        &c,
        &[
            "notes",
            "--ref=x",
            "add",
            "-m",
            &format!("{}\n{}", line(3), line(1)),
            &head,
        ],
    );
    sb.git(
        &c,
        &[
            "notes",
            "--ref=y",
            "add",
            "-m",
            &format!("{}\n{}", line(2), line(1)),
            &head,
        ],
    );
    sb.git(
        &c,
        &["notes", "--ref=x", "merge", "-q", "-s", "cat_sort_uniq", "refs/notes/y"],
    );
    assert_eq!(sb.git(&c, &["notes", "--ref=x", "show", &head]), merged_b);

    // a fetches: its notes fast-forward to the merge, and nothing was lost anywhere.
    let fetched = stdout_ok(sb.distill(&a).args(["fetch", "--json"]));
    assert!(fetched.contains("fast-forward"), "{fetched}");
    assert_eq!(sb.git(&a, &["notes", "--ref=distill/shared", "show", "HEAD"]), merged_b);
    let remote = sb.path().join("remote.git");
    assert_eq!(
        sb.git(&remote, &["notes", "--ref=distill/shared", "show", &head]),
        merged_b
    );
}

#[test]
fn sha256_repositories_work() {
    let sb = Sandbox::new();
    let repo = sb.repo_with_format("r", 2, "sha256");
    let ids = sb.history(&repo, "main");
    assert_eq!(ids[0].len(), 64);
    stdout_ok(
        sb.distill(&repo)
            .args(["notes", "add", "--kind", "s", "HEAD", &line(7)]),
    );
    assert_eq!(
        sb.git(&repo, &["notes", "--ref=distill/s", "show", "HEAD"]),
        format!("{}\n", line(7))
    );
    sb.git(&repo, &["notes", "--ref=distill/s", "add", "-m", &line(8), &ids[0]]);
    let shown = stdout_ok(sb.distill(&repo).args(["show", "--json", &ids[0]]));
    assert!(shown.contains(&ids[0]) && shown.contains("\"n\": 8"), "{shown}");
}

#[test]
fn bad_input_gives_one_line_errors_and_corrupt_notes_do_not_stop_reading() {
    let sb = Sandbox::new();
    let not_repo = sb.path().join("plain");
    std::fs::create_dir(&not_repo).unwrap();
    let out = sb.distill(&not_repo).args(["show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: not a git repository") && err.lines().count() == 1,
        "{err}"
    );

    sb.git(sb.path(), &["init", "-q", "--bare", "bare.git"]);
    let out = sb.distill(&sb.path().join("bare.git")).args(["show"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("is a bare repository") && err.lines().count() == 1,
        "{err}"
    );

    let empty = sb.repo("empty", 0);
    let out = sb.distill(&empty).args(["log"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("no commits yet") && err.lines().count() == 1, "{err}");

    let repo = sb.repo("r", 2);
    let out = sb.distill(&repo).args(["show", "no-such-rev"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("`no-such-rev`") && err.lines().count() == 1, "{err}");

    sb.git(
        &repo,
        &[
            "notes",
            "--ref=distill/evil",
            "add",
            "-m",
            "this is not json\n{\"ok\":1}",
            "HEAD",
        ],
    );
    stdout_ok(
        sb.distill(&repo)
            .args(["notes", "add", "--kind", "good", "HEAD", &line(1)]),
    );
    let out = sb.distill(&repo).args(["show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("! line 1: not JSON"), "{text}");
    assert!(
        text.contains("good (1 records)") && text.contains("evil (1 records)"),
        "{text}"
    );

    let out = sb
        .distill(&repo)
        .args(["notes", "add", "--kind", "evidence", "HEAD", "{\"run_id\":1}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "schema-checked refs refuse invalid records");
}

/// `kill -9` at several moments of a collect leaves a repository git reads cleanly (the
/// ref at its old or its new value, never a half-written note), and the next collect
/// finishes the job with no line lost.
#[test]
fn kill_dash_nine_mid_collect_loses_nothing() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 3);
    let log = sb.path().join("big.jsonl");
    let n = 40_000;
    let body: String = (0..n)
        .map(|i| {
            format!(
                "{{\"run_id\":\"run-{i}\",\"task_id\":\"t{}\",\"model\":\"m\",\"ts\":\"2026-01-01T00:00:00Z\"}}\n",
                i % 97
            )
        })
        .collect();
    std::fs::write(&log, body).unwrap();
    for delay_ms in [50, 250, 600, 1200] {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("git-distill"));
        cmd.current_dir(&repo);
        common::isolate(&mut cmd, sb.path());
        let mut child = cmd
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let fsck = sb.git_output(&repo, &["fsck", "--strict", "--no-dangling"]);
        assert!(
            fsck.status.success(),
            "after kill at {delay_ms} ms: {}",
            String::from_utf8_lossy(&fsck.stderr)
        );
        let note = sb.git_output(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
        let lines = String::from_utf8(note.stdout).unwrap().lines().count();
        assert!(lines == 0 || lines == n, "after kill at {delay_ms} ms: {lines} lines");
    }
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(&log),
    );
    let note = sb.git(&repo, &["notes", "--ref=distill/evidence", "show", "HEAD"]);
    assert_eq!(note.lines().count(), n);
}
