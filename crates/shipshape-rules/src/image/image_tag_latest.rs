use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image checked by a reference with the `latest` tag
    /// (`example/app:latest`) or with no tag at all (`example/app`, which
    /// means `latest`). A reference pinned by digest (`example/app@sha256:...`)
    /// passes, with or without a tag, and so does an image given by id or
    /// from an archive that names no tag. The port of a registry host
    /// (`localhost:5000/app`) is not a tag.
    ///
    /// ## Why is this bad?
    /// `latest` is not "the newest release": it is whatever was pushed last
    /// without a tag, and it moves. The image checked today is not
    /// necessarily the one a host pulls tomorrow, two hosts pulling the
    /// same name can run different code, a rollback has nothing to roll
    /// back to, and nothing tells which version is running. Deploy and
    /// scan a version tag, or better a digest, which cannot change.
    ///
    /// ## Example
    /// The image checked as `example/app:latest` (as `docker image
    /// inspect` shows it):
    /// ```json
    /// {"RepoTags": ["example/app:latest"], "config": {"Cmd": ["/app/server"]}}
    /// ```
    ///
    /// ## Use instead
    /// The image checked as `example/app:1.4.2` or
    /// `example/app@sha256:<digest>`:
    /// ```json
    /// {"RepoTags": ["example/app:1.4.2"], "config": {"Cmd": ["/app/server"]}}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0006
    /// - shipshape DF001 and DF002 (the tag of a base image, in a
    ///   Dockerfile's `FROM`)
    id: "IM005",
    name: "image-tag-latest",
    title: "Image referenced by the latest tag",
    severity: Medium,
    aliases: ["DKL-DI-0006"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let Some(reference) = cx.image.spec.reference.as_deref() else {
        return;
    };
    let message = match tag(reference) {
        Tag::None => format!(
            "the image is referenced as `{reference}`, with no tag, which means `latest`: a tag that moves with every push; use a version tag or a digest"
        ),
        Tag::Latest => format!(
            "the image is referenced as `{reference}`: `latest` moves with every push; use a version tag or a digest"
        ),
        Tag::Pinned => return,
    };
    cx.report_config("reference", message);
}

enum Tag {
    None,
    Latest,
    Pinned,
}

/// What a reference says about the version: `name`, `name:latest`, or a
/// version tag or digest.
fn tag(reference: &str) -> Tag {
    if reference.contains('@') {
        return Tag::Pinned;
    }
    let last = reference.rsplit('/').next().unwrap_or(reference);
    match last.split_once(':') {
        None | Some((_, "")) => Tag::None,
        Some((_, "latest")) => Tag::Latest,
        Some(_) => Tag::Pinned,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::image::check;
    use crate::image::history::fields;
    use crate::image::test_support::*;

    fn found(reference: Option<&str>) -> Vec<shipshape_core::Finding> {
        let mut image = image_named("archive.tar", r#"{"config": {}}"#);
        image.spec.reference = reference.map(str::to_string);
        check(&image, &[&RULE])
    }

    #[test]
    fn fires_on_latest_and_untagged_references() {
        for reference in [
            "nginx",
            "nginx:latest",
            "docker.io/library/nginx:latest",
            "localhost:5000/app",
            "localhost:5000/team/app:latest",
            "registry.example.com:443/app:",
        ] {
            let got = found(Some(reference));
            assert_eq!(fields(&got), ["reference"], "{reference}");
        }
    }

    #[test]
    fn silent_on_tags_digests_and_no_reference() {
        for reference in [
            "nginx:1.27",
            "nginx:latest-alpine",
            "localhost:5000/app:2024.06",
            "example/app@sha256:4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba984f1c2b9e0d7a6c5b3e2f1a09",
            "example/app:latest@sha256:4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba984f1c2b9e0d7a6c5b3e2f1a09",
        ] {
            assert!(found(Some(reference)).is_empty(), "{reference}");
        }
        assert!(found(None).is_empty());
    }
}
