//! The operating system of an image: `/etc/os-release` (or
//! `/usr/lib/os-release`), else `alpine-release`, `debian_version`,
//! `redhat-release`.

use shipshape_core::files::FileIndex;

pub use shipshape_core::inventory::Os;

const FILES: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    "etc/redhat-release",
];

pub fn wants(path: &str) -> bool {
    FILES.contains(&path)
}

fn text(files: &FileIndex, path: &str) -> Option<String> {
    let entry = files.get(path)?;
    let content = entry.content.as_ref()?;
    Some(String::from_utf8_lossy(content).into_owned())
}

/// Parses `os-release`: `KEY=value` lines, values optionally quoted.
pub fn parse_os_release(text: &str) -> Option<Os> {
    let mut get = std::collections::HashMap::new();
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once('=') else {
            continue;
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        get.insert(key.trim().to_string(), value.to_string());
    }
    let id = get.get("ID")?.to_ascii_lowercase();
    Some(Os {
        id,
        version: get.get("VERSION_ID").cloned(),
        codename: get.get("VERSION_CODENAME").cloned(),
        pretty_name: get.get("PRETTY_NAME").cloned(),
    })
}

/// The release, from the first file that names it.
pub fn detect(files: &FileIndex) -> Option<Os> {
    for path in ["etc/os-release", "usr/lib/os-release"] {
        if let Some(os) = text(files, path).and_then(|t| parse_os_release(&t)) {
            return Some(os);
        }
    }
    let simple = |path: &str, id: &str| {
        text(files, path).map(|t| Os {
            id: id.to_string(),
            version: t.lines().next().map(|l| l.trim().to_string()),
            codename: None,
            pretty_name: None,
        })
    };
    simple("etc/alpine-release", "alpine")
        .or_else(|| simple("etc/debian_version", "debian"))
        .or_else(|| simple("etc/redhat-release", "rhel"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_os_release() {
        let os = parse_os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        )
        .expect("os");
        assert_eq!(os.id, "debian");
        assert_eq!(os.version.as_deref(), Some("12"));
        assert_eq!(os.codename.as_deref(), Some("bookworm"));
        assert_eq!(parse_os_release("NAME=x\n"), None);
    }
}
