//! What the file rules share: reading a file's kept contents, walking its
//! lines, telling third-party trees apart.

use std::borrow::Cow;

use shipshape_image::files::{Entry, FileIndex, Kind};

/// Whether `entry` is a regular file: a file, or a hard link to one.
pub fn is_regular(entry: &Entry) -> bool {
    matches!(entry.kind, Kind::File | Kind::Hardlink(_))
}

/// The kept contents of a regular file. A hard link in a layer carries no
/// data of its own, so its contents are those of the path it links to.
pub fn contents<'a>(files: &'a FileIndex, entry: &'a Entry) -> Option<&'a [u8]> {
    match &entry.kind {
        Kind::File => entry.content.as_deref(),
        Kind::Hardlink(target) => files.get(target).and_then(|t| t.content.as_deref()),
        _ => None,
    }
}

/// The contents of the regular file at `path`, if kept.
pub fn contents_of<'a>(files: &'a FileIndex, path: &str) -> Option<(&'a Entry, &'a [u8])> {
    let entry = files.get(path)?;
    Some((entry, contents(files, entry)?))
}

/// The lines of a text, numbered from 1 (invalid UTF-8 replaced).
pub fn numbered_lines(bytes: &[u8]) -> Vec<(u32, String)> {
    let text: Cow<'_, str> = String::from_utf8_lossy(bytes);
    text.lines()
        .enumerate()
        .map(|(i, l)| (line_number(i), l.to_string()))
        .collect()
}

/// A 0-based index as a 1-based line number.
pub fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The last component of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory of a path (`""` at the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether `path` is `suffix` or ends with `/suffix` (whole components).
pub fn ends_with_path(path: &str, suffix: &str) -> bool {
    path.strip_suffix(suffix)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
}

/// Whether `path` lies in a tree of third-party code or of a language's own
/// test data: package-manager install and cache directories (`node_modules`,
/// `site-packages`, `vendor`, Ruby gems, the Go module and Cargo registry
/// caches), Go `testdata` and the test suite of a Python installation. Keys
/// and `.env` files there are fixtures or someone else's, not the image
/// owner's secrets.
pub fn third_party(path: &str) -> bool {
    let mut previous = "";
    for component in path.split('/') {
        let dependency = matches!(
            component,
            "node_modules"
                | "bower_components"
                | "site-packages"
                | "dist-packages"
                | "vendor"
                | "gems"
                | "testdata"
        );
        let cache = matches!(
            (previous, component),
            ("pkg", "mod") | ("registry", "src" | "index" | "cache") | ("git", "checkouts" | "db")
        );
        let python_tests = previous.starts_with("python") && component == "test";
        if dependency || cache || python_tests {
            return true;
        }
        previous = component;
    }
    false
}

/// A size in bytes, for people.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Test helpers for file rules.
#[cfg(test)]
pub mod testing {
    use shipshape_core::{Finding, Location, Severity};

    use super::super::{Rule, check};
    use shipshape_image::Image;

    /// Where a finding points: its path and line.
    pub fn place(finding: &Finding) -> (String, Option<u32>) {
        match &finding.location {
            Location::Image { path, line, .. } => (path.clone().unwrap_or_default(), *line),
            other => panic!("not an image location: {other:?}"),
        }
    }

    /// The layer of a finding, as the location shows it.
    pub fn layer(finding: &Finding) -> Option<String> {
        match &finding.location {
            Location::Image { layer, .. } => layer.clone(),
            _ => None,
        }
    }

    /// The places of the findings of `rule` on a file listing.
    pub fn places(rule: &'static Rule, listing: &str) -> Vec<(String, Option<u32>)> {
        super::super::test_support::findings(rule, listing)
            .iter()
            .map(place)
            .collect()
    }

    /// The paths of the findings of `rule` on a file listing.
    pub fn paths(rule: &'static Rule, listing: &str) -> Vec<String> {
        places(rule, listing).into_iter().map(|(p, _)| p).collect()
    }

    /// Findings of `rule` on an image built by hand.
    pub fn run(rule: &'static Rule, image: &Image) -> Vec<Finding> {
        check(image, &[rule])
    }

    /// The severities of the findings of `rule` on a file listing.
    pub fn severities(rule: &'static Rule, listing: &str) -> Vec<(String, Severity)> {
        super::super::test_support::findings(rule, listing)
            .iter()
            .map(|f| (place(f).0, f.severity))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::wants;

    #[test]
    fn path_helpers() {
        assert!(ends_with_path("root/.kube/config", ".kube/config"));
        assert!(ends_with_path(".kube/config", ".kube/config"));
        assert!(!ends_with_path("root/x.kube/config", ".kube/config"));
        assert_eq!(parent("etc/ssh/sshd_config"), "etc/ssh");
        assert_eq!(parent("etc"), "");
        assert_eq!(file_name("etc/ssh/sshd_config"), "sshd_config");
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn third_party_trees() {
        for path in [
            "app/node_modules/x/test/key.pem",
            "usr/lib/python3/dist-packages/a/b.pem",
            "usr/local/lib/python3.12/site-packages/x/.env",
            "usr/local/go/src/crypto/tls/testdata/example-key.pem",
            "root/go/pkg/mod/github.com/x/y@v1/key.pem",
            "usr/local/cargo/registry/src/index.crates.io-1/x/k.pem",
            "usr/local/cargo/registry/index/github.com-1ecc/.git/config",
            "usr/local/cargo/git/checkouts/x-1/abc/.git/config",
            "usr/local/bundle/gems/x-1.0/spec/key.pem",
            "usr/lib/python3.11/test/keycert.pem",
            "app/vendor/github.com/x/y/.env",
        ] {
            assert!(third_party(path), "{path}");
        }
        for path in [
            "app/.env",
            "app/certs/server.key",
            "root/.ssh/id_rsa",
            "app/tests/key.pem",
            "app/modules/x.pem",
            "srv/registry/key.pem",
        ] {
            assert!(!third_party(path), "{path}");
        }
    }

    /// The listing helper keeps every file's contents; the reader keeps
    /// only what `wants` accepts. Every path the file rules read must be
    /// wanted, or the rules would see nothing on a real image.
    #[test]
    fn wants_every_file_the_rules_read() {
        for path in [
            "etc/passwd",
            "etc/group",
            "etc/shadow",
            "etc/sudoers",
            "etc/sudoers.d/app",
            "root/.ssh/id_rsa",
            "home/app/.ssh/id_ed25519",
            "home/app/.ssh/id_github",
            "root/.ssh/authorized_keys",
            "app/.env",
            "app/.env.production",
            "root/.aws/credentials",
            "root/.docker/config.json",
            "kaniko/.docker/config.json",
            "root/.npmrc",
            "app/.npmrc",
            "root/.pypirc",
            "etc/nginx/.htpasswd",
            "root/.kube/config",
            "app/.git/config",
            "app/certs/server.key",
            "etc/ssl/private/site.pem",
            "app/AuthKey_ABC123.p8",
            "etc/ssh/ssh_host_ed25519_key",
        ] {
            assert!(wants(path), "{path} should be wanted");
        }
        for path in [
            "usr/bin/sudo",
            "app/config.json",
            "app/node_modules/x/config.json",
            "etc/app/config",
            "app/credentials",
            "root/.ssh/id_rsa.pub",
            "app/.env.example",
            "app/node_modules/x/test/key.pem",
            "etc/sudoers.d/sub/x",
            "usr/share/doc/x/README",
        ] {
            assert!(!wants(path), "{path} should not be wanted");
        }
    }
}
