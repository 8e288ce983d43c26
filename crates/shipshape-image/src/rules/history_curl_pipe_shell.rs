use super::Checker;
use super::history::{Run, runs};
use shipshape_dockerfile::download::{RemoteRun, remote_runs};
use shipshape_dockerfile::source::Span;

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that download a script and
    /// run it straight away: `curl` or `wget` piped into a shell or an
    /// interpreter that reads its program from the pipe
    /// (`curl -fsSL https://x/install.sh | sh`, `wget -qO- ... | bash -s`,
    /// `... | python3 -`), or run through a substitution
    /// (`sh -c "$(curl -fsSL ...)"`, `bash <(curl ...)`). A download saved
    /// to a file and run later is not flagged here. The history includes
    /// the steps of the base image.
    ///
    /// ## Why is this bad?
    /// The script runs as soon as it arrives, as whatever user the step ran
    /// as (usually root), with nothing checking that it is the script its
    /// authors published: a compromised server, a hijacked domain or a
    /// proxy can serve anything, and the build succeeds all the same. The
    /// step also depends on the day it ran: rebuilding the same Dockerfile
    /// can install something else. Download to a file, check its checksum
    /// or signature, then run it; better, install a pinned package.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "RUN /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh # buildkit"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "RUN /bin/sh -c curl -fsSLo /tmp/install.sh https://get.example.com/v1.4.2/install.sh && echo \"2f0c...  /tmp/install.sh\" | sha256sum -c - && sh /tmp/install.sh # buildkit"}]}
    /// ```
    ///
    /// ## References
    /// - shipshape DF043 (the same check on a Dockerfile)
    id: "IM007",
    name: "history-curl-pipe-shell",
    title: "Build step pipes a download into a shell",
    severity: High,
    aliases: ["DF043"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        if let Some(message) = finding(&run) {
            cx.report_history(run.index, message);
        }
    }
}

/// The first download run as a program in this step.
fn finding(run: &Run) -> Option<String> {
    let message = match remote_runs(&run.script, &run.text).into_iter().next()? {
        RemoteRun::Piped { downloader, runner } => format!(
            "build step {} pipes the output of `{}` into `{}`: {}; the downloaded code ran unverified at build time: download to a file, check its checksum or signature, then run it",
            run.index,
            downloader.program(),
            runner.program(),
            run.quote(Span::new(
                downloader.span.start,
                runner.span.end.max(downloader.span.end)
            )),
        ),
        RemoteRun::Substituted { downloader, runner } => format!(
            "build step {} runs what `{downloader}` downloads with `{}`: {}; the downloaded code ran unverified at build time: download to a file, check its checksum or signature, then run it",
            run.index,
            runner.program(),
            run.quote(runner.span),
        ),
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json};
    use crate::rules::test_support::*;

    /// An image config whose history is the base image's layer, an ENV,
    /// then `created_by`: the step under test is `history[2]`.
    fn steps(created_by: &str) -> String {
        history_json(&[
            "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
            "/bin/sh -c #(nop)  ENV LANG=C.UTF-8",
            created_by,
        ])
    }

    #[test]
    fn fires_on_downloads_run_as_code() {
        for created_by in [
            "RUN /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh # buildkit",
            "/bin/sh -c curl -fsSL https://get.example.com/install.sh | sudo -E bash -s -- --yes",
            "/bin/sh -c set -eux; wget -qO- https://x/i.sh | sh",
            "/bin/sh -c wget -O - https://x/i.sh | bash",
            "/bin/sh -c curl -sL https://bootstrap.pypa.io/get-pip.py | python3 -",
            "/bin/sh -c apt-get update && curl -sL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs",
            "/bin/bash -o pipefail -c curl -sSL https://x | tee /tmp/log | bash",
            "|1 VERSION=1.2 /bin/sh -c curl -fsSL https://x/$VERSION/i.sh | sh",
            "/bin/sh -c sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\"",
            "/bin/sh -c bash <(curl -fsSL https://x/install.sh)",
            "/bin/sh -c bash -c 'curl -fsSL https://x | bash'",
        ] {
            let found = findings(&RULE, &steps(created_by));
            assert_eq!(fields(&found), ["history[2]"], "{created_by}");
        }
        let found = findings(
            &RULE,
            &steps("RUN /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh # buildkit"),
        );
        assert!(
            found[0]
                .message
                .contains("`curl -fsSL https://get.example.com/install.sh | sh`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn one_finding_per_step() {
        let found = findings(
            &RULE,
            &steps("/bin/sh -c curl -s https://a | sh && wget -qO- https://b | bash"),
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn silent_on_downloads_not_run_from_the_pipe() {
        for created_by in [
            "/bin/sh -c curl -fsSLo /tmp/i.sh https://x/i.sh && sha256sum -c /tmp/sums && sh /tmp/i.sh",
            "/bin/sh -c curl -o install.sh https://x/i.sh; sh install.sh",
            "/bin/sh -c curl -fsSLO https://x/i.sh | sh",
            "/bin/sh -c wget https://x/i.sh | sh",
            "/bin/sh -c curl -fsSL https://x/a.tgz | tar -xz -C /opt",
            "/bin/sh -c curl -fsSL https://x/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg",
            "/bin/sh -c curl -s https://x/api | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
            "/bin/sh -c curl -s https://x/api | sh -c 'cat > /tmp/x'",
            "/bin/sh -c echo 'curl https://x | sh' > /usr/local/bin/README",
            "/bin/sh -c echo \"$(date)\" > /tmp/built",
            "/bin/sh -c #(nop)  LABEL install=\"curl https://x | sh\"",
            "LABEL install=curl https://x | sh",
        ] {
            assert_silent(&RULE, &steps(created_by));
        }
    }
}
