use super::Checker;
use super::workdir_relative::is_absolute;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags `COPY` or `ADD` to a relative destination (`.`, `./app`,
    /// `app/`) while no `WORKDIR` has been set yet, neither in the stage
    /// nor in the earlier stages of the file it is built `FROM`.
    /// Destinations that are absolute, start with a variable, or name a
    /// Windows drive are fine.
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory,
    /// which then comes from the base image: often `/`, sometimes a
    /// directory its maintainers may move. Files end up scattered in the
    /// root filesystem or somewhere unexpected after a base image update.
    /// Set `WORKDIR` first, or copy to an absolute path.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . .
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// ```
    ///
    /// ## References
    /// - hadolint DL3045
    id: "DF099",
    name: "copy-relative-without-workdir",
    title: "COPY to a relative destination without WORKDIR",
    severity: Medium,
    aliases: ["DL3045"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        let mut workdir = model
            .lineage(stage)
            .skip(1)
            .any(|p| p.find(Keyword::Workdir).next().is_some());
        for inst in stage.insts.iter().filter(|i| !i.onbuild) {
            let copy = match &inst.body.args {
                Args::Workdir(_) => {
                    workdir = true;
                    continue;
                }
                Args::Copy(copy) | Args::Add(copy) if !workdir => copy,
                _ => continue,
            };
            let dest = &copy.dest;
            let value = if dest.value.starts_with('$') {
                let expanded = stage.expand(inst, dest);
                if !expanded.is_exact() {
                    continue;
                }
                expanded.value
            } else {
                dest.value.clone()
            };
            if !is_absolute(&value) {
                let kw = inst.body.keyword.as_str();
                cx.report(
                    dest.span,
                    format!(
                        "`{kw}` to relative `{value}` with no `WORKDIR` set: it lands in the base image's \
                         working directory; add `WORKDIR /app` before it or use an absolute destination"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_relative_destinations_without_workdir() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nCOPY . .\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nADD app.tar.gz ./app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nCOPY [\"a\", \"app/\"]\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nCOPY a app/\nWORKDIR /app\nCOPY b .\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG D=dist\nCOPY a $D\n"),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS a\nWORKDIR /app\nFROM alpine:3.20\nCOPY --from=a x .\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD WORKDIR /app\nCOPY a .\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_with_workdir_or_absolute_destinations() {
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY . /app/\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY a $HOME/\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY a \"/srv/my app\"\n");
        assert_silent(
            &RULE,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a C:/app/\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base AS mid\nFROM mid\nCOPY . .\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nONBUILD COPY . .\n");
    }
}
