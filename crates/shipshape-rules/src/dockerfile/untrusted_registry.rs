use super::Checker;
use crate::trust::untrusted;
use shipshape_dockerfile::model::{Inst, Stage};

rule! {
    /// ## What it does
    /// Flags images pulled from a registry outside the trusted list: the
    /// image of a `FROM`, of `COPY --from=<image>`, and of
    /// `RUN --mount=...,from=<image>`; the `image:` of a compose service
    /// or a Kubernetes container; the image of a live container; and the
    /// reference `shipshape image` audits.
    ///
    /// The list is the `trustedRegistries` setting; while it is empty the
    /// rule does nothing. Names without a registry (`debian:12`,
    /// `library/debian`, `bitnami/redis`) come from Docker Hub and count as
    /// `docker.io` (`hub.docker.com` and `index.docker.io` in the list mean
    /// the same). An entry `*.corp.example` trusts every registry under
    /// `corp.example`; an entry without a port trusts that host on any
    /// port. `scratch` and the names of build stages are not images and
    /// are skipped, as are references a build argument nobody set decides.
    ///
    /// ## Why is this bad?
    /// Every image the build pulls runs code in it or ends up in it. A
    /// registry nobody vetted can serve a typo-squatted, unmaintained or
    /// tampered image, and a pull from a public registry bypasses the
    /// mirror where an organisation scans, signs and caches what it uses.
    /// Keeping pulls to known registries keeps them reviewable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM quay.io/prometheus/node-exporter:v1.8.2
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM prom/node-exporter:v1.8.2
    /// ```
    ///
    /// ## References
    /// - hadolint DL3026 (setting `trustedRegistries`)
    /// - CIS Docker Benchmark 4.2 (use only trusted base images)
    id: "DF006",
    name: "untrusted-registry",
    title: "Image from a registry that is not trusted",
    severity: High,
    aliases: ["DL3026"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if cx.options.trusted_registries.is_empty() {
        return;
    }
    let trusted = &cx.options.trusted_registries;
    let model = cx.model;
    for stage in &model.stages {
        if stage.parent.is_none() {
            let written = if stage.base.is_exact() {
                Some(stage.base.value.as_str())
            } else {
                Some(stage.image.value.as_str()).filter(|text| registry_is_written(text))
            };
            if let Some(message) = written.and_then(|image| untrusted(image, trusted)) {
                cx.report(stage.image.span, message);
            }
        }
        for inst in &stage.insts {
            for flag in &inst.body.flags {
                let Some(value) = flag.value.as_deref() else {
                    continue;
                };
                let source = match flag.name.as_str() {
                    "from" => Some(value),
                    "mount" => mount_from(value),
                    _ => None,
                };
                let Some(image) = source.and_then(|s| image_ref(cx, stage, inst, s)) else {
                    continue;
                };
                if let Some(message) = untrusted(&image, trusted) {
                    cx.report(flag.span, message);
                }
            }
        }
    }
}

/// The value of `from=` in a `--mount` specification.
fn mount_from(spec: &str) -> Option<&str> {
    spec.split(',').find_map(|field| {
        let (key, value) = field.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("from")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The image a `--from` value names, expanded; `None` for stages, stage
/// indexes and values a build argument nobody set decides.
fn image_ref(
    cx: &Checker<'_, '_>,
    stage: &Stage<'_>,
    inst: &Inst<'_>,
    value: &str,
) -> Option<String> {
    let expanded = stage.expand_text(inst, value)?;
    if !expanded.is_exact() || expanded.value.is_empty() {
        return None;
    }
    let value = expanded.value;
    if value.bytes().all(|b| b.is_ascii_digit()) || cx.model.stage_named(&value).is_some() {
        return None;
    }
    Some(value)
}

/// Whether the registry part of an image reference is written out (no
/// variable decides it).
fn registry_is_written(text: &str) -> bool {
    match text.split_once('/') {
        Some((head, _)) => !head.contains('$'),
        None => !text.split([':', '@']).next().unwrap_or(text).contains('$'),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::lint::Options;
    use crate::dockerfile::test_support::*;

    fn lines_with(trusted: &[&str], src: &str) -> Vec<u32> {
        let options = Options {
            trusted_registries: trusted.iter().map(|s| s.to_string()).collect(),
            ..Options::default()
        };
        lines_given(&RULE, src, &options)
    }

    #[test]
    fn fires_on_images_from_other_registries() {
        let hub = ["docker.io"];
        assert_eq!(
            lines_with(&hub, "FROM gcr.io/distroless/static:nonroot\n"),
            vec![1]
        );
        assert_eq!(lines_with(&hub, "FROM localhost/app:1\n"), vec![1]);
        assert_eq!(
            lines_with(&hub, "FROM registry.local:5000/app:1\n"),
            vec![1]
        );
        assert_eq!(
            lines_with(
                &hub,
                "FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools:1 /bin/t /bin/t\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines_with(
                &hub,
                "FROM alpine:3.20\nRUN --mount=type=bind,from=quay.io/acme/src:1,target=/src make\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines_with(
                &["*.corp.example"],
                "FROM debian:12\nFROM corp.example/x:1\n"
            ),
            vec![1, 2]
        );
        assert_eq!(
            lines_with(&["ghcr.io"], "ARG REG=quay.io\nFROM ${REG}/x/y:1\n"),
            vec![2]
        );
        assert_eq!(
            lines_with(&["reg.corp:5000"], "FROM reg.corp:6000/x:1\n"),
            vec![1]
        );
        assert_eq!(
            lines_with(&["docker.io"], "ONBUILD COPY --from=gcr.io/x/y:1 /a /b\n"),
            Vec::<u32>::new()
        );
        assert_eq!(
            lines_with(
                &["docker.io"],
                "FROM alpine:3.20\nONBUILD COPY --from=gcr.io/x/y:1 /a /b\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_trusted_images_stages_and_empty_list() {
        assert_silent(&RULE, "FROM gcr.io/distroless/static:nonroot\n");
        let hub = ["docker.io"];
        let none: Vec<u32> = Vec::new();
        assert_eq!(
            lines_with(
                &hub,
                "FROM debian:12\nFROM library/debian:12\nFROM bitnami/redis:7\n"
            ),
            none
        );
        assert_eq!(
            lines_with(&["hub.docker.com"], "FROM docker.io/library/debian:12\n"),
            none
        );
        assert_eq!(
            lines_with(&hub, "FROM index.docker.io/library/debian:12\n"),
            none
        );
        assert_eq!(lines_with(&hub, "FROM scratch\n"), none);
        assert_eq!(
            lines_with(
                &["gcr.io"],
                "FROM gcr.io/x/go:1 AS build\nFROM build\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\n"
            ),
            none
        );
        assert_eq!(
            lines_with(
                &hub,
                "FROM alpine:3.20 AS src\nFROM alpine:3.20\nRUN --mount=type=cache,from=src,target=/c true\n"
            ),
            none
        );
        assert_eq!(
            lines_with(
                &["*.corp.example"],
                "FROM reg.corp.example/x:1\nFROM a.b.corp.example:443/x:1\n"
            ),
            none
        );
        assert_eq!(lines_with(&["reg.corp"], "FROM reg.corp:5000/x:1\n"), none);
        assert_eq!(lines_with(&["GHCR.IO/"], "FROM ghcr.io/x/y:1\n"), none);
        assert_eq!(
            lines_with(&hub, "ARG REG\nFROM ${REG}/x/y:1\nARG IMAGE\nFROM $IMAGE\n"),
            none
        );
        assert_eq!(lines_with(&hub, "ARG TAG\nFROM alpine:${TAG}\n"), none);
        assert_eq!(
            lines_with(
                &hub,
                "FROM alpine:3.20\nRUN --mount=type=secret,id=npm true\n"
            ),
            none
        );
    }
}
