//! Section 4: images and how they are built, as the daemon has them.

use serde_json::Value;

use super::Outcome;
use shipshape_core::host::{Host, Image};

/// How an image is named in evidence: its first tag, else its short id.
pub fn image_name(image: &Image) -> String {
    image
        .inspect
        .get("RepoTags")
        .and_then(Value::as_array)
        .and_then(|tags| tags.first())
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            let id = image
                .inspect
                .get("Id")
                .and_then(Value::as_str)
                .unwrap_or("?");
            id.trim_start_matches("sha256:").chars().take(12).collect()
        })
}

/// The daemon was not reached: nothing to look at.
fn unreached() -> Outcome {
    Outcome::info("the Docker daemon was not reached; nothing to check")
}

check! {
    /// ## What it does
    /// Checks the user each running container runs as (`Config.User`):
    /// empty, `0` or `root` is root.
    ///
    /// ## Why is this bad?
    /// Root in a container is root on the host's kernel: one escape bug,
    /// one mounted host path or one added capability away from the host.
    ///
    /// ## Use instead
    /// Add `USER` to the Dockerfile (a numeric uid), or run with
    /// `--user 10001:10001`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1
    /// - shipshape rules DF020, DF021 (Dockerfiles, image configs,
    ///   manifests and containers)
    DH401: "4.1",
    title: "Containers run as a non-root user",
    severity: Medium,
    scored: true,
    fix: "add `USER <uid>` to the image or run it with `--user <uid>`",
    run: non_root,
}

fn non_root(host: &Host) -> Outcome {
    if !host.daemon_reached {
        return unreached();
    }
    if host.containers.is_empty() {
        return Outcome::info("no containers are running");
    }
    // The Dockerfile rules' own check of `USER` (DF020, DF021), on the
    // container's config as on an image's.
    let root: Vec<String> = host
        .containers
        .iter()
        .filter(|c| config_fires(&c.inspect, &["DF020", "DF021"]))
        .map(|c| {
            format!(
                "container `{}` runs as root",
                shipshape_runtime::inspect::name(&c.inspect)
            )
        })
        .collect();
    if root.is_empty() {
        Outcome::pass(format!(
            "all {} containers run as a non-root user",
            host.containers.len()
        ))
    } else {
        Outcome::warn_all("Config.User", root)
    }
}

/// An image as the image rules see it, from a config as `docker inspect`
/// shows it and a history (newest first, as the benchmark keeps it).
fn image_of(inspect: &Value, history: &[String]) -> shipshape_image::Image {
    let mut spec = shipshape_image::spec::from_config(inspect);
    spec.history = history
        .iter()
        .rev()
        .map(|created_by| shipshape_image::History {
            created_by: created_by.clone(),
            empty_layer: false,
            layer: None,
        })
        .collect();
    shipshape_image::Image {
        spec,
        ..shipshape_image::Image::default()
    }
}

/// Whether the config rules (`USER`, `HEALTHCHECK`) report one of `ids` on
/// the config of `inspect`.
fn config_fires(inspect: &Value, ids: &[&str]) -> bool {
    crate::image::config_twins::check(&image_of(inspect, &[]))
        .iter()
        .any(|f| ids.contains(&f.rule.id))
}

/// Declares a check that cannot be automated.
macro_rules! manual {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $number:literal, $title:literal, $what:literal, $fix:literal
    ) => {
        check! {
            $(#[doc = $doc])*
            $name: $number,
            title: $title,
            severity: Info,
            scored: false,
            fix: $fix,
            run: |_| Outcome::note($what),
        }
    };
}

manual!(
    /// ## What it does
    /// Reports NOTE: where base images come from must be reviewed by a
    /// person. `shipshape dockerfile --trusted-registry` flags `FROM`
    /// images of other registries.
    ///
    /// ## Why is this bad?
    /// A base image is code you run with your service; one from an unknown
    /// publisher or a typo-squatted name can carry malware or an old
    /// vulnerable system.
    ///
    /// ## Use instead
    /// Build only from images of registries and publishers you trust,
    /// pinned by digest.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.2
    DH402,
    "4.2",
    "Only trusted base images are used",
    "review where base images come from (shipshape dockerfile flags untrusted registries with --trusted-registry)",
    "build only from images of registries you trust"
);
manual!(
    /// ## What it does
    /// Reports NOTE: whether each image holds only what its service needs
    /// must be reviewed by a person; `shipshape sbom` lists the packages to
    /// review.
    ///
    /// ## Why is this bad?
    /// Every extra package is more code to patch and more tools for an
    /// intruder (shells, compilers, network clients) once inside.
    ///
    /// ## Use instead
    /// Install only what the service needs; prefer slim or distroless bases
    /// and multi-stage builds.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3
    DH403,
    "4.3",
    "No unnecessary packages are installed",
    "review each image's packages",
    "install only what the service needs; prefer slim or distroless bases"
);
manual!(
    /// ## What it does
    /// Reports NOTE: how often images are rebuilt and scanned must be
    /// reviewed by a person; `shipshape image` matches an image's packages
    /// against advisories.
    ///
    /// ## Why is this bad?
    /// An image is frozen at build time: its packages fall behind their
    /// fixes unless it is rebuilt, and unknown unless it is scanned.
    ///
    /// ## Use instead
    /// Rebuild images on a schedule and when their base changes, and scan
    /// them in CI.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.4
    DH404,
    "4.4",
    "Images are scanned and rebuilt for security patches",
    "review how often images are rebuilt and scanned",
    "rebuild images regularly and scan them for vulnerabilities"
);

check! {
    /// ## What it does
    /// Checks that Docker Content Trust is on for this environment
    /// (`DOCKER_CONTENT_TRUST=1`), so `docker pull` and `docker run`
    /// accept only signed images.
    ///
    /// ## Why is this bad?
    /// Without it, a tag can point anywhere its registry says, including
    /// at an image an attacker pushed.
    ///
    /// ## Use instead
    /// `export DOCKER_CONTENT_TRUST=1` for the users and services that
    /// pull images (or verify signatures with cosign in CI).
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.5
    DH405: "4.5",
    title: "Content trust for Docker is enabled",
    severity: Low,
    scored: true,
    fix: "export DOCKER_CONTENT_TRUST=1 where images are pulled",
    run: content_trust,
}

fn content_trust(host: &Host) -> Outcome {
    match host.env.get("DOCKER_CONTENT_TRUST").map(String::as_str) {
        Some("1") => Outcome::pass("DOCKER_CONTENT_TRUST=1"),
        Some(other) => Outcome::warn(
            "DOCKER_CONTENT_TRUST",
            format!("DOCKER_CONTENT_TRUST is `{other}`, not 1"),
        ),
        None => Outcome::warn("DOCKER_CONTENT_TRUST", "DOCKER_CONTENT_TRUST is not set"),
    }
}

check! {
    /// ## What it does
    /// Checks that every image defines a `HEALTHCHECK`.
    ///
    /// ## Why is this bad?
    /// Without one, Docker knows only that a container's process runs, not
    /// that it works; a hung service stays "up".
    ///
    /// ## Use instead
    /// Add `HEALTHCHECK CMD ...` to the Dockerfile.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.6
    /// - shipshape rule DF097 (Dockerfiles, image configs and containers)
    DH406: "4.6",
    title: "HEALTHCHECK instructions have been added to container images",
    severity: Low,
    scored: true,
    fix: "add a `HEALTHCHECK` instruction to the image's Dockerfile",
    run: healthchecks,
}

fn healthchecks(host: &Host) -> Outcome {
    if !host.daemon_reached {
        return unreached();
    }
    if host.images.is_empty() {
        return Outcome::info("no images");
    }
    // DF097, the Dockerfile rule, on each image's config.
    let missing: Vec<String> = host
        .images
        .iter()
        .filter(|i| config_fires(&i.inspect, &["DF097"]))
        .map(|i| format!("image `{}` has no HEALTHCHECK", image_name(i)))
        .collect();
    if missing.is_empty() {
        Outcome::pass(format!(
            "all {} images define a HEALTHCHECK",
            host.images.len()
        ))
    } else {
        Outcome::warn_all("Config.Healthcheck", missing)
    }
}

/// Images with a build step where the Dockerfile rule `rule` fires.
fn rule_hits(host: &Host, rule: &str, what: &str) -> Outcome {
    history_hits(
        host,
        |i| {
            crate::image::build_steps::check(&image_of(&i.inspect, &i.history))
                .iter()
                .any(|f| f.rule.id == rule)
        },
        what,
    )
}

/// Images whose history has a build step matching `hit`.
fn history_step_hits(host: &Host, hit: impl Fn(&str) -> bool, what: &str) -> Outcome {
    history_hits(host, |i| i.history.iter().any(|step| hit(step)), what)
}

/// Images for which `hit` holds, as INFO evidence for a person to review.
fn history_hits(host: &Host, hit: impl Fn(&Image) -> bool, what: &str) -> Outcome {
    if !host.daemon_reached {
        return unreached();
    }
    let hits: Vec<String> = host
        .images
        .iter()
        .filter(|i| hit(i))
        .map(|i| format!("image `{}` {what}", image_name(i)))
        .collect();
    if hits.is_empty() {
        Outcome::pass(format!("no image {what}"))
    } else {
        let mut outcome = Outcome::info(String::new());
        outcome.evidence = hits;
        outcome
    }
}

check! {
    /// ## What it does
    /// Lists images with a build step whose package index `update`
    /// installs nothing in the same step: DF056, the Dockerfile rule, run
    /// on each step of the image's history.
    ///
    /// ## Why is this bad?
    /// An `update` in its own layer is cached and goes stale: later builds
    /// install outdated packages from an old index.
    ///
    /// ## Use instead
    /// `RUN apt-get update && apt-get install -y ...` in one instruction.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.7
    /// - shipshape rule DF056 (Dockerfile and image history)
    DH407: "4.7",
    title: "Update instructions are not used alone in Dockerfiles",
    severity: Info,
    scored: false,
    fix: "combine the package index update and the install in one RUN",
    run: |host| rule_hits(host, "DF056", "runs a package index `update` alone in a build step"),
}

check! {
    /// ## What it does
    /// Reads the image of each audited container (through the image
    /// reader, as `shipshape image` does) and lists its setuid and setgid
    /// files. It warns when an image has one that is not a distribution's
    /// usual tool (`passwd`, `su`, `mount`, `ping`, ... in the system
    /// directories, owned by root); the usual ones are listed as INFO.
    ///
    /// ## Why is this bad?
    /// A setuid binary lets any user in the container run it as its owner,
    /// usually root: a ready-made privilege escalation.
    ///
    /// ## Use instead
    /// Remove the bits in the Dockerfile:
    /// `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.8
    /// - shipshape rule IM101 (images)
    DH408: "4.8",
    title: "setuid and setgid permissions are removed",
    severity: Medium,
    scored: false,
    fix: "strip setuid/setgid bits in the Dockerfile (`find / -xdev -perm /6000 -type f -exec chmod a-s {} +`)",
    run: special_files,
}

fn special_files(host: &Host) -> Outcome {
    if !host.daemon_reached {
        return unreached();
    }
    let mut unusual = Vec::new();
    let mut usual = Vec::new();
    let mut read = 0;
    for image in &host.images {
        let name = image_name(image);
        match &image.files {
            None => {}
            Some(Err(e)) => usual.push(format!("image `{name}` could not be read: {e}")),
            Some(Ok(files)) => {
                read += 1;
                // IM101, the image audit's rule, on the image's files.
                let read_image = shipshape_image::Image {
                    name: name.clone(),
                    files: files.clone(),
                    ..shipshape_image::Image::default()
                };
                let found = crate::image::check(&read_image, &[&crate::image::SETUID_SETGID]);
                for f in found {
                    let line = format!("image `{name}`: {}", f.message);
                    if f.severity > shipshape_core::Severity::Info {
                        unusual.push(line);
                    } else {
                        usual.push(line);
                    }
                }
            }
        }
    }
    if read == 0 && usual.is_empty() {
        return Outcome::info("no container is audited, so no image was read");
    }
    if !unusual.is_empty() {
        unusual.extend(usual);
        return Outcome::warn_all("setuid/setgid files", unusual);
    }
    if usual.is_empty() {
        return Outcome::pass(format!(
            "no setuid or setgid file in the {read} image(s) of the audited containers"
        ));
    }
    let mut outcome = Outcome::info(String::new());
    outcome.evidence = usual;
    outcome
}

check! {
    /// ## What it does
    /// Lists images built with `ADD` (manual: review each use).
    ///
    /// ## Why is this bad?
    /// `ADD` fetches URLs and unpacks archives implicitly; `COPY` does only
    /// what it says.
    ///
    /// ## Use instead
    /// `COPY` for local files; download with a checksum for remote ones.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.9
    /// - shipshape rules DF044 (Dockerfile and image history), DF045
    DH409: "4.9",
    title: "COPY is used instead of ADD in Dockerfiles",
    severity: Info,
    scored: false,
    fix: "use COPY instead of ADD",
    run: |host| history_step_hits(host, |s| s.contains("ADD ") && !s.contains("ADD file:") || s.trim_start().starts_with("ADD "), "uses ADD in its history"),
}

manual!(
    /// ## What it does
    /// Reports NOTE for the Dockerfiles themselves; `shipshape dockerfile`
    /// flags credentials in `ENV`, `ARG`, `LABEL` and `RUN` and copied
    /// secret files, and `shipshape image` the same in an image's config
    /// and history.
    ///
    /// ## Why is this bad?
    /// A credential written in a Dockerfile is in the repository, in the
    /// image's history and config, and with everyone who can pull the
    /// image.
    ///
    /// ## Use instead
    /// Pass secrets with `RUN --mount=type=secret` at build time and as
    /// run-time secrets, never in the Dockerfile.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10
    DH410,
    "4.10",
    "Secrets are not stored in Dockerfiles",
    "lint the Dockerfiles with `shipshape dockerfile` (it flags credentials in ENV, ARG and LABEL and copied secret files)",
    "pass secrets with `RUN --mount=type=secret`, never in the Dockerfile"
);
manual!(
    /// ## What it does
    /// Reports NOTE: that package managers verify what they install must be
    /// reviewed by a person (no `--allow-unauthenticated`, `--nogpgcheck`,
    /// `--no-check-certificate`).
    ///
    /// ## Why is this bad?
    /// A package installed without a signature check can be replaced by
    /// anyone between the mirror and the build.
    ///
    /// ## Use instead
    /// Install packages only from signed repositories with verification on.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.11
    DH411,
    "4.11",
    "Only verified packages are installed",
    "review that package managers verify signatures (no --allow-unauthenticated, --nogpgcheck)",
    "install packages only from signed repositories"
);
manual!(
    /// ## What it does
    /// Reports NOTE: that images and other artifacts are verified before
    /// use must be reviewed by a person (cosign or content-trust
    /// signatures).
    ///
    /// ## Why is this bad?
    /// Without a signature check, an image or artifact swapped in a
    /// registry or on the way is run as if it were yours.
    ///
    /// ## Use instead
    /// Sign what you build and verify signatures before you run it.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.12
    DH412,
    "4.12",
    "All signed artifacts are validated",
    "review that images and artifacts are verified (cosign, content trust)",
    "verify signatures of images and artifacts before use"
);
