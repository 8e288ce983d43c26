use super::Checker;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags a Dockerfile whose final stage has no `HEALTHCHECK`, neither
    /// its own nor one from the earlier stages of the file it is built
    /// `FROM`. `HEALTHCHECK NONE` is an explicit choice and passes. The
    /// finding is on the final `FROM`.
    ///
    /// The same check runs on an image's config (`config.Healthcheck`, where
    /// `HEALTHCHECK NONE` is flagged too, having no visible choice behind it)
    /// and on live or inspected containers (no health check in the image or
    /// in the run settings; a compose service or a pod may inherit one from
    /// its image, so those are not flagged). IM004 and RT035, its former
    /// image and container twins, are aliases.
    ///
    /// ## Why is this bad?
    /// Without a health check the runtime only knows whether the main
    /// process is alive, not whether it works: a server that deadlocks or
    /// loses its database keeps receiving traffic and is never restarted.
    /// A base image from a registry may define a check of its own, which a
    /// Dockerfile linter cannot see; then write it down (or
    /// `HEALTHCHECK NONE`) so the choice is visible.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-fsS", "http://localhost/"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL3057, trivy DS-0026, dockle CIS-DI-0006
    /// - CIS Docker Benchmark 4.6 (add HEALTHCHECK to the container image)
    ///   and 5.27 (check container health at runtime)
    id: "DF097",
    name: "healthcheck-missing",
    title: "Image has no HEALTHCHECK",
    severity: Info,
    aliases: ["DS026", "DS-0026", "AVD-DS-0026", "DL3057", "CIS-DI-0006", "CIS-4.6", "IM004", "RT035", "CIS-5.27"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    let Some(last) = model.last_stage() else {
        return;
    };
    if model.last_in_final_image(Keyword::Healthcheck).is_some() {
        return;
    }
    cx.report(
        last.from.keyword_span,
        format!(
            "the final stage (`{}`) defines no `HEALTHCHECK`: add one, e.g. \
             `HEALTHCHECK CMD [\"curl\", \"-fsS\", \"http://localhost/health\"]`, \
             or write `HEALTHCHECK NONE` to opt out explicitly",
            last.base.value
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_the_final_from_without_healthcheck() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nCMD [\"app\"]\n"), vec![1]);
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.23 AS build\nHEALTHCHECK CMD true\nFROM alpine:3.20\nCOPY --from=build /app /app\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD HEALTHCHECK CMD true\n"),
            vec![1]
        );
    }

    #[test]
    fn silent_with_own_inherited_or_disabled_healthcheck() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nHEALTHCHECK CMD [\"/app\", \"health\"]\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nHEALTHCHECK NONE\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS base\nHEALTHCHECK CMD true\nFROM base AS mid\nFROM mid\nRUN x\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS build\nFROM scratch\nHEALTHCHECK NONE\n",
        );
    }
}
