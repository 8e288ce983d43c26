//! Package URLs (purl), as the purl specification builds them.

/// Percent-encodes a purl component: letters, digits and `.-_~` stay.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `pkg:TYPE/NAMESPACE/NAME@VERSION?k=v&...` with qualifiers sorted by key
/// and empty ones left out. A namespace of several `/`-separated segments
/// (a Go module path's) has each segment encoded.
pub fn build(
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, Option<&str>)],
) -> String {
    let mut purl = format!("pkg:{kind}/");
    if let Some(ns) = namespace {
        for segment in ns.split('/').filter(|s| !s.is_empty()) {
            purl.push_str(&encode(segment));
            purl.push('/');
        }
    }
    purl.push_str(&encode(name));
    purl.push('@');
    purl.push_str(&encode(version));
    let mut qs: Vec<(&str, &str)> = qualifiers
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    qs.sort();
    for (i, (k, v)) in qs.iter().enumerate() {
        purl.push(if i == 0 { '?' } else { '&' });
        purl.push_str(&format!("{k}={}", encode(v)));
    }
    purl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_segments_are_encoded_one_by_one() {
        assert_eq!(
            build(
                "golang",
                Some("github.com/Azure"),
                "go-autorest",
                "v14.2.0+incompatible",
                &[]
            ),
            "pkg:golang/github.com/Azure/go-autorest@v14.2.0%2Bincompatible"
        );
        assert_eq!(
            build("maven", Some("org.slf4j"), "slf4j-api", "1.7.32", &[]),
            "pkg:maven/org.slf4j/slf4j-api@1.7.32"
        );
    }

    #[test]
    fn debian_purls() {
        assert_eq!(
            build(
                "deb",
                Some("debian"),
                "libssl3",
                "3.0.15-1~deb12u1",
                &[("arch", Some("amd64")), ("distro", Some("debian-12"))]
            ),
            "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            build(
                "deb",
                Some("debian"),
                "libc6",
                "1:2.36-9+deb12u9",
                &[("upstream", None)]
            ),
            "pkg:deb/debian/libc6@1%3A2.36-9%2Bdeb12u9"
        );
    }
}
