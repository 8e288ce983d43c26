use super::Checker;
use shipshape_dockerfile::download::{RemoteRun, remote_runs};
use shipshape_dockerfile::source::Span;

rule! {
    /// ## What it does
    /// Flags a download (`curl`, `wget`, `fetch`) whose output runs as code:
    /// piped into a shell or interpreter (`curl ... | sh`,
    /// `wget -O- ... | python3`), or substituted into one
    /// (`sh -c "$(curl ...)"`, `bash <(curl ...)`, `eval "$(wget -O- ...)"`).
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM007, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// The script runs at build time, usually as root, without anyone having
    /// seen or verified it. Whoever controls the server, the DNS or the network
    /// path decides what ends up in the image, and the script can change
    /// between two builds of the same Dockerfile. A truncated download can also
    /// run half a script. Download the file, verify its checksum or signature,
    /// then run it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN curl -fsSLo /tmp/install.sh https://example.com/install-1.4.2.sh \
    ///  && echo "3b1f7c5e2a9d4c8e0f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh \
    ///  && rm /tmp/install.sh
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.11 (only verified packages installed) and
    ///   4.12 (signed artifacts validated)
    id: "DF043",
    name: "curl-pipe-shell",
    title: "Downloaded script piped into a shell",
    severity: High,
    aliases: ["IM007"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    let source = model.file.source.as_str();
    for (_, _, script) in model.runs() {
        // Commands inside `sh -c '...'` share the span of that argument; one
        // finding per spot is enough.
        let mut reported: Vec<Span> = Vec::new();
        for run in remote_runs(script, source) {
            let (span, message) = match run {
                RemoteRun::Piped { downloader, runner } => (
                    runner.span,
                    format!(
                        "output of `{}` is piped into `{}`, running unverified remote code at build time: download to a file, verify its checksum or signature, then run it",
                        downloader.program(),
                        runner.program()
                    ),
                ),
                RemoteRun::Substituted { downloader, runner } => (
                    runner.span,
                    format!(
                        "`{}` runs what `{downloader}` downloads, unverified, at build time: download to a file, verify its checksum or signature, then run it",
                        runner.program()
                    ),
                ),
            };
            if !reported
                .iter()
                .any(|r| r.start <= span.start && span.end <= r.end)
            {
                reported.push(span);
                cx.report(span, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_downloads_piped_into_interpreters() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -fsSL https://x/i.sh | sh\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -fsSL https://x/i.sh | sudo -E bash -s -- --yes\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN wget -qO- https://x/i.sh | sh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN wget -O - https://x/i.sh | bash\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN wget --output-document=- https://x/i.py | python3 -\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -sL https://x/get-pip.py | python\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN curl -sL https://x/i.pl | tee /tmp/log | perl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN set -e; \\\n  curl -sL https://x | node\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN curl https://x | sh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN bash -c 'curl -fsSL https://x | bash'\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn fires_on_substituted_downloads() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN sh -c \"$(curl -fsSL https://x/install.sh)\"\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN bash <(curl -fsSL https://x/install.sh)\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN eval \"$(wget -qO- https://x/env)\"\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN . <(curl -s https://x/env)\n"),
            vec![2]
        );
    }

    #[test]
    fn one_finding_per_spot_inside_sh_c() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN bash -c 'bash <(curl -s https://x)'\n"
            ),
            vec![2]
        );
        assert_fires(
            &RULE,
            "FROM debian:12\nRUN curl -fsSL https://x | python3.12\n",
        );
    }

    #[test]
    fn silent_on_verified_or_non_code_downloads() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSL https://x/a.tgz | tar -xz -C /opt\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -s https://x/api | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -s https://x/api | sh -c 'cat > /tmp/x'\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -s https://x/data | perl -ne 'print if /x/'\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN wget https://x/i.sh | sh\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSLO https://x/i.sh | sh\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://x/i.sh && sha256sum -c sums && sh /tmp/i.sh\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -fsSL https://x/i.sh > i.sh; echo done | sh\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN echo \"$(date)\" > /tmp/x\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN curl -s https://x | bash /tmp/script.sh\n",
        );
    }
}
