//! Sections and addresses of executables (ELF, PE, Mach-O), for the
//! catalogers that read what a toolchain embeds in a binary. Every read
//! is bounds-checked by the `object` crate: a broken header gives `None`
//! or an error, never a panic.

use object::{Object, ObjectSection, ObjectSegment, SectionKind};

/// Smallest file worth reading: an ELF header alone is 64 bytes.
const MIN_SIZE: u64 = 64;

/// Whether a regular file may be an executable worth parsing: it has an
/// execute bit and room for a header. Decided on the mode and size only,
/// for every file of an image.
pub(crate) fn condenses(mode: u32, size: u64) -> bool {
    mode & 0o111 != 0 && size >= MIN_SIZE
}

/// A parsed executable or shared object.
pub(crate) struct Exe<'a> {
    file: object::File<'a>,
}

/// Whether `bytes` starts like an ELF, PE or (thin) Mach-O file: a cheap
/// check before parsing headers.
pub(crate) fn has_magic(bytes: &[u8]) -> bool {
    match bytes.get(..4) {
        Some([0x7f, b'E', b'L', b'F']) => true,
        Some([b'M', b'Z', ..]) => true,
        Some(m) => matches!(
            u32::from_le_bytes([m[0], m[1], m[2], m[3]]),
            0xfeed_face | 0xfeed_facf | 0xcefa_edfe | 0xcffa_edfe
        ),
        None => false,
    }
}

impl<'a> Exe<'a> {
    /// `None` when `bytes` is not an ELF, PE or Mach-O file whose headers
    /// parse.
    pub(crate) fn parse(bytes: &'a [u8]) -> Option<Self> {
        if !has_magic(bytes) {
            return None;
        }
        object::File::parse(bytes).ok().map(|file| Exe { file })
    }

    /// The address and file contents of the first section with one of
    /// `names`; `Some(Err)` when the section exists but its contents lie
    /// outside the file.
    pub(crate) fn section(&self, names: &[&str]) -> Option<Result<(u64, &'a [u8]), String>> {
        let section = names.iter().find_map(|n| self.file.section_by_name(n))?;
        Some(
            section
                .data()
                .map(|d| (section.address(), d))
                .map_err(|e| format!("section {}: {e}", section.name().unwrap_or("?"))),
        )
    }

    /// The start of the writable data: the first initialized, writable data
    /// section, or else the first writable segment.
    pub(crate) fn data_start(&self) -> Option<(u64, &'a [u8])> {
        let section = self
            .file
            .sections()
            .find(|s| s.kind() == SectionKind::Data && s.size() > 0);
        if let Some(s) = section {
            return s.data().ok().map(|d| (s.address(), d));
        }
        self.file
            .segments()
            .find(|s| s.permissions().writable() && s.size() > 0)
            .and_then(|s| s.data().ok().map(|d| (s.address(), d)))
    }

    /// `len` bytes at virtual address `addr`, from the section or segment
    /// that holds them in the file.
    pub(crate) fn read_at(&self, addr: u64, len: u64) -> Option<&'a [u8]> {
        self.file
            .sections()
            .find_map(|s| s.data_range(addr, len).ok().flatten())
            .or_else(|| {
                self.file
                    .segments()
                    .find_map(|s| s.data_range(addr, len).ok().flatten())
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_and_truncated_headers_are_not_executables() {
        assert!(Exe::parse(b"#!/bin/sh\necho hi\n").is_none());
        assert!(Exe::parse(b"\x7fELF").is_none());
        assert!(Exe::parse(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0").is_none());
        assert!(Exe::parse(b"MZ").is_none());
        assert!(Exe::parse(b"").is_none());
    }
}
