use super::Checker;
use super::history::{instruction, quote};
use shipshape_dockerfile::download::{is_http_url, is_pinned_git};

rule! {
    /// ## What it does
    /// Flags `ADD` steps in the image's history whose source is an
    /// `http://` or `https://` URL (`ADD https://example.com/tool.tgz /opt/`).
    /// BuildKit records the URL; the classic builder records a hash of the
    /// downloaded file instead (`ADD file:3a1c... in /opt/`), so its remote
    /// `ADD`s cannot be told from local ones and are not flagged. A git URL
    /// checked out at a full commit hash (`repo.git#<40 hex digits>`) is
    /// pinned and passes. The history does not record `ADD --checksum`: a
    /// download verified that way is flagged all the same, and can be
    /// ignored. The history includes the steps of the base image.
    ///
    /// ## Why is this bad?
    /// The builder put whatever the server returned into the image,
    /// unchecked: a compromised or hijacked server, a mirror or a plain
    /// `http://` hop could swap the file, and the build succeeded all the
    /// same. The layer cache can also keep an old download or fetch a
    /// changed one, so two builds of the same Dockerfile differ. Pin the
    /// content with `ADD --checksum=sha256:...`, or download with `curl`
    /// and check the digest with `sha256sum -c`; use `COPY` for local
    /// files.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini # buildkit"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "COPY tini /tini # buildkit"}]}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.9, dockle CIS-DI-0009
    /// - Docker documentation: `ADD --checksum`
    /// - shipshape DF044 (the same check on a Dockerfile)
    id: "IM011",
    name: "history-add-remote-url",
    title: "Build step ADDs a remote URL",
    severity: Medium,
    aliases: ["CIS-DI-0009", "DF044", "CIS-4.9"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (index, h) in image.spec.history.iter().enumerate() {
        let Some(("ADD", body)) = instruction(&h.created_by) else {
            continue;
        };
        let words: Vec<&str> = body
            .split_whitespace()
            .filter(|w| !w.starts_with("--"))
            .collect();
        let sources = words.split_last().map_or(&[][..], |(_, s)| s);
        if let Some(url) = sources.iter().find(|w| is_http_url(w) && !is_pinned_git(w)) {
            let message = format!(
                "build step {index} downloads {} with `ADD`: nothing checked what the server sent; add `--checksum=sha256:<digest>`, or download with `curl` and check it with `sha256sum -c`",
                quote(url)
            );
            cx.report_history(index, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_remote_adds() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini # buildkit",
                "ADD --chown=1000:1000 http://example.com/app.tar.gz /opt/ # buildkit",
                "/bin/sh -c #(nop) ADD https://example.com/a.tgz /opt/",
                "ADD https://github.com/example/app.git#v1.2 /src # buildkit",
                "ADD local.txt HTTPS://EXAMPLE.COM/x.txt /dest/ # buildkit",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[1]",
                "history[2]",
                "history[3]",
                "history[4]",
                "history[5]"
            ]
        );
        assert!(
            found[0]
                .message
                .contains("`https://github.com/krallin/tini/releases/download/v0.19.0/tini`")
        );
    }

    #[test]
    fn silent_on_local_sources_and_pinned_git() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c #(nop) ADD file:e4b2c1a7f0d9 in /app/ ",
                "ADD rootfs.tar.xz / # buildkit",
                "COPY https-proxy.conf /etc/ # buildkit",
                "COPY . https://not-a-url # buildkit",
                "ADD https://github.com/example/app.git#4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba98 /src # buildkit",
                "ADD app /https:/x # buildkit",
                "/bin/sh -c curl -fsSLo /tmp/a.tgz https://example.com/a.tgz",
                "RUN /bin/sh -c echo ADD https://x /y # buildkit",
            ]),
        );
    }
}
