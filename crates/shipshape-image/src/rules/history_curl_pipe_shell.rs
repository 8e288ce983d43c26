use super::Checker;
use super::history::{Run, runs};
use shipshape_dockerfile::shell::Cmd;
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
    aliases: [],
    check: check,
}

const DOWNLOADERS: &[&str] = &["curl", "wget", "fetch"];
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];
const INTERPRETERS: &[&str] = &[
    "python", "python2", "python3", "perl", "ruby", "node", "php",
];
const RUNNERS: &[&str] = &["eval", "source", "."];

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        if let Some(message) = finding(&run) {
            cx.report_history(run.index, message);
        }
    }
}

/// The first download run as a program in this step.
fn finding(run: &Run) -> Option<String> {
    for cmd in run.script.iter() {
        if cmd.is_any(DOWNLOADERS) && writes_stdout(cmd) {
            if let Some(runner) = run
                .script
                .piped_into(cmd)
                .find(|c| reads_program_from_stdin(c))
            {
                return Some(format!(
                    "build step {} pipes the output of `{}` into `{}`: {}; the downloaded code ran unverified at build time: download to a file, check its checksum or signature, then run it",
                    run.index,
                    cmd.program(),
                    runner.program(),
                    run.quote(Span::new(cmd.span.start, runner.span.end.max(cmd.span.end))),
                ));
            }
            continue;
        }
        if !(is_interpreter(cmd) || cmd.is_any(RUNNERS)) {
            continue;
        }
        let text = run.text.get(cmd.span.start..cmd.span.end).unwrap_or("");
        let downloader = cmd
            .args
            .iter()
            .map(|a| a.value.as_str())
            .chain([text])
            .find_map(substituted_download);
        if let Some(downloader) = downloader {
            return Some(format!(
                "build step {} runs what `{downloader}` downloads with `{}`: {}; the downloaded code ran unverified at build time: download to a file, check its checksum or signature, then run it",
                run.index,
                cmd.program(),
                run.quote(cmd.span),
            ));
        }
    }
    None
}

fn is_interpreter(cmd: &Cmd) -> bool {
    cmd.is_any(SHELLS)
        || cmd.is_any(INTERPRETERS)
        || cmd
            .program()
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Whether a download command writes what it fetched to its output:
/// `curl` unless told to write a file, `wget` only with `-O -`.
fn writes_stdout(cmd: &Cmd) -> bool {
    let to_stdout = |v: &str| v == "-" || v == "/dev/stdout";
    match cmd.program() {
        "curl" => {
            if cmd.has_any_flag(&["-O", "--remote-name", "--remote-name-all"]) {
                return false;
            }
            if cmd.has_any_flag(&["-o", "--output"]) {
                return cmd
                    .flag_value("-o")
                    .or_else(|| cmd.flag_value("--output"))
                    .is_some_and(to_stdout);
            }
            true
        }
        "wget" => {
            let mut args = cmd.args.iter().peekable();
            while let Some(arg) = args.next() {
                let v = arg.value.as_str();
                if v == "--output-document" {
                    return args.peek().is_some_and(|n| to_stdout(&n.value));
                }
                if let Some(value) = v.strip_prefix("--output-document=") {
                    return to_stdout(value);
                }
                if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-'))
                    && let Some(pos) = cluster.find('O')
                {
                    let rest = cluster.get(pos + 1..).unwrap_or("");
                    return if rest.is_empty() {
                        args.peek().is_some_and(|n| to_stdout(&n.value))
                    } else {
                        to_stdout(rest)
                    };
                }
            }
            false
        }
        _ => cmd.flag_value("-o").is_some_and(to_stdout),
    }
}

/// Whether a command runs the program it reads on its input: `sh`,
/// `bash -s`, `python3 -`, but not `sh -c '...'` or `bash script.sh`.
fn reads_program_from_stdin(cmd: &Cmd) -> bool {
    if cmd.is_any(SHELLS) {
        if cmd.has_flag("-c") {
            return false;
        }
        if cmd.has_flag("-s") {
            return true;
        }
        let operands = cmd.args_no_flags(&["-o", "-O", "+o", "+O"]);
        return operands.first().is_none_or(|a| a.value == "-");
    }
    let (inline, takes_value): (&[&str], &[&str]) = match cmd.program() {
        "perl" => (&["-e", "-E"], &["-I", "-M", "-m"]),
        "ruby" => (&["-e"], &["-I", "-r"]),
        "node" => (&["-e", "-p", "--eval", "--print"], &["-r", "--require"]),
        "php" => (&["-r", "-R", "-f", "-B", "-E"], &["-c", "-d"]),
        _ if is_interpreter(cmd) => (&["-c", "-m"], &["-W", "-X"]),
        _ => return false,
    };
    if cmd.has_any_flag(inline) {
        return false;
    }
    let operands = cmd.args_no_flags(takes_value);
    operands.first().is_none_or(|a| a.value == "-")
}

/// The downloader run in a `$(...)`, `<(...)` or backquoted substitution
/// in `text`.
fn substituted_download(text: &str) -> Option<&'static str> {
    for opener in ["$(", "<(", "`"] {
        for (pos, _) in text.match_indices(opener) {
            let inner = text.get(pos + opener.len()..).unwrap_or("").trim_start();
            let word = inner
                .split(|c: char| c.is_whitespace() || c == ')' || c == '`')
                .next()
                .unwrap_or("");
            let program = word.rsplit('/').next().unwrap_or(word);
            if let Some(d) = DOWNLOADERS.iter().find(|d| **d == program) {
                return Some(d);
            }
        }
    }
    None
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
