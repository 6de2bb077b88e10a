//! Receipts: pinned test vectors, `verify` on a whole pipeline, and tamper tests.

mod common;

use common::{Sandbox, stdout_ok};
use git_distill::schema::{canonical_bytes, sha256_hex};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// The pinned vector: a receipt, its canonical bytes and its id never change.
#[test]
fn receipt_test_vector() {
    let receipt: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("receipts/vector.json")).unwrap()).unwrap();
    let bytes = canonical_bytes(&receipt).unwrap();
    let pinned = std::fs::read(fixture("receipts/vector.jcs")).unwrap();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        String::from_utf8(pinned).unwrap()
    );
    let id = std::fs::read_to_string(fixture("receipts/vector.id")).unwrap();
    assert_eq!(format!("sha256:{}", sha256_hex(&bytes)), id.trim());
}

fn pipeline(sb: &Sandbox) -> PathBuf {
    let repo = sb.path().join("gateway");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(fixture("drift/build.sh")).arg(&repo);
    common::isolate(&mut cmd, sb.path());
    assert!(cmd.status().unwrap().success());
    let logs = fixture("sources/claude-code");
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "claude-code"])
            .arg(logs.join("7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60.jsonl")),
    );
    for args in [&["score"][..], &["ledger"], &["playbooks"], &["drift"]] {
        stdout_ok(sb.distill(&repo).args(args));
    }
    repo
}

fn verify(sb: &Sandbox, repo: &Path) -> (i32, Value) {
    let out = sb
        .distill(repo)
        .args(["verify", "--json", "--reproduce"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), report["receipts"].clone())
}

/// `verify --allowed-signers` passes the drift receipt's signature, the allowed-signers
/// file (`name`, in the sandbox) listing every key added so far: the envelopes of earlier
/// rounds sign these receipts too.
fn our_verifier_accepts(sb: &Sandbox, repo: &std::path::Path, name: &str, public: &std::path::Path, kind: &str) {
    let allowed = sb.path().join(name);
    let mut listed = std::fs::read_to_string(&allowed).unwrap_or_default();
    listed.push_str(&format!("ci@example.com {}", std::fs::read_to_string(public).unwrap()));
    std::fs::write(&allowed, listed).unwrap();
    let out = sb
        .distill(repo)
        .args(["verify", "--json", "--allowed-signers"])
        .arg(&allowed)
        .output()
        .unwrap();
    let verdicts: Value = serde_json::from_slice::<Value>(&out.stdout).unwrap()["receipts"].clone();
    assert_eq!(check_of(&verdicts, "drift", "signature"), "pass", "{kind}");
}

fn check_of<'a>(verdicts: &'a Value, stage: &str, check: &str) -> &'a str {
    let v = verdicts
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["stage"] == stage)
        .unwrap();
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == check)
        .unwrap()["status"]
        .as_str()
        .unwrap()
}

/// Rewrite the receipt line of `stage` on HEAD with `edit`, through plain git.
fn tamper(sb: &Sandbox, repo: &Path, stage: &str, edit: impl Fn(&str) -> String) {
    let note = sb.git(repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    // A stage predicate names its stage; SLSA provenance, its build type.
    let markers = [
        format!("\"stage\":\"{stage}\""),
        format!("\"buildType\":\"https://git-distill.dev/buildtypes/{stage}/v1\""),
    ];
    let tampered: Vec<String> = note
        .lines()
        .map(|l| {
            if markers.iter().any(|m| l.contains(m)) {
                edit(l)
            } else {
                l.to_owned()
            }
        })
        .collect();
    let file = sb.path().join("note.txt");
    std::fs::write(&file, tampered.join("\n")).unwrap();
    sb.git(
        repo,
        &[
            "notes",
            "--ref=distill/receipts",
            "add",
            "-f",
            "-F",
            file.to_str().unwrap(),
            "HEAD",
        ],
    );
}

#[test]
fn every_stage_has_a_receipt_that_verifies() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 0, "{verdicts:#}");
    let stages: Vec<&str> = verdicts
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["stage"].as_str().unwrap())
        .collect();
    for stage in ["collect", "score", "ledger", "playbooks", "drift"] {
        assert!(stages.contains(&stage), "no receipt for {stage}: {stages:?}");
    }
    assert_eq!(check_of(&verdicts, "drift", "reproduce"), "pass");
    assert_eq!(check_of(&verdicts, "score", "reproduce"), "pass");
    let all = sb.distill(&repo).args(["verify", "--all"]).output().unwrap();
    assert_eq!(all.status.code(), Some(0));
    // An honest pipeline leaves no line that a receipt does not cover.
    let strict = sb
        .distill(&repo)
        .args(["verify", "--all", "--strict"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&strict.stdout);
    assert_eq!(strict.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 unattested"), "{text}");
    assert!(text.contains("authorship was not checked"), "{text}");
    let status = stdout_ok(sb.distill(&repo).args(["status"]));
    assert!(status.lines().all(|l| !l.contains("stale")), "{status}");
}

#[test]
fn a_changed_output_byte_fails_integrity() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    let note = sb.git(&repo, &["notes", "--ref=distill/drift", "show", "HEAD"]);
    let tampered = note.replacen("\"verified\"", "\"verifieD\"", 1);
    sb.git(
        &repo,
        &[
            "notes",
            "--ref=distill/drift",
            "add",
            "-f",
            "-m",
            tampered.trim_end(),
            "HEAD",
        ],
    );
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 1);
    assert_eq!(check_of(&verdicts, "drift", "integrity"), "fail");
    assert_eq!(check_of(&verdicts, "drift", "canonical"), "pass");
}

#[test]
fn a_changed_payload_byte_fails_canonical() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    tamper(&sb, &repo, "drift", |l| l.replacen('{', "{ ", 1));
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 1);
    assert_eq!(check_of(&verdicts, "drift", "canonical"), "fail");
    assert_eq!(check_of(&verdicts, "score", "canonical"), "pass");
}

#[test]
fn a_changed_count_fails_integrity() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    tamper(&sb, &repo, "ledger", |l| {
        l.replace("\"recordCount\":1}", "\"recordCount\":7}")
    });
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 1);
    assert_eq!(check_of(&verdicts, "ledger", "integrity"), "fail");
    assert_eq!(check_of(&verdicts, "ledger", "consistency"), "pass");
}

#[test]
fn a_moved_receipt_fails_binding() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    let note = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    let score_line = note
        .lines()
        .find(|l| l.contains("\"stage\":\"score\""))
        .unwrap()
        .to_owned();
    sb.git(
        &repo,
        &[
            "notes",
            "--ref=distill/receipts",
            "add",
            "-f",
            "-m",
            &score_line,
            "pr-drift",
        ],
    );
    let out = sb
        .distill(&repo)
        .args(["verify", "--json", "pr-drift"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let verdicts: Value = serde_json::from_slice::<Value>(&out.stdout).unwrap()["receipts"].clone();
    assert_eq!(check_of(&verdicts, "score", "binding"), "fail");
    assert_eq!(check_of(&verdicts, "score", "canonical"), "pass");
}

/// The whole pipeline, receipts included, in a SHA-256 repository.
#[test]
fn sha256_repositories_run_the_pipeline_and_verify() {
    let sb = Sandbox::new();
    let repo = sb.repo_with_format("r", 2, "sha256");
    std::fs::copy(fixture("drift/base/PRD.md"), repo.join("PRD.md")).unwrap();
    sb.git(&repo, &["add", "PRD.md"]);
    sb.git(&repo, &["commit", "-q", "-m", "prd"]);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("score/runs.jsonl")),
    );
    for args in [&["score"][..], &["ledger"], &["playbooks"], &["export"]] {
        stdout_ok(sb.distill(&repo).args(args));
    }
    // The PRD names files this repository lacks: drift exits 1, and still records its report.
    assert_eq!(
        sb.distill(&repo).args(["drift"]).output().unwrap().status.code(),
        Some(1)
    );
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 0, "{verdicts:#}");
    let head = sb.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    assert_eq!(head.len(), 64);
    assert!(
        verdicts
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["commit"] == head.as_str())
    );
    assert_eq!(verdicts.as_array().unwrap().len(), 6);
}

/// Signed receipts verify against the allowed signers; a stranger's key, or a required
/// signature that is missing, fails.
#[test]
fn ssh_signed_receipts_verify_against_allowed_signers() {
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    let key = sb.path().join("id_ed25519");
    let keygen = |path: &Path| {
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    };
    keygen(&key);
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = sb.path().join("allowed_signers");
    std::fs::write(&allowed, format!("ci@example.com {public}")).unwrap();
    sb.git(&repo, &["config", "user.signingkey", key.to_str().unwrap()]);
    sb.git(
        &repo,
        &["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()],
    );

    let out = stdout_ok(sb.distill(&repo).args(["receipts", "--sign"]));
    assert!(out.contains("signed 5 receipts"), "{out}");
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 0, "{verdicts:#}");
    assert_eq!(check_of(&verdicts, "drift", "signature"), "pass");

    // Receipts written from now on are signed as they are written.
    sb.git(&repo, &["config", "distill.receipts.sign", "true"]);
    stdout_ok(sb.distill(&repo).args(["ledger"]));
    let strict = sb
        .distill(&repo)
        .args(["verify", "--require-signatures"])
        .output()
        .unwrap();
    assert_eq!(
        strict.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&strict.stdout)
    );

    // Another key is not allowed.
    let stranger = sb.path().join("stranger");
    keygen(&stranger);
    let other = std::fs::read_to_string(stranger.with_extension("pub")).unwrap();
    let wrong = sb.path().join("wrong_signers");
    std::fs::write(&wrong, format!("ci@example.com {other}")).unwrap();
    let out = sb
        .distill(&repo)
        .args(["verify", "--json", "--allowed-signers"])
        .arg(&wrong)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let verdicts: Value = serde_json::from_slice::<Value>(&out.stdout).unwrap()["receipts"].clone();
    assert_eq!(check_of(&verdicts, "drift", "signature"), "fail");

    // An unsigned receipt fails when signatures are required.
    sb.git(&repo, &["config", "distill.receipts.sign", "false"]);
    stdout_ok(sb.distill(&repo).args(["playbooks"]));
    let strict = sb
        .distill(&repo)
        .args(["verify", "--require-signatures"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

/// python3 with `cryptography` for the independent DSSE check (installed by pip when
/// missing); `None` (skip) only outside CI.
fn python_cryptography() -> Option<std::process::Command> {
    common::python_with("cryptography", "cryptography")
}

/// The `ssh-keygen -l` SHA-256 fingerprint of a public key file.
fn keyid_of(public: &Path) -> String {
    let listed = std::process::Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(public)
        .output()
        .unwrap();
    String::from_utf8(listed.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned()
}

/// A DSSE check written from the specification in Python (`cryptography`), independent
/// of our code: the PAE rebuilt, the raw Ed25519 or DER ECDSA P-256 signature checked with
/// the public key. Returns how many signatures by `keyid` verified.
fn independent_dsse_check(envelopes: &str, public: &Path, keyid: &str) -> usize {
    let script = r#"
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
public = serialization.load_ssh_public_key(open(sys.argv[1], "rb").read())
keyid = sys.argv[2]
checked = 0
for line in sys.stdin:
    envelope = json.loads(line)
    payload = base64.b64decode(envelope["payload"])
    kind = envelope["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)
    for s in envelope["signatures"]:
        if s["keyid"] != keyid:
            continue
        sig = base64.b64decode(s["sig"])
        if isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(sig, pae)
        else:
            public.verify(sig, pae, ec.ECDSA(hashes.SHA256()))
        checked += 1
print(checked)
"#;
    let mut child = python_cryptography()
        .expect("python3 with cryptography")
        .args(["-c", script])
        .arg(public)
        .arg(keyid)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(envelopes.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().parse().unwrap()
}

/// A signed receipt's envelope is plain DSSE: verified here by a DSSE check written
/// from the specification in Python (`cryptography`), independent of our code — PAE
/// rebuilt, the raw Ed25519 or DER ECDSA P-256 signature checked with the public key,
/// `keyid` the key's `ssh-keygen -l` SHA-256 fingerprint.
#[test]
fn signed_envelopes_verify_with_an_independent_dsse_implementation() {
    if python_cryptography().is_none() {
        return;
    }
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    for (kind, bits) in [("ed25519", "256"), ("ecdsa", "256")] {
        let key = sb.path().join(format!("id_{kind}"));
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-b", bits, "-N", "", "-C", "test", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(status.success());
        sb.git(&repo, &["config", "user.signingkey", key.to_str().unwrap()]);
        stdout_ok(sb.distill(&repo).args(["receipts", "--sign"]));
        let envelopes = sb.git(&repo, &["notes", "--ref=distill/signatures", "show", "HEAD"]);
        let keyid = keyid_of(&key.with_extension("pub"));
        let checked = independent_dsse_check(&envelopes, &key.with_extension("pub"), &keyid);
        assert!(checked >= 5, "{kind}: only {checked} envelopes verified");
        // And our own verifier accepts them against an allowed-signers file.
        our_verifier_accepts(&sb, &repo, "allowed_signers_all", &key.with_extension("pub"), kind);
    }
}

/// An ssh-agent this test started (`ssh-agent -D`), ended when the test ends.
struct Agent {
    child: std::process::Child,
    socket: PathBuf,
}

impl Agent {
    fn start(dir: &Path) -> Agent {
        let socket = dir.join("agent.sock");
        let child = std::process::Command::new("ssh-agent")
            .args(["-D", "-a"])
            .arg(&socket)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ssh-agent");
        for _ in 0..100 {
            if socket.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(socket.exists(), "ssh-agent did not create its socket");
        Agent { child, socket }
    }

    /// `ssh-add` the private key at `key`.
    fn add(&self, key: &Path) {
        let out = std::process::Command::new("ssh-add")
            .arg(key)
            .env("SSH_AUTH_SOCK", &self.socket)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "ssh-add: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Keys whose private half only ssh-agent holds sign through the agent (the real
/// `ssh-agent` and `ssh-add`), in the same plain DSSE envelope, checked by the independent
/// DSSE implementation: `user.signingkey` naming a public key file with no private key
/// beside it, a `key::` literal, and a passphrase-protected private key. Without an
/// agent, or with one that lacks the key, signing fails and says why.
#[test]
fn keys_in_ssh_agent_sign_through_the_agent() {
    if python_cryptography().is_none() {
        return;
    }
    let sb = Sandbox::new();
    let repo = pipeline(&sb);
    let agent = Agent::start(sb.path());
    let sign = |setting: &str, socket: Option<&Path>| {
        sb.git(&repo, &["config", "user.signingkey", setting]);
        let mut cmd = sb.distill(&repo);
        cmd.args(["receipts", "--sign"]);
        if let Some(s) = socket {
            cmd.env("SSH_AUTH_SOCK", s);
        }
        cmd.output().unwrap()
    };
    for kind in ["ed25519", "ecdsa"] {
        let key = sb.path().join(format!("agent_{kind}"));
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-N", "", "-C", "agent", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(status.success());
        let public = key.with_extension("pub");
        let keyid = keyid_of(&public);
        agent.add(&key);
        // From now on the private key is in the agent only: encrypted on disk, then gone.
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-p", "-P", "", "-N", "a passphrase", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(status.success());
        let literal = format!("key::{}", std::fs::read_to_string(&public).unwrap().trim());
        let encrypted = key.to_str().unwrap().to_owned();
        for setting in [encrypted.as_str(), public.to_str().unwrap(), &literal] {
            if setting == public.to_str().unwrap() {
                std::fs::remove_file(&key).unwrap();
            }
            let out = sign(setting, Some(&agent.socket));
            assert!(
                out.status.success(),
                "{kind} {setting}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let envelopes = sb.git(&repo, &["notes", "--ref=distill/signatures", "show", "HEAD"]);
            let checked = independent_dsse_check(&envelopes, &public, &keyid);
            assert!(checked >= 5, "{kind} {setting}: {checked} envelopes verified");
        }
        our_verifier_accepts(&sb, &repo, "allowed_agent_keys", &public, kind);

        // No agent: the error says what to do.
        let out = sign(&literal, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("ssh-agent") && err.contains("ssh-add"),
            "{err}"
        );
    }
    // An agent that lacks the key refuses.
    let stranger = sb.path().join("stranger");
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "stranger", "-f"])
        .arg(&stranger)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_file(&stranger).unwrap();
    let out = sign(stranger.with_extension("pub").to_str().unwrap(), Some(&agent.socket));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("refused to sign"), "{err}");
}

/// The export stage's receipt is SLSA Provenance v1: read by in-toto's own attestation
/// bindings (the Statement validated, the predicate parsed into their Provenance v1
/// message, extension fields ignored as SLSA's parsing rules say), checked by `verify`
/// and listed by `receipts`; an export receipt of the older form (git-distill's
/// predicate) still verifies, and a changed dependency digest fails integrity.
#[test]
fn the_export_receipt_is_slsa_provenance() {
    let sb = Sandbox::new();
    let repo = sb.repo("r", 1);
    stdout_ok(
        sb.distill(&repo)
            .args(["collect", "--adapter", "jsonl", "--at", "HEAD"])
            .arg(fixture("export/runs.jsonl")),
    );
    stdout_ok(sb.distill(&repo).args(["score"]));
    stdout_ok(sb.distill(&repo).args(["export", "--format", "parquet"]));
    let note = sb.git(&repo, &["notes", "--ref=distill/receipts", "show", "HEAD"]);
    let (slsa, ours): (Vec<&str>, Vec<&str>) = note
        .lines()
        .partition(|l| l.contains("\"predicateType\":\"https://slsa.dev/provenance/v1\""));
    assert_eq!(slsa.len(), 1, "{note}");
    assert_eq!(ours.len(), 2, "collect and score keep their predicate: {note}");
    assert!(
        ours.iter()
            .all(|l| l.contains("\"predicateType\":\"https://git-distill.dev/receipt/v1\""))
    );
    let line = slsa[0];
    let receipt: Value = serde_json::from_str(line).unwrap();
    let definition = &receipt["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], "https://git-distill.dev/buildtypes/export/v1");
    assert_eq!(
        definition["externalParameters"]["command"],
        serde_json::json!(["git-distill", "export", "--format", "parquet"])
    );
    let dependencies = definition["resolvedDependencies"].as_array().unwrap();
    assert!(
        dependencies
            .iter()
            .any(|d| d["name"].as_str().unwrap().starts_with("refs/notes/distill/evidence:")),
        "{dependencies:?}"
    );
    for d in dependencies {
        assert_eq!(d["digest"]["sha256"].as_str().unwrap().len(), 64);
        assert!(d["digest"]["gitCommit"].is_string(), "pinned: {d}");
    }
    let subject = receipt["subject"].as_array().unwrap();
    assert!(
        subject
            .iter()
            .any(|a| a["name"] == "refs/distill/datasets/default:sft/train.parquet")
    );

    if let Some(mut python) = common::python_with("in_toto_attestation", "in-toto-attestation==0.9.3") {
        let script = r#"
import json, sys
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.predicates.provenance.v1 import provenance_pb2
line = sys.stdin.read()
statement = json_format.Parse(line, statement_pb2.Statement())
Statement.copy_from_pb(statement).validate()
assert statement.predicate_type == "https://slsa.dev/provenance/v1"
provenance = json_format.Parse(json.dumps(json.loads(line)["predicate"]), provenance_pb2.Provenance(), ignore_unknown_fields=True)
run = provenance.run_details
assert run.builder.id == "https://git-distill.dev/builders/local/v1", run.builder.id
assert run.metadata.finished_on.ToMilliseconds() >= run.metadata.started_on.ToMilliseconds()
for d in provenance.build_definition.resolved_dependencies:
    ResourceDescriptor.copy_from_pb(d).validate()
    print(d.name, d.digest["sha256"])
print(provenance.build_definition.build_type)
"#;
        let mut child = python
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        for d in dependencies {
            let expected = format!(
                "{} {}\n",
                d["name"].as_str().unwrap(),
                d["digest"]["sha256"].as_str().unwrap()
            );
            assert!(text.contains(&expected), "{text}");
        }
        assert!(
            text.ends_with("https://git-distill.dev/buildtypes/export/v1\n"),
            "{text}"
        );
    }

    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 0, "{verdicts:#}");
    assert_eq!(check_of(&verdicts, "export", "integrity"), "pass");
    let listed = stdout_ok(sb.distill(&repo).args(["receipts"]));
    assert!(
        listed.lines().any(|l| l.contains(" export ") && l.contains(" pass ")),
        "{listed}"
    );

    // The same receipt as an older build stored it (git-distill's predicate) still verifies.
    let mut older: git_distill::schema::Receipt = serde_json::from_str(line).unwrap();
    older.predicate_type = git_distill::schema::PREDICATE_TYPE.to_owned();
    let older = String::from_utf8(canonical_bytes(&older).unwrap()).unwrap();
    assert!(older.contains("\"stage\":\"export\""), "{older}");
    tamper(&sb, &repo, "export", |_| older.clone());
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 0, "{verdicts:#}");
    assert_eq!(check_of(&verdicts, "export", "integrity"), "pass");

    // A dependency digest changed in the SLSA form fails integrity, not the form.
    let evidence = dependencies
        .iter()
        .find(|d| d["name"].as_str().unwrap().starts_with("refs/notes/distill/evidence:"))
        .unwrap()["digest"]["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let forged = line.replace(&evidence, &"0".repeat(64));
    tamper(&sb, &repo, "export", |_| forged.clone());
    let (code, verdicts) = verify(&sb, &repo);
    assert_eq!(code, 1);
    assert_eq!(check_of(&verdicts, "export", "integrity"), "fail");
    assert_eq!(check_of(&verdicts, "export", "canonical"), "pass");
}
