use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image referenced without a digest (`@sha256:...`), even
    /// when it has a version tag: `image: postgres:16.4`. A compose service
    /// that only has `build:` is not checked.
    ///
    /// ## Why is this bad?
    /// Tags are mutable: a publisher can push new content under
    /// `postgres:16.4` (a rebuild with patched packages, or a compromised
    /// account pushing something worse), and the next pull on any node gets
    /// it. Deployments stop being reproducible and a supply-chain attack
    /// needs no change on your side. A digest names exactly one image; the
    /// tag can stay next to it for humans (`postgres:16.4@sha256:...`) and
    /// tools like Renovate or Dependabot keep it current.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    ///
    /// ## Use instead
    /// Add the digest (this one is made up; `docker buildx imagetools inspect
    /// postgres:16.4` prints the real one):
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4@sha256:3f1a9c0e7b2d4c6a8e0f1b3d5a7c9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d
    /// ```
    ///
    /// ## References
    /// - Docker documentation, `docker pull`: pull an image by digest
    /// - Kubernetes documentation, Images: image names and digests
    id: "RT032",
    name: "image-not-pinned-by-digest",
    title: "Image not pinned by digest",
    severity: Low,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let Some(image) = &cx.spec.image else {
        return;
    };
    let reference = image.value.trim();
    if reference.is_empty() || reference.contains("@sha256:") {
        return;
    }
    let message = format!(
        "{} image `{reference}` is not pinned by digest: the same reference can pull different content later; add `@sha256:...`",
        cx.spec.name
    );
    cx.report(&image.at, message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_without_a_digest() {
        let compose = "services:\n  a:\n    image: postgres:16.4\n  b:\n    image: postgres\n";
        assert_eq!(lines(&RULE, compose), vec![3, 5]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
        assert_eq!(lines(&RULE, pod), vec![8]);
    }

    #[test]
    fn silent_with_a_digest_or_no_image() {
        let digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
        let compose = format!(
            "services:\n  a:\n    image: postgres:16.4@{digest}\n  b:\n    image: postgres@{digest}\n  c:\n    build: .\n"
        );
        assert_silent(&RULE, &compose);
        let pod = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox@{digest}\n"
        );
        assert_silent(&RULE, &pod);
    }
}
