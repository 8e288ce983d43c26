use super::Checker;
use shipshape_dockerfile::model::{Inst, Stage};
use shipshape_dockerfile::source::Span;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags an `EXPOSE` that lists port 22, the SSH port, on its own
    /// (`22`, `22/tcp`) or inside a range (`20-25`), after expanding
    /// build arguments and environment variables.
    ///
    /// The same check runs on an image's config (`config.ExposedPorts`
    /// holds `22/tcp`); IM016, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// Exposing 22 means the image is meant to run an SSH server. A
    /// container should run one service; an SSH daemon adds a long-lived
    /// root process, host keys baked into the image, passwords or keys to
    /// manage, and a remote login surface that is rarely patched. To get a
    /// shell in a running container, use `docker exec` or `kubectl exec`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// EXPOSE 22 8080
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// - trivy DS-0004 (port 22 exposed)
    /// - CIS Docker Benchmark 5.7 (no sshd inside containers)
    id: "DF040",
    name: "expose-ssh-port",
    title: "SSH port 22 is exposed",
    severity: Medium,
    aliases: ["DS004", "DS-0004", "AVD-DS-0004", "IM016", "image-ssh-port-exposed"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        for port in exposed(stage, inst) {
            if port.exact && covers_ssh(&port.spec) {
                let spec = port.spec;
                cx.report(
                    port.span,
                    format!(
                        "`EXPOSE {spec}` publishes the SSH port 22: don't run an SSH server in the container; \
                         use `docker exec` or `kubectl exec` for a shell"
                    ),
                );
            }
        }
    }
}

/// One port spec of an `EXPOSE`, after variable expansion.
pub(super) struct Exposed {
    /// The spec as BuildKit sees it (`8080`, `53/udp`, `8000-8010/tcp`).
    pub spec: String,
    /// The word it came from.
    pub span: Span,
    /// Whether every variable in the word was defined.
    pub exact: bool,
}

/// The port specs of an `EXPOSE` (ONBUILD EXPOSE included). A word whose
/// expansion holds spaces gives several specs, as BuildKit splits it.
pub(super) fn exposed(stage: &Stage<'_>, inst: &Inst<'_>) -> Vec<Exposed> {
    let Args::Expose(words) = &inst.body.args else {
        return Vec::new();
    };
    if inst.body.keyword != Keyword::Expose {
        return Vec::new();
    }
    let mut out = Vec::new();
    for word in words {
        let (value, exact) = if inst.onbuild {
            // A trigger expands in the child image, whose variables are unknown.
            (word.value.clone(), !word.value.contains('$'))
        } else {
            let expanded = stage.expand(inst, word);
            let exact = expanded.is_exact();
            (expanded.value, exact)
        };
        for spec in value.split_whitespace() {
            out.push(Exposed {
                spec: spec.to_string(),
                span: word.span,
                exact,
            });
        }
    }
    out
}

/// Whether a spec's port or port range includes 22.
fn covers_ssh(spec: &str) -> bool {
    let port = spec.split_once('/').map_or(spec, |(p, _)| p);
    // `ip:host:container` mappings: the container port is last.
    let port = port.rsplit(':').next().unwrap_or(port);
    let (low, high) = port.split_once('-').unwrap_or((port, port));
    match (low.parse::<u32>(), high.parse::<u32>()) {
        (Ok(low), Ok(high)) => (low..=high).contains(&22),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_port_22_and_ranges_that_hold_it() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nEXPOSE 22\n"), vec![2]);
        assert_fires(&RULE, "FROM alpine:3.20\nEXPOSE 1-65535/udp\n");
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 80 22/tcp\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 20-25/tcp\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG SSH=22\nEXPOSE ${SSH}\n"),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nENV PORTS=\"80 22\"\nEXPOSE $PORTS\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD EXPOSE 22\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 80\nEXPOSE 22\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_other_ports_and_unknown_variables() {
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 80 443/tcp 53/udp\n");
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 2222 220 122\n");
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 23-25\n");
        assert_silent(&RULE, "FROM alpine:3.20\nARG PORT\nEXPOSE $PORT\n");
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 8022\n");
    }
}
