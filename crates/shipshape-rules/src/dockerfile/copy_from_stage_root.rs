use super::Checker;
use shipshape_dockerfile::model::{Model, Stage};
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags `COPY --from=<stage or image>` whose source is the whole root
    /// of that filesystem: `/`, `.`, `/*` and the like (with `--from`,
    /// relative sources start at the root too).
    ///
    /// A stage built `FROM scratch` holds only what was copied into it, so
    /// copying its root is the usual way to collect build outputs and is
    /// not flagged.
    ///
    /// ## Why is this bad?
    /// Copying a whole root filesystem brings the other image's package
    /// manager, shells, caches, `/etc/passwd` and setuid binaries along,
    /// overwriting the target's own files. The final image grows, its
    /// contents stop matching its base (so scanners misreport it), and
    /// build tools and secrets left in the build stage ship. Copy the
    /// paths the image needs instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build / /
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3067
    id: "DF011",
    name: "copy-from-stage-root",
    title: "`COPY --from` copies a whole root filesystem",
    severity: Medium,
    aliases: ["DL3067"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        for inst in stage.find(Keyword::Copy) {
            let Some((_, from)) = stage.copy_from(inst) else {
                continue;
            };
            let Args::Copy(copy) = &inst.body.args else {
                continue;
            };
            if !from.is_exact() {
                continue;
            }
            let source_stage = model
                .stage_named(&from.value)
                .filter(|s| s.index < stage.index);
            if source_stage.is_some_and(|s| built_on_scratch(model, s)) {
                continue;
            }
            let what = match source_stage {
                Some(s) => format!("stage `{}`", s.name()),
                None => format!("image `{}`", from.value),
            };
            for source in &copy.sources {
                let Some(path) = stage.expand_text(inst, &source.raw) else {
                    continue;
                };
                if path.is_exact() && is_root(&path.value) {
                    cx.report(
                        source.span,
                        format!(
                            "`{}` copies the whole root filesystem of {what}; copy only the paths the image needs",
                            source.value
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a source path names the root or everything directly in it.
fn is_root(path: &str) -> bool {
    let mut parts = path.split('/').filter(|p| !p.is_empty() && *p != ".");
    matches!((parts.next(), parts.next()), (None, _) | (Some("*"), None))
}

/// Whether a stage (following `FROM <stage>` links) starts from `scratch`.
fn built_on_scratch(model: &Model<'_>, stage: &Stage<'_>) -> bool {
    let mut current = stage;
    for _ in 0..model.stages.len() {
        match current.parent.and_then(|p| model.stages.get(p)) {
            Some(parent) if parent.index < current.index => current = parent,
            _ => return current.parent.is_none() && current.base.value == "scratch",
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{RULE, is_root};
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_whole_roots() {
        assert_eq!(
            lines(&RULE, "FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1 AS b\nFROM c:1\nCOPY --from=b . /rootfs/\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nFROM c:1\nCOPY --from=0 /* /\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM c:1\nCOPY --from=busybox:1.36 / /\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS b\nFROM b AS d\nFROM c:1\nCOPY --from=d /. /\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /etc/x / /\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_paths_and_scratch_stages() {
        assert_silent(
            &RULE,
            "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /out/app /app\n",
        );
        assert_silent(&RULE, "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /out/ /\n");
        assert_silent(&RULE, "FROM c:1\nCOPY . /\n");
        assert_silent(
            &RULE,
            "FROM a:1 AS b\nFROM scratch AS out\nCOPY --from=b /out/app /\nFROM c:1\nCOPY --from=out / /\n",
        );
        assert_silent(
            &RULE,
            "FROM scratch AS out\nFROM out AS more\nFROM c:1\nCOPY --from=more / /\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1 AS b\nFROM c:1\nARG P\nCOPY --from=b ${P}/ /\n",
        );
    }

    #[test]
    fn roots() {
        for root in ["/", ".", "./", "/.", "//", "/*", "./*", "/./"] {
            assert!(is_root(root), "{root}");
        }
        for not_root in ["/out", "out", "/*/bin", "/.*", "..x"] {
            assert!(!is_root(not_root), "{not_root}");
        }
    }
}
