use super::Checker;

rule! {
    /// ## What it does
    /// Flags a `FROM ... AS name` whose stage name an earlier stage already
    /// uses. Stage names are compared without regard to case, as BuildKit
    /// does.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses to build a Dockerfile with two stages of the same
    /// name, and older builders resolved `COPY --from=name` and
    /// `FROM name` to one of them, so a file copied from "the build stage"
    /// could come from a different stage than the author meant.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/api ./cmd/api
    ///
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build-api
    /// RUN go build -o /out/api ./cmd/api
    ///
    /// FROM node:22 AS build-web
    /// RUN npm ci && npm run build
    /// ```
    ///
    /// ## References
    /// - hadolint DL3024, trivy DS-0012
    id: "DF007",
    name: "stage-name-duplicate",
    title: "Two stages have the same name",
    severity: High,
    aliases: ["DL3024", "DS012", "DS-0012", "AVD-DS-0012"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (i, stage) in cx.model.stages.iter().enumerate() {
        let Some(alias) = stage.alias else {
            continue;
        };
        let first = cx.model.stages.iter().take(i).find(|earlier| {
            earlier
                .alias
                .is_some_and(|a| a.value.eq_ignore_ascii_case(&alias.value))
        });
        if let Some(first) = first {
            cx.report(
                alias.span,
                format!(
                    "stage name `{}` is already used by the stage on line {}; give this stage another name",
                    alias.value,
                    first.from.line + 1
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_reused_names() {
        assert_eq!(lines(&RULE, "FROM a:1 AS x\nFROM b:1 AS x\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS Build\nFROM b:1 as build\nFROM c:1 AS BUILD\n"
            ),
            vec![2, 3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS x\nFROM b:1 AS y\nFROM c:1\nFROM d:1 AS x\n"
            ),
            vec![4]
        );
    }

    #[test]
    fn silent_on_distinct_names() {
        assert_silent(&RULE, "FROM a:1 AS x\nFROM b:1 AS y\nFROM x\n");
        assert_silent(&RULE, "FROM a:1\nFROM a:1\n");
        assert_silent(&RULE, "FROM a:1 AS build-1\nFROM a:1 AS build-2\n");
    }
}
