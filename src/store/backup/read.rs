//! Reading a backup back as a stream: line by line from any reader, hashing as it goes, each
//! record handed on as soon as it is parsed. Nothing but the line at hand is held, so a backup
//! of any size is checked in the same memory; the verdict on the checksum comes at the end, and
//! outranks whatever was found wrong before it.

use std::io::BufRead;

use sha2::{Digest, Sha256};

use super::{BACKUP_FORMAT, BackupFault, Header, Line, Trailer, hex_digest};

/// The longest line a backup holds: a record is at most 64 KiB as stored, a few times that
/// once escaped in JSON. A longer line is no record, and is not kept in memory to find out.
const MAX_LINE: usize = 4 * 1024 * 1024;

/// Why a scan of a backup stopped short of a record, as the caller of [`scan`] says.
pub(super) enum Halt<E> {
    /// The record is wrong: the scan reads on to the end, so that a checksum that does not
    /// match (the file was damaged) is what is said rather than this.
    Fault(E),
    /// Stop now: the caller has no more use for the file.
    Now,
}

/// How a scan ended when it did not read a sound backup to its end.
pub(super) enum Scanned<E> {
    /// The file could not be read.
    Io(std::io::Error),
    /// The file is not a sound backup.
    Unsound(BackupFault),
    /// The caller found a record wrong.
    Record(E),
    /// The caller stopped it.
    Stopped,
}

/// One line of the file, as read: at most [`MAX_LINE`] bytes of it.
struct Raw {
    bytes: Vec<u8>,
    /// Longer than [`MAX_LINE`]: its bytes were hashed as they came, and only the first kept.
    overlong: bool,
}

/// The lines of a backup, each known to be a body line (not the trailer) once the next begins.
struct Lines<R> {
    input: R,
    hash: Sha256,
    /// The newest line read, which is the trailer if no other follows.
    ahead: Option<Raw>,
}

impl<R: BufRead> Lines<R> {
    /// The next line of the body, hashed; `None` once only the trailer is left.
    fn next_body(&mut self) -> std::io::Result<Option<Raw>> {
        loop {
            if self.input.fill_buf()?.is_empty() {
                return Ok(None);
            }
            let body = self.ahead.take();
            if let Some(line) = &body
                && !line.overlong
            {
                self.hash.update(&line.bytes);
            }
            self.ahead = Some(self.read_line()?);
            if body.is_some() {
                return Ok(body);
            }
        }
    }

    /// Reads one line, with its `\n`. An overlong line cannot be the trailer, so it is hashed
    /// as it comes; the lines before it were hashed already.
    fn read_line(&mut self) -> std::io::Result<Raw> {
        let mut raw = Raw {
            bytes: Vec::new(),
            overlong: false,
        };
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Ok(raw);
            }
            let (take, ends) = match available.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            let chunk = &available[..take];
            if raw.overlong {
                self.hash.update(chunk);
            } else if raw.bytes.len() + take > MAX_LINE {
                raw.overlong = true;
                self.hash.update(&raw.bytes);
                self.hash.update(chunk);
            } else {
                raw.bytes.extend_from_slice(chunk);
            }
            self.input.consume(take);
            if ends {
                return Ok(raw);
            }
        }
    }
}

/// Reads the backup from `input` to its end, handing each record after the header to `each`
/// in order. The checksum is checked at the end: a file it does not match is refused as such
/// whatever else was found; then a missing header, a newer version, the first unreadable line,
/// a count that differs from the trailer's, and what `each` found wrong, in that order.
pub(super) fn scan<E>(
    input: impl BufRead,
    mut each: impl FnMut(Line) -> Result<(), Halt<E>>,
) -> Result<(), Scanned<E>> {
    let mut lines = Lines {
        input,
        hash: Sha256::new(),
        ahead: None,
    };
    let mut header: Option<Result<Header, BackupFault>> = None;
    let mut first_fault: Option<Scanned<E>> = None;
    let mut records = 0u64;
    // Counted as people count a file's lines, blank ones left out, the header being line 1.
    let mut number = 1usize;
    while let Some(raw) = lines.next_body().map_err(Scanned::Io)? {
        let text = raw.bytes.strip_suffix(b"\n").unwrap_or(&raw.bytes);
        if text.is_empty() && !raw.overlong {
            continue;
        }
        let Some(Ok(_)) = &header else {
            header.get_or_insert_with(|| read_header(text, raw.overlong));
            continue;
        };
        number += 1;
        records += 1;
        if first_fault.is_some() {
            continue;
        }
        let parsed = if raw.overlong {
            Err(format!("the line is longer than {MAX_LINE} bytes"))
        } else {
            serde_json::from_slice::<Line>(text).map_err(|e| e.to_string())
        };
        match parsed {
            Err(error) => {
                first_fault = Some(Scanned::Unsound(BackupFault::UnreadableLine {
                    line: number,
                    error,
                }));
            }
            Ok(line) => match each(line) {
                Ok(()) => {}
                Err(Halt::Fault(e)) => first_fault = Some(Scanned::Record(e)),
                Err(Halt::Now) => return Err(Scanned::Stopped),
            },
        }
    }
    let trailer = lines
        .ahead
        .filter(|raw| !raw.overlong)
        .and_then(|raw| serde_json::from_slice::<Trailer>(raw.bytes.trim_ascii()).ok())
        .ok_or(Scanned::Unsound(BackupFault::NoChecksum))?;
    let sha256 = hex_digest(lines.hash.finalize().as_slice());
    if sha256 != trailer.sha256 {
        return Err(Scanned::Unsound(BackupFault::ChecksumMismatch {
            said: trailer.sha256,
            got: sha256,
        }));
    }
    match header {
        None => return Err(Scanned::Unsound(BackupFault::NoHeader)),
        Some(Err(fault)) => return Err(Scanned::Unsound(fault)),
        Some(Ok(_)) => {}
    }
    match first_fault {
        Some(fault @ Scanned::Unsound(_)) => return Err(fault),
        Some(fault) if records == trailer.records => return Err(fault),
        _ => {}
    }
    if records != trailer.records {
        return Err(Scanned::Unsound(BackupFault::CountDiffers {
            records,
            said: trailer.records,
        }));
    }
    Ok(())
}

/// The header a backup's first line must be.
fn read_header(text: &[u8], overlong: bool) -> Result<Header, BackupFault> {
    let header = (!overlong)
        .then(|| serde_json::from_slice::<Header>(text).ok())
        .flatten()
        .filter(|h| h.format == BACKUP_FORMAT)
        .ok_or(BackupFault::NoHeader)?;
    if header.version > 1 {
        return Err(BackupFault::Newer {
            version: header.version,
        });
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"{"format":"counsel-log-backup","version":1,"created":"x"}"#;
    const ADVISOR: &str = r#"{"advisor":{"id":"A001","name":"张三","category":"staff"}}"#;

    /// A backup of these body lines (each given its `\n`), with a trailer that holds.
    fn backup(body: &[&str], records: u64) -> Vec<u8> {
        let body: String = body.iter().map(|l| format!("{l}\n")).collect();
        let sha256 = hex::encode(Sha256::digest(body.as_bytes()));
        format!("{body}{{\"sha256\":\"{sha256}\",\"records\":{records}}}\n").into_bytes()
    }

    /// What a scan of `bytes` found wrong, or how many records it read.
    fn scanned(bytes: &[u8]) -> Result<usize, BackupFault> {
        let mut n = 0;
        let out = scan::<()>(bytes, |_| {
            n += 1;
            Ok(())
        });
        match out {
            Ok(()) => Ok(n),
            Err(Scanned::Unsound(fault)) => Err(fault),
            Err(_) => panic!("not a fault of the file"),
        }
    }

    #[test]
    fn a_sound_backup_reads_whole_blank_lines_and_a_last_newline_or_not() {
        assert_eq!(scanned(&backup(&[HEADER, ADVISOR, "", ADVISOR], 2)), Ok(2));
        let mut without = backup(&[HEADER, ADVISOR], 1);
        without.pop();
        assert_eq!(scanned(&without), Ok(1));
    }

    #[test]
    fn each_fault_is_named_and_the_checksum_outranks_the_rest() {
        assert_eq!(scanned(b""), Err(BackupFault::NoChecksum));
        assert_eq!(scanned(b"\n\n"), Err(BackupFault::NoChecksum));
        let no_header = backup(&[ADVISOR], 0);
        assert_eq!(scanned(&no_header), Err(BackupFault::NoHeader));
        let newer = HEADER.replace("\"version\":1", "\"version\":2");
        assert_eq!(
            scanned(&backup(&[&newer, ADVISOR], 1)),
            Err(BackupFault::Newer { version: 2 })
        );
        let bad = backup(&[HEADER, ADVISOR, "", "{\"advisor\":1}"], 2);
        assert!(matches!(
            scanned(&bad),
            Err(BackupFault::UnreadableLine { line: 3, .. })
        ));
        assert_eq!(
            scanned(&backup(&[HEADER, ADVISOR], 2)),
            Err(BackupFault::CountDiffers {
                records: 1,
                said: 2
            })
        );
        // A changed byte is a checksum that does not match, whatever else it broke.
        let mut changed = bad.clone();
        changed[HEADER.len() + 3] = b'X';
        assert!(matches!(
            scanned(&changed),
            Err(BackupFault::ChecksumMismatch { .. })
        ));
    }

    #[test]
    fn an_overlong_line_is_never_held_and_is_no_record() {
        let long = format!("{{\"audit\":\"{}\"}}", "x".repeat(MAX_LINE));
        let file = backup(&[HEADER, &long], 1);
        assert!(matches!(
            scanned(&file),
            Err(BackupFault::UnreadableLine { line: 2, .. })
        ));
        let mut changed = file.clone();
        changed[HEADER.len() + 20] = b'y';
        assert!(matches!(
            scanned(&changed),
            Err(BackupFault::ChecksumMismatch { .. })
        ));
    }
}
