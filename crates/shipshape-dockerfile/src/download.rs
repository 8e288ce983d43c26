//! Code fetched and run in one go: a download (`curl`, `wget`, `fetch`)
//! piped into a shell or interpreter that reads its program from the pipe,
//! or substituted into one (`sh -c "$(curl ...)"`, `bash <(curl ...)`,
//! `eval "$(wget -O- ...)"`), and `ADD` of remote URLs. Shared by the
//! Dockerfile rules and the image-history rules, which see the same
//! instructions.

use crate::shell::{Cmd, Script};

const DOWNLOADERS: &[&str] = &["curl", "wget", "fetch"];
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];
const INTERPRETERS: &[&str] = &[
    "python", "python2", "python3", "perl", "ruby", "node", "php",
];
const RUNNERS: &[&str] = &["eval", "source", "."];

/// A download that runs as code.
#[derive(Debug, Clone, Copy)]
pub enum RemoteRun<'a> {
    /// `downloader ... | runner`.
    Piped {
        downloader: &'a Cmd,
        runner: &'a Cmd,
    },
    /// `runner ... $(downloader ...)` and the like.
    Substituted {
        downloader: &'static str,
        runner: &'a Cmd,
    },
}

/// Every download in `script` that runs as code, in order. `text` is what
/// the commands' spans point into.
pub fn remote_runs<'a>(script: &'a Script, text: &str) -> Vec<RemoteRun<'a>> {
    let mut found = Vec::new();
    for cmd in script.iter() {
        if cmd.is_any(DOWNLOADERS) && writes_stdout(cmd) {
            if let Some(runner) = script.piped_into(cmd).find(|c| reads_program_from_stdin(c)) {
                found.push(RemoteRun::Piped {
                    downloader: cmd,
                    runner,
                });
            }
            continue;
        }
        if !(is_interpreter(cmd) || cmd.is_any(RUNNERS)) {
            continue;
        }
        let own = text.get(cmd.span.start..cmd.span.end).unwrap_or("");
        let substituted = cmd
            .args
            .iter()
            .map(|a| a.value.as_str())
            .chain([own])
            .find_map(substituted_download);
        if let Some(downloader) = substituted {
            found.push(RemoteRun::Substituted {
                downloader,
                runner: cmd,
            });
        }
    }
    found
}

pub fn is_interpreter(cmd: &Cmd) -> bool {
    let program = cmd.program();
    cmd.is_any(SHELLS)
        || cmd.is_any(INTERPRETERS)
        || program
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Whether the download goes to standard output rather than a file.
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
            // `-O -`, `-O-`, `-qO-`, `-qO -`, `--output-document=-`
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
        // `fetch -o - URL`
        _ => cmd.flag_value("-o").is_some_and(to_stdout),
    }
}

/// Whether a command piped into reads its program from standard input
/// (`sh`, `bash -s -- -x`, `python3 -`), rather than from an argument or a
/// file (`sh -c '...'`, `python3 -c '...'`, `sh script.sh`).
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
    let program = cmd.program();
    let (inline, takes_value): (&[&str], &[&str]) = match program {
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

/// The downloader in a command substitution (`$(curl ...)`, `` `wget ...` ``)
/// or process substitution (`<(curl ...)`) inside `text`.
fn substituted_download(text: &str) -> Option<&'static str> {
    for opener in ["$(", "<(", "`"] {
        for (pos, _) in text.match_indices(opener) {
            let inner = text.get(pos + opener.len()..).unwrap_or("").trim_start();
            let word: &str = inner
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

/// Whether an `ADD` source is an http(s) URL.
pub fn is_http_url(source: &str) -> bool {
    let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A git repository URL checked out at a full commit hash
/// (`https://host/repo.git#<sha>`): the hash pins the content.
pub fn is_pinned_git(url: &str) -> bool {
    let Some((repo, fragment)) = url.split_once('#') else {
        return false;
    };
    let reference = fragment.split(':').next().unwrap_or(fragment);
    repo.ends_with(".git")
        && reference.len() == 40
        && reference.bytes().all(|b| b.is_ascii_hexdigit())
}
