use super::{Checker, Repair};
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags `COPY` or `ADD` with more than one source whose destination
    /// does not end in `/`. A destination whose variables are unknown at
    /// lint time is skipped.
    ///
    /// ## Why is this bad?
    /// With several sources the destination must be a directory, and the
    /// builder only treats it as one when it ends in a slash: otherwise the
    /// build fails ("When using COPY with more than one source file, the
    /// destination must be a directory and end with a /").
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` ends the destination with `/`. Without it the build fails.
    ///
    /// ## References
    /// - hadolint DL3021, trivy DS-0011
    id: "DF098",
    name: "copy-multi-source-no-slash",
    title: "COPY of several sources to a destination without a trailing slash",
    severity: High,
    aliases: ["DL3021", "DS011", "DS-0011", "AVD-DS-0011"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        let copy = match &inst.body.args {
            Args::Copy(copy) | Args::Add(copy) => copy,
            _ => continue,
        };
        if copy.sources.len() < 2 {
            continue;
        }
        let dest = if inst.onbuild {
            // A trigger expands in the child image, whose variables are unknown.
            if copy.dest.value.contains('$') {
                continue;
            }
            copy.dest.value.clone()
        } else {
            let expanded = stage.expand(inst, &copy.dest);
            if !expanded.is_exact() {
                continue;
            }
            expanded.value
        };
        if !dest.ends_with(['/', '\\']) {
            let message = format!(
                "`{}` has {} sources but its destination `{dest}` does not end in `/`, \
                 so the build fails: write `{dest}/`",
                inst.body.keyword.as_str(),
                copy.sources.len()
            );
            let span = copy.dest.span;
            // Safe: the build failed without it.
            let fix = cx.bare(span, &copy.dest.value).then(|| {
                Repair::safe(
                    "end the destination with `/`",
                    Repair::insert_after(span, "/"),
                )
            });
            cx.report_fix(span, message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_several_sources_to_a_bare_destination() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nCOPY a b /app\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD a.tar b.tar /opt\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"dest\"]\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nCOPY --from=build /a /b .\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG D=/srv\nCOPY a b $D\n"),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nCOPY <<one <<two /etc\nx\none\ny\ntwo\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD COPY a b /app\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_directories_single_sources_and_unknown_destinations() {
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY a b /app/\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY a b ./\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"/app/\"]\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY a /app\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY *.json /app\n");
        assert_silent(&RULE, "FROM alpine:3.20\nARG DEST\nCOPY a b $DEST\n");
        assert_silent(&RULE, "FROM alpine:3.20\nARG D=/srv/\nCOPY a b ${D}\n");
        assert_silent(
            &RULE,
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a b C:\\app\\\n",
        );
    }
}
