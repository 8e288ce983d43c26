//! The metadata files of a Java archive: `pom.properties`, `MANIFEST.MF`,
//! and the artifact name and version a file name such as
//! `commons-lang3-3.12.0.jar` carries.

/// `groupId`, `artifactId` and `version` of a `pom.properties`; `None`
/// when one is missing or still a `${...}` placeholder.
pub(super) fn pom_properties(text: &str) -> Option<(String, String, String)> {
    let mut group = None;
    let mut artifact = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some(sep) = line.find(['=', ':']) else {
            continue;
        };
        let (key, value) = (line[..sep].trim(), line[sep + 1..].trim());
        match key {
            "groupId" => group = Some(value),
            "artifactId" => artifact = Some(value),
            "version" => version = Some(value),
            _ => {}
        }
    }
    let usable = |v: Option<&str>| {
        v.filter(|v| !v.is_empty() && !v.contains("${"))
            .map(str::to_string)
    };
    Some((usable(group)?, usable(artifact)?, usable(version)?))
}

/// The main attributes of a `MANIFEST.MF` (the section before the first
/// blank line), continuation lines joined, names as written.
pub(super) fn manifest(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split(['\n', '\r']) {
        if let Some(more) = line.strip_prefix(' ') {
            if let Some((_, value)) = out.last_mut() {
                value.push_str(more);
            }
            continue;
        }
        if line.is_empty() {
            // `\r\n` splits into a line and an empty piece ([`main_section`]
            // has cut the text at the first blank line).
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_string(), value.trim_start().to_string()));
        }
    }
    out
}

/// The main section of a manifest: up to the first blank line.
pub(super) fn main_section(text: &str) -> &str {
    let normalized_end = [text.find("\r\n\r\n"), text.find("\n\n"), text.find("\r\r")]
        .into_iter()
        .flatten()
        .min();
    normalized_end.map_or(text, |end| &text[..end])
}

/// The value of the first of `names` (case-insensitive) present with a
/// value.
pub(super) fn attribute<'a>(attrs: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| {
        attrs
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(n) && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    })
}

/// The artifact name and version in an archive's file name without its
/// extension: the version starts at the last `-DIGIT` whose preceding
/// dash-separated part has a letter (`log4j-1.2-api-2.19.0` is
/// `log4j-1.2-api` at `2.19.0`, `foo-1.0-20230101` is `foo` at
/// `1.0-20230101`).
pub(super) fn split_file_stem(stem: &str) -> (&str, Option<&str>) {
    let bytes = stem.as_bytes();
    let mut best = None;
    let mut part_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'-' {
            continue;
        }
        let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let part_has_letter = bytes
            .get(part_start..i)
            .is_some_and(|p| p.iter().any(u8::is_ascii_alphabetic));
        if next_is_digit && part_has_letter && i > 0 {
            best = Some(i);
        }
        part_start = i + 1;
    }
    match best {
        Some(i) => (&stem[..i], Some(&stem[i + 1..])),
        None => (stem, None),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pom_properties_as_maven_writes_them() {
        let p = "#Created by Apache Maven 3.6.3\ngroupId=org.slf4j\nartifactId=slf4j-nop\nversion=1.7.32\n";
        assert_eq!(
            pom_properties(p),
            Some(("org.slf4j".into(), "slf4j-nop".into(), "1.7.32".into()))
        );
        assert_eq!(pom_properties("groupId=a\nartifactId=b\n"), None);
        assert_eq!(
            pom_properties("groupId=a\nartifactId=b\nversion=${project.version}\n"),
            None
        );
        assert_eq!(
            pom_properties("groupId : a\r\nartifactId:b\r\nversion = 1\r\n"),
            Some(("a".into(), "b".into(), "1".into()))
        );
    }

    #[test]
    fn manifest_continuations_and_sections() {
        let text = "Manifest-Version: 1.0\r\nBundle-Description: Apache Commons Lang, a package of Java utility class\r\n es for the  classes\r\nImplementation-Version: 3.12.0\r\n\r\nName: org/x/\r\nImplementation-Version: 9\r\n";
        let attrs = manifest(main_section(text));
        assert_eq!(
            attribute(&attrs, &["bundle-description"]),
            Some("Apache Commons Lang, a package of Java utility classes for the  classes")
        );
        assert_eq!(
            attribute(&attrs, &["Bundle-Version", "Implementation-Version"]),
            Some("3.12.0")
        );
        assert_eq!(attrs.len(), 3);
    }

    #[test]
    fn file_stems() {
        assert_eq!(
            split_file_stem("commons-lang3-3.12.0"),
            ("commons-lang3", Some("3.12.0"))
        );
        assert_eq!(
            split_file_stem("guava-31.1-jre"),
            ("guava", Some("31.1-jre"))
        );
        assert_eq!(
            split_file_stem("log4j-1.2-api-2.19.0"),
            ("log4j-1.2-api", Some("2.19.0"))
        );
        assert_eq!(
            split_file_stem("foo-1.0-20230101"),
            ("foo", Some("1.0-20230101"))
        );
        assert_eq!(split_file_stem("libintl-0.21"), ("libintl", Some("0.21")));
        assert_eq!(split_file_stem("gettext"), ("gettext", None));
        assert_eq!(split_file_stem("-1.0"), ("-1.0", None));
        assert_eq!(split_file_stem("app-"), ("app-", None));
    }
}
