//! A minimal ssh-agent client: the one request signing needs, a sign request over the
//! agent's Unix socket (`SSH_AUTH_SOCK`), framed as the agent protocol has it
//! (draft-miller-ssh-agent: `SSH_AGENTC_SIGN_REQUEST`, `SSH_AGENT_SIGN_RESPONSE`). The key
//! blob and the returned signature are encoded and decoded by `ssh-key`.

use super::sign::SignError;
use ssh_key::{PublicKey, Signature};
use std::path::Path;

/// `SSH_AGENT_FAILURE`: the agent refused (it does not hold the key, or a confirmation
/// was declined).
const FAILURE: u8 = 5;
/// `SSH_AGENTC_SIGN_REQUEST`.
const SIGN_REQUEST: u8 = 13;
/// `SSH_AGENT_SIGN_RESPONSE`.
const SIGN_RESPONSE: u8 = 14;
/// The agent protocol's limit on a message (OpenSSH's `AGENT_MAX_LEN`).
const MAX_MESSAGE: usize = 256 * 1024;
/// How long to wait for the agent: it may ask the user to confirm or touch a token.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Have the agent at `socket` sign `data` with the private half of `key`. The signature
/// is checked against `key` before it is returned.
#[cfg(unix)]
pub fn sign(socket: &Path, key: &PublicKey, data: &[u8]) -> Result<Signature, SignError> {
    use std::io::{Read as _, Write as _};
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        SignError::Failed(format!("ssh-agent at {}: {what}: {e}", socket.display()))
    };
    let blob = key.to_bytes().map_err(|e| failed("cannot encode the key", &e))?;
    let mut request = vec![SIGN_REQUEST];
    put_string(&mut request, &blob);
    put_string(&mut request, data);
    request.extend_from_slice(&0u32.to_be_bytes());
    let length = u32::try_from(request.len())
        .ok()
        .filter(|n| *n as usize <= MAX_MESSAGE)
        .ok_or_else(|| failed("request", &"too large for the agent protocol"))?;

    let mut stream = std::os::unix::net::UnixStream::connect(socket).map_err(|e| failed("cannot connect", &e))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| failed("socket", &e))?;
    stream
        .write_all(&length.to_be_bytes())
        .and_then(|()| stream.write_all(&request))
        .map_err(|e| failed("cannot send the sign request", &e))?;
    let mut header = [0u8; 4];
    stream.read_exact(&mut header).map_err(|e| failed("no answer", &e))?;
    let length = u32::from_be_bytes(header) as usize;
    if length == 0 || length > MAX_MESSAGE {
        return Err(failed("answer", &format_args!("{length} bytes is not a message")));
    }
    let mut reply = vec![0u8; length];
    stream
        .read_exact(&mut reply)
        .map_err(|e| failed("answer cut short", &e))?;
    match reply[0] {
        SIGN_RESPONSE => {
            let (encoded, _) = take_string(&reply[1..]).ok_or_else(|| failed("answer", &"truncated signature"))?;
            let signature = Signature::try_from(encoded).map_err(|e| failed("signature", &e))?;
            signature::Verifier::verify(key, data, &signature)
                .map_err(|_| failed("signature", &"does not verify with the key asked for"))?;
            Ok(signature)
        }
        FAILURE => Err(SignError::Failed(format!(
            "the ssh-agent at {} refused to sign with {} (is it loaded? `ssh-add -l` lists the agent's keys)",
            socket.display(),
            super::sign::fingerprint(key)
        ))),
        other => Err(failed("answer", &format_args!("unexpected message type {other}"))),
    }
}

/// ssh-agent is reached through a Unix socket; other platforms are not supported yet.
#[cfg(not(unix))]
pub fn sign(socket: &Path, _key: &PublicKey, _data: &[u8]) -> Result<Signature, SignError> {
    Err(SignError::Failed(format!(
        "ssh-agent ({}) is supported on Unix only",
        socket.display()
    )))
}

/// Append an SSH `string`: a big-endian u32 length, then the bytes.
fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Split an SSH `string` off the front of `bytes`.
fn take_string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (header, rest) = bytes.split_first_chunk::<4>()?;
    let length = u32::from_be_bytes(*header) as usize;
    (rest.len() >= length).then(|| rest.split_at(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_and_truncation_is_caught() {
        let mut out = Vec::new();
        put_string(&mut out, b"ssh-ed25519");
        out.push(7);
        assert_eq!(&out[..4], &[0, 0, 0, 11]);
        assert_eq!(take_string(&out), Some((&b"ssh-ed25519"[..], &[7u8][..])));
        assert_eq!(take_string(&out[..8]), None);
        assert_eq!(take_string(&[0, 0]), None);
    }
}
