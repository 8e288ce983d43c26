//! rpm's own "ndb" package database, `Packages.db` (SUSE). All numbers are
//! 32-bit little-endian.
//!
//! The file starts with slot pages of 4096 bytes: a 32-byte header (magic
//! `RpmP`, version 0, generation, number of slot pages, next package
//! index) then 16-byte slots (magic `Slot`, package index, block offset,
//! block count; offset 0 is a free slot). Blocks are 16 bytes. A package's
//! blocks hold a blob head (magic `BlbS`, package index, generation,
//! length), the header blob, padding, and a tail (Adler-32 of everything
//! before it, length, magic `BlbE`).

use super::Visit;

const MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const HEAD_MAGIC: &[u8; 4] = b"BlbS";
const TAIL_MAGIC: &[u8; 4] = b"BlbE";
const PAGE: usize = 4096;
const HEADER: usize = 32;
const SLOT: usize = 16;
const BLOCK: usize = 16;
const HEAD: usize = 16;
const TAIL: usize = 12;

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Adler-32 (RFC 1950), which the blob tail holds.
fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that cannot overflow `b` before the modulo.
    for chunk in bytes.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Hands every package blob of the database to `visit`. A broken slot or
/// blob is reported through `visit` and the walk goes on; a file that is
/// not an ndb database is an error.
pub fn walk(bytes: &[u8], visit: Visit<'_>) -> Result<(), String> {
    if bytes.get(..4) != Some(&MAGIC[..]) {
        return Err("not an rpm ndb database (no RpmP magic)".into());
    }
    let (Some(version), Some(pages)) = (le32(bytes, 4), le32(bytes, 12)) else {
        return Err("truncated ndb header".into());
    };
    if version != 0 {
        return Err(format!("ndb version {version}, not 0"));
    }
    let slots_end = (pages as usize)
        .checked_mul(PAGE)
        .filter(|&end| pages > 0 && end <= bytes.len())
        .ok_or_else(|| {
            format!(
                "{pages} slot pages do not fit in the file's {} bytes",
                bytes.len()
            )
        })?;
    let first_block = slots_end / BLOCK;
    for at in (HEADER..slots_end).step_by(SLOT) {
        if bytes.get(at..at + 4) != Some(&SLOT_MAGIC[..]) {
            return Err(format!("bad slot at byte {at}"));
        }
        let (Some(pkgidx), Some(blkoff), Some(blkcnt)) = (
            le32(bytes, at + 4),
            le32(bytes, at + 8),
            le32(bytes, at + 12),
        ) else {
            return Err(format!("bad slot at byte {at}"));
        };
        if blkoff == 0 {
            continue;
        }
        visit(
            blob(bytes, pkgidx, blkoff, blkcnt, first_block)
                .map(|b| (pkgidx, b))
                .map_err(|e| format!("package {pkgidx}: {e}")),
        );
    }
    Ok(())
}

/// The header blob of one slot, checked against its head and tail.
fn blob(
    bytes: &[u8],
    pkgidx: u32,
    blkoff: u32,
    blkcnt: u32,
    first_block: usize,
) -> Result<&[u8], String> {
    let (off, cnt) = (blkoff as usize, blkcnt as usize);
    if pkgidx == 0 || cnt == 0 || off < first_block {
        return Err(format!(
            "bad slot (index {pkgidx}, blocks {blkoff}+{blkcnt})"
        ));
    }
    let start = off.checked_mul(BLOCK);
    let end = off
        .checked_add(cnt)
        .and_then(|e| e.checked_mul(BLOCK))
        .filter(|&e| e <= bytes.len());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!(
            "blocks {blkoff}+{blkcnt} run past the end of the file (truncated?)"
        ));
    };
    let area = &bytes[start..end];
    if area.len() < HEAD + TAIL || area.get(..4) != Some(&HEAD_MAGIC[..]) {
        return Err(format!("no blob at block {blkoff}"));
    }
    let (Some(idx), Some(len)) = (le32(area, 4), le32(area, 12)) else {
        return Err(format!("no blob at block {blkoff}"));
    };
    if idx != pkgidx {
        return Err(format!("blob at block {blkoff} belongs to package {idx}"));
    }
    let len = len as usize;
    if len.checked_add(HEAD + TAIL).map(|n| n.div_ceil(BLOCK)) != Some(cnt) {
        return Err(format!(
            "blob length {len} does not match its {blkcnt} blocks"
        ));
    }
    let tail = area.len() - TAIL;
    let (Some(sum), Some(tail_len)) = (le32(area, tail), le32(area, tail + 4)) else {
        return Err(format!("no blob tail at block {blkoff}"));
    };
    if area.get(tail + 8..) != Some(&TAIL_MAGIC[..]) || tail_len as usize != len {
        return Err(format!("bad blob tail at block {blkoff}"));
    }
    if adler32(&area[..tail]) != sum {
        return Err(format!("blob at block {blkoff} fails its checksum"));
    }
    area.get(HEAD..HEAD + len)
        .ok_or_else(|| format!("blob at block {blkoff} is longer than its blocks"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_known_text() {
        // RFC 1950's algorithm; the value zlib gives for this text.
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(adler32(&[0xff; 20000]), {
            let (mut a, mut b) = (1u64, 0u64);
            for _ in 0..20000 {
                a = (a + 0xff) % 65521;
                b = (b + a) % 65521;
            }
            ((b << 16) | a) as u32
        });
    }

    #[test]
    fn a_file_without_the_magic_is_not_ndb() {
        let mut n = 0;
        let r = walk(b"SQLite format 3\0", &mut |_| n += 1);
        assert!(r.is_err());
        assert_eq!(n, 0);
    }

    #[test]
    fn slot_pages_beyond_the_file_are_an_error() {
        let mut head = vec![0u8; 64];
        head[..4].copy_from_slice(MAGIC);
        head[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            walk(&head, &mut |_| {})
                .expect_err("an error")
                .contains("slot pages")
        );
    }
}
