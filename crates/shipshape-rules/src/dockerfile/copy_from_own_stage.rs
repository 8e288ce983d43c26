use super::Checker;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags `COPY --from=X` inside the stage that `X` names, by name
    /// (compared without regard to case) or by index.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: it is not built yet. BuildKit
    /// stops with a dependency cycle, and older builders looked the name up
    /// as an image to pull instead. The author almost always meant an
    /// earlier stage, or a plain `COPY` or `RUN cp` inside the stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS web
    /// COPY --from=web /app/dist /srv/www
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    ///
    /// FROM nginx:1.27 AS web
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// ## References
    /// - hadolint DL3023, trivy DS-0006
    id: "DF010",
    name: "copy-from-own-stage",
    title: "`COPY --from` names its own stage",
    severity: High,
    aliases: ["DL3023", "DS006", "DS-0006", "AVD-DS-0006"],
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
            if !expanded.is_exact() {
                continue;
            }
            let by_name = stage
                .alias
                .is_some_and(|a| a.value.eq_ignore_ascii_case(from));
            let by_index = from.parse::<usize>().is_ok_and(|i| i == stage.index);
            if by_name || by_index {
                cx.report(
                    flag.span,
                    format!(
                        "`--from={from}` names the stage this COPY is in; copy from an earlier stage, or copy within the stage with `RUN cp`"
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
    fn fires_on_own_stage() {
        assert_eq!(
            lines(&RULE, "FROM a:1 AS x\nCOPY --from=x /a /b\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS x\nFROM b:1 AS Y\nRUN true\nCOPY --from=y /a /b\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nFROM b:1\nCOPY --from=1 /a /b\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1 AS x\nARG S=x\nCOPY --from=$S /a /b\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_other_stages() {
        assert_silent(&RULE, "FROM a:1 AS x\nFROM b:1 AS y\nCOPY --from=x /a /b\n");
        assert_silent(&RULE, "FROM a:1\nFROM b:1\nCOPY --from=0 /a /b\n");
        assert_silent(&RULE, "FROM a:1 AS x\nCOPY --from=x:1 /a /b\n");
        assert_silent(&RULE, "FROM a:1 AS x\nONBUILD COPY --from=x /a /b\n");
        assert_silent(&RULE, "FROM a:1 AS x\nARG S\nCOPY --from=$S /a /b\n");
    }
}
