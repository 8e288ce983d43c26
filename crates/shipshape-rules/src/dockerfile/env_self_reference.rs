use std::collections::HashSet;

use super::Checker;
use shipshape_dockerfile::model::{Model, Stage};
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags an `ENV` instruction that uses (`$NAME`, `${NAME}`) a variable
    /// it sets itself, in another of its `key=value` pairs, when no earlier
    /// `ENV` or `ARG` of the stage (or an earlier stage it is built on)
    /// defined that variable. A variable referring to its own old value
    /// (`ENV PATH=/opt/bin:$PATH`) is fine.
    ///
    /// ## Why is this bad?
    /// All values of one `ENV` are expanded before any of them is set, so
    /// `ENV APP_HOME=/app APP_BIN=$APP_HOME/bin` sets `APP_BIN` to `/bin`:
    /// `$APP_HOME` is still empty. The image silently gets wrong paths.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app
    /// ENV APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ## References
    /// - hadolint DL3044
    id: "DF101",
    name: "env-self-reference",
    title: "ENV uses a variable it sets itself",
    severity: High,
    aliases: ["DL3044"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    let escape = model.file.escape;
    for stage in &model.stages {
        let mut known = inherited_env(model, stage);
        for inst in stage.insts.iter().filter(|i| !i.onbuild) {
            match &inst.body.args {
                Args::Arg(decls) => known.extend(decls.iter().map(|d| d.name.value.clone())),
                Args::Env(pairs) => {
                    for (i, kv) in pairs.iter().enumerate() {
                        let mut seen = HashSet::new();
                        for name in references(&kv.value.raw, escape) {
                            let set_here = pairs
                                .iter()
                                .enumerate()
                                .any(|(j, other)| j != i && other.key.value == name);
                            if set_here && !known.contains(&name) && seen.insert(name.clone()) {
                                let key = &kv.key.value;
                                cx.report(
                                    kv.value.span,
                                    format!(
                                        "`${name}` in `{key}` expands to an empty string: `{name}` is set by this same `ENV`, \
                                         whose values are expanded before any is set; set `{name}` in an earlier `ENV`"
                                    ),
                                );
                            }
                        }
                    }
                    known.extend(pairs.iter().map(|kv| kv.key.value.clone()));
                }
                _ => {}
            }
        }
    }
}

/// ENV names set by the earlier stages this one is built on.
fn inherited_env(model: &Model<'_>, stage: &Stage<'_>) -> HashSet<String> {
    let mut names = HashSet::new();
    for p in model.lineage(stage).skip(1) {
        for inst in p.find(Keyword::Env) {
            if let Args::Env(pairs) = &inst.body.args {
                names.extend(pairs.iter().map(|kv| kv.key.value.clone()));
            }
        }
    }
    names
}

/// Names of the variables a raw word expands (`$X`, `${X}`, `${X:-d}`),
/// outside single quotes and escapes.
fn references(raw: &str, escape: char) -> Vec<String> {
    let is_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = Vec::new();
    let mut chars = raw.chars().peekable();
    let mut single = false;
    let mut double = false;
    while let Some(ch) = chars.next() {
        if single {
            single = ch != '\'';
            continue;
        }
        if ch == escape {
            chars.next();
        } else if ch == '\'' && !double {
            single = true;
        } else if ch == '"' {
            double = !double;
        } else if ch == '$' {
            let braced = chars.next_if_eq(&'{').is_some();
            if !chars.peek().is_some_and(|&c| is_start(c)) {
                continue;
            }
            let mut name = String::new();
            while let Some(c) = chars.next_if(|&c| is_name(c)) {
                name.push(c);
            }
            if !braced
                || chars
                    .peek()
                    .is_some_and(|&c| matches!(c, '}' | ':' | '-' | '+' | '?'))
            {
                names.push(name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::{RULE, references};
    use crate::dockerfile::test_support::*;

    #[test]
    fn finds_references() {
        assert_eq!(
            references("$A/${B}/${C:-x}/$D_E-$1", '\\'),
            vec!["A", "B", "C", "D_E"]
        );
        assert_eq!(references("'$A' \"$B\" \\$C $", '\\'), vec!["B"]);
    }

    #[test]
    fn fires_on_references_to_the_same_env() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nENV A=/app B=$A/bin\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nENV B=${A}/bin A=/app\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nENV A=1 \\\n    B=2 \\\n    C=\"$A-$B\"\n"
            ),
            vec![4, 4]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nENV A=1 B=${A:-0}\n"),
            vec![2]
        );
        // A global ARG is not visible in the stage without `ARG A` there.
        assert_eq!(
            lines(&RULE, "ARG A=1\nFROM alpine:3.20\nENV A=2 B=$A\n"),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS x\nENV A=1 B=$A\nFROM x\nENV C=1 D=$C\n"
            ),
            vec![2, 4]
        );
    }

    #[test]
    fn silent_on_earlier_definitions_and_self_references() {
        assert_silent(&RULE, "FROM alpine:3.20\nENV A=/app\nENV B=$A/bin\n");
        assert_silent(&RULE, "FROM alpine:3.20\nENV PATH=/opt/bin:$PATH\n");
        assert_silent(&RULE, "FROM alpine:3.20\nARG A\nENV A=${A:-1} B=$A\n");
        assert_silent(&RULE, "FROM alpine:3.20\nENV A=1\nENV A=2 B=$A\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS x\nENV A=1\nFROM x\nENV A=2 B=$A\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nENV A=1 B='$A' C=\\$A D=$AB\n");
        assert_silent(&RULE, "FROM alpine:3.20\nENV A /app B=$A\n");
    }
}
