use super::Checker;

rule! {
    /// ## What it does
    /// Flags `cd` in a `RUN` instruction.
    ///
    /// ## Why is this bad?
    /// A `cd` lasts only until the end of its `RUN`: the next instruction
    /// starts again in the `WORKDIR`, which makes relative paths in later
    /// instructions easy to get wrong and the Dockerfile harder to follow.
    /// `WORKDIR` sets the directory for every following instruction and for
    /// the running container, and creates it if needed. Tools that take a
    /// directory (`make -C`, `git -C`, `tar -C`, `npm --prefix`) avoid the
    /// `cd` altogether.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20.17-alpine
    /// COPY . /app
    /// RUN cd /app && npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:20.17-alpine
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// ## References
    /// - hadolint DL3003, trivy DS-0013
    id: "DF080",
    name: "cd-instead-of-workdir",
    title: "RUN uses cd instead of WORKDIR",
    severity: Low,
    aliases: ["DL3003", "DS013", "DS-0013", "AVD-DS-0013"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.find("cd") {
            let message = match cmd
                .args_no_flags(&[])
                .first()
                .filter(|d| d.value.starts_with('/'))
            {
                Some(dir) => format!(
                    "`cd {}` only lasts for this RUN: use `WORKDIR {}` to change directory",
                    dir.value, dir.value
                ),
                None => {
                    "`cd` only lasts for this RUN: use `WORKDIR` to change directory".to_string()
                }
            };
            cx.report(cmd.span, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_cd() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN cd /src && make\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN make && \\\n  (cd docs && make html)\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN sh -c 'cd /src; make'\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN cd -P /src && cd ..\n"),
            vec![2, 2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD RUN cd /src && make\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_without_cd() {
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /src\nRUN make\n");
        assert_silent(&RULE, "FROM alpine:3.20\nRUN make -C /src && echo cd\n");
        assert_silent(&RULE, "FROM alpine:3.20\nRUN cdrecord --version\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /src\nCMD cd /x && run\n");
    }
}
