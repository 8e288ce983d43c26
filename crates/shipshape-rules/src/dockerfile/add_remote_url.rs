use super::Checker;
use shipshape_dockerfile::download::{is_http_url, is_pinned_git};
use shipshape_dockerfile::model::{Inst, Stage};
use shipshape_dockerfile::syntax::ast::{Args, Word};

rule! {
    /// ## What it does
    /// Flags `ADD` of an `http://` or `https://` URL without a
    /// `--checksum=` to verify what was downloaded. A git repository URL
    /// checked out at a full commit hash (`repo.git#<40 hex digits>`) is
    /// pinned by that hash and passes.
    ///
    /// The same check runs on every `ADD` step an image's history recorded
    /// (`shipshape image`). BuildKit records the URL; the classic builder
    /// records a hash of the downloaded file instead (`ADD file:3a1c... in
    /// /opt/`), so its remote `ADD`s cannot be told from local ones. The
    /// history does not record `--checksum`, so a download verified that way
    /// is flagged in an image all the same. IM011, its former image twin,
    /// is an alias.
    ///
    /// ## Why is this bad?
    /// The builder fetches the URL and puts whatever the server returned
    /// into the image, unchecked: a compromised or hijacked server, a
    /// mirror, or a plain `http://` hop can swap the file and the build
    /// still succeeds. The file lands owned by root with mode 600 unless
    /// `--chown`/`--chmod` say otherwise, and the layer cache may keep an
    /// old download or refetch a changed one, so two builds of the same
    /// Dockerfile can differ. Pin the content with `ADD --checksum=sha256:...`,
    /// or download with `curl` and check the digest with `sha256sum -c`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD https://example.com/tool-1.2.tar.gz /tmp/tool.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /tmp/tool.tar.gz
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.9 (COPY rather than ADD; remote ADD is unverified)
    /// - Docker documentation: `ADD --checksum`
    id: "DF044",
    name: "add-remote-url",
    title: "ADD downloads a URL without a checksum",
    severity: Medium,
    aliases: ["IM011", "history-add-remote-url", "CIS-DI-0009", "CIS-4.9"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        if inst.body.flag("checksum").is_some() {
            continue;
        }
        for (word, value) in add_sources(stage, inst) {
            if let Some(url) = value.filter(|v| is_http_url(v) && !is_pinned_git(v)) {
                cx.report(
                    word.span,
                    format!(
                        "`ADD {url}` downloads without an integrity check: add `--checksum=sha256:<digest>`, \
                         or `RUN curl -fsSLo <file> {url} && echo \"<sha256>  <file>\" | sha256sum -c`"
                    ),
                );
            }
        }
    }
}

/// The sources of an `ADD` (ONBUILD ADD included), each with its value
/// after expansion, or `None` when a variable in it is unknown.
pub(super) fn add_sources<'i>(
    stage: &Stage<'_>,
    inst: &'i Inst<'_>,
) -> Vec<(&'i Word, Option<String>)> {
    let Args::Add(copy) = &inst.body.args else {
        return Vec::new();
    };
    copy.sources
        .iter()
        .map(|word| {
            let value = if inst.onbuild {
                // A trigger expands in the child image, whose variables are unknown.
                Some(word.value.clone()).filter(|v| !v.contains('$'))
            } else {
                Some(stage.expand(inst, word))
                    .filter(|e| e.is_exact())
                    .map(|e| e.value)
            };
            (word, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_unverified_downloads() {
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nADD http://example.com/a.sh /a.sh\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nADD --chown=1000 HTTPS://example.com/a /a\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nARG URL=https://example.com/a\nADD ${URL} /a\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nADD [\"https://example.com/a\", \"https://example.com/b\", \"/opt/\"]\n"
            ),
            vec![2, 2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nONBUILD ADD https://example.com/a /a\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.16.0 /src\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_with_checksum_local_files_and_git() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nADD rootfs.tar.gz /\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nARG URL\nADD $URL /a\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCOPY http/ /srv/http/\n");
        assert_silent(&RULE, "FROM alpine:3.20\nADD httpd.conf /etc/httpd.conf\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#0123456789abcdef0123456789abcdef01234567 /src\n",
        );
    }
}
