use super::Checker;
use shipshape_dockerfile::source::Span;

rule! {
    /// ## What it does
    /// Flags a stage whose `RUN` instructions use both `curl` and `wget`. It
    /// reports each use of the tool used less often (or, on a tie, the one
    /// used second). `ONBUILD RUN` triggers are counted on their own, since
    /// they run in another build.
    ///
    /// ## Why is this bad?
    /// Both tools download files; having both means two packages to install,
    /// patch and keep out of the final image, and two sets of options (TLS,
    /// retries, proxies) to get right. Pick one and use it throughout.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    /// RUN wget -q -O /tmp/b.tgz https://example.com/b.tgz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz \
    ///  && curl -fsSLo /tmp/b.tgz https://example.com/b.tgz
    /// ```
    ///
    /// ## References
    /// - hadolint DL4001, trivy DS-0014
    id: "DF081",
    name: "curl-and-wget",
    title: "Both curl and wget are used",
    severity: Low,
    aliases: ["DL4001", "DS014", "DS-0014", "AVD-DS-0014"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        for onbuild in [false, true] {
            let mut curl: Vec<Span> = Vec::new();
            let mut wget: Vec<Span> = Vec::new();
            for inst in stage.insts.iter().filter(|i| i.onbuild == onbuild) {
                for cmd in inst.script.iter().flat_map(|s| s.iter()) {
                    if cmd.is("curl") {
                        curl.push(cmd.span);
                    } else if cmd.is("wget") {
                        wget.push(cmd.span);
                    }
                }
            }
            let (Some(first_curl), Some(first_wget)) = (curl.first(), wget.first()) else {
                continue;
            };
            let wget_is_odd = match wget.len().cmp(&curl.len()) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Equal => first_wget.start > first_curl.start,
            };
            let (odd, other, spans) = if wget_is_odd {
                ("wget", "curl", &wget)
            } else {
                ("curl", "wget", &curl)
            };
            for span in spans {
                cx.report(
                    *span,
                    format!("`{odd}` is used in a stage that also uses `{other}`: use `{other}` for every download"),
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
    fn fires_on_the_minority_or_second_tool() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -fsSLO https://x/a\nRUN wget -q https://x/b\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN wget -q https://x/a\nRUN curl -fsSLO https://x/b\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN wget -q https://x/a\nRUN curl -fsSLO https://x/b && curl -fsSLO https://x/c\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -fsSL https://x/a | tar xz && wget -q https://x/b\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nONBUILD RUN curl -fsSLO https://x/a\nONBUILD RUN wget -q https://x/b\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn silent_with_one_tool_per_stage() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSLO https://x/a\nRUN curl -fsSLO https://x/b\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12 AS a\nRUN curl -fsSLO https://x/a\nFROM debian:12\nRUN wget -q https://x/b\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN apt-get install -y curl wget\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSLO https://x/a\nONBUILD RUN wget -q https://x/b\n",
        );
    }
}
