use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags the packages of an `apk add` given without a version
    /// constraint (`curl` instead of `curl=8.9.1-r1` or `curl~8.9`).
    ///
    /// Constraints with `=`, `~`, `>` or `<` and local `.apk` files are
    /// accepted; the values of `-t`/`--virtual` and `-X`/`--repository` are
    /// not packages. Arguments only known at build time (`$PACKAGES`) are
    /// not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, `apk` installs whatever the repository offers on
    /// the day of the build. Two builds of the same Dockerfile then ship
    /// different software, and a new release can break the image without
    /// any change to the Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r1
    /// ```
    ///
    /// ## References
    /// - hadolint DL3018
    id: "DF057",
    name: "apk-add-unpinned",
    title: "apk add without package versions",
    severity: Low,
    aliases: ["DL3018"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let found = script
            .iter()
            .filter(|c| pkg::is_apk_add(c))
            .flat_map(|cmd| {
                pkg::unpinned(cmd, pkg::APK_VALUE_FLAGS, |name| {
                    name.contains(['=', '~', '>', '<']) || name.ends_with(".apk")
                })
            })
            .map(|arg| Unpinned {
                span: arg.span,
                name: arg.value.clone(),
                message: format!(
                    "`{0}` is not pinned: use `{0}=<version>` or `{0}~<version>`",
                    arg.value
                ),
            })
            .collect();
        super::unpinned::report_unpinned(
            cx,
            found,
            "pin each as `name=<version>` or `name~<version>`",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_package() {
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN apk add --no-cache curl git=2.45.2-r0\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN apk add \\\n  curl \\\n  git\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN apk --no-cache add --virtual .deps gcc\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD RUN apk add curl\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_constraints_files_and_option_values() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1 git~2.45 'musl>1.2' 'zlib<2'\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/x.apk\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add -t .deps -X https://dl-cdn.alpinelinux.org/alpine/edge/testing gcc=13.2.1-r0\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add --repository=http://x/main gcc=13.2.1-r0\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add $PACKAGES && apk del .deps\n",
        );
    }
}
