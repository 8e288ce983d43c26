use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image referenced by the `latest` tag or by no tag at all
    /// (which means `latest`), unless it is pinned by digest:
    /// `image: nginx`, `image: nginx:latest`, `image: localhost:5000/app`
    /// (the `:5000` is the registry's port, not a tag). A compose service
    /// that only has `build:` is not checked.
    ///
    /// ## Why is this bad?
    /// `latest` is just the tag pushed last; it moves. Two nodes, or the
    /// same node before and after a restart, can run different versions of
    /// the software with nothing in the manifest changing. A bad release or
    /// a compromised publisher reaches production silently, rollbacks have
    /// nothing to roll back to, and nobody can say which version ran when
    /// an incident happened. On Kubernetes, `latest` also makes
    /// `imagePullPolicy` default to `Always`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:latest
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.4.1
    /// ```
    ///
    /// ## References
    /// - trivy KSV013
    id: "RT031",
    name: "image-latest-or-untagged",
    title: "Image uses `latest` or no tag",
    severity: Medium,
    aliases: ["KSV013", "AVD-KSV-0013"],
    check: check,
}

/// The tag of an image reference, if any: the part after the last `:` that
/// comes after the last `/` (so a registry port is not a tag).
fn tag(name: &str) -> Option<&str> {
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, tag)| tag)
}

fn check(cx: &mut Checker<'_>) {
    let Some(image) = &cx.spec.image else {
        return;
    };
    let reference = image.value.trim();
    if reference.is_empty() || reference.contains('@') {
        return;
    }
    let problem = match tag(reference) {
        None => "has no tag, so it means `latest`",
        Some("latest") => "uses the `latest` tag",
        Some(_) => return,
    };
    let message = format!(
        "{} image `{reference}` {problem}: what runs changes whenever a new image is pushed; pin a version tag",
        cx.spec.name
    );
    cx.report(&image.at, message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_latest_or_no_tag() {
        let compose = "services:\n  a:\n    image: nginx\n  b:\n    image: nginx:latest\n  c:\n    image: localhost:5000/app\n  d:\n    image: registry.example.com:443/team/app:latest\n";
        assert_eq!(lines(&RULE, compose), vec![3, 5, 7, 9]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";
        assert_eq!(lines(&RULE, pod), vec![8]);
    }

    #[test]
    fn silent_on_versions_digests_and_builds() {
        let compose = "services:\n  a:\n    image: nginx:1.27\n  b:\n    image: localhost:5000/app:1.2\n  c:\n    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n  d:\n    build: .\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
        assert_silent(&RULE, pod);
    }
}
