//! Signatures over receipts as DSSE envelopes that any DSSE verifier accepts: the
//! signature is the raw signature of the user's SSH signing key (`user.signingkey`, as
//! git uses it for commit signing) over the DSSE pre-authentication encoding (PAE) of the
//! receipt's canonical bytes — Ed25519's 64 bytes, or a DER-encoded ECDSA P-256 signature
//! — and `keyid` is the key's SHA-256 fingerprint (`SHA256:…`, as `ssh-keygen -l` prints
//! it). Verification finds that fingerprint in a git allowed-signers file.
//!
//! The key is read as git reads `user.signingkey` ([`SigningKey`]): an unencrypted private
//! key signs in-process; a public key (a file, or a `key::` literal) or a
//! passphrase-protected private key signs through ssh-agent, which returns the same raw
//! signature, so the envelope is the same.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ssh_key::{Algorithm, HashAlg, PrivateKey, PublicKey, Signature};
use std::path::Path;

/// The DSSE payload type of a receipt (an in-toto Statement).
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// A DSSE envelope carrying one receipt and its signature.
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
    /// The signing key's SHA-256 fingerprint (`SHA256:…`).
    pub keyid: String,
    /// Base64 of the raw signature over the PAE.
    pub sig: String,
}

/// Signing or verifying failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The signature's key is not in the allowed-signers file.
    #[error("signer {keyid} is not in {file}")]
    UnknownSigner {
        /// The envelope's keyid.
        keyid: String,
        /// The allowed-signers file.
        file: String,
    },
    /// Anything else: unreadable key or file, a bad signature.
    #[error("{0}")]
    Failed(String),
}

/// DSSE pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out
}

/// The key `user.signingkey` names, and how it signs.
#[derive(Debug, Clone)]
pub enum SigningKey {
    /// An unencrypted private key, read from its file: signs in-process.
    Private {
        /// The key.
        key: Box<PrivateKey>,
        /// Its file, for messages.
        path: std::path::PathBuf,
    },
    /// A public key whose private half only ssh-agent holds.
    Agent {
        /// The key.
        key: PublicKey,
        /// Where it was named (a file or `key::`), for messages.
        origin: String,
    },
}

impl SigningKey {
    /// A `user.signingkey` that is a public key itself: `key::<type> <base64>`, or (as
    /// git still accepts) a line starting with `ssh-` or `ecdsa-`. `None` for a path.
    pub fn literal(setting: &str) -> Option<Result<SigningKey, SignError>> {
        let line = setting
            .strip_prefix("key::")
            .or_else(|| (setting.starts_with("ssh-") || setting.starts_with("ecdsa-")).then_some(setting))?;
        Some(
            PublicKey::from_openssh(line.trim())
                .map(|key| SigningKey::Agent {
                    key,
                    origin: "user.signingkey (key::)".to_owned(),
                })
                .map_err(|e| SignError::Failed(format!("user.signingkey holds no public key: {e}"))),
        )
    }

    /// The key of the file at `path`, as git and `ssh-keygen -Y sign` read it: an
    /// unencrypted private key is used as it is; a public key (`.pub` or not) uses the
    /// unencrypted private key beside it when there is one, else ssh-agent; a
    /// passphrase-protected private key uses ssh-agent.
    pub fn from_file(path: &Path) -> Result<SigningKey, SignError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SignError::Failed(format!("cannot read the signing key {}: {e}", path.display())))?;
        let agent = |key: PublicKey| SigningKey::Agent {
            key,
            origin: path.display().to_string(),
        };
        if let Ok(private) = PrivateKey::from_openssh(&text) {
            return Ok(if private.is_encrypted() {
                agent(private.public_key().clone())
            } else {
                SigningKey::Private {
                    key: Box::new(private),
                    path: path.to_path_buf(),
                }
            });
        }
        let public = PublicKey::from_openssh(text.trim()).map_err(|e| {
            SignError::Failed(format!(
                "{} is neither an OpenSSH private key nor a public key: {e}",
                path.display()
            ))
        })?;
        let beside = match path.extension() {
            Some(ext) if ext == "pub" => Some(path.with_extension("")),
            _ => None,
        };
        let private = beside
            .as_deref()
            .and_then(|p| PrivateKey::read_openssh_file(p).ok().map(|k| (p, k)))
            .filter(|(_, k)| !k.is_encrypted() && k.public_key().key_data() == public.key_data());
        Ok(match private {
            Some((p, key)) => SigningKey::Private {
                key: Box::new(key),
                path: p.to_path_buf(),
            },
            None => agent(public),
        })
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        match self {
            SigningKey::Private { key, .. } => key.public_key(),
            SigningKey::Agent { key, .. } => key,
        }
    }
}

/// Sign `receipt` (canonical bytes) with `key` (Ed25519 or ECDSA P-256). A key only the
/// agent holds is signed with through the agent's socket `agent` (`SSH_AUTH_SOCK`).
pub fn sign(receipt: &[u8], key: &SigningKey, agent: Option<&Path>) -> Result<Envelope, SignError> {
    let message = pae(PAYLOAD_TYPE, receipt);
    let signature: Signature = match key {
        SigningKey::Private { key, path } => signature::Signer::try_sign(key.as_ref(), &message)
            .map_err(|e| SignError::Failed(format!("cannot sign with {}: {e}", path.display())))?,
        SigningKey::Agent { key, origin } => {
            let socket = agent.ok_or_else(|| {
                SignError::Failed(format!(
                    "the private key of {origin} ({}) is not at hand (passphrase-protected, or only the public key is there) and no ssh-agent is running (SSH_AUTH_SOCK is not set); start one and `ssh-add` the key",
                    fingerprint(key)
                ))
            })?;
            super::agent::sign(socket, key, &message)?
        }
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(Envelope {
        payload_type: PAYLOAD_TYPE.to_owned(),
        payload: b64.encode(receipt),
        signatures: vec![EnvelopeSignature {
            keyid: fingerprint(key.public_key()),
            sig: b64.encode(raw_signature(&signature)?),
        }],
    })
}

/// The SHA-256 fingerprint of a public key, as `ssh-keygen -l` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The signature as DSSE verifiers expect it: raw Ed25519, DER for ECDSA.
fn raw_signature(signature: &Signature) -> Result<Vec<u8>, SignError> {
    match signature.algorithm() {
        Algorithm::Ed25519 => Ok(signature.as_bytes().to_vec()),
        Algorithm::Ecdsa { .. } => {
            let ecdsa = p256::ecdsa::Signature::try_from(signature).map_err(|e| SignError::Failed(e.to_string()))?;
            Ok(ecdsa.to_der().as_bytes().to_vec())
        }
        other => Err(SignError::Failed(format!(
            "{other} keys are not supported (Ed25519 or ECDSA P-256)"
        ))),
    }
}

/// Check `envelope` against `allowed_signers` (git's format: principals, options, key);
/// returns the signer's principal. The envelope's payload must be exactly `receipt`.
pub fn verify(envelope: &Envelope, receipt: &[u8], allowed_signers: &Path) -> Result<String, SignError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(&envelope.payload)
        .map_err(|e| SignError::Failed(format!("payload: {e}")))?;
    if payload != receipt {
        return Err(SignError::Failed(
            "the envelope signs other bytes than the stored receipt".into(),
        ));
    }
    let signature = envelope
        .signatures
        .first()
        .ok_or_else(|| SignError::Failed("no signature".into()))?;
    let raw = b64
        .decode(&signature.sig)
        .map_err(|e| SignError::Failed(format!("signature: {e}")))?;
    let signers = std::fs::read_to_string(allowed_signers)
        .map_err(|e| SignError::Failed(format!("cannot read {}: {e}", allowed_signers.display())))?;
    let (principal, key) = allowed_keys(&signers)
        .into_iter()
        .find(|(_, key)| fingerprint(key) == signature.keyid)
        .ok_or_else(|| SignError::UnknownSigner {
            keyid: signature.keyid.clone(),
            file: allowed_signers.display().to_string(),
        })?;
    let ssh_signature = match key.algorithm() {
        Algorithm::Ed25519 => Signature::new(Algorithm::Ed25519, raw).map_err(|e| SignError::Failed(e.to_string()))?,
        Algorithm::Ecdsa { .. } => {
            let ecdsa =
                p256::ecdsa::Signature::from_der(&raw).map_err(|e| SignError::Failed(format!("signature: {e}")))?;
            Signature::try_from(ecdsa).map_err(|e| SignError::Failed(e.to_string()))?
        }
        other => return Err(SignError::Failed(format!("{other} keys are not supported"))),
    };
    signature::Verifier::verify(&key, &pae(&envelope.payload_type, &payload), &ssh_signature)
        .map_err(|_| SignError::Failed("bad signature".into()))?;
    Ok(principal)
}

/// (principal, key) of each line of an allowed-signers file; lines that do not parse
/// are skipped.
fn allowed_keys(text: &str) -> Vec<(String, PublicKey)> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // principals [options] keytype base64 [comment]: the key is the first field
        // that parses together with the one after it.
        let key = (1..fields.len().saturating_sub(1))
            .find_map(|i| PublicKey::from_openssh(&format!("{} {}", fields[i], fields[i + 1])).ok());
        if let (Some(principal), Some(key)) = (fields.first(), key) {
            out.push((principal.split(',').next().unwrap_or(principal).to_owned(), key));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_key_literal_signs_through_the_agent() {
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGGQ8b2YtRHCiHZG8eEqmdRgpgTW5ZqBbpMm8G7OcUBn test";
        for setting in [format!("key::{line}"), line.to_owned()] {
            match SigningKey::literal(&setting) {
                Some(Ok(SigningKey::Agent { key, .. })) => assert!(fingerprint(&key).starts_with("SHA256:")),
                other => panic!("{setting}: {other:?}"),
            }
        }
        assert!(SigningKey::literal("~/.ssh/id_ed25519.pub").is_none());
        assert!(matches!(SigningKey::literal("key::not a key"), Some(Err(_))));
        let err = sign(
            b"{}",
            &SigningKey::literal(&format!("key::{line}")).unwrap().unwrap(),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("SSH_AUTH_SOCK"), "{err}");
    }

    #[test]
    fn pae_matches_the_dsse_spec() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }
}
