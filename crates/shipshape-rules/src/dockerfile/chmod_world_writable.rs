use super::Checker;
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags permissions that let every user write: `chmod` with an octal
    /// mode whose "others" digit includes write (`777`, `666`, `0757`) or a
    /// symbolic mode granting write to others (`o+w`, `a+rwx`, `ugo=rwx`),
    /// the same modes in `mkdir -m` and `install -m`, and `COPY`/`ADD
    /// --chmod=`. Modes with the sticky bit (`1777`, as on `/tmp`) are left
    /// alone, and so is a bare `+w`, which honours the umask.
    ///
    /// ## Why is this bad?
    /// Any process in the container, whatever user it runs as, can then
    /// replace the files: a compromised low-privilege process can rewrite
    /// binaries, scripts or configuration that a more privileged process
    /// later runs or trusts. `chmod 777` is almost always a shortcut for a
    /// permission problem that `chown` to the right user would solve.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// COPY app /app
    /// RUN chmod -R 777 /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// COPY --chown=app:app --chmod=755 app /app
    /// ```
    ///
    /// ## References
    /// - Least privilege for files in the image; no hadolint, trivy or
    ///   dockle equivalent
    id: "DF086",
    name: "chmod-world-writable",
    title: "File permissions made world-writable",
    severity: Medium,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst) in model.insts() {
        if let Args::Copy(_) | Args::Add(_) = &inst.body.args
            && let Some(flag) = inst.body.flag("chmod")
            && let mode = flag.value.as_deref().unwrap_or("")
            && world_writable(mode)
        {
            let kw = inst.body.keyword.as_str();
            cx.report(
                flag.span,
                format!("`{kw} --chmod={mode}` makes the files writable by every user: drop write for others (e.g. `--chmod=755`) and use `--chown` for the user that needs to write"),
            );
        }
        let Some(script) = &inst.script else {
            continue;
        };
        for cmd in script.iter() {
            let Some(mode) = mode_arg(cmd) else {
                continue;
            };
            if !world_writable(&mode.value) {
                continue;
            }
            let paths: Vec<&str> = cmd
                .args_no_flags(&[
                    "-m",
                    "--mode",
                    "-o",
                    "--owner",
                    "-g",
                    "--group",
                    "-t",
                    "--target-directory",
                    "-S",
                    "--suffix",
                ])
                .into_iter()
                .filter(|a| a.span != mode.span || a.value != mode.value)
                .map(|a| a.value.as_str())
                .collect();
            let what = match (paths.as_slice(), cmd.is("install")) {
                ([], _) => "the files".to_string(),
                ([.., last], true) => format!("`{last}`"),
                ([one], false) => format!("`{one}`"),
                ([first, ..], false) => format!("`{first}` and more"),
            };
            cx.report(
                mode.span,
                format!(
                    "`{} {}` makes {what} writable by every user: drop write for others (e.g. `755`/`644`) and `chown` to the user that needs to write",
                    cmd.program(),
                    mode.value
                ),
            );
        }
    }
}

/// The mode argument of `chmod MODE ...`, `mkdir -m MODE`, `install -m MODE`.
fn mode_arg(cmd: &Cmd) -> Option<&shipshape_dockerfile::shell::Arg> {
    match cmd.program() {
        "chmod" => {
            if cmd.args.iter().any(|a| a.value.starts_with("--reference")) {
                return None;
            }
            // A symbolic mode may start with `-` (`-w`), which only removes.
            cmd.args
                .iter()
                .find(|a| !a.value.starts_with('-') || a.value == "-")
        }
        "mkdir" | "install" => {
            let mut args = cmd.args.iter();
            while let Some(arg) = args.next() {
                if arg.value == "-m" || arg.value == "--mode" {
                    return args.next();
                }
                if arg.value.starts_with("--mode=")
                    || (arg.value.starts_with("-m") && arg.value.len() > 2)
                {
                    return Some(arg);
                }
            }
            None
        }
        _ => None,
    }
}

/// Whether a mode (octal or symbolic) grants write to others.
fn world_writable(mode: &str) -> bool {
    let mode = mode
        .strip_prefix("--mode=")
        .or_else(|| mode.strip_prefix("-m"))
        .unwrap_or(mode);
    if !mode.is_empty() && mode.chars().all(|c| c.is_ascii_digit()) {
        return match u32::from_str_radix(mode, 8) {
            // The sticky bit (`1777`) is the usual mode of shared dirs like /tmp.
            Ok(bits) => bits & 0o002 != 0 && bits & 0o1000 == 0,
            Err(_) => false,
        };
    }
    mode.split(',').any(symbolic_clause_grants_others_write)
}

/// One clause of a symbolic mode: `[ugoa]*([-+=][rwxXst]*|[-+=][ugo])+`.
fn symbolic_clause_grants_others_write(clause: &str) -> bool {
    let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
    let who = clause.get(..who_end).unwrap_or("");
    if !who.chars().all(|c| matches!(c, 'u' | 'g' | 'o' | 'a')) {
        return false;
    }
    // Without `o` or `a` the umask decides, or others are not touched.
    if !who.contains(['o', 'a']) {
        return false;
    }
    let ops = clause.get(who_end..).unwrap_or("");
    let mut op = ' ';
    let mut grants = false;
    for c in ops.chars() {
        match c {
            '+' | '-' | '=' => op = c,
            'w' => grants = op != '-',
            _ => {}
        }
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_world_writable_modes() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod 777 /app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod -R 0666 /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod 2777 /shared\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod o+w /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod a+rwx /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod u=rwx,go=rwx /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN chmod ugo+rwx /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN mkdir -p -m 777 /data && install -m 0666 x /etc/x\n"
            ),
            vec![2, 2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN mkdir --mode=777 /data\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nCOPY --chmod=777 app /app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nADD --chmod=a+w app.tgz /app\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN make && \\\n  chmod -R 777 /app\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN chmod 777 /app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD COPY --chmod=666 x /x\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_safe_modes() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN chmod 755 /app && chmod 644 /app/x && chmod 0775 /d\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN chmod 1777 /tmp\n");
        assert_silent(&RULE, "FROM debian:12\nRUN chmod +w /app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN chmod +x /entrypoint.sh\n");
        assert_silent(&RULE, "FROM debian:12\nRUN chmod u+w,g+w /app\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN chmod o-w /app && chmod a-w /app && chmod -w /app\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN chmod go=rx /app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN chmod --reference=/etc/x /app\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN mkdir -p /data && install -m 0755 x /usr/bin/x\n",
        );
        assert_silent(&RULE, "FROM debian:12\nCOPY --chmod=755 app /app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN echo chmod 777 /app\n");
    }
}
