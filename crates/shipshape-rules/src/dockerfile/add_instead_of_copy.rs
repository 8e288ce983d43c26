use super::add_remote_url::add_sources;
use super::{Checker, Repair};

rule! {
    /// ## What it does
    /// Flags `ADD` of local files or directories that are not archives:
    /// only a URL, a git repository or a local archive (`.tar`, `.tar.gz`,
    /// `.tgz`, `.bz2`, `.xz`, `.zst`, ...) that should be unpacked gives
    /// `ADD` something to do that `COPY` cannot. Heredoc sources (`<<EOF`)
    /// are local files. Sources whose variables are unknown are skipped.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it unpacks anything that looks like a
    /// compressed tar and fetches URLs. Using it for plain files hides that
    /// behaviour in reviews; a file later renamed to `.tar.gz`, or an
    /// archive dropped into a copied directory's place, is silently
    /// extracted into the image (archive bombs, files written over system
    /// paths). `COPY` does exactly what it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ADD app.py requirements.txt /srv/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py requirements.txt /srv/
    /// ADD vendor.tar.gz /srv/vendor/
    /// ```
    ///
    /// ## Fix
    /// Safe, when every source is a plain local file and the instruction has no
    /// flag `COPY` lacks (`--checksum`, `--keep-git-dir`, `--unpack`): `--fix`
    /// writes `COPY`, which copies the same files the same way. Otherwise no
    /// fix is offered.
    ///
    /// ## References
    /// - hadolint DL3020, trivy DS-0005, dockle CIS-DI-0009
    /// - CIS Docker Benchmark 4.9 (use COPY rather than ADD)
    id: "DF045",
    name: "add-instead-of-copy",
    title: "ADD used for local files",
    severity: Medium,
    aliases: ["DL3020", "DS005", "DS-0005", "AVD-DS-0005", "CIS-DI-0009", "CIS-4.9"],
    check: check,
}

/// Endings of files `ADD` unpacks (tar, optionally compressed) or that name
/// a compressed stream.
const ARCHIVES: &[&str] = &[
    ".tar", ".tgz", ".taz", ".tz", ".tpz", ".tbz", ".tbz2", ".tb2", ".txz", ".tlz", ".tzst", ".gz",
    ".bz2", ".xz", ".lz", ".lzma", ".z", ".zst",
];

/// The flags ADD shares with COPY.
const COPY_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude", "parents"];

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        // `--unpack=false` turns extraction off: then ADD only copies.
        let unpack = inst
            .body
            .flag("unpack")
            .and_then(|f| f.value.as_deref())
            .is_none_or(|v| !v.eq_ignore_ascii_case("false"));
        let sources = add_sources(stage, inst);
        let all = sources.len();
        let local: Vec<String> = sources
            .into_iter()
            .filter_map(|(word, value)| {
                let value = value?;
                let plain = if value.starts_with("<<") {
                    true
                } else {
                    !(is_remote(&value) || unpack && is_archive(&value))
                };
                plain.then(|| format!("`{}`", word.value))
            })
            .collect();
        if !local.is_empty() {
            let every = local.len() == all;
            let local = local.join(", ");
            let message = format!(
                "`ADD` of local {local}: use `COPY`, which neither unpacks archives nor fetches URLs"
            );
            // Safe when every source is a plain local file and no flag is
            // ADD's alone: COPY then copies the same files the same way.
            let copy_flags = inst
                .body
                .flags
                .iter()
                .all(|f| COPY_FLAGS.contains(&f.name.as_str()));
            let at = inst.body.keyword_span;
            let fix = (every && copy_flags)
                .then(|| Repair::safe("replace ADD with COPY", (at, "COPY".to_string())));
            cx.report_fix(at, message, fix);
        }
    }
}

fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

fn is_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ARCHIVES.iter().any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_plain_local_sources() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nADD app /app\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD --chown=app:app . /app/\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD [\"a.txt\", \"/a.txt\"]\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD rootfs.tar.gz notes.txt /\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD bundle.zip /opt/\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG F=conf.ini\nADD $F /etc/\n"),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nADD --unpack=false rootfs.tar /opt/\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD <<EOF /etc/motd\nhello\nEOF\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD ADD . /src\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_archives_urls_git_and_copy() {
        assert_silent(&RULE, "FROM alpine:3.20\nADD rootfs.tar.xz /\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD a.tgz b.TAR.GZ c.tar.zst d.tbz2 /opt/\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD https://example.com/a.sh /a.sh\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nARG SRC\nADD $SRC /opt/\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY app /app\n");
    }
}
