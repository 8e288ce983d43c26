use super::Checker;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags the `USER` the image runs as when it names the user (or its
    /// group) instead of giving a numeric ID: `USER app`, `USER 1000:app`.
    /// Only the user the image starts as is checked: the last `USER` of
    /// the final stage, or of the stage it is built on when it has none.
    /// Values taken from variables are skipped, as in hadolint, and so is
    /// `root` (`last-user-root` covers it).
    ///
    /// ## Why is this bad?
    /// The image configuration then holds only a name. Kubernetes
    /// `runAsNonRoot` can only check a numeric UID, so it refuses to start
    /// such a container ("image has non-numeric user, cannot verify user is
    /// non-root") unless the pod sets `runAsUser`. Admission policies and
    /// scanners have the same blind spot: a name could map to UID 0 in the
    /// image's `/etc/passwd`. Numeric IDs also keep file ownership stable
    /// on mounted volumes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// USER node
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// USER 1000:1000
    /// ```
    ///
    /// ## References
    /// - hadolint DL3066
    /// - Kubernetes documentation, `securityContext.runAsNonRoot`
    id: "DF022",
    name: "user-non-numeric",
    title: "USER is a name, not a numeric ID",
    severity: Info,
    aliases: ["DL3066"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let Some((_, inst)) = cx.model.last_in_final_image(Keyword::User) else {
        return;
    };
    let Args::User(word) = &inst.body.args else {
        return;
    };
    let value = word.value.trim();
    if value.contains('$') {
        return;
    }
    let (user, group) = match value.split_once(':') {
        Some((user, group)) => (user, Some(group)),
        None => (value, None),
    };
    if user == "root" || user.parse::<u64>().is_ok_and(|uid| uid == 0) {
        return;
    }
    let numeric = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    let message = if !numeric(user) {
        format!(
            "`USER {value}` names the user `{user}`; use its numeric UID (e.g. `USER 10001`) so `runAsNonRoot` can verify it"
        )
    } else if let Some(group) = group.filter(|g| !numeric(g)) {
        format!(
            "`USER {value}` names the group `{group}`; use its numeric GID (e.g. `USER {user}:{user}`)"
        )
    } else {
        return;
    };
    cx.report(word.span, message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_names() {
        assert_eq!(lines(&RULE, "FROM a:1\nUSER app\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM a:1\nUSER 1000:app\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM a:1\nUSER app:1000\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM a:1 AS base\nUSER nobody\nFROM base\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_ids_variables_root_and_build_stages() {
        assert_silent(&RULE, "FROM a:1\nUSER 1000\n");
        assert_silent(&RULE, "FROM a:1\nUSER 1000:1000\n");
        assert_silent(&RULE, "FROM a:1\nUSER app\nRUN x\nUSER 1000\n");
        assert_silent(
            &RULE,
            "FROM a:1 AS build\nUSER builder\nFROM b:1\nUSER 65532\n",
        );
        assert_silent(&RULE, "FROM a:1\nARG APP_USER=app\nUSER ${APP_USER}\n");
        assert_silent(&RULE, "FROM a:1\nUSER root\n");
        assert_silent(&RULE, "FROM a:1\n");
    }
}
