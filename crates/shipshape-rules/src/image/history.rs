//! Reading an image's build history: which entries ran a shell script, the
//! build arguments recorded with them, and which were other Dockerfile
//! instructions (`ADD`, `ARG`...). Shared by the history rules and by
//! [`super::build_steps`], which runs the Dockerfile script rules on them.
//!
//! The builders record a step's `created_by` as follows:
//! - classic builder, RUN: `/bin/sh -c apt-get update`, with the build
//!   arguments in front when there are any: `|2 A=1 B=2 /bin/sh -c make`;
//!   exec form: the arguments joined by spaces (`make install`);
//! - classic builder, other instructions: `/bin/sh -c #(nop)  ENV A=b`,
//!   `/bin/sh -c #(nop) ADD file:3a1c... in /`;
//! - BuildKit, RUN: `RUN /bin/sh -c make # buildkit`,
//!   `RUN |1 A=1 /bin/sh -c make # buildkit`;
//! - BuildKit, other instructions: the instruction (`COPY . /app # buildkit`,
//!   `ENV A=b`, `ARG VERSION=1`).
//!
//! With a `SHELL` instruction the shell prefix is that shell
//! (`/bin/bash -o pipefail -c ...`).

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// Instructions BuildKit records by name, RUN aside.
const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The script a history entry ran, and the build arguments recorded with
/// it; `None` for entries that did not run a command (`#(nop)` entries,
/// BuildKit's `COPY ...`, `ENV ...`, an empty `created_by`).
pub(super) fn run_script(created_by: &str) -> Option<(String, Vec<(String, String)>)> {
    let mut rest = created_by.trim();
    let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if first == "RUN" {
        rest = after.trim_start();
    } else if INSTRUCTIONS.contains(&first) {
        return None;
    }
    rest = strip_buildkit_marker(rest);
    let mut args = Vec::new();
    if let Some(after) = rest.strip_prefix('|') {
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let count: usize = after.get(..digits)?.parse().ok()?;
        let (parsed, script) = build_args(after.get(digits..)?.trim_start(), count);
        args = parsed;
        rest = script;
    }
    let script = strip_shell(rest).trim();
    if script.is_empty() || script.starts_with("#(nop)") {
        return None;
    }
    Some((script.to_string(), args))
}

/// A history entry for a Dockerfile instruction other than RUN: its
/// keyword and the rest (`("ADD", "https://x/a.tgz /opt/")`).
pub(super) fn instruction(created_by: &str) -> Option<(&str, &str)> {
    let mut rest = created_by.trim();
    let stripped = strip_shell(rest).trim_start();
    if let Some(nop) = stripped.strip_prefix("#(nop)") {
        rest = nop.trim_start();
    }
    rest = strip_buildkit_marker(rest);
    let (keyword, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    INSTRUCTIONS
        .contains(&keyword)
        .then(|| (keyword, body.trim()))
}

fn strip_buildkit_marker(text: &str) -> &str {
    text.strip_suffix("# buildkit").map_or(text, str::trim_end)
}

/// `count` build arguments at the start of `text` (`A=1 B=two words /bin/sh -c x`),
/// and the text after them. The builders join the arguments with spaces
/// and do not quote them, so a space in a value is taken as part of it up
/// to the next `NAME=`; the last value ends at its first space.
fn build_args(text: &str, count: usize) -> (Vec<(String, String)>, &str) {
    let mut args: Vec<(String, String)> = Vec::new();
    let mut pos = 0;
    while pos < text.len() && args.len() <= count {
        let end = text
            .get(pos..)
            .and_then(|r| r.find(' '))
            .map_or(text.len(), |i| pos + i);
        let word = text.get(pos..end).unwrap_or("");
        match word.split_once('=') {
            Some((name, value)) if is_name(name) && args.len() < count => {
                args.push((name.to_string(), value.to_string()));
            }
            _ if args.len() < count => match args.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(word);
                }
                None => break,
            },
            _ => break,
        }
        pos = (end + 1).min(text.len());
    }
    (args, text.get(pos..).unwrap_or(""))
}

fn is_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The script of `sh -c <script>` (any shell, any options before `-c`),
/// or the text itself when it does not start with a shell and `-c`.
fn strip_shell(text: &str) -> &str {
    let mut words = Words { text, pos: 0 };
    let Some(first) = words.next() else {
        return text;
    };
    let program = first.rsplit('/').next().unwrap_or(first);
    if !SHELLS.contains(&program) {
        return text;
    }
    while let Some(word) = words.next() {
        let Some(flags) = word.strip_prefix(['-', '+']) else {
            return text;
        };
        if word.starts_with("--") {
            continue;
        }
        if word.starts_with('-') && flags.contains('c') {
            return words.rest();
        }
        if flags.ends_with('o') || flags.ends_with('O') {
            words.next();
        }
    }
    text
}

/// Space-separated words, with the rest of the text after each.
struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Words<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let start = self.pos + (rest.len() - rest.trim_start_matches(' ').len());
        let tail = self.text.get(start..)?;
        if tail.is_empty() {
            self.pos = self.text.len();
            return None;
        }
        let len = tail.find(' ').unwrap_or(tail.len());
        self.pos = (start + len + 1).min(self.text.len());
        tail.get(..len)
    }
}

/// `text` on one line, cut to about 80 characters, in backquotes.
pub(super) fn quote(text: &str) -> String {
    const MAX: usize = 80;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(MAX).collect();
    if flat.chars().count() > MAX {
        out.push('…');
    }
    format!("`{}`", out.replace('`', "'"))
}

/// The config field of each finding (`history[2]`, `config.Env[0]`), for
/// tests.
#[cfg(test)]
pub(super) fn fields(found: &[shipshape_core::Finding]) -> Vec<String> {
    found
        .iter()
        .map(|f| match &f.location {
            shipshape_core::Location::Image { field, .. } => field.clone().unwrap_or_default(),
            _ => String::new(),
        })
        .collect()
}

/// An image config whose history is `created_by`, one entry each, for
/// tests.
#[cfg(test)]
pub(super) fn history_json(created_by: &[&str]) -> String {
    let entries: Vec<String> = created_by
        .iter()
        .map(|c| {
            let value = serde_json::to_string(c).unwrap_or_default();
            format!(r#"{{"created_by": {value}}}"#)
        })
        .collect();
    format!(r#"{{"history": [{}]}}"#, entries.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(created_by: &str) -> Option<String> {
        run_script(created_by).map(|(s, _)| s)
    }

    fn args(created_by: &str) -> Vec<(String, String)> {
        run_script(created_by).map(|(_, a)| a).unwrap_or_default()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn scripts_of_run_steps() {
        assert_eq!(
            script("/bin/sh -c apt-get update && apt-get install -y curl").as_deref(),
            Some("apt-get update && apt-get install -y curl")
        );
        assert_eq!(
            script("RUN /bin/sh -c curl -fsSL https://x/install.sh | sh # buildkit").as_deref(),
            Some("curl -fsSL https://x/install.sh | sh")
        );
        assert_eq!(
            script("/bin/bash -o pipefail -c set -eux; make").as_deref(),
            Some("set -eux; make")
        );
        assert_eq!(
            script("RUN /bin/bash -eo pipefail -c make install # buildkit").as_deref(),
            Some("make install")
        );
        assert_eq!(script("/bin/sh -ec make").as_deref(), Some("make"));
        // Exec form: the arguments as they were given.
        assert_eq!(
            script("RUN make install # buildkit").as_deref(),
            Some("make install")
        );
        assert_eq!(
            script("/bin/sh /usr/local/bin/setup.sh").as_deref(),
            Some("/bin/sh /usr/local/bin/setup.sh")
        );
    }

    #[test]
    fn other_steps_are_not_runs() {
        for created_by in [
            "/bin/sh -c #(nop) ADD file:6b8f5e5c7e2c3b7a in / ",
            "/bin/sh -c #(nop)  CMD [\"bash\"]",
            "/bin/sh -c #(nop)  ENV NPM_TOKEN=npm_abc",
            "/bin/bash -o pipefail -c #(nop)  WORKDIR /app",
            "COPY . /app # buildkit",
            "ENV PATH=/usr/local/bin:/usr/bin",
            "ADD https://example.com/tool.tgz /opt/ # buildkit",
            "ARG VERSION=1.2",
            "",
            "   ",
            "RUN ",
            "/bin/sh -c ",
        ] {
            assert_eq!(script(created_by), None, "{created_by:?}");
        }
    }

    #[test]
    fn build_arguments() {
        assert_eq!(
            run_script("|1 NPM_TOKEN=npm_abc /bin/sh -c npm ci"),
            Some(("npm ci".to_string(), pairs(&[("NPM_TOKEN", "npm_abc")])))
        );
        assert_eq!(
            run_script("RUN |2 TARGETARCH=amd64 VERSION=1.2 /bin/sh -c make # buildkit"),
            Some((
                "make".to_string(),
                pairs(&[("TARGETARCH", "amd64"), ("VERSION", "1.2")])
            ))
        );
        // Empty values, and a space inside a value that is not the last.
        assert_eq!(
            args("|3 A= B=two words C=3 /bin/sh -c true"),
            pairs(&[("A", ""), ("B", "two words"), ("C", "3")])
        );
        assert_eq!(
            script("|3 A= B=two words C=3 /bin/sh -c true").as_deref(),
            Some("true")
        );
        // Exec form after the arguments.
        assert_eq!(
            run_script("|1 V=1 make install"),
            Some(("make install".to_string(), pairs(&[("V", "1")])))
        );
        // A count that does not match is read as far as it goes.
        assert_eq!(run_script("|2 A=1 /bin/sh -c true"), None);
        assert_eq!(script("|x A=1 /bin/sh -c true"), None);
        assert_eq!(args("/bin/sh -c A=1 make"), Vec::new());
    }

    #[test]
    fn instructions() {
        assert_eq!(
            instruction("/bin/sh -c #(nop) ADD file:6b8f5e5c in / "),
            Some(("ADD", "file:6b8f5e5c in /"))
        );
        assert_eq!(
            instruction("ADD https://example.com/a.tgz /opt/ # buildkit"),
            Some(("ADD", "https://example.com/a.tgz /opt/"))
        );
        assert_eq!(
            instruction("/bin/sh -c #(nop)  ARG NPM_TOKEN=abc"),
            Some(("ARG", "NPM_TOKEN=abc"))
        );
        assert_eq!(instruction("ARG VERSION"), Some(("ARG", "VERSION")));
        assert_eq!(instruction("RUN /bin/sh -c make # buildkit"), None);
        assert_eq!(instruction("/bin/sh -c make"), None);
        assert_eq!(instruction(""), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a  b\n\tc"), "`a b c`");
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("`{}…`", "x".repeat(80)));
        assert_eq!(quote("echo `id`"), "`echo 'id'`");
    }
}
