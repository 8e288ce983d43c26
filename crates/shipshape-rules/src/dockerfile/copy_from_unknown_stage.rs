use super::Checker;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags `COPY --from=X` where `X` is not an earlier stage's name or
    /// index, and not an image reference. Like hadolint, a value counts as
    /// an image when it has a tag or digest (contains `:`).
    ///
    /// Naming the stage the `COPY` is in is left to `copy-from-own-stage`;
    /// values a build argument nobody set decides are skipped. A named
    /// context passed with `docker buildx build --build-context X=...` is
    /// indistinguishable from a typo here: silence the finding for it.
    ///
    /// ## Why is this bad?
    /// A stage can only copy from stages above it. A misspelt or later
    /// stage name, or a bare image name, is taken as an image to pull from
    /// Docker Hub: the build fails at best, and at worst copies files from
    /// whatever image of that name someone published.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM debian:12
    /// COPY --from=builder /out/app /usr/local/bin/app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM debian:12
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3022
    /// - trivy DS-0018 (no longer shipped)
    id: "DF009",
    name: "copy-from-unknown-stage",
    title: "`COPY --from` names no earlier stage",
    severity: Medium,
    aliases: ["DL3022"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        for inst in stage.find(Keyword::Copy) {
            let Some((flag, expanded)) = stage.copy_from(inst) else {
                continue;
            };
            let from = expanded.value.as_str();
            if !expanded.is_exact() || from.contains(':') {
                continue;
            }
            let message = if from.is_empty() {
                "`--from` is empty; name an earlier stage".to_string()
            } else if let Ok(index) = from.parse::<usize>() {
                if index <= stage.index {
                    continue;
                }
                format!(
                    "there is no stage {index} before this one (this is stage {}); name an earlier stage",
                    stage.index
                )
            } else {
                let named = model
                    .stages
                    .iter()
                    .find(|s| s.alias.is_some_and(|a| a.value.eq_ignore_ascii_case(from)));
                match named {
                    Some(s) if s.index <= stage.index => continue,
                    Some(s) => format!(
                        "stage `{from}` is defined later, on line {}; `COPY --from` can only use stages above it",
                        s.from.line + 1
                    ),
                    None => format!(
                        "no stage is named `{from}`; name an earlier stage, or give the image a tag (`{from}:<tag>`) if it is one"
                    ),
                }
            };
            cx.report(flag.span, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_unknown_later_and_bare_names() {
        assert_eq!(lines(&RULE, "FROM a:1\nCOPY --from=foo /a /b\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "FROM scratch\nCOPY --from=build /a /b\nFROM node:22 AS build\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1 AS x\nFROM b:1\nCOPY --from=2 /a /b\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nCOPY --from=nginx /etc/nginx /etc/nginx\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nARG SRC=bulid\nCOPY --from=${SRC} /a /b\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_earlier_stages_images_and_unknowns() {
        assert_silent(
            &RULE,
            "FROM a:1 AS Build\nFROM b:1\nCOPY --from=build /a /b\n",
        );
        assert_silent(&RULE, "FROM a:1\nFROM b:1\nCOPY --from=0 /a /b\n");
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY --from=docker.io/library/nginx:1.27 /a /b\n",
        );
        assert_silent(&RULE, "FROM a:1\nARG SRC\nCOPY --from=${SRC} /a /b\n");
        assert_silent(
            &RULE,
            "FROM a:1 AS x\nARG SRC=x\nFROM b:1\nARG SRC=x\nCOPY --from=$SRC /a /b\n",
        );
        // Its own stage is another rule's business.
        assert_silent(&RULE, "FROM a:1 AS x\nCOPY --from=x /a /b\n");
        assert_silent(&RULE, "FROM a:1\nCOPY /a /b\n");
        assert_silent(&RULE, "FROM a:1\nONBUILD COPY --from=foo /a /b\n");
    }
}
