use super::Checker;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags a final image whose user is root: the last `USER` of the final
    /// stage (or, when that stage has none, of the stage it is built
    /// `FROM`) is `root` or UID `0`, with or without a group (`root:app`,
    /// `0:0`). Build arguments and `ENV` values in the `USER` are expanded;
    /// a user a build argument nobody set decides is skipped.
    ///
    /// hadolint checks the last `USER` of every stage. Build stages never
    /// run in production, so this rule looks only at the user the image
    /// starts as; a final stage without any `USER` is `user-missing`'s.
    ///
    /// The same check runs on an image's config (`config.User` root or 0)
    /// and on compose services, Kubernetes containers and live containers
    /// (`user: root`, `--user 0`, `runAsUser: 0`). IM001 and RT006, its
    /// former image and runtime twins, are aliases of this rule and of
    /// DF021.
    ///
    /// ## Why is this bad?
    /// A process running as root inside a container is root on the shared
    /// kernel: a bug in the application, a container escape or a writable
    /// host mount turns into full control of the host. Switching to root
    /// for installation steps is fine, as long as the image switches back
    /// to an unprivileged user at the end.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// USER root
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// CMD ["curl", "--version"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && useradd --system --uid 10001 app
    /// USER 10001
    /// CMD ["curl", "--version"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL3002, trivy DS-0002, dockle CIS-DI-0001
    /// - CIS Docker Benchmark 4.1 (create a user for the container)
    /// - trivy KSV105
    id: "DF020",
    name: "last-user-root",
    title: "The image runs as root",
    severity: High,
    aliases: ["DL3002", "DS002", "DS-0002", "AVD-DS-0002", "CIS-DI-0001", "CIS-4.1", "IM001", "RT006", "runs-as-root", "KSV105", "AVD-KSV-0105"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let Some((stage, inst)) = cx.model.last_in_final_image(Keyword::User) else {
        return;
    };
    let Args::User(word) = &inst.body.args else {
        return;
    };
    let user = stage.expand(inst, word);
    if !user.is_exact() {
        return;
    }
    if is_root(&user.value) {
        let shown = if user.value == word.value {
            format!("`USER {}`", word.value)
        } else {
            format!("`USER {}` (`{}`)", word.value, user.value)
        };
        cx.report(
            word.span,
            format!("{shown} leaves the image running as root; end with an unprivileged user such as `USER 10001`"),
        );
    }
}

/// Whether a user as `USER`, `config.User` or `--user` write it (`name`,
/// `uid`, `user:group`) is root. The image and runtime checks of this rule
/// use it too.
pub fn is_root(user: &str) -> bool {
    let who = user.split(':').next().unwrap_or(user).trim();
    who == "root" || who.parse::<u64>() == Ok(0)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_when_the_image_ends_as_root() {
        assert_eq!(lines(&RULE, "FROM a:1\nUSER root\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM a:1\nUSER 1000\nRUN x\nUSER 0:0\n"),
            vec![4]
        );
        assert_eq!(lines(&RULE, "FROM a:1\nUSER root:app\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM a:1\nUSER 000\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM a:1\nARG U=root\nUSER ${U}\n"), vec![3]);
        assert_eq!(
            lines(&RULE, "FROM a:1\nENV RUN_AS=0\nUSER $RUN_AS:$RUN_AS\n"),
            vec![3]
        );
        // Inherited from the stage the final one is built on.
        assert_eq!(
            lines(&RULE, "FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_when_the_image_ends_unprivileged() {
        assert_silent(&RULE, "FROM a:1\nUSER root\nRUN x\nUSER 10001\n");
        assert_silent(&RULE, "FROM a:1 AS build\nUSER root\nFROM b:1\nUSER app\n");
        assert_silent(&RULE, "FROM a:1 AS build\nUSER root\nFROM b:1\n");
        assert_silent(&RULE, "FROM a:1 AS base\nUSER root\nFROM base\nUSER 1000\n");
        assert_silent(&RULE, "FROM a:1\nUSER rooty\n");
        assert_silent(&RULE, "FROM a:1\nUSER 10:0\n");
        assert_silent(&RULE, "FROM a:1\nARG U\nUSER ${U}\n");
        assert_silent(&RULE, "FROM a:1\nUSER 1000\nONBUILD USER root\n");
        assert_silent(&RULE, "FROM a:1\n");
    }
}
