use super::Checker;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags a final stage that never sets `USER`, when the stages it is
    /// built on (`FROM <earlier stage>`) set none either. The finding is on
    /// the final `FROM`.
    ///
    /// Without a `USER` the image runs as whatever user its base declares,
    /// which is root for nearly every base image, and always for `scratch`.
    /// Base images whose tag says they run unprivileged (`nonroot`, as in
    /// `gcr.io/distroless/static:nonroot`) are not flagged.
    ///
    /// The same check runs on an image's config (`config.User` empty) and on
    /// compose services, Kubernetes containers and live containers: a
    /// compose service without `user`, a container whose image and
    /// `--user` set none, a Kubernetes container with neither
    /// `runAsNonRoot: true` nor a `runAsUser` (in its own or its pod's
    /// `securityContext`). IM001 and RT006, its former image and runtime
    /// twins, are aliases of this rule and of DF020.
    ///
    /// ## Why is this bad?
    /// A process running as root inside a container is root on the shared
    /// kernel: a bug in the application, a container escape or a writable
    /// host mount turns into full control of the host. Creating a user and
    /// switching to it costs two lines.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /srv/app.py
    /// CMD ["python", "/srv/app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --system --uid 10001 --no-create-home app
    /// COPY app.py /srv/app.py
    /// USER 10001
    /// CMD ["python", "/srv/app.py"]
    /// ```
    ///
    /// ## References
    /// - trivy DS-0002, dockle CIS-DI-0001
    /// - CIS Docker Benchmark 4.1 (create a user for the container)
    /// - trivy KSV012; kubesec RunAsNonRoot
    id: "DF021",
    name: "user-missing",
    title: "The image never sets a USER",
    severity: Medium,
    aliases: ["DS002", "DS-0002", "AVD-DS-0002", "CIS-DI-0001", "CIS-4.1", "IM001", "RT006", "runs-as-root", "KSV012", "AVD-KSV-0012", "RunAsNonRoot"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    let Some(last) = model.last_stage() else {
        return;
    };
    if model.last_in_final_image(Keyword::User).is_some() {
        return;
    }
    // The stage whose base is an image.
    let Some(stage) = model.lineage(last).last() else {
        return;
    };
    let base = &stage.base.value;
    let tag = base
        .rsplit('/')
        .next()
        .and_then(|last| last.split_once(':'))
        .map(|(_, tag)| tag);
    if tag.is_some_and(|t| t.contains("nonroot") || t.contains("non-root")) {
        return;
    }
    let shown = if stage.index == last.index {
        format!("`{}`", last.image.value)
    } else {
        format!("`{}` (built on `{}`)", last.image.value, stage.image.value)
    };
    cx.report(
        last.image.span,
        format!("the image from {shown} never sets `USER`, so it runs as the base image's user, usually root; add an unprivileged user and `USER <uid>`"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_user() {
        assert_eq!(lines(&RULE, "FROM a:1\nRUN x\n"), vec![1]);
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS build\nUSER 1000\nFROM b:1\nCOPY --from=build /x /x\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1 AS base\nFROM base AS mid\nFROM mid\n"),
            vec![3]
        );
        assert_eq!(lines(&RULE, "FROM scratch\nCOPY app /app\n"), vec![1]);
        assert_eq!(lines(&RULE, "FROM a:1\nONBUILD USER 1000\n"), vec![1]);
    }

    #[test]
    fn silent_with_user_or_nonroot_base() {
        assert_silent(&RULE, "FROM a:1\nUSER 1000\n");
        // Running as root is another rule's business.
        assert_silent(&RULE, "FROM a:1\nUSER root\n");
        assert_silent(&RULE, "FROM a:1 AS base\nUSER 1000\nFROM base\nRUN x\n");
        assert_silent(
            &RULE,
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1 AS base\nFROM gcr.io/distroless/base:debug-nonroot\n",
        );
        assert_silent(&RULE, "ARG X=1\n");
    }
}
