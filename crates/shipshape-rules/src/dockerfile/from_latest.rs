use super::Checker;

rule! {
    /// ## What it does
    /// Flags a `FROM` image pinned to the `latest` tag without a digest.
    ///
    /// ## Why is this bad?
    /// `latest` is only a name a publisher moves to whatever it pushed last.
    /// Writing it out looks like a pin but is not one: the next build can
    /// pick up a new major version, a different distribution or a base
    /// that lost security fixes, and two builds of the same commit no
    /// longer produce the same image. `latest` together with a digest
    /// (`image:latest@sha256:...`) is fine: the digest decides what is
    /// pulled.
    ///
    /// `scratch`, earlier stages, and tags supplied by a build argument
    /// nobody set are skipped.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22.11-bookworm-slim
    /// ```
    ///
    /// ## References
    /// - hadolint DL3007, trivy DS-0001
    /// - dockle DKL-DI-0006 (the same check on the image reference it is given)
    id: "DF002",
    name: "from-latest",
    title: "Base image uses the `latest` tag",
    severity: Medium,
    aliases: ["DL3007", "DS001", "DS-0001", "AVD-DS-0001", "DKL-DI-0006"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for stage in &cx.model.stages {
        let Some(image) = stage.literal_image() else {
            continue;
        };
        let (tag, digest) = shipshape_dockerfile::model::tag_and_digest(image);
        if tag == Some("latest") && digest.is_none() {
            let name = image.strip_suffix(":latest").unwrap_or(image);
            cx.report(
                stage.image.span,
                format!("`{image}` uses the moving `latest` tag; pin a version tag such as `{name}:<version>`, or add a digest"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_latest() {
        assert_eq!(lines(&RULE, "FROM debian:latest\n"), vec![1]);
        assert_eq!(
            lines(&RULE, "FROM registry.local:5000/team/app:latest AS app\n"),
            vec![1]
        );
        assert_eq!(
            lines(&RULE, "ARG TAG=latest\nFROM alpine:${TAG}\n"),
            vec![2]
        );
        // The tag is written out even though the registry comes from a variable.
        assert_eq!(
            lines(&RULE, "ARG REGISTRY\nFROM ${REGISTRY}/team/app:latest\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM golang:1.22 AS build\nFROM alpine:latest\n"),
            vec![2]
        );
        // What is built unless someone passes BASE.
        assert_eq!(
            lines(&RULE, "ARG BASE\nFROM ${BASE:-alpine:latest}\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_digests_versions_stages_and_unset_arguments() {
        assert_silent(&RULE, "FROM debian:12\n");
        assert_silent(
            &RULE,
            "FROM debian:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
        );
        assert_silent(&RULE, "FROM debian\n");
        assert_silent(&RULE, "FROM scratch\n");
        assert_silent(&RULE, "FROM registry.local:5000/latest\n");
        assert_silent(&RULE, "FROM alpine:3.20 AS latest\nFROM latest\n");
        assert_silent(&RULE, "ARG TAG\nFROM alpine:${TAG}\n");
        assert_silent(&RULE, "FROM alpine:latest-rc\n");
    }
}
