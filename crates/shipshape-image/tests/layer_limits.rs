//! What one layer may make the reader hold: long-name and pax headers
//! (held whole by the tar reader), and files larger than the limit an
//! analyzer reads them whole within.

mod support;

use shipshape_image::files::{Condensed, Entry, Interest};
use shipshape_image::layer::{Change, LayerRead, Limits, MAX_EXTENSION_BYTES, read_layer};
use support::*;

/// Condenses `bin/*` within 1 KiB, when it starts with `\x7fELF`.
struct Executables;

impl Interest for Executables {
    fn keep(&self, _path: &str) -> bool {
        false
    }

    fn condenses(&self, path: &str, _mode: u32, _size: u64) -> bool {
        path.starts_with("bin/")
    }

    fn condense_limit(&self, _path: &str) -> Option<u64> {
        Some(1024)
    }

    fn condenses_head(&self, _path: &str, head: &[u8]) -> bool {
        head.starts_with(b"\x7fELF")
    }

    fn condense(&self, _path: &str, bytes: &[u8]) -> Option<Condensed> {
        let record = bytes.len().to_string();
        let weight = record.len();
        Some(Condensed::new(record, weight))
    }
}

fn read(layer: &[u8], wants: &dyn Interest) -> Result<LayerRead, String> {
    let limits = Limits {
        scan_secrets: false,
        ..Limits::default()
    };
    read_layer(layer, 0, limits, wants).map_err(|e| e.message)
}

fn put<'a>(read: &'a LayerRead, path: &str) -> &'a Entry {
    read.changes
        .iter()
        .find_map(|c| match c {
            Change::Put(p, e) if p == path => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{path} not in {:?}", read.changes))
}

/// A pax extended header holding `records` (`key=value` each).
fn pax(records: &[(&str, &str)]) -> Vec<u8> {
    let mut data = Vec::new();
    for (key, value) in records {
        let body = format!(" {key}={value}\n");
        // The length counts its own digits.
        let mut len = body.len() + 1;
        while format!("{len}{body}").len() != len {
            len += 1;
        }
        data.extend_from_slice(format!("{len}{body}").as_bytes());
    }
    entry("./PaxHeaders/x", b'x', &data, 0o644, "")
}

#[test]
fn a_long_name_or_pax_header_past_the_limit_is_an_error_not_an_allocation() {
    let over = usize::try_from(MAX_EXTENSION_BYTES).expect("fits") + 4096;
    let nothing = |_: &str| false;
    let long_name = tar(&[
        entry("././@LongLink", b'L', &vec![b'a'; over], 0o644, ""),
        file("x", b"x"),
    ]);
    let e = read(&long_name, &nothing).expect_err("refused");
    assert!(
        e.contains("long name or pax extended headers past 1048576 bytes"),
        "{e}"
    );
    let long_pax = tar(&[pax(&[("path", &"p".repeat(over))]), file("x", b"x")]);
    let e = read(&long_pax, &nothing).expect_err("refused");
    assert!(e.contains("past 1048576 bytes"), "{e}");
}

#[test]
fn long_names_and_pax_paths_within_the_limit_are_read() {
    let nothing = |_: &str| false;
    let name = format!("usr/share/{}/file", "d".repeat(300));
    let mut long_name = name.as_bytes().to_vec();
    long_name.push(0);
    let layer = tar(&[
        entry("././@LongLink", b'L', &long_name, 0o644, ""),
        file("short", b"one"),
        pax(&[("path", "etc/from-pax")]),
        file("ignored-name", b"two"),
        // A large file's data is passed over, whatever its size.
        file("big", &vec![0u8; 3 << 20]),
        file("after", b"three"),
    ]);
    let read = read(&layer, &nothing).expect("read");
    let paths: Vec<&str> = read
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Put(p, _) => Some(p.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(paths, [name.as_str(), "etc/from-pax", "big", "after"]);
}

#[test]
fn a_file_over_its_read_limit_in_a_layer_is_not_read_and_says_why() {
    let mut elf = b"\x7fELF".to_vec();
    elf.resize(4096, 0);
    let mut script = b"#!/bin/sh\n".to_vec();
    script.resize(4096, b'#');
    let layer = tar(&[
        file_mode("bin/big", &elf, 0o755),
        file_mode("bin/script", &script, 0o755),
        file_mode("bin/small", &elf[..512], 0o755),
    ]);
    let read = read(&layer, &Executables).expect("read");
    let big = put(&read, "bin/big");
    assert_eq!(big.condensed, None);
    assert_eq!(
        big.unread.as_deref(),
        Some("not read: 4096 bytes, over the limit of 1024 bytes for a file read whole")
    );
    // Not an executable by its first bytes: not wanted, so nothing to say.
    assert_eq!(put(&read, "bin/script").unread, None);
    assert_eq!(put(&read, "bin/script").condensed, None);
    // Within the limit: read as before.
    let small = put(&read, "bin/small");
    assert_eq!(
        small
            .condensed
            .as_ref()
            .and_then(|c| c.get::<String>())
            .map(String::as_str),
        Some("512")
    );
    assert_eq!(small.unread, None);
}
