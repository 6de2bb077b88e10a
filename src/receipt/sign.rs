//! Signatures over receipts as DSSE envelopes that any DSSE verifier accepts: the
//! signature is the raw signature of the user's SSH signing key (`user.signingkey`, as
//! git uses it for commit signing) over the DSSE pre-authentication encoding (PAE) of the
//! receipt's canonical bytes — Ed25519's 64 bytes, or a DER-encoded ECDSA P-256 signature
//! — and `keyid` is the key's SHA-256 fingerprint (`SHA256:…`, as `ssh-keygen -l` prints
//! it). Verification finds that fingerprint in a git allowed-signers file.

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

/// Sign `receipt` (canonical bytes) with the OpenSSH private key at `key` (Ed25519 or
/// ECDSA P-256, not passphrase-protected). `key` may name the public half (`.pub`), as
/// `user.signingkey` often does: the private key beside it is used.
pub fn sign(receipt: &[u8], key: &Path) -> Result<Envelope, SignError> {
    let private_path = match key.extension() {
        Some(ext) if ext == "pub" => key.with_extension(""),
        _ => key.to_path_buf(),
    };
    let private = PrivateKey::read_openssh_file(&private_path)
        .map_err(|e| SignError::Failed(format!("cannot read the signing key {}: {e}", private_path.display())))?;
    if private.is_encrypted() {
        return Err(SignError::Failed(format!(
            "{} is passphrase-protected; receipts are signed with an unencrypted key (ssh-agent is not supported yet)",
            private_path.display()
        )));
    }
    let message = pae(PAYLOAD_TYPE, receipt);
    let signature: Signature = signature::Signer::try_sign(&private, &message)
        .map_err(|e| SignError::Failed(format!("cannot sign with {}: {e}", private_path.display())))?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(Envelope {
        payload_type: PAYLOAD_TYPE.to_owned(),
        payload: b64.encode(receipt),
        signatures: vec![EnvelopeSignature {
            keyid: fingerprint(private.public_key()),
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
    fn pae_matches_the_dsse_spec() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }
}
