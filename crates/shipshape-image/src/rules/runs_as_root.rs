use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image whose configuration runs its process as root:
    /// `config.User` empty, `0`, `root`, or `0:...`/`root:...`.
    ///
    /// ## Why is this bad?
    /// Every container started from the image runs as root unless the
    /// runtime overrides the user. Root in a container is root on the
    /// host's kernel: one escape bug, one mounted host path or one added
    /// capability away from the host.
    ///
    /// ## Example
    /// ```json
    /// {"os": "linux", "config": {"User": "", "Cmd": ["/app/server"]}}
    /// ```
    ///
    /// ## Use instead
    /// End the Dockerfile with a numeric non-root `USER`:
    /// ```json
    /// {"os": "linux", "config": {"User": "10001:10001", "Cmd": ["/app/server"]}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1, dockle CIS-DI-0001
    /// - shipshape DF020 and DF021 (the same check on a Dockerfile), RT006 (at run time)
    id: "IM001",
    name: "image-runs-as-root",
    title: "Image runs as root",
    severity: Medium,
    aliases: ["CIS-DI-0001", "CIS-4.1", "DF020", "DF021"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let user = cx.image.spec.user.trim();
    let who = user.split(':').next().unwrap_or("");
    if who.is_empty() {
        let message = "the image sets no user (`config.User` is empty): its containers run as root unless started with `--user`";
        cx.report_config("config.User", message);
    } else if who == "root" || who.parse::<u64>() == Ok(0) {
        let message = format!("the image runs as root (`config.User` is `{user}`)");
        cx.report_config("config.User", message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_root_users() {
        for user in ["", "root", "0", "0:0", "root:app"] {
            let json = format!(r#"{{"config": {{"User": "{user}"}}}}"#);
            assert_eq!(findings(&RULE, &json).len(), 1, "{user}");
        }
        assert_eq!(findings(&RULE, "{}").len(), 1);
    }

    #[test]
    fn silent_on_other_users() {
        for user in ["app", "10001", "10001:10001", "nobody:nogroup"] {
            assert_silent(&RULE, &format!(r#"{{"config": {{"User": "{user}"}}}}"#));
        }
    }
}
