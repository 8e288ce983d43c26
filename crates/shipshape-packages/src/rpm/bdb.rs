//! Berkeley DB hash files: rpm's `Packages` database before rpm 4.16
//! (CentOS 7, RHEL 8, Amazon Linux 2), keyed by package instance number,
//! each value a header blob.
//!
//! Page 0 is the metadata page: magic `0x061561` at byte 12 (its byte
//! order is the file's), version, page size, flags (page checksums move
//! the page contents 6 bytes on; encryption is not supported), the last
//! page number, the highest bucket, and the `spares` table that maps a
//! bucket to its page. A bucket's pages are chained by their next-page
//! field; each holds an index of item offsets, items in key/value pairs.
//! An item is stored on the page (type 1) or, when large, on a chain of
//! overflow pages (type 3, holding the first page and total length).

use super::Visit;

const HASH_MAGIC: u32 = 0x0006_1561;
const BTREE_MAGIC: u32 = 0x0005_3162;
/// Page types.
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASH: u8 = 13;
/// Item types of hash pages.
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;
/// Metadata flag: pages carry a checksum after their header.
const DBMETA_CHKSUM: u8 = 0x01;
/// The page header: LSN, page number, previous and next page, entry
/// count, free-space offset (the data length on an overflow page), level,
/// type.
const PAGE_HEADER: usize = 26;

/// An opened database: its pages and byte order.
struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    pages: usize,
    big_endian: bool,
    /// Where the item index (or overflow data) starts on a page.
    overhead: usize,
    /// Pages read so far: each belongs to one chain, so a page read twice
    /// means the file is corrupt (and reading it again could loop or make
    /// the walk quadratic).
    seen: Vec<bool>,
}

impl<'a> Db<'a> {
    fn u16_at(&self, bytes: &[u8], at: usize) -> Option<u16> {
        let b = bytes.get(at..at.checked_add(2)?)?;
        let b = [b[0], b[1]];
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32_at(&self, bytes: &[u8], at: usize) -> Option<u32> {
        let b = bytes.get(at..at.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// Page `pgno`, which must say it is that page and not have been read
    /// before.
    fn page(&mut self, pgno: u32) -> Result<&'a [u8], String> {
        let n = pgno as usize;
        let bytes = self.bytes;
        let start = n.checked_mul(self.page_size);
        let Some(page) = start
            .and_then(|s| bytes.get(s..s.checked_add(self.page_size)?))
            .filter(|_| n != 0)
        else {
            return Err(format!(
                "page {pgno} is outside the file's {} pages (truncated?)",
                self.pages
            ));
        };
        if self.u32_at(page, 8) != Some(pgno) {
            return Err(format!("page {pgno} names itself otherwise"));
        }
        match self.seen.get_mut(n) {
            Some(seen) if !*seen => *seen = true,
            _ => return Err(format!("page {pgno} is reached twice")),
        }
        Ok(page)
    }

    fn next(&self, page: &[u8]) -> u32 {
        self.u32_at(page, 16).unwrap_or(0)
    }

    /// An item of a hash page: its bytes on the page, or the value its
    /// overflow chain holds.
    fn item(&mut self, page: &'a [u8], start: usize, end: usize) -> Result<Item<'a>, String> {
        let item = page
            .get(start..end)
            .filter(|i| !i.is_empty())
            .ok_or("item outside its page")?;
        match item[0] {
            H_KEYDATA => Ok(Item::Here(&item[1..])),
            H_OFFPAGE if item.len() == 12 => {
                let (Some(pgno), Some(len)) = (self.u32_at(item, 4), self.u32_at(item, 8)) else {
                    return Err("bad overflow item".into());
                };
                self.overflow(pgno, len).map(Item::Overflow)
            }
            other => Err(format!("item of type {other}, not a key or value")),
        }
    }

    /// The `len` bytes of an overflow chain from `pgno`.
    fn overflow(&mut self, mut pgno: u32, len: u32) -> Result<Vec<u8>, String> {
        let len = len as usize;
        if len > self.bytes.len() {
            return Err(format!(
                "overflow value of {len} bytes is larger than the file"
            ));
        }
        // Grown as pages are read, not reserved by the length the item claims.
        let mut out = Vec::with_capacity(len.min(1 << 20));
        // No chain is longer than the file.
        for _ in 0..self.pages {
            if out.len() == len {
                return Ok(out);
            }
            let page = self.page(pgno)?;
            if page.get(25) != Some(&P_OVERFLOW) {
                return Err(format!(
                    "page {pgno} of an overflow chain is not an overflow page"
                ));
            }
            let here = self.u16_at(page, 22).unwrap_or(0) as usize;
            let data = page
                .get(self.overhead..self.overhead + here)
                .filter(|_| out.len() + here <= len)
                .ok_or_else(|| format!("overflow page {pgno} holds a bad length"))?;
            out.extend_from_slice(data);
            pgno = self.next(page);
        }
        if out.len() == len {
            Ok(out)
        } else {
            Err("overflow chain loops".into())
        }
    }
}

enum Item<'a> {
    Here(&'a [u8]),
    Overflow(Vec<u8>),
}

impl Item<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Item::Here(b) => b,
            Item::Overflow(v) => v,
        }
    }
}

/// Opens the metadata page: the database, its highest bucket and its
/// `spares` table.
fn open(bytes: &[u8]) -> Result<(Db<'_>, u32, [u32; 32]), String> {
    let magic = bytes
        .get(12..16)
        .ok_or("too short for a Berkeley DB file")?;
    let magic = [magic[0], magic[1], magic[2], magic[3]];
    let big_endian = if u32::from_le_bytes(magic) == HASH_MAGIC {
        false
    } else if u32::from_be_bytes(magic) == HASH_MAGIC {
        true
    } else if [u32::from_le_bytes(magic), u32::from_be_bytes(magic)].contains(&BTREE_MAGIC) {
        return Err("a Berkeley DB btree, not the hash rpm writes".into());
    } else {
        return Err("not a Berkeley DB hash file".into());
    };
    let mut db = Db {
        bytes,
        page_size: 0,
        pages: 0,
        big_endian,
        overhead: PAGE_HEADER,
        seen: Vec::new(),
    };
    let meta = |at| db.u32_at(bytes, at).ok_or("truncated metadata page");
    let version = meta(16)?;
    if !(8..=10).contains(&version) {
        return Err(format!("unsupported hash version {version}"));
    }
    let page_size = meta(20)? as usize;
    if !page_size.is_power_of_two() || !(512..=65536).contains(&page_size) {
        return Err(format!("bad page size {page_size}"));
    }
    let last_pgno = meta(32)?;
    let max_bucket = meta(72)?;
    let mut spares = [0u32; 32];
    for (i, s) in spares.iter_mut().enumerate() {
        *s = meta(96 + 4 * i)?;
    }
    if bytes.get(24).is_some_and(|&alg| alg != 0) {
        return Err("encrypted".into());
    }
    if bytes.get(26).is_some_and(|&f| f & DBMETA_CHKSUM != 0) {
        // Two bytes of alignment and a 4-byte checksum.
        db.overhead = PAGE_HEADER + 6;
    }
    let pages = bytes.len() / page_size;
    if (last_pgno as usize) >= pages {
        return Err(format!(
            "the last page is {last_pgno} but the file holds {pages} pages (truncated?)"
        ));
    }
    db.page_size = page_size;
    db.pages = pages;
    db.seen = vec![false; pages];
    Ok((db, max_bucket, spares))
}

/// Hands every value of the database to `visit` with the package
/// instance its key holds; key 0, rpm's instance counter, is skipped. A
/// broken page or item is reported through `visit` and the walk goes on
/// with the next bucket; a file that is not a Berkeley DB hash is an
/// error.
pub fn walk(bytes: &[u8], visit: Visit<'_>) -> Result<(), String> {
    let (mut db, max_bucket, spares) = open(bytes)?;
    if max_bucket as usize >= db.pages {
        return Err(format!(
            "{max_bucket} buckets cannot fit in {} pages",
            db.pages
        ));
    }
    for bucket in 0..=max_bucket {
        // Bucket b lives at page b + spares[ceil(log2(b + 1))].
        let bits = (u32::BITS - bucket.leading_zeros()) as usize;
        let Some(mut pgno) = spares.get(bits).and_then(|s| bucket.checked_add(*s)) else {
            visit(Err(format!("bucket {bucket} maps outside the file")));
            continue;
        };
        while pgno != 0 {
            let page = match db.page(pgno) {
                Ok(page) => page,
                Err(e) => {
                    visit(Err(format!("bucket {bucket}: {e}")));
                    break;
                }
            };
            if !matches!(page.get(25), Some(&P_HASH | &P_HASH_UNSORTED)) {
                visit(Err(format!(
                    "bucket {bucket}: page {pgno} is not a hash page"
                )));
                break;
            }
            if let Err(e) = items(&mut db, page, visit) {
                visit(Err(format!("page {pgno}: {e}")));
            }
            pgno = db.next(page);
        }
    }
    Ok(())
}

/// The key/value pairs of a hash page.
fn items<'a>(db: &mut Db<'a>, page: &'a [u8], visit: Visit<'_>) -> Result<(), String> {
    let count = db.u16_at(page, 20).unwrap_or(0) as usize;
    let index_end = db.overhead + 2 * count;
    if index_end > page.len() {
        return Err(format!("{count} items cannot fit on the page"));
    }
    // Items are stored from the end of the page down: each ends where the
    // one before it starts.
    let mut end = page.len();
    for i in (0..count.saturating_sub(1)).step_by(2) {
        let at = db.overhead + 2 * i;
        let (Some(k), Some(v)) = (db.u16_at(page, at), db.u16_at(page, at + 2)) else {
            return Err("item index outside the page".into());
        };
        let (k, v) = (usize::from(k), usize::from(v));
        if v < index_end || v > k || k > end {
            return Err(format!("item offsets {k} and {v} out of order"));
        }
        let key = db.item(page, k, end)?;
        end = v;
        let key = key.bytes();
        if key.len() != 4 {
            visit(Err(format!("key of {} bytes, not 4", key.len())));
            continue;
        }
        let instance = db.u32_at(key, 0).unwrap_or(0);
        if instance == 0 {
            continue;
        }
        match db.item(page, v, k) {
            Ok(value) => visit(Ok((instance, value.bytes()))),
            Err(e) => visit(Err(format!("package {instance}: {e}"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_btree_or_other_file_is_not_a_hash() {
        let mut meta = vec![0u8; 512];
        meta[12..16].copy_from_slice(&BTREE_MAGIC.to_le_bytes());
        assert!(
            walk(&meta, &mut |_| {})
                .expect_err("an error")
                .contains("btree")
        );
        assert!(walk(b"RpmP", &mut |_| {}).is_err());
    }

    #[test]
    fn a_bad_page_size_is_an_error() {
        let mut meta = vec![0u8; 512];
        meta[12..16].copy_from_slice(&HASH_MAGIC.to_be_bytes());
        meta[16..20].copy_from_slice(&9u32.to_be_bytes());
        meta[20..24].copy_from_slice(&1000u32.to_be_bytes());
        assert!(
            walk(&meta, &mut |_| {})
                .expect_err("an error")
                .contains("page size")
        );
    }
}
