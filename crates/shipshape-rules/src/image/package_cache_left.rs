use std::collections::{BTreeMap, BTreeSet};

use super::Checker;
use super::file_support::{human_size, is_regular};

rule! {
    /// ## What it does
    /// Finds package-manager caches left in the image and reports each once,
    /// at its directory, with the number and total size of its files:
    ///
    /// - apt's package lists, `/var/lib/apt/lists/` (its `lock`, `partial/`
    ///   and `auxfiles/` are apt's own and not counted);
    /// - apt's downloaded packages and caches, `/var/cache/apt/archives/*.deb`
    ///   and `/var/cache/apt/*.bin`;
    /// - apk's cache, `/var/cache/apk/`;
    /// - pip's cache, `.cache/pip/` in `/root` or a home directory;
    /// - npm's cache, `.npm/_cacache/` in `/root` or a home directory;
    /// - Yarn's cache, `.cache/yarn/` in `/root`, a home directory or
    ///   `/usr/local/share` (where the official Node.js images keep it).
    ///
    /// Empty cache directories are not reported.
    ///
    /// ## Why is this bad?
    /// Caches are only useful while building, yet once a layer holds them
    /// every pull and every node pays for them: the apt lists alone are
    /// tens of megabytes. Stale package lists also let a later `apt-get
    /// install` in a derived image install out-of-date versions without
    /// running `update`. Removing a cache in a later `RUN` does not help:
    /// the layer that wrote it still ships it. It has to go in the same
    /// `RUN` that filled it, or never be written.
    ///
    /// ## Example
    /// ```text
    /// 644 0:0 var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4 = LZ4 data
    /// 640 0:0 var/lib/apt/lists/lock
    /// ```
    ///
    /// ## Use instead
    /// Clean up in the same `RUN` (`apt-get update && apt-get install -y
    /// --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`), use
    /// `apk add --no-cache` and `pip install --no-cache-dir`, or keep caches
    /// out of the image with `RUN --mount=type=cache,target=...`:
    /// ```text
    /// 640 0:0 var/lib/apt/lists/lock
    /// 700 0:0 var/lib/apt/lists/partial/
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0005 (apt lists), DKL-DI-0004 (`apk add --no-cache`)
    /// - Docker documentation, *Best practices for writing Dockerfiles* (`apt-get`)
    id: "IM109",
    name: "package-cache-left",
    title: "Package manager cache left in the image",
    severity: Low,
    aliases: ["DKL-DI-0005"],
    check: check,
}

/// A kind of cache: what it is and how to keep it out.
struct Cache {
    what: &'static str,
    fix: &'static str,
}

const APT_LISTS: Cache = Cache {
    what: "apt package lists",
    fix: "remove them in the `RUN` that runs `apt-get update` (`&& rm -rf /var/lib/apt/lists/*`)",
};
const APT_CACHE: Cache = Cache {
    what: "apt's downloaded packages",
    fix: "run `apt-get clean` in the same `RUN` as `apt-get install`",
};
const APK: Cache = Cache {
    what: "apk's package cache",
    fix: "use `apk add --no-cache`",
};
const PIP: Cache = Cache {
    what: "pip's cache",
    fix: "use `pip install --no-cache-dir` or `RUN --mount=type=cache,target=/root/.cache/pip`",
};
const NPM: Cache = Cache {
    what: "npm's cache",
    fix: "run `npm cache clean --force` in the same `RUN`, or use a cache mount",
};
const YARN: Cache = Cache {
    what: "Yarn's cache",
    fix: "run `yarn cache clean` in the same `RUN`, or use a cache mount",
};

/// The cache a path belongs to: its directory and its kind.
fn classify(path: &str) -> Option<(&str, &'static Cache)> {
    if let Some(rest) = path.strip_prefix("var/lib/apt/lists/") {
        let first = rest.split('/').next().unwrap_or(rest);
        return (!matches!(first, "lock" | "partial" | "auxfiles"))
            .then_some(("var/lib/apt/lists", &APT_LISTS));
    }
    if let Some(rest) = path.strip_prefix("var/cache/apt/") {
        let deb = rest
            .strip_prefix("archives/")
            .is_some_and(|n| !n.contains('/') && n.ends_with(".deb"));
        let bin = !rest.contains('/') && rest.ends_with(".bin");
        return (deb || bin).then_some(("var/cache/apt", &APT_CACHE));
    }
    if path.starts_with("var/cache/apk/") {
        return Some(("var/cache/apk", &APK));
    }
    let home_len = if path.starts_with("root/") {
        4
    } else if let Some(rest) = path.strip_prefix("home/") {
        5 + rest.find('/')?
    } else if path.starts_with("usr/local/share/.cache/yarn/") {
        return path.get(..27).map(|dir| (dir, &YARN));
    } else {
        return None;
    };
    let rest = path.get(home_len + 1..)?;
    for (marker, cache) in [
        (".cache/pip/", &PIP),
        (".npm/_cacache/", &NPM),
        (".cache/yarn/", &YARN),
    ] {
        if rest.starts_with(marker) {
            let end = home_len + marker.len();
            return path.get(..end).map(|dir| (dir, cache));
        }
    }
    None
}

#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    layers: BTreeSet<usize>,
}

fn check(cx: &mut Checker<'_>) {
    let mut caches: BTreeMap<&str, (&'static Cache, Tally)> = BTreeMap::new();
    for (path, entry) in cx.image.files.iter() {
        if !is_regular(entry) {
            continue;
        }
        let Some((dir, cache)) = classify(path) else {
            continue;
        };
        let (_, tally) = caches
            .entry(dir)
            .or_insert_with(|| (cache, Tally::default()));
        tally.files += 1;
        tally.bytes += entry.size;
        tally.layers.insert(entry.layer);
    }
    let reports: Vec<(usize, String, String)> = caches
        .into_iter()
        .map(|(dir, (cache, tally))| {
            let layers: Vec<String> = tally.layers.iter().map(usize::to_string).collect();
            let from = match layers.as_slice() {
                [one] => format!("layer {one}"),
                many => format!("layers {}", many.join(", ")),
            };
            let message = format!(
                "{} left in the image (/{dir}/): {} file(s), {}, from {from}; {}",
                cache.what,
                tally.files,
                human_size(tally.bytes),
                cache.fix
            );
            let layer = tally.layers.last().copied().unwrap_or_default();
            (layer, dir.to_string(), message)
        })
        .collect();
    for (layer, dir, message) in reports {
        cx.report_file(Some(layer), &dir, None, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::{RULE, classify};
    use crate::image::test_support::{assert_silent, files, findings};
    use shipshape_image::files::{Entry, Kind};

    #[test]
    fn one_finding_per_cache_with_count_and_size() {
        let found = findings(
            &RULE,
            "644 0:0 var/lib/apt/lists/a_Packages = 0123456789\n\
             644 0:0 var/lib/apt/lists/b_Release = 01234\n\
             640 0:0 var/lib/apt/lists/lock\n\
             644 0:0 var/lib/apt/lists/partial/c = 0123456789\n\
             644 0:0 var/cache/apk/APKINDEX.1.tar.gz = xx\n\
             644 0:0 root/.cache/pip/http/a/b = abc\n\
             644 1000:1000 home/app/.npm/_cacache/index-v5/x = abcd\n\
             644 0:0 usr/local/share/.cache/yarn/v6/pkg/file = abcd\n",
        );
        let got: Vec<_> = found.iter().map(place).collect();
        assert_eq!(
            got,
            [
                ("home/app/.npm/_cacache".to_string(), None),
                ("root/.cache/pip".to_string(), None),
                ("usr/local/share/.cache/yarn".to_string(), None),
                ("var/cache/apk".to_string(), None),
                ("var/lib/apt/lists".to_string(), None),
            ]
        );
        assert_eq!(
            found[4].message,
            "apt package lists left in the image (/var/lib/apt/lists/): 2 file(s), 15 bytes, from layer 0; remove them in the `RUN` that runs `apt-get update` (`&& rm -rf /var/lib/apt/lists/*`)"
        );
    }

    #[test]
    fn silent_on_clean_images() {
        assert_silent(
            &RULE,
            "755 0:0 var/lib/apt/lists/\n\
             640 0:0 var/lib/apt/lists/lock\n\
             700 0:0 var/lib/apt/lists/partial/\n\
             644 0:0 var/lib/apt/lists/auxfiles/x\n\
             755 0:0 var/cache/apk/\n\
             755 0:0 root/.cache/pip/\n\
             755 0:0 root/.cache/pip/http/\n\
             644 0:0 var/cache/apt/archives/lock\n\
             644 0:0 var/cache/apt/archives/partial/x.deb\n\
             644 0:0 var/cache/debconf/config.dat = x\n\
             644 0:0 root/.cache/other/file = x\n\
             644 0:0 app/.npm/_cacache/x = x\n\
             777 0:0 etc/apk/cache -> /var/cache/apk\n",
        );
    }

    #[test]
    fn apt_archives_and_binary_caches() {
        assert_eq!(
            paths(
                &RULE,
                "644 0:0 var/cache/apt/archives/curl_8.5.0_amd64.deb = x\n644 0:0 var/cache/apt/pkgcache.bin = x\n"
            ),
            ["var/cache/apt"]
        );
    }

    #[test]
    fn layers_are_named_and_the_latest_is_the_location() {
        let mut image = files("644 0:0 var/cache/apk/a = 0123\n");
        image.files.insert(
            "var/cache/apk/b".to_string(),
            Entry {
                kind: Kind::File,
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: 3 << 20,
                layer: 3,
                content: None,
                condensed: None,
                unread: None,
            },
        );
        let found = run(&RULE, &image);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("2 file(s), 3.0 MiB, from layers 0, 3"),
            "{}",
            found[0].message
        );
        assert_eq!(layer(&found[0]).as_deref(), Some("3"));
    }

    #[test]
    fn classify_home_directories() {
        assert_eq!(
            classify("home/a/.cache/pip/x").map(|c| c.0),
            Some("home/a/.cache/pip")
        );
        assert_eq!(
            classify("root/.npm/_cacache/x").map(|c| c.0),
            Some("root/.npm/_cacache")
        );
        assert_eq!(classify("home/.cache/pip/x").map(|c| c.0), None);
        assert_eq!(classify("home").map(|c| c.0), None);
        assert_eq!(classify("rootfs/.cache/pip/x").map(|c| c.0), None);
    }
}
