//! The Dockerfile rules that judge one `RUN` script or one `ADD`, run on
//! every build step an image's history recorded. `sudo` in a build step, a
//! download piped into a shell, an `apt-get upgrade`, an `update` that
//! installs nothing, package lists or the apk cache left in a layer, a
//! credential in a command, an `ADD` of a URL: each is one rule with one
//! id, whether it is found in a Dockerfile or in an image built from one
//! (the image rules that once repeated them, IM007, IM008, IM009, IM011,
//! IM012, IM013, IM014 and IM015, are aliases of those rules).
//!
//! Each step is linted as the only `RUN` or `ADD` of a one-stage
//! Dockerfile, so the rules see it exactly as they see an instruction they
//! were written for; a finding points at the history entry, with the
//! command it is about quoted (a credential in it masked).

use crate::dockerfile::{Options, lint};
use crate::dockerfile::{RULES as DOCKERFILE_RULES, Rule};
use shipshape_core::{Finding, mask_secrets};
use shipshape_dockerfile::parse;

use super::history::{instruction, quote, run_script};
use shipshape_image::Image;

/// The Dockerfile rules whose check reads only the script of one `RUN`
/// (no stage, no other instruction), and so holds for a build step.
pub const SCRIPT_RULES: &[&str] = &[
    "DF023", "DF043", "DF051", "DF054", "DF056", "DF058", "DF109",
];

/// The Dockerfile rules whose check reads only the sources of one `ADD`.
pub const ADD_RULES: &[&str] = &["DF044"];

/// The Dockerfile rules of `ids`.
fn rules(ids: &[&str]) -> Vec<&'static Rule> {
    DOCKERFILE_RULES
        .iter()
        .copied()
        .filter(|r| ids.contains(&r.meta.id))
        .collect()
}

/// The rules of [`SCRIPT_RULES`].
pub fn script_rules() -> Vec<&'static Rule> {
    rules(SCRIPT_RULES)
}

/// The word that ends the here-document a multi-line script is put in.
const END: &str = "SHIPSHAPE_BUILD_STEP_END";

/// A one-stage Dockerfile whose only `RUN` is `script`, and where the
/// script starts in it; `None` when the script cannot be written as one
/// (it holds the here-document's end word on a line of its own).
fn dockerfile_of(script: &str) -> Option<(String, usize)> {
    if !script.contains('\n') && !script.ends_with('\\') {
        let text = format!("FROM scratch\nRUN {script}\n");
        return Some((text, "FROM scratch\nRUN ".len()));
    }
    if script.lines().any(|l| l.trim() == END) {
        return None;
    }
    let head = format!("FROM scratch\nRUN <<'{END}'\n");
    let start = head.len();
    Some((format!("{head}{script}\n{END}\n"), start))
}

/// A one-stage Dockerfile whose only instruction is the `ADD` a build
/// step recorded (`body`: its flags, sources and destination), and where
/// the body starts in it.
fn dockerfile_of_add(body: &str) -> Option<(String, usize)> {
    if body.contains('\n') || body.trim().is_empty() {
        return None;
    }
    let head = "FROM scratch\nADD ";
    Some((format!("{head}{body}\n"), head.len()))
}

/// The findings of the script and `ADD` rules on every build step of
/// `image`.
pub fn check(image: &Image) -> Vec<Finding> {
    let script_rules = script_rules();
    let add_rules = rules(ADD_RULES);
    let mut found = Vec::new();
    for (index, entry) in image.spec.history.iter().enumerate() {
        let (written, rules) = match run_script(&entry.created_by) {
            Some((script, _)) => (dockerfile_of(&script), &script_rules),
            None => match instruction(&entry.created_by) {
                Some(("ADD", body)) => (dockerfile_of_add(body), &add_rules),
                _ => continue,
            },
        };
        let Some((text, start)) = written else {
            continue;
        };
        let Ok(file) = parse(&text) else {
            continue;
        };
        for f in lint::lint_with(&file, "", &Options::default(), rules) {
            let mut said = f
                .location
                .region()
                .and_then(|r| text.get(r.byte_start.max(start)..r.byte_end))
                .map(quote)
                .unwrap_or_default();
            mask_secrets(&mut said, std::slice::from_ref(&f));
            let mut finding = Finding::new(
                f.rule,
                format!("build step {index}, at {said}: {}", f.message),
                image.location(entry.layer, None, Some(format!("history[{index}]")), None),
            );
            finding.severity = f.severity;
            finding.secret = f.secret;
            found.push(finding);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::history::{fields, history_json as steps};
    use crate::image::test_support::image;

    /// (rule id, history field) of each finding.
    fn found(created_by: &[&str]) -> Vec<(String, String)> {
        let found = check(&image(&steps(created_by)));
        let fields = fields(&found);
        found
            .iter()
            .zip(fields)
            .map(|(f, field)| (f.rule.id.to_string(), field))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn each_script_rule_fires_on_a_build_step() {
        assert_eq!(
            found(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "RUN /bin/sh -c sudo -E make install # buildkit",
                "/bin/sh -c curl -fsSL https://get.example.com | sh",
                "|1 V=2 /bin/sh -c apt-get update && apt-get upgrade -y && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*",
                "/bin/sh -c apt-get update",
                "/bin/sh -c apt-get update && apt-get install -y curl=7.88.1-10",
                "/bin/sh -c apk add curl=8.9.1-r1",
            ]),
            pairs(&[
                ("DF023", "history[1]"),
                ("DF043", "history[2]"),
                ("DF054", "history[3]"),
                // An update alone also leaves the lists it fetched.
                ("DF051", "history[4]"),
                ("DF056", "history[4]"),
                ("DF051", "history[5]"),
                ("DF058", "history[6]"),
            ])
        );
    }

    #[test]
    fn a_credential_in_a_command_fires_df109_masked() {
        let found = check(&image(&steps(&[
            "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
            "RUN /bin/sh -c curl -fsSL -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345' https://api.github.com/x # buildkit",
            "/bin/sh -c echo AKIAIOSFODNN7EXAMPLE > /root/key",
            "RUN |1 V=1 /bin/sh -c git clone https://deploy:Xk29fLw@git.example.com/app.git # buildkit",
            "/bin/sh -c git clone https://git.example.com/app.git",
            "RUN /bin/sh -c git clone https://deploy:$TOKEN@git.example.com/app.git # buildkit",
        ])));
        let ids: Vec<(&str, String)> = found
            .iter()
            .zip(fields(&found))
            .map(|(f, field)| (f.rule.id, field))
            .collect();
        assert_eq!(
            ids,
            [
                ("DF109", "history[1]".to_string()),
                ("DF109", "history[2]".to_string()),
                ("DF109", "history[3]".to_string())
            ]
        );
        for f in &found {
            for secret in ["ABCDEFGHIJ012345", "IOSFODNN7EXAMPLE", "Xk29fLw"] {
                assert!(!f.message.contains(secret), "{}", f.message);
            }
        }
    }

    #[test]
    fn an_add_of_a_url_fires_df044() {
        assert_eq!(
            found(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini # buildkit",
                "ADD --chown=1000:1000 http://example.com/app.tar.gz /opt/ # buildkit",
                "/bin/sh -c #(nop) ADD https://example.com/a.tgz /opt/",
                "ADD https://github.com/example/app.git#v1.2 /src # buildkit",
                "ADD local.txt HTTPS://EXAMPLE.COM/x.txt /dest/ # buildkit",
            ]),
            pairs(&[
                ("DF044", "history[1]"),
                ("DF044", "history[2]"),
                ("DF044", "history[3]"),
                ("DF044", "history[4]"),
                ("DF044", "history[5]"),
            ])
        );
        assert_eq!(
            found(&[
                "/bin/sh -c #(nop) ADD file:e4b2c1a7f0d9 in /app/ ",
                "ADD rootfs.tar.xz / # buildkit",
                "COPY https-proxy.conf /etc/ # buildkit",
                "COPY . https://not-a-url # buildkit",
                "ADD https://github.com/example/app.git#4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba98 /src # buildkit",
                "ADD app /https:/x # buildkit",
                "/bin/sh -c curl -fsSLo /tmp/a.tgz https://example.com/a.tgz",
                "RUN /bin/sh -c echo ADD https://x /y # buildkit",
            ]),
            pairs(&[])
        );
    }

    #[test]
    fn a_multi_line_script_is_read_whole() {
        assert_eq!(
            found(&["RUN /bin/sh -c set -e\nsudo make install\n # buildkit"]),
            pairs(&[("DF023", "history[0]")])
        );
        // The end word on a line of its own cannot be written: skipped.
        assert_eq!(
            found(&[&format!("/bin/sh -c sudo x\n{END}\nsudo y")]),
            pairs(&[])
        );
    }

    #[test]
    fn the_message_quotes_the_command_and_the_severity_is_the_rules() {
        let found = check(&image(&steps(&[
            "/bin/sh -c echo hi && sudo -u postgres createdb app",
        ])));
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("build step 0, at `sudo -u postgres createdb app`: `sudo` runs"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].severity, found[0].rule.severity);
    }

    #[test]
    fn silent_on_clean_steps_and_other_instructions() {
        assert_eq!(
            found(&[
                "/bin/sh -c apk add --no-cache sudo",
                "/bin/sh -c echo sudo",
                "/bin/sh -c echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app",
                "/bin/sh -c gosu app make",
                "/bin/sh -c #(nop)  CMD [\"sudo\", \"make\"]",
                "CMD [\"sudo\" \"make\"]",
                "/bin/sh -c curl -fsSLo /tmp/i.sh https://x && sha256sum -c sums && sh /tmp/i.sh",
                "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*",
                "/bin/sh -c #(nop)  USER app",
                "COPY . /app # buildkit",
                "",
            ]),
            pairs(&[])
        );
    }
}
