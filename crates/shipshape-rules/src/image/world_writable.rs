use std::collections::BTreeMap;

use super::Checker;
use shipshape_image::files::Kind;

rule! {
    /// ## What it does
    /// Flags regular files that every user may write (`o+w`) and
    /// directories that every user may write without the sticky bit
    /// (`chmod 777` rather than `1777`). Symbolic links (always `777`, the
    /// mode means nothing), hard links (their file is reported), device
    /// nodes and sticky directories such as `/tmp` and `/var/tmp` are left
    /// out. A world-writable directory is reported once, with the number of
    /// world-writable entries under it, so a `chmod -R 777 /app` is one
    /// finding.
    ///
    /// ## Why is this bad?
    /// Any process in the container, whatever its user, can change a
    /// world-writable file: replace a script or binary that root or the
    /// service later runs, edit a config to point it elsewhere, or plant
    /// data. In a world-writable directory without the sticky bit any user
    /// can also delete or rename other users' files and put their own in
    /// their place. A compromised low-privilege process turns that into
    /// control of the service, or of root. `chmod 777` usually papers over
    /// a permission error that the right owner (`COPY --chown`) fixes.
    ///
    /// ## Example
    /// ```text
    /// 777 0:0 app/
    /// 777 0:0 app/entrypoint.sh
    /// ```
    ///
    /// ## Use instead
    /// Give the files to the user the service runs as, writable by it only
    /// (`COPY --chown=10001:10001 . /app`, `chmod 755`/`644`), and make
    /// shared scratch directories sticky (`chmod 1777`):
    /// ```text
    /// 755 10001:10001 app/
    /// 755 10001:10001 app/entrypoint.sh
    /// 1777 0:0 app/tmp/
    /// ```
    ///
    /// ## References
    /// - CIS Distribution Independent Linux Benchmark, *Ensure no world writable files exist* and *Ensure sticky bit is set on all world-writable directories*
    /// - shipshape IM101 (setuid and setgid files)
    id: "IM102",
    name: "world-writable",
    title: "World-writable file or directory",
    severity: Medium,
    aliases: [],
    check: check,
}

/// A directory or file to report, with how many world-writable entries
/// lie under it.
struct Hit {
    layer: usize,
    dir: bool,
    mode: u32,
    under: usize,
}

fn check(cx: &mut Checker<'_>) {
    let mut hits: BTreeMap<&str, Hit> = BTreeMap::new();
    for (path, entry) in cx.image.files.iter() {
        let dir = match entry.kind {
            Kind::File => false,
            Kind::Dir if entry.mode & 0o1000 == 0 => true,
            _ => continue,
        };
        if entry.mode & 0o002 == 0 {
            continue;
        }
        let reported_ancestor = ancestors(path).find(|a| hits.get(a).is_some_and(|h| h.dir));
        match reported_ancestor {
            Some(ancestor) => {
                if let Some(hit) = hits.get_mut(ancestor) {
                    hit.under += 1;
                }
            }
            None => {
                hits.insert(
                    path,
                    Hit {
                        layer: entry.layer,
                        dir,
                        mode: entry.mode,
                        under: 0,
                    },
                );
            }
        }
    }
    let reports: Vec<(usize, String, String)> = hits
        .into_iter()
        .map(|(path, hit)| {
            let mode = hit.mode;
            let message = if !hit.dir {
                format!(
                    "/{path} is world-writable (mode {mode:04o}): any user in the container can change it"
                )
            } else if hit.under == 0 {
                format!(
                    "/{path}/ is world-writable without the sticky bit (mode {mode:04o}): any user in the container can add, replace or delete files in it"
                )
            } else {
                format!(
                    "/{path}/ is world-writable without the sticky bit (mode {mode:04o}), and so are {} entries under it: any user in the container can add, replace or change them",
                    hit.under
                )
            };
            (hit.layer, path.to_string(), message)
        })
        .collect();
    for (layer, path, message) in reports {
        cx.report_file(Some(layer), &path, None, message);
    }
}

/// The directories above a path, nearest first.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(_, c)| c == '/')
        .map(|(i, _)| path.get(..i).unwrap_or(""))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::{RULE, ancestors};
    use crate::image::test_support::{assert_silent, findings};

    #[test]
    fn fires_on_world_writable_files_and_non_sticky_directories() {
        assert_eq!(
            paths(
                &RULE,
                "666 0:0 etc/app.conf\n\
                 757 0:0 srv/data/\n\
                 777 0:0 tmp/\n\
                 646 1000:1000 home/app/run.sh\n"
            ),
            ["etc/app.conf", "home/app/run.sh", "srv/data", "tmp"]
        );
    }

    #[test]
    fn a_recursive_chmod_is_one_finding() {
        let found = findings(
            &RULE,
            "777 0:0 app/\n\
             777 0:0 app/bin/\n\
             777 0:0 app/bin/server\n\
             644 0:0 app/README\n\
             777 0:0 app-data/x\n\
             666 0:0 app/config.yml\n",
        );
        let got: Vec<_> = found.iter().map(|f| place(f).0).collect();
        assert_eq!(got, ["app", "app-data/x"]);
        assert!(
            found[0].message.contains("and so are 3 entries under it"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn files_under_a_sticky_directory_are_still_reported() {
        assert_eq!(
            paths(&RULE, "1777 0:0 tmp/\n666 0:0 tmp/app.sock-lock\n"),
            ["tmp/app.sock-lock"]
        );
    }

    #[test]
    fn silent_on_sticky_dirs_links_and_private_files() {
        assert_silent(
            &RULE,
            "1777 0:0 tmp/\n\
             1777 0:0 var/tmp/\n\
             1777 0:0 dev/shm/\n\
             777 0:0 bin/sh -> busybox\n\
             777 0:0 etc/alternatives/java -> /usr/lib/jvm/bin/java\n\
             775 0:1000 srv/shared/\n\
             664 0:1000 srv/shared/file\n\
             755 0:0 usr/bin/ls\n",
        );
    }

    #[test]
    fn ancestors_nearest_first() {
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a/b", "a"]);
        assert_eq!(ancestors("a").count(), 0);
    }
}
