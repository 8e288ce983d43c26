use super::Checker;
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::source::Span;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags a tar archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`,
    /// `.tar.xz`, `.tar.zst`...) that is `COPY`'d into a stage and then
    /// extracted by a later `RUN` of the same stage (`tar -x`, `gunzip`,
    /// `xz -d`, ... naming the same file). `COPY --from` is not checked.
    ///
    /// ## Why is this bad?
    /// The `COPY` layer keeps the whole archive in the image even if the
    /// `RUN` deletes it afterwards, so the image carries the content twice.
    /// `ADD` unpacks a local tar archive in a single layer; alternatively,
    /// extract it from a bind mount (`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`)
    /// so the archive never lands in a layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// ADD app.tar.gz /opt/
    /// ```
    ///
    /// ## References
    /// - hadolint DL3010
    id: "DF087",
    name: "copy-archive-then-extract",
    title: "Archive copied and then extracted",
    severity: Info,
    aliases: ["DL3010"],
    check: check,
}

/// Tar archives `ADD` unpacks (uncompressed, gzip, bzip2, xz, zstd).
const TAR_ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".taz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz",
    ".tar.zst", ".tzst",
];

/// Programs that decompress or unpack a file named among their arguments.
const DECOMPRESSORS: &[&str] = &[
    "gunzip", "bunzip2", "unxz", "unzstd", "zcat", "gzcat", "bzcat", "xzcat", "zstdcat",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        // (archive file name, where it was copied)
        let mut copied: Vec<(String, Span)> = Vec::new();
        for inst in stage.insts.iter().filter(|i| !i.onbuild) {
            match &inst.body.args {
                Args::Copy(copy)
                    if inst.body.keyword == Keyword::Copy && inst.body.flag("from").is_none() =>
                {
                    let dest = basename(&copy.dest.value);
                    if is_tar_archive(dest) {
                        // `COPY something app.tar.gz`: the file is named by the destination.
                        copied.push((dest.to_string(), copy.dest.span));
                    } else {
                        for src in &copy.sources {
                            let name = basename(&src.value);
                            if is_tar_archive(name) {
                                copied.push((name.to_string(), src.span));
                            }
                        }
                    }
                }
                Args::Run(_) => {
                    let Some(script) = &inst.script else {
                        continue;
                    };
                    let line = inst.node.line + 1;
                    copied.retain(|(name, span)| {
                        let Some(cmd) = script.iter().find(|c| extracts(c, name)) else {
                            return true;
                        };
                        cx.report(
                            *span,
                            format!(
                                "`{name}` is copied and then extracted by `{}` on line {line}, so the archive stays in a layer: use `ADD {name} <dir>/` to unpack it in one step, or extract it from `RUN --mount=type=bind`",
                                cmd.program()
                            ),
                        );
                        false
                    });
                }
                _ => {}
            }
        }
    }
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_tar_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.contains(['*', '?', '$'])
        && TAR_ARCHIVES
            .iter()
            .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
}

/// Whether `cmd` extracts or decompresses the file called `name`.
fn extracts(cmd: &Cmd, name: &str) -> bool {
    let extracting = match cmd.program() {
        "tar" | "bsdtar" => cmd.args.iter().enumerate().any(|(i, a)| {
            let v = a.value.as_str();
            v == "--extract"
                || v == "--get"
                || (v.starts_with('-') && !v.starts_with("--") && v.contains('x'))
                // Old-style `tar xzf file`.
                || (i == 0 && !v.starts_with('-') && v.contains('x') && v.chars().all(|c| c.is_ascii_alphabetic()))
        }),
        "gzip" | "bzip2" | "xz" | "zstd" => cmd.has_any_flag(&["-d", "--decompress", "--uncompress"]),
        _ => cmd.is_any(DECOMPRESSORS),
    };
    extracting
        && cmd.args.iter().any(|a| {
            let v = a.value.as_str();
            let v = v.strip_prefix("--file=").unwrap_or(v);
            basename(v) == name
        })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_copied_then_extracted_archives() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY dist/app.tgz /tmp/app.tgz\nRUN tar xzf /tmp/app.tgz\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY build.out /tmp/app.tar\nRUN tar --extract --file=/tmp/app.tar\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY a.tar.xz b.txt /tmp/\nRUN echo hi\nRUN cd /opt && xz -dc /tmp/a.tar.xz | tar x\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY a.tar.gz /tmp/\nRUN gunzip /tmp/a.tar.gz\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nCOPY [\"a.tar.bz2\", \"/tmp/\"]\nRUN [\"tar\", \"-xjf\", \"/tmp/a.tar.bz2\"]\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_when_not_extracted_here() {
        assert_silent(&RULE, "FROM debian:12\nADD app.tar.gz /opt/\n");
        assert_silent(&RULE, "FROM debian:12\nCOPY app.tar.gz /srv/downloads/\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nCOPY --from=build /out/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12 AS a\nCOPY app.tar.gz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/app.tar.gz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN tar -xzf /tmp/app.tar.gz\nCOPY app.tar.gz /tmp/\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -czf /tmp/other.tar.gz /tmp/app.tar.gz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar --exclude=x -cf out.tar /tmp/app.tar.gz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nCOPY data.zip /tmp/\nRUN unzip /tmp/data.zip\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/other.tar.gz\n",
        );
    }
}
