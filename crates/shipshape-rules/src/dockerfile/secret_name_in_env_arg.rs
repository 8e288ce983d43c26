use super::Checker;
use shipshape_core::secrets::{credential_name, harmless_value};
use shipshape_dockerfile::syntax::ast::{Args, Instruction};

rule! {
    /// ## What it does
    /// Flags an `ENV` or `ARG` whose name says it holds a credential:
    /// well-known names (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`,
    /// `NPM_TOKEN`, `OPENAI_API_KEY`, `PGPASSWORD`, ..., also behind the
    /// `VITE_`, `REACT_APP_` and `NEXT_PUBLIC_` prefixes), and names one of
    /// whose words (split at `_`, `-`, `.` and camelCase) is `password`,
    /// `passwd`, `pass`, `passphrase`, `secret`, `token`, `apikey`,
    /// `credentials`, or the pairs `api_key`, `private_key`, `access_key`.
    ///
    /// Names that point at a credential rather than hold one are skipped:
    /// those ending in `_FILE`, `_PATH`, `_DIR`, `_URL` and similar
    /// (`POSTGRES_PASSWORD_FILE`), or in `_VERSION`, `_LENGTH`, `_TTL`,
    /// `_TIMEOUT`, `_TYPE`, `_NAME`; `GPG_KEY`/`GPG_KEYS`, which official
    /// images use for the fingerprint of a public signing key; and
    /// variables whose value is a path or a boolean. An `ENV` that is empty
    /// or copies another variable (`ENV NPM_TOKEN=$NPM_TOKEN`) is skipped
    /// too: the `ARG` it copies is what gets reported.
    ///
    /// The same check runs on an image's environment (`config.Env`) and on
    /// the build arguments its history recorded, where a literal value
    /// under such a name is flagged; IM002 and IM010, its former image
    /// twins, are aliases.
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image configuration, and the build
    /// arguments a `RUN` used are recorded in the image history: anyone who
    /// can pull the image can read them with `docker history` or
    /// `docker inspect`, long after the build. A secret needed only while
    /// building belongs in a BuildKit secret mount, which never reaches a
    /// layer; one needed at run time belongs in the runtime's secret store.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - hadolint DL3064, trivy DS-0031, dockle CIS-DI-0010
    /// - CIS Docker Benchmark 4.10 (no secrets in Dockerfiles)
    id: "DF030",
    name: "secret-name-in-env-arg",
    title: "ENV or ARG named like a credential",
    severity: High,
    aliases: ["DL3064", "DS031", "DS-0031", "AVD-DS-0031", "CIS-DI-0010", "CIS-4.10", "IM002", "IM010", "secret-in-image-env", "history-build-arg-secret"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for node in &cx.model.file.instructions {
        let inst: &Instruction = match &node.args {
            Args::Onbuild(inner) => inner,
            _ => node,
        };
        match &inst.args {
            Args::Env(pairs) => {
                for kv in pairs {
                    let value = kv.value.value.trim();
                    if value.is_empty() || value.contains('$') || harmless_value(value) {
                        continue;
                    }
                    if let Some(why) = credential_name(&kv.key.value) {
                        cx.report_secret(
                            kv.key.span,
                            format!(
                                "`ENV {}` {why}; ENV values stay in the image config for anyone to read: pass it with `RUN --mount=type=secret` while building, or at run time",
                                kv.key.value
                            ),
                            value,
                        );
                    }
                }
            }
            Args::Arg(decls) => {
                for decl in decls {
                    if decl
                        .default
                        .as_ref()
                        .is_some_and(|d| harmless_value(d.value.trim()))
                    {
                        continue;
                    }
                    if let Some(why) = credential_name(&decl.name.value) {
                        let message = format!(
                            "`ARG {}` {why}; build arguments are recorded in the image history: pass it with `RUN --mount=type=secret` instead",
                            decl.name.value
                        );
                        match decl.default.as_ref().map(|d| d.value.trim()) {
                            Some(value) if !value.is_empty() && !value.contains('$') => {
                                cx.report_secret(decl.name.span, message, value);
                            }
                            _ => cx.report(decl.name.span, message),
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_credential_names() {
        assert_eq!(lines(&RULE, "FROM a:1\nARG NPM_TOKEN\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM a:1\nENV DB_PASSWORD=hunter2 APP=1\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "ARG GITHUB_TOKEN\nFROM a:1\n"), vec![1]);
        assert_eq!(
            lines(&RULE, "FROM a:1\nENV MYSQL_ROOT_PASSWORD secret\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nONBUILD ARG VITE_OPENAI_API_KEY\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nARG apiKey=abc\nARG PGPASSWORD\n"),
            vec![2, 3]
        );
        assert_eq!(lines(&RULE, "FROM a:1\nARG TOKEN=\"\"\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nENV SLACK_WEBHOOK_URL=https://hooks.slack.com/x\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_pointers_fingerprints_and_copies() {
        assert_silent(
            &RULE,
            "FROM a:1\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pg\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n",
        );
        assert_silent(&RULE, "FROM a:1\nENV GPG_KEYS=\"A B C\"\n");
        assert_silent(
            &RULE,
            "FROM a:1\nARG TOKEN_VERSION=2\nENV SECRET_NAME=app-secrets\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV NPM_TOKEN=${NPM_TOKEN}\nENV GH_TOKEN=\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json\n",
        );
        assert_silent(&RULE, "FROM a:1\nENV USE_TOKEN=false\n");
        assert_silent(
            &RULE,
            "FROM a:1\nENV TOKENIZERS_PARALLELISM=false PASSENGER_APP_ENV=production\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV KEY=1 PRIMARY_KEY=id BYPASS=1 PWD=/x\n",
        );
        assert_silent(&RULE, "FROM a:1\nLABEL password=hunter2\n");
    }
}
