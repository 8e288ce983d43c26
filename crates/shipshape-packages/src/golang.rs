//! Go binaries: the build information the Go linker embeds (Go 1.13 and
//! later), the same that `go version -m` prints.
//!
//! The build information starts with the 16-byte-aligned magic
//! `\xff Go buildinf:` in the section `.go.buildinfo` (ELF),
//! `__go_buildinfo` (Mach-O) or near the start of the writable data (PE,
//! and files without section headers). A 32-byte header follows: pointer
//! size, flags (bit 0 big-endian, bit 1 strings inline), then either two
//! varint-length-prefixed strings (Go 1.18 and later) or two pointers to
//! Go string headers elsewhere in the file (Go 1.13 to 1.17). The strings
//! are the Go version (`go1.21.5`) and the module information, one
//! tab-separated line per fact:
//!
//! ```text
//! path  example.com/hello
//! mod   example.com/hello       (devel)
//! dep   github.com/google/uuid  v1.3.0  h1:...
//! =>    example.com/uuid-fork   v1.3.1  h1:...
//! build GOARCH=amd64
//! ```
//!
//! Packages reported: the main module (its version is `(devel)` when it
//! was built from a checkout: kept as Go writes it, so the SBOM lists the
//! module while the version says it is no release), every dependency as it
//! was linked (a module replaced by another module is that module at its
//! version; a module replaced by a local directory keeps its path with
//! version `(devel)`), and the standard library as `stdlib` at the Go
//! version in semver form (`go1.21.5` is `1.21.5`, `go1.21rc2` is
//! `1.21.0-rc.2`), which Go vulnerability advisories are keyed on.
//! Module paths keep their case (Go module paths are case-sensitive).

use serde::{Deserialize, Serialize};

use crate::exe::Exe;
use crate::{Found, Inventory, Package, purl};

/// The start of the build information.
const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
/// The build information is aligned to this many bytes.
const ALIGN: usize = 16;
/// Size of the header.
const HEADER: usize = 32;
/// How far into the data the build information is looked for (as Go does).
const SEARCH: usize = 64 << 10;
/// Longest version or module string read (inline or through a pointer).
const MAX_STRING: u64 = 4 << 20;
/// The 16 bytes Go puts around the module information.
const SENTINEL: usize = 16;

/// The build information of a Go binary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// The Go version as the binary names it (`go1.21.5`); empty when the
    /// build information could not be read.
    pub go_version: String,
    /// The main package's import path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The main module; `None` for a binary built outside module mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<Module>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deps: Vec<Module>,
    /// Build settings (`GOOS`, `vcs.revision`...), as key and value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<(String, String)>,
    /// Why the build information could not be read whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A module line (`mod`, `dep`) with its replacement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    pub path: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<Module>>,
}

/// The build information of a Go binary; `None` when `bytes` is no
/// executable or carries no Go build information.
pub fn condense(bytes: &[u8]) -> Option<BuildInfo> {
    from_exe(&Exe::parse(bytes)?)
}

/// [`condense`] of an executable already parsed.
pub(crate) fn from_exe(exe: &Exe<'_>) -> Option<BuildInfo> {
    let data = match exe.section(&[".go.buildinfo", "__go_buildinfo"]) {
        Some(Ok((_, data))) => data,
        Some(Err(why)) => {
            return Some(BuildInfo {
                problem: Some(why),
                ..BuildInfo::default()
            });
        }
        None => exe.data_start()?.1,
    };
    let header = find_magic(data)?;
    let (version, modinfo) = match read_strings(exe, header) {
        Ok(strings) => strings,
        Err(why) => {
            return Some(BuildInfo {
                problem: Some(why),
                ..BuildInfo::default()
            });
        }
    };
    let mut info = parse_modinfo(&String::from_utf8_lossy(strip_sentinels(modinfo)));
    info.go_version = String::from_utf8_lossy(version).into_owned();
    Some(info)
}

/// The build information header: the data from the first 16-byte-aligned
/// magic within the first 64 KiB of `data`.
fn find_magic(data: &[u8]) -> Option<&[u8]> {
    let end = data.len().min(SEARCH);
    (0..end)
        .step_by(ALIGN)
        .find(|&i| data.get(i..i + MAGIC.len()) == Some(MAGIC.as_slice()))
        .and_then(|i| data.get(i..))
}

/// The version and module strings the header at the start of `header`
/// holds or points to.
fn read_strings<'a>(exe: &Exe<'a>, header: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), String> {
    let fixed = header
        .get(..HEADER)
        .ok_or("build information header truncated")?;
    let ptr_size = usize::from(fixed[14]);
    let flags = fixed[15];
    if flags & 2 != 0 {
        let rest = header.get(HEADER..).unwrap_or_default();
        let (version, rest) = inline_string(rest).ok_or("Go version string truncated")?;
        let (modinfo, _) = inline_string(rest).ok_or("module information truncated")?;
        for (what, string) in [("Go version", version), ("module information", modinfo)] {
            if string.len() as u64 > MAX_STRING {
                return Err(format!(
                    "{what} of {} bytes, over the limit of {MAX_STRING}",
                    string.len()
                ));
            }
        }
        return Ok((version, modinfo));
    }
    if ptr_size != 4 && ptr_size != 8 {
        return Err(format!("pointer size {ptr_size} in build information"));
    }
    let big_endian = flags & 1 != 0;
    let read_ptr = |b: &[u8]| -> Option<u64> {
        let b = b.get(..ptr_size)?;
        let mut v = 0u64;
        for (i, byte) in b.iter().enumerate() {
            let shift = if big_endian { ptr_size - 1 - i } else { i } * 8;
            v |= u64::from(*byte) << shift;
        }
        Some(v)
    };
    // A Go string header: data pointer, then length.
    let string_at = |at: u64| -> Option<&'a [u8]> {
        let head = exe.read_at(at, 2 * ptr_size as u64)?;
        let data = read_ptr(head)?;
        let len = read_ptr(head.get(ptr_size..)?)?;
        if len == 0 {
            return Some(&[]);
        }
        if len > MAX_STRING {
            return None;
        }
        exe.read_at(data, len)
    };
    let version_ptr = read_ptr(&fixed[16..]).ok_or("header truncated")?;
    let modinfo_ptr = read_ptr(&fixed[16 + ptr_size..]).ok_or("header truncated")?;
    let version = string_at(version_ptr).ok_or("Go version string outside the file")?;
    let modinfo = string_at(modinfo_ptr).ok_or("module information outside the file")?;
    Ok((version, modinfo))
}

/// An unsigned LEB128 varint and the bytes after it.
fn uvarint(b: &[u8]) -> Option<(u64, &[u8])> {
    let mut v = 0u64;
    for (i, byte) in b.iter().enumerate().take(10) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, b.get(i + 1..)?));
        }
    }
    None
}

/// A varint-length-prefixed string and the bytes after it.
fn inline_string(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = uvarint(b)?;
    let len = usize::try_from(len).ok()?;
    Some((rest.get(..len)?, rest.get(len..)?))
}

/// The module information without the 16 bytes Go puts on each side; empty
/// when they are not there (as Go itself reads it).
fn strip_sentinels(b: &[u8]) -> &[u8] {
    if b.len() > 2 * SENTINEL && b.get(b.len() - SENTINEL - 1) == Some(&b'\n') {
        b.get(SENTINEL..b.len() - SENTINEL).unwrap_or_default()
    } else {
        &[]
    }
}

/// Parses the module information text (`path`, `mod`, `dep`, `=>`,
/// `build` lines, tab-separated). Lines it does not know are skipped.
pub fn parse_modinfo(text: &str) -> BuildInfo {
    let mut info = BuildInfo::default();
    // Whether the last module line was a `dep` (else `mod`): where a `=>`
    // replacement belongs.
    let mut last_dep = false;
    for line in text.lines() {
        let (key, rest) = line.split_once('\t').unwrap_or((line, ""));
        match key {
            "path" => info.path = Some(rest.to_string()),
            "mod" => {
                info.main = module(rest);
                last_dep = false;
            }
            "dep" => {
                if let Some(m) = module(rest) {
                    info.deps.push(m);
                    last_dep = true;
                }
            }
            "=>" => {
                let target = if last_dep {
                    info.deps.last_mut()
                } else {
                    info.main.as_mut()
                };
                if let (Some(m), Some(r)) = (target, module(rest)) {
                    m.replace = Some(Box::new(r));
                }
            }
            "build" => {
                if let Some(setting) = setting(rest) {
                    info.settings.push(setting);
                }
            }
            _ => {}
        }
    }
    info
}

/// `path<TAB>version<TAB>sum`; the version and sum may be missing.
fn module(fields: &str) -> Option<Module> {
    let mut parts = fields.split('\t');
    let path = parts.next().filter(|p| !p.is_empty())?;
    Some(Module {
        path: path.to_string(),
        version: parts.next().unwrap_or_default().to_string(),
        replace: None,
    })
}

/// `key=value`, where Go quotes a key or value holding spaces, tabs,
/// quotes, newlines or (in a key) `=`.
fn setting(text: &str) -> Option<(String, String)> {
    let (key, rest) = if text.starts_with('"') {
        let (key, len) = unquote_prefix(text)?;
        (key, text.get(len..)?.strip_prefix('=')?)
    } else {
        let (k, v) = text.split_once('=')?;
        (k.to_string(), v)
    };
    let value = if rest.starts_with('"') {
        unquote_prefix(rest).map_or_else(|| rest.to_string(), |(v, _)| v)
    } else {
        rest.to_string()
    };
    Some((key, value))
}

/// The Go-quoted string at the start of `s` and the bytes it took.
fn unquote_prefix(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'x' | 'u' | 'U' => {
                        let digits = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = chars.by_ref().take(digits).map(|(_, c)| c).collect();
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// The Go version in semver form, as Go vulnerability advisories write
/// the standard library's versions: `go1.21.5` is `1.21.5`, `go1.21` is
/// `1.21.0`, `go1.21rc2` is `1.21.0-rc.2`. A suffix after a space
/// (`go1.21.5 X:boringcrypto`) is left out; `None` for anything else
/// (`devel go1.22-abcdef`).
pub fn go_semver(version: &str) -> Option<String> {
    let core = version.split_whitespace().next()?.strip_prefix("go")?;
    let digits_end = core
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(core.len());
    let (numbers, pre) = core.split_at(digits_end);
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let part = |i: usize| parts.get(i).copied().unwrap_or("0");
    let mut out = format!("{}.{}.{}", part(0), part(1), part(2));
    if !pre.is_empty() {
        let (tag, n) = if let Some(n) = pre.strip_prefix("rc") {
            ("rc", n)
        } else if let Some(n) = pre.strip_prefix("beta") {
            ("beta", n)
        } else {
            return None;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(&format!("-{tag}.{n}"));
    }
    Some(out)
}

/// Whether a replacement names a local directory rather than a module.
fn is_local_path(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path.starts_with(".\\")
        || path.starts_with("..\\")
        || path.as_bytes().get(1) == Some(&b':')
}

/// The package of a module line, as it was linked.
fn linked(m: &Module) -> (String, String) {
    match &m.replace {
        Some(r) if is_local_path(&r.path) => (m.path.clone(), "(devel)".to_string()),
        Some(r) => (r.path.clone(), r.version.clone()),
        None => (m.path.clone(), m.version.clone()),
    }
}

/// `pkg:golang/NAMESPACE/NAME@VERSION`: the module path's last segment is
/// the name, the segments before it the namespace.
fn golang_purl(path: &str, version: &str) -> String {
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, path),
    };
    purl::build("golang", namespace, name, version, &[])
}

/// The packages of a condensed Go binary.
pub fn catalog(info: &BuildInfo, found: &Found, inventory: &mut Inventory) {
    if let Some(why) = &info.problem {
        inventory.problems.push(format!(
            "{}: Go build information unreadable: {why}",
            found.path
        ));
    }
    let package = |name: &str, version: &str| Package {
        name: name.to_string(),
        version: version.to_string(),
        ecosystem: "golang",
        arch: None,
        source_name: None,
        source_version: None,
        purl: golang_purl(name, version),
        licenses: Vec::new(),
        found: found.clone(),
    };
    if let Some(main) = &info.main {
        let (name, version) = linked(main);
        inventory.packages.push(package(&name, &version));
    }
    for dep in &info.deps {
        let (name, version) = linked(dep);
        inventory.packages.push(package(&name, &version));
    }
    if info.problem.is_none() {
        match go_semver(&info.go_version) {
            Some(v) => inventory.packages.push(package("stdlib", &v)),
            None => inventory.problems.push(format!(
                "{}: Go binary of unknown Go version ({:?})",
                found.path, info.go_version
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn go_versions_in_semver_form() {
        assert_eq!(go_semver("go1.21.5").as_deref(), Some("1.21.5"));
        assert_eq!(go_semver("go1.19.8").as_deref(), Some("1.19.8"));
        assert_eq!(go_semver("go1.20").as_deref(), Some("1.20.0"));
        assert_eq!(go_semver("go1.21rc2").as_deref(), Some("1.21.0-rc.2"));
        assert_eq!(go_semver("go1.18beta1").as_deref(), Some("1.18.0-beta.1"));
        assert_eq!(
            go_semver("go1.21.5 X:boringcrypto").as_deref(),
            Some("1.21.5")
        );
        assert_eq!(go_semver("devel go1.22-abc123 Tue"), None);
        assert_eq!(go_semver("go1..2"), None);
        assert_eq!(go_semver("go1.2.3.4"), None);
        assert_eq!(go_semver("go1.21rc"), None);
        assert_eq!(go_semver(""), None);
    }

    #[test]
    fn replacements_and_quoted_settings() {
        let info = parse_modinfo(
            "path\tex.com/a/cmd\nmod\tex.com/a\t(devel)\t\ndep\tgolang.org/x/net\tv0.1.0\th1:x=\n=>\tgithub.com/fork/net\tv0.1.1\th1:y=\n\ndep\tex.com/b\tv1.0.0\n=>\t../b\t(devel)\t\ndep\tex.com/c\tv2.0.0+incompatible\nbuild\t-ldflags=\"-X main.v=1 -s\"\nbuild\tGOOS=linux\nbuild\t\"a key=\"=x\n",
        );
        assert_eq!(info.path.as_deref(), Some("ex.com/a/cmd"));
        let main = info.main.as_ref().map(linked);
        assert_eq!(main, Some(("ex.com/a".into(), "(devel)".into())));
        let deps: Vec<_> = info.deps.iter().map(linked).collect();
        assert_eq!(
            deps,
            [
                ("github.com/fork/net".into(), "v0.1.1".into()),
                ("ex.com/b".into(), "(devel)".into()),
                ("ex.com/c".into(), "v2.0.0+incompatible".into()),
            ]
        );
        assert_eq!(
            info.settings,
            [
                ("-ldflags".into(), "-X main.v=1 -s".into()),
                ("GOOS".into(), "linux".into()),
                ("a key=".into(), "x".into()),
            ]
        );
    }

    #[test]
    fn purls_split_the_module_path() {
        assert_eq!(
            golang_purl("github.com/google/uuid", "v1.3.0"),
            "pkg:golang/github.com/google/uuid@v1.3.0"
        );
        assert_eq!(golang_purl("stdlib", "1.19.8"), "pkg:golang/stdlib@1.19.8");
        assert_eq!(
            golang_purl("github.com/x/y", "v2.0.0+incompatible"),
            "pkg:golang/github.com/x/y@v2.0.0%2Bincompatible"
        );
    }

    #[test]
    fn sentinels_are_required() {
        assert_eq!(strip_sentinels(b"path\tx\n"), b"");
        let wrapped = [[0xf9; 16].as_slice(), b"path\tx\n", &[0x30; 16]].concat();
        assert_eq!(strip_sentinels(&wrapped), b"path\tx\n");
    }

    #[test]
    fn varints_are_bounded() {
        assert_eq!(uvarint(&[0x96, 0x01, 7]), Some((150, &[7u8][..])));
        assert_eq!(uvarint(&[0x80; 11]), None);
        assert_eq!(inline_string(&[5, b'a']), None);
        assert_eq!(inline_string(&[0xff, 0xff, 0xff, 0xff, 0x0f]), None);
    }
}
