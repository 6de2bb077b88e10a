//! SSH signatures over receipts, as DSSE envelopes: the signed bytes are the DSSE
//! pre-authentication encoding (PAE) of the receipt's canonical bytes, signed with
//! `ssh-keygen -Y sign` (the key git uses for SSH commit signing, `user.signingkey`)
//! and checked with `ssh-keygen -Y verify` against an allowed-signers file.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The DSSE payload type of a receipt (an in-toto Statement).
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// The ssh-keygen signature namespace.
pub const NAMESPACE: &str = "git-distill";

/// A DSSE envelope carrying one receipt and its SSH signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Always [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Base64 of the receipt's canonical bytes.
    pub payload: String,
    /// Signatures (one).
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// The signer's public key, as in an allowed-signers file.
    pub keyid: String,
    /// Base64 of the armored SSH signature.
    pub sig: String,
}

/// Signing or verifying failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SignError(String);

/// DSSE pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Sign `receipt` (canonical bytes) with the SSH key at `key` (a private key, or a
/// public key whose private half is in ssh-agent).
pub fn sign(receipt: &[u8], key: &Path) -> Result<Envelope, SignError> {
    let keyid = std::fs::read_to_string(public_key_path(key))
        .map(|k| k.trim().to_owned())
        .unwrap_or_default();
    let mut args: Vec<OsString> = ["-q", "-Y", "sign", "-n", NAMESPACE, "-f"].map(OsString::from).to_vec();
    args.push(key.into());
    let out = ssh_keygen(&args, &pae(PAYLOAD_TYPE, receipt))?;
    if !out.status.success() {
        return Err(SignError(format!(
            "ssh-keygen -Y sign with {} failed: {}",
            key.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(Envelope {
        payload_type: PAYLOAD_TYPE.to_owned(),
        payload: b64.encode(receipt),
        signatures: vec![EnvelopeSignature {
            keyid,
            sig: b64.encode(&out.stdout),
        }],
    })
}

/// Check `envelope` against `allowed_signers`; returns the signer's principal.
/// The envelope's payload must be exactly `receipt`.
pub fn verify(envelope: &Envelope, receipt: &[u8], allowed_signers: &Path) -> Result<String, SignError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(&envelope.payload)
        .map_err(|e| SignError(format!("payload: {e}")))?;
    if payload != receipt {
        return Err(SignError(
            "the envelope signs other bytes than the stored receipt".into(),
        ));
    }
    let signature = envelope
        .signatures
        .first()
        .ok_or_else(|| SignError("no signature".into()))?;
    let armored = b64
        .decode(&signature.sig)
        .map_err(|e| SignError(format!("signature: {e}")))?;
    let dir = tempfile::tempdir().map_err(|e| SignError(e.to_string()))?;
    let sig_path = dir.path().join("receipt.sig");
    std::fs::write(&sig_path, &armored).map_err(|e| SignError(e.to_string()))?;
    let principals = Command::new("ssh-keygen")
        .args(["-Y", "find-principals", "-f"])
        .arg(allowed_signers)
        .arg("-s")
        .arg(&sig_path)
        .output()
        .map_err(|e| SignError(format!("cannot run ssh-keygen: {e}")))?;
    let principal = String::from_utf8_lossy(&principals.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if !principals.status.success() || principal.is_empty() {
        return Err(SignError(format!("signer is not in {}", allowed_signers.display())));
    }
    let mut args: Vec<OsString> = ["-Y", "verify", "-n", NAMESPACE, "-f"].map(OsString::from).to_vec();
    args.extend([
        allowed_signers.into(),
        "-I".into(),
        principal.clone().into(),
        "-s".into(),
        sig_path.into(),
    ]);
    let out = ssh_keygen(&args, &pae(&envelope.payload_type, &payload))?;
    if out.status.success() {
        Ok(principal)
    } else {
        Err(SignError(format!(
            "bad signature: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Run `ssh-keygen` with `args`, feeding it `input`.
fn ssh_keygen(args: &[OsString], input: &[u8]) -> Result<std::process::Output, SignError> {
    let mut child = Command::new("ssh-keygen")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SignError(format!("cannot run ssh-keygen: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input)
            .map_err(|e| SignError(format!("ssh-keygen: {e}")))?;
    }
    child
        .wait_with_output()
        .map_err(|e| SignError(format!("ssh-keygen: {e}")))
}

fn public_key_path(key: &Path) -> std::path::PathBuf {
    if key.extension().is_some_and(|e| e == "pub") {
        key.to_path_buf()
    } else {
        let mut p = key.as_os_str().to_owned();
        p.push(".pub");
        p.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }
}
