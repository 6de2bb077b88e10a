//! Streaming line reading with limits: never holds a whole file, never trusts a line.

use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};

/// Why a line could not be used as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    /// Longer than the configured limit (its bytes were skipped, not buffered).
    #[error("line too long ({bytes} bytes)")]
    TooLong {
        /// The line's length in bytes.
        bytes: u64,
    },
    /// Not valid UTF-8.
    #[error("not valid UTF-8")]
    NotUtf8,
}

/// One line of input.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's first byte.
    pub offset: u64,
    /// The text, or why there is none.
    pub text: Result<String, LineProblem>,
    /// The text lost a trailing carriage return.
    carriage_return: bool,
    /// SHA-256 of a line without text, taken while its bytes went by.
    problem_sha256: Option<String>,
}

impl Line {
    /// SHA-256 of the line's raw bytes (without the newline); quarantine keeps only this.
    /// Computed on demand: most lines are never asked.
    pub fn raw_sha256(&self) -> String {
        match (&self.text, &self.problem_sha256) {
            (_, Some(hash)) => hash.clone(),
            (Ok(text), None) => {
                let mut hash = Sha256::new();
                hash.update(text.as_bytes());
                if self.carriage_return {
                    hash.update(b"\r");
                }
                hex::encode(hash.finalize())
            }
            (Err(_), None) => String::new(),
        }
    }
}

/// Reads lines one at a time, hashing the whole stream as it goes.
pub struct LineReader<R: Read> {
    inner: BufReader<R>,
    max_line_bytes: usize,
    number: u64,
    offset: u64,
    file_hash: Sha256,
    buf: Vec<u8>,
}

impl<R: Read> LineReader<R> {
    /// Read from `inner`; lines over `max_line_bytes` become [`LineProblem::TooLong`].
    pub fn new(inner: R, max_line_bytes: usize) -> Self {
        LineReader {
            inner: BufReader::with_capacity(256 * 1024, inner),
            max_line_bytes,
            number: 0,
            offset: 0,
            file_hash: Sha256::new(),
            buf: Vec::new(),
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// SHA-256 of every byte read so far (the whole file once the reader is exhausted).
    pub fn finish_hash(self) -> String {
        hex::encode(self.file_hash.finalize())
    }

    /// The next line, `Ok(None)` at end of input.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        self.buf.clear();
        let start = self.offset;
        let mut length: u64 = 0;
        // Only a line too long to keep is hashed as it streams by.
        let mut overflow: Option<Sha256> = None;
        loop {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                if length == 0 {
                    return Ok(None);
                }
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let content = if done { &chunk[..take - 1] } else { &chunk[..take] };
            self.file_hash.update(&chunk[..take]);
            length += content.len() as u64;
            match &mut overflow {
                Some(hash) => hash.update(content),
                None if self.buf.len() + content.len() > self.max_line_bytes => {
                    let mut hash = Sha256::new();
                    hash.update(&self.buf);
                    hash.update(content);
                    overflow = Some(hash);
                    self.buf.clear();
                }
                None => self.buf.extend_from_slice(content),
            }
            self.inner.consume(take);
            self.offset += take as u64;
            if done {
                break;
            }
        }
        if self.number == 0 && self.buf.starts_with(UTF8_BOM) {
            // Editors on Windows start files with a byte-order mark; it is not content.
            self.buf.drain(..UTF8_BOM.len());
        }
        self.number += 1;
        let (text, carriage_return, problem_sha256) = match overflow {
            Some(hash) => (
                Err(LineProblem::TooLong { bytes: length }),
                false,
                Some(hex::encode(hash.finalize())),
            ),
            None => {
                let carriage_return = self.buf.last() == Some(&b'\r');
                if carriage_return {
                    self.buf.pop();
                }
                match String::from_utf8(std::mem::take(&mut self.buf)) {
                    Ok(text) => (Ok(text), carriage_return, None),
                    Err(e) => {
                        let mut bytes = e.into_bytes();
                        if carriage_return {
                            bytes.push(b'\r');
                        }
                        (
                            Err(LineProblem::NotUtf8),
                            false,
                            Some(crate::schema::sha256_hex(&bytes)),
                        )
                    }
                }
            }
        };
        Ok(Some(Line {
            number: self.number,
            offset: start,
            text,
            carriage_return,
            problem_sha256,
        }))
    }
}

/// The UTF-8 byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_starts_no_line_but_the_first() {
        let input = b"\xEF\xBB\xBF{\"a\":1}\n\xEF\xBB\xBF{}\n";
        let mut reader = LineReader::new(&input[..], 1024);
        let first = reader.next_line().unwrap().unwrap();
        assert_eq!(first.text.unwrap(), "{\"a\":1}");
        let second = reader.next_line().unwrap().unwrap();
        assert_eq!(second.text.unwrap(), "\u{feff}{}");
    }

    #[test]
    fn numbers_offsets_limits_and_utf8() {
        let data: &[u8] = b"{\"a\":1}\r\n\n0123456789abc\n\xff\xfe\nlast";
        let mut r = LineReader::new(data, 10);
        let mut got = Vec::new();
        let mut hashes = Vec::new();
        while let Some(line) = r.next_line().unwrap() {
            hashes.push(line.raw_sha256());
            got.push((line.number, line.offset, line.text));
        }
        assert_eq!(
            got,
            vec![
                (1, 0, Ok("{\"a\":1}".to_owned())),
                (2, 9, Ok(String::new())),
                (3, 10, Err(LineProblem::TooLong { bytes: 13 })),
                (4, 24, Err(LineProblem::NotUtf8)),
                (5, 27, Ok("last".to_owned())),
            ]
        );
        assert_eq!(r.finish_hash(), crate::schema::sha256_hex(data));
        // Raw hashes cover each line's bytes as read, carriage return included.
        let raw: Vec<&[u8]> = vec![b"{\"a\":1}\r", b"", b"0123456789abc", b"\xff\xfe", b"last"];
        let expected: Vec<String> = raw.iter().map(|b| crate::schema::sha256_hex(b)).collect();
        assert_eq!(hashes, expected);
    }
}
