use super::Checker;

rule! {
    /// ## What it does
    /// Reports the parts of a Dockerfile that were not analysed because
    /// they are past one of the linter's limits: a `RUN` script that nests
    /// subshells, groups, substitutions or compound commands more than 64
    /// levels deep, opens more than 8 `((` at once, or is longer than
    /// 1 MiB, and `ARG`/`ENV` values that
    /// expand to more than 64 KiB (or, together, to more than 4 MiB).
    ///
    /// ## Why is this bad?
    /// Every other rule is blind to what lies past a limit, so a finding
    /// there could hide behind it: a clean report would be a false one.
    /// No hand-written Dockerfile gets near these limits; text that does is
    /// generated, or written to slip past a reviewer. Variables that double
    /// at each step (`ARG B=$A$A`) also make the build itself use memory
    /// that grows exponentially with the number of lines.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// ARG A=0123456789abcdef
    /// ARG B=$A$A$A$A$A$A$A$A$A$A$A$A$A$A$A$A
    /// ARG C=$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B
    /// ARG D=$C$C$C$C$C$C$C$C$C$C$C$C$C$C$C$C
    /// ARG E=$D$D$D$D$D$D$D$D$D$D$D$D$D$D$D$D
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// ARG VERSION=1.4.2
    /// ```
    ///
    /// ## References
    /// - The README's "Robustness" section lists every limit.
    id: "DF108",
    name: "analysis-limit",
    title: "Part of the Dockerfile is past an analysis limit",
    severity: Medium,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let skipped: Vec<_> = cx
        .model
        .runs()
        .filter_map(|(_, inst, script)| script.skipped.as_ref().map(|why| (inst.node.span, why)))
        .collect();
    for (span, why) in skipped {
        cx.report(
            span,
            format!("this RUN was not analysed: {why}; no rule checked its commands"),
        );
    }
    let model = cx.model;
    for (span, why) in &model.budget.exceeded {
        cx.report(
            *span,
            format!("{why}; its value is treated as unknown by every rule"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    fn doubling(keyword: &str, steps: usize) -> String {
        let mut src = format!("FROM alpine:3.20\n{keyword} a0=xx\n");
        for i in 1..=steps {
            src.push_str(&format!("{keyword} a{i}=$a{}$a{}\n", i - 1, i - 1));
        }
        src.push_str(&format!("RUN echo $a{steps}\n"));
        src
    }

    #[test]
    fn fires_on_values_that_double_past_the_budget() {
        // 2 bytes doubled 15 times is 64 KiB: the 16th step is over, and
        // the steps after it build on an unknown value.
        for keyword in ["ARG", "ENV"] {
            assert_eq!(lines(&RULE, &doubling(keyword, 40)), vec![18], "{keyword}");
        }
    }

    #[test]
    fn fires_when_the_file_holds_too_much_in_all() {
        let big = "x".repeat(60 * 1024);
        let mut src = format!("FROM alpine:3.20\nARG big={big}\n");
        for i in 0..100 {
            src.push_str(&format!("ENV v{i}=$big\n"));
        }
        let lines = lines(&RULE, &src);
        assert!(!lines.is_empty() && lines.len() < 100, "{lines:?}");
    }

    #[test]
    fn fires_on_scripts_nested_too_deep() {
        for (open, close) in [
            ("( ", " )"),
            ("{ ", "; }"),
            ("echo $( ", " )"),
            ("if true; then ", "; fi"),
            ("while true; do ", "; done"),
            ("case x in x) ", ";; esac"),
        ] {
            let src = format!(
                "FROM alpine:3.20\nRUN {}true{}\n",
                open.repeat(5000),
                close.repeat(5000)
            );
            assert_eq!(lines(&RULE, &src), vec![2], "{open}");
        }
    }

    #[test]
    fn here_documents_without_a_word_are_analysed_not_fatal() {
        // Each of these sent the shell parser into an endless loop; the
        // rest of the script is still seen.
        let sudo = crate::dockerfile::find("DF023").expect("sudo rule");
        for script in [
            "\"\"3<<\r)\"\" #\"",
            "e \"$(cat <<-\t)\" #\"",
            "x <<\x0c\x0c) #",
            "e \"$(cat << ()\" #\"",
            "e \"$(cat <<\"\")\" #\"",
            "e \"$(cat <<'')\" #\"",
            "\"\"<<\"\" #",
            "cat <<'' x",
            "cat <<\"\"'' #",
            "cat << ;",
        ] {
            // Linting returns (each is a syntax error to bash, so no
            // command need be seen).
            assert_silent(
                &RULE,
                &format!("FROM alpine:3.20\nRUN sudo true; {script}\n"),
            );
        }
        // A descriptor number past 32 bits made the parser panic.
        let src = "FROM alpine:3.20\nRUN sudo echo 99999999999999999999>x 2>y\n";
        assert_eq!(lines(sudo, src), vec![2]);
        // A shift in arithmetic is not a here-document, and the script
        // around it is still read.
        let src = "FROM alpine:3.20\nRUN sudo echo $((1 << (2)))\n";
        assert_eq!(lines(sudo, src), vec![2]);
    }

    #[test]
    fn scripts_at_the_limit_are_parsed() {
        // Parsed, not skipped, on a test thread's small stack: the limit
        // leaves the shell parser room even in an unoptimised build.
        for (open, close) in [
            ("{ ", "; }"),
            ("if true; then ", "; fi"),
            ("echo \"$( ", " )\""),
            ("case x in (x) ", ";; esac"),
            ("for f in a; do ", "; done"),
        ] {
            let src = format!(
                "FROM alpine:3.20\nRUN sudo true && {}true{}\n",
                open.repeat(shipshape_dockerfile::shell::MAX_SHELL_NESTING),
                close.repeat(shipshape_dockerfile::shell::MAX_SHELL_NESTING)
            );
            assert_silent(&RULE, &src);
            assert_eq!(
                lines(crate::dockerfile::find("DF023").expect("sudo rule"), &src),
                vec![2],
                "{open}"
            );
        }
    }

    #[test]
    fn fires_on_many_open_double_parentheses() {
        // The parser's time doubled with each (found by fuzzing).
        for script in [
            "(( ".repeat(14),
            "(".repeat(28),
            "\"\"<".to_string() + &"(".repeat(52),
        ] {
            assert_eq!(
                lines(&RULE, &format!("FROM alpine:3.20\nRUN {script}\n")),
                vec![2]
            );
        }
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN (( i = $(( (1 + 2) * ((3)) )) )) && echo $((((1)))) && (( j++ ))\n",
        );
    }

    #[test]
    fn silent_on_ordinary_nesting_and_values() {
        assert_silent(&RULE, &doubling("ARG", 10));
        let nested = format!(
            "FROM alpine:3.20\nRUN {}true{}\n",
            "if true; then ( ".repeat(20),
            " ); fi".repeat(20)
        );
        assert_silent(&RULE, &nested);
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN for f in *.conf; do case \"$f\" in a*) echo \"$(basename \"$f\")\";; esac; done\n",
        );
    }
}
