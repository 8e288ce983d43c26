//! rpm header blobs, as every rpm database stores them: a count of index
//! entries and the length of the data store (both 32-bit big-endian), the
//! entries (tag, type, offset, count: 16 bytes each), then the data store
//! they point into.
//!
//! The first entry of an installed package's header is usually a region
//! tag (`HEADERIMMUTABLE`): it points to a trailer entry that says how many
//! entries the signed, immutable part holds. Entries after the region were
//! added on install ("dribbles") and replace region entries of the same tag.
//!
//! Every entry is checked against the data store as rpm checks it (known
//! type, count between 1 and the data length, alignment, the value fits) before
//! any value is read, and nothing is allocated by a count read from the
//! blob.

use thiserror::Error;

/// Tags the rpm cataloger reads.
pub mod tag {
    pub const HEADER_IMAGE: u32 = 61;
    pub const HEADER_SIGNATURES: u32 = 62;
    pub const HEADER_IMMUTABLE: u32 = 63;
    pub const NAME: u32 = 1000;
    pub const VERSION: u32 = 1001;
    pub const RELEASE: u32 = 1002;
    pub const EPOCH: u32 = 1003;
    pub const SUMMARY: u32 = 1004;
    pub const VENDOR: u32 = 1011;
    pub const LICENSE: u32 = 1014;
    pub const ARCH: u32 = 1022;
    pub const SOURCERPM: u32 = 1044;
    pub const MODULARITYLABEL: u32 = 5096;
}

/// Entry types (`rpmTagType`).
const CHAR: u32 = 1;
const INT8: u32 = 2;
const INT16: u32 = 3;
const INT32: u32 = 4;
const INT64: u32 = 5;
const STRING: u32 = 6;
const BIN: u32 = 7;
const STRING_ARRAY: u32 = 8;
const I18NSTRING: u32 = 9;

/// rpm's own limits: at most 65535 entries, 256 MiB of data, and arrays
/// of at most 2^20 - 1 items.
const MAX_ENTRIES: u32 = 0xffff;
const MAX_DATA: u32 = 0x0fff_ffff;
const MAX_ARRAY: u32 = 0x000f_ffff;

/// Why a blob is not a header.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    #[error("header is {0} bytes, shorter than its 8-byte preamble")]
    TooShort(usize),
    #[error("header claims {entries} index entries and {data} data bytes, beyond rpm's limits")]
    TooLarge { entries: u32, data: u32 },
    #[error(
        "header is {actual} bytes but its {entries} entries and {data} data bytes make {expected}"
    )]
    SizeMismatch {
        actual: usize,
        entries: u32,
        data: u32,
        expected: u64,
    },
    #[error("region tag {tag}: {why}")]
    BadRegion { tag: u32, why: &'static str },
    #[error("entry {index} (tag {tag}, type {kind}, offset {offset}, count {count}): {why}")]
    BadEntry {
        index: usize,
        tag: u32,
        kind: u32,
        offset: u32,
        count: u32,
        why: &'static str,
    },
}

/// One index entry, with the bytes of the data store its value spans.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u32,
    kind: u32,
    count: u32,
    start: usize,
    end: usize,
}

/// A parsed header: its entries checked against its data store.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    entries: Vec<Entry>,
    data: &'a [u8],
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The length of `count` NUL-terminated strings from `start`, if they all
/// end inside `data`.
fn strings_len(data: &[u8], start: usize, count: u32) -> Option<usize> {
    let mut at = start;
    for _ in 0..count {
        let nul = data.get(at..)?.iter().position(|&b| b == 0)?;
        at = at.checked_add(nul + 1)?;
    }
    Some(at - start)
}

/// The length of a value of `kind` and `count` at `start`, if it fits.
fn value_len(data: &[u8], kind: u32, start: usize, count: u32) -> Result<usize, &'static str> {
    let width = match kind {
        CHAR | INT8 | BIN => 1,
        INT16 => 2,
        INT32 => 4,
        INT64 => 8,
        STRING => {
            if count != 1 {
                return Err("a string with a count other than 1");
            }
            return strings_len(data, start, 1).ok_or("string runs past the data store");
        }
        STRING_ARRAY | I18NSTRING => {
            return strings_len(data, start, count).ok_or("strings run past the data store");
        }
        _ => return Err("unknown type"),
    };
    if !start.is_multiple_of(width) {
        return Err("misaligned");
    }
    let len = (count as usize)
        .checked_mul(width)
        .ok_or("value too long")?;
    match start.checked_add(len) {
        Some(end) if end <= data.len() => Ok(len),
        _ => Err("value runs past the data store"),
    }
}

/// Parses and checks a header blob.
pub fn parse(blob: &[u8]) -> Result<Header<'_>, HeaderError> {
    let (Some(il), Some(dl)) = (be32(blob, 0), be32(blob, 4)) else {
        return Err(HeaderError::TooShort(blob.len()));
    };
    if il == 0 || il > MAX_ENTRIES || dl > MAX_DATA {
        return Err(HeaderError::TooLarge {
            entries: il,
            data: dl,
        });
    }
    let expected = 8 + 16 * u64::from(il) + u64::from(dl);
    if blob.len() as u64 != expected {
        return Err(HeaderError::SizeMismatch {
            actual: blob.len(),
            entries: il,
            data: dl,
            expected,
        });
    }
    // Both fit: the blob's length is exactly their sum.
    let index = &blob[8..8 + 16 * il as usize];
    let data = &blob[8 + 16 * il as usize..];
    let raw = |i: usize| -> Option<(u32, u32, u32, u32)> {
        let at = i.checked_mul(16)?;
        Some((
            be32(index, at)?,
            be32(index, at + 4)?,
            be32(index, at + 8)?,
            be32(index, at + 12)?,
        ))
    };

    let first_is_region = raw(0).is_some_and(|(t, ..)| {
        matches!(
            t,
            tag::HEADER_IMAGE | tag::HEADER_SIGNATURES | tag::HEADER_IMMUTABLE
        )
    });
    if first_is_region {
        check_region(data, il, raw(0))?;
    }

    // `il` is at most 65535 and the blob holds that many entries.
    let mut entries = Vec::with_capacity(il as usize);
    for i in 0..il as usize {
        let Some((tag, kind, offset, count)) = raw(i) else {
            break;
        };
        let bad = |why| HeaderError::BadEntry {
            index: i,
            tag,
            kind,
            offset,
            count,
            why,
        };
        if i == 0 && first_is_region {
            continue;
        }
        if offset > dl {
            return Err(bad("offset outside the data store"));
        }
        if count == 0 || count > dl {
            return Err(bad("count out of range"));
        }
        if kind != BIN && count > MAX_ARRAY {
            return Err(bad("array too long"));
        }
        let start = offset as usize;
        let len = value_len(data, kind, start, count).map_err(bad)?;
        entries.push(Entry {
            tag,
            kind,
            count,
            start,
            end: start + len,
        });
    }
    Ok(Header { entries, data })
}

/// Checks the region entry and its trailer.
fn check_region(
    data: &[u8],
    il: u32,
    first: Option<(u32, u32, u32, u32)>,
) -> Result<(), HeaderError> {
    let Some((tag, kind, offset, count)) = first else {
        return Ok(());
    };
    let bad = |why| Err(HeaderError::BadRegion { tag, why });
    if kind != BIN || count != 16 {
        return bad("not a 16-byte binary entry");
    }
    let start = offset as usize;
    let Some(trailer) = start.checked_add(16).and_then(|end| data.get(start..end)) else {
        return bad("trailer outside the data store");
    };
    let (Some(t_tag), Some(t_kind), Some(t_offset), Some(t_count)) = (
        be32(trailer, 0),
        be32(trailer, 4),
        be32(trailer, 8),
        be32(trailer, 12),
    ) else {
        return bad("trailer outside the data store");
    };
    // Old packages name HEADERIMAGE in the signature region's trailer.
    let same = t_tag == tag || (tag == tag::HEADER_SIGNATURES && t_tag == tag::HEADER_IMAGE);
    if !same || t_kind != BIN || t_count != 16 {
        return bad("trailer does not match");
    }
    // The trailer's offset is minus the size of the region's entries.
    let size = (t_offset as i32).unsigned_abs();
    if (t_offset as i32) > 0 || !size.is_multiple_of(16) || size / 16 > il {
        return bad("region size out of range");
    }
    Ok(())
}

impl<'a> Header<'a> {
    /// The entry of `tag`: the last one, as install-time entries replace
    /// those of the region.
    fn entry(&self, tag: u32) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.tag == tag)
    }

    /// The value's strings, as many as its count (checked at parse).
    fn strings_of(&self, e: &Entry) -> impl Iterator<Item = String> + 'a {
        let bytes = self.data.get(e.start..e.end).unwrap_or_default();
        bytes
            .split(|&b| b == 0)
            .take(e.count as usize)
            .map(|s| String::from_utf8_lossy(s).into_owned())
    }

    /// A string value: a STRING, or the first of a STRING_ARRAY or
    /// I18NSTRING (the untranslated text). `None` when absent or of
    /// another type.
    pub fn string(&self, tag: u32) -> Option<String> {
        let e = self.entry(tag)?;
        if !matches!(e.kind, STRING | STRING_ARRAY | I18NSTRING) {
            return None;
        }
        self.strings_of(e).next()
    }

    /// Every string of a STRING, STRING_ARRAY or I18NSTRING value.
    pub fn strings(&self, tag: u32) -> Vec<String> {
        match self.entry(tag) {
            Some(e) if matches!(e.kind, STRING | STRING_ARRAY | I18NSTRING) => {
                self.strings_of(e).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Every number of an INT32 value.
    pub fn int32s(&self, tag: u32) -> Vec<u32> {
        match self.entry(tag) {
            Some(e) if e.kind == INT32 => self
                .data
                .get(e.start..e.end)
                .unwrap_or_default()
                .chunks_exact(4)
                .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The first number of an INT32 value.
    pub fn int32(&self, tag: u32) -> Option<u32> {
        let e = self.entry(tag)?;
        if e.kind != INT32 {
            return None;
        }
        be32(self.data, e.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a blob from (tag, type, count, value bytes) entries, laid out
    /// in order with each value aligned for its type, behind an immutable
    /// region when `region` is set.
    pub(crate) fn blob(entries: &[(u32, u32, u32, Vec<u8>)], region: bool) -> Vec<u8> {
        let mut data = Vec::new();
        let mut index = Vec::new();
        let push = |index: &mut Vec<u8>, tag: u32, kind: u32, offset: u32, count: u32| {
            for v in [tag, kind, offset, count] {
                index.extend_from_slice(&v.to_be_bytes());
            }
        };
        for (tag, kind, count, value) in entries {
            let align = match *kind {
                INT16 => 2,
                INT32 => 4,
                INT64 => 8,
                _ => 1,
            };
            while data.len() % align != 0 {
                data.push(0);
            }
            push(&mut index, *tag, *kind, data.len() as u32, *count);
            data.extend_from_slice(value);
        }
        let mut il = entries.len() as u32;
        if region {
            il += 1;
            let trailer_at = data.len() as u32;
            let mut trailer = Vec::new();
            push(
                &mut trailer,
                tag::HEADER_IMMUTABLE,
                BIN,
                (-(16 * il as i32)) as u32,
                16,
            );
            data.extend_from_slice(&trailer);
            let mut head = Vec::new();
            push(&mut head, tag::HEADER_IMMUTABLE, BIN, trailer_at, 16);
            head.extend_from_slice(&index);
            index = head;
        }
        let mut out = Vec::new();
        out.extend_from_slice(&il.to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&index);
        out.extend_from_slice(&data);
        out
    }

    fn s(text: &str) -> Vec<u8> {
        let mut v = text.as_bytes().to_vec();
        v.push(0);
        v
    }

    fn sample(region: bool) -> Vec<u8> {
        blob(
            &[
                (tag::NAME, STRING, 1, s("openssl-libs")),
                (tag::EPOCH, INT32, 1, 1u32.to_be_bytes().to_vec()),
                (
                    tag::SUMMARY,
                    I18NSTRING,
                    2,
                    [s("A library"), s("Eine")].concat(),
                ),
                (8000, STRING_ARRAY, 3, [s("a"), s(""), s("c")].concat()),
            ],
            region,
        )
    }

    #[test]
    fn reads_strings_numbers_and_arrays() {
        for region in [false, true] {
            let blob = sample(region);
            let h = parse(&blob).expect("header");
            assert_eq!(h.string(tag::NAME).as_deref(), Some("openssl-libs"));
            assert_eq!(h.int32(tag::EPOCH), Some(1));
            assert_eq!(h.string(tag::SUMMARY).as_deref(), Some("A library"));
            assert_eq!(h.strings(8000), ["a", "", "c"]);
            assert_eq!(h.int32s(tag::EPOCH), [1]);
            // Absent, or present with another type.
            assert_eq!(h.string(tag::VERSION), None);
            assert_eq!(h.int32(tag::NAME), None);
            assert_eq!(h.string(tag::EPOCH), None);
        }
    }

    #[test]
    fn a_later_entry_replaces_an_earlier_one() {
        let blob = blob(
            &[
                (tag::RELEASE, STRING, 1, s("1.el9")),
                (tag::RELEASE, STRING, 1, s("2.el9")),
            ],
            true,
        );
        assert_eq!(
            parse(&blob)
                .expect("header")
                .string(tag::RELEASE)
                .as_deref(),
            Some("2.el9")
        );
    }

    #[test]
    fn every_truncation_is_an_error() {
        let blob = sample(true);
        for len in 0..blob.len() {
            assert!(parse(&blob[..len]).is_err(), "{len}");
        }
    }

    #[test]
    fn counts_and_offsets_beyond_the_data_are_errors() {
        let good = sample(false);
        // Entry 0 is NAME; its count is at 8 + 12, its offset at 8 + 8.
        let mut many = good.clone();
        many[20..24].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            parse(&many),
            Err(HeaderError::BadEntry {
                why: "count out of range",
                ..
            })
        ));
        let mut far = good.clone();
        far[16..20].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        assert!(parse(&far).is_err());
        // A string array whose count runs past the last NUL.
        let mut long = good.clone();
        let array_count = 8 + 3 * 16 + 12;
        long[array_count..array_count + 4].copy_from_slice(&4u32.to_be_bytes());
        assert!(parse(&long).is_err());
        // An entry count that the blob does not hold.
        let mut entries = good.clone();
        entries[0..4].copy_from_slice(&0xffffu32.to_be_bytes());
        assert!(matches!(
            parse(&entries),
            Err(HeaderError::SizeMismatch { .. })
        ));
        let mut huge = good;
        huge[0..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(parse(&huge), Err(HeaderError::TooLarge { .. })));
    }

    #[test]
    fn a_region_trailer_must_match() {
        let good = sample(true);
        assert!(parse(&good).is_ok());
        // The trailer is the last 16 bytes; its tag comes first.
        let at = good.len() - 16;
        let mut bad_tag = good.clone();
        bad_tag[at..at + 4].copy_from_slice(&tag::NAME.to_be_bytes());
        assert!(matches!(
            parse(&bad_tag),
            Err(HeaderError::BadRegion { .. })
        ));
        let mut bad_size = good.clone();
        bad_size[at + 8..at + 12].copy_from_slice(&(-(16 * 100i32)).to_be_bytes());
        assert!(matches!(
            parse(&bad_size),
            Err(HeaderError::BadRegion { .. })
        ));
        let mut bad_offset = good;
        bad_offset[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            parse(&bad_offset),
            Err(HeaderError::BadRegion { .. })
        ));
    }
}
