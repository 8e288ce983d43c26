use super::Checker;

rule! {
    /// ## What it does
    /// Flags a `FROM` image that has a tag but no digest
    /// (`@sha256:...`).
    ///
    /// ## Why is this bad?
    /// A tag is a label the publisher can move at any time: `debian:12`
    /// points at a new image after every point release and security
    /// rebuild, and a compromised or careless publisher can point it at
    /// anything. A digest names the exact content and can never move, so
    /// the build uses the bytes that were reviewed and the same Dockerfile
    /// always starts from the same base. Keep the tag next to the digest
    /// for readers and for update tools (Renovate, Dependabot), which bump
    /// both together.
    ///
    /// Untagged images are left to `from-untagged` and `latest` to
    /// `from-latest`; `scratch`, earlier stages and references decided by a
    /// build argument nobody set are skipped.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    /// ```
    ///
    /// ## References
    /// - Docker documentation, "Image digests" (pinning base images)
    /// - CIS Docker Benchmark 4.2 (use trusted base images) asks for the
    ///   same control in spirit but has no specific check
    id: "DF003",
    name: "from-not-pinned-by-digest",
    title: "Base image is not pinned by digest",
    severity: Info,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for stage in &cx.model.stages {
        let Some(image) = stage.literal_image() else {
            continue;
        };
        let (tag, digest) = shipshape_dockerfile::model::tag_and_digest(image);
        match tag {
            Some(tag) if digest.is_none() && tag != "latest" && !tag.is_empty() => {
                cx.report(
                    stage.image.span,
                    format!(
                        "`{image}` is pinned by tag only and the tag can move; add its digest: `{image}@sha256:<digest>`"
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn fires_on_tag_without_digest() {
        assert_eq!(lines(&RULE, "FROM debian:12\n"), vec![1]);
        assert_eq!(
            lines(&RULE, "FROM registry.local:5000/team/app:1.4 AS app\n"),
            vec![1]
        );
        assert_eq!(
            lines(&RULE, "ARG V=3.20\nFROM alpine:${V}\nFROM alpine:3.19\n"),
            vec![2, 3]
        );
        assert_eq!(
            lines(&RULE, "ARG REGISTRY\nFROM ${REGISTRY}/team/app:2\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_digests_and_what_other_rules_cover() {
        assert_silent(&RULE, &format!("FROM debian:12@{DIGEST}\n"));
        assert_silent(&RULE, &format!("FROM debian@{DIGEST}\n"));
        assert_silent(&RULE, &format!("ARG D={DIGEST}\nFROM debian:12@${{D}}\n"));
        assert_silent(&RULE, "FROM debian\n");
        assert_silent(&RULE, "FROM debian:latest\n");
        assert_silent(&RULE, "FROM scratch\n");
        assert_silent(&RULE, "FROM registry.local:5000/app\n");
        assert_silent(
            &RULE,
            &format!("FROM golang:1.22@{DIGEST} AS build\nFROM build\n"),
        );
        assert_silent(&RULE, "ARG BASE\nFROM ${BASE}\n");
        assert_silent(&RULE, "ARG TAG\nFROM alpine:${TAG}\n");
    }
}
