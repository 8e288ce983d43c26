use super::Checker;

rule! {
    /// ## What it does
    /// Flags a `FROM` image given without a tag or digest.
    ///
    /// ## Why is this bad?
    /// An untagged image means `latest`, which moves: the same Dockerfile
    /// builds on a different base from one day to the next, so builds are
    /// not reproducible and a base image change can break or weaken the
    /// image without anyone noticing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// ```
    ///
    /// ## References
    /// - hadolint DL3006, trivy DS-0001
    /// - CIS Docker Benchmark 4.2 (use trusted base images)
    id: "DF001",
    name: "from-untagged",
    title: "Base image has no tag",
    severity: Medium,
    aliases: ["DL3006", "DS001", "DS-0001", "AVD-DS-0001"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for stage in &cx.model.stages {
        let image = &stage.base.value;
        // An unresolved ARG can supply the tag; an earlier stage is not an image.
        if !stage.base.is_exact() || stage.parent.is_some() || image == "scratch" {
            continue;
        }
        if image.contains('@') {
            continue;
        }
        let last = image.rsplit('/').next().unwrap_or(image);
        if !last.contains(':') {
            cx.report(
                stage.image.span,
                format!("`{image}` has no tag, so it means `{image}:latest`; pin a version tag"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_untagged_images() {
        assert_eq!(lines(&RULE, "FROM debian\n"), vec![1]);
        assert_eq!(lines(&RULE, "FROM registry.local:5000/team/app\n"), vec![1]);
        assert_eq!(lines(&RULE, "ARG BASE=alpine\nFROM ${BASE}\n"), vec![2]);
    }

    #[test]
    fn silent_on_tags_digests_stages_and_scratch() {
        assert_silent(&RULE, "FROM debian:12\n");
        assert_silent(&RULE, "FROM registry.local:5000/team/app:1.0\n");
        assert_silent(
            &RULE,
            "FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
        );
        assert_silent(&RULE, "FROM scratch\n");
        assert_silent(&RULE, "FROM golang:1.22 AS build\nFROM build\n");
        assert_silent(&RULE, "ARG BASE\nFROM $BASE\n");
        assert_silent(&RULE, "ARG TAG=12\nFROM debian:${TAG}\n");
    }
}
