use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Arg;

rule! {
    /// ## What it does
    /// Flags the packages of a `pip install` (`pip3`, `python -m pip`)
    /// given without a version specifier (`==`, `>=`, `<=`, `>`, `<`, `!=`,
    /// `~=`, `===`).
    ///
    /// Not flagged: requirement files (`-r`), a whole install under a
    /// constraints file (`-c`), local directories and paths (`.`, `./pkg`),
    /// archives and wheels (`.whl`, `.tar.gz`, `.zip`), URLs, and VCS URLs
    /// pinned to a ref (`git+https://host/repo@v1.2`). A VCS URL without a
    /// ref is flagged, also after `-e`. Arguments only known at build time
    /// (`$PACKAGES`) are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, pip installs the newest release on the day of the
    /// build. Two builds of the same Dockerfile then ship different code, a
    /// new release can break the image without any change to the
    /// Dockerfile, and a compromised release is picked up automatically.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## References
    /// - hadolint DL3013
    id: "DF059",
    name: "pip-install-unpinned",
    title: "pip install without package versions",
    severity: Low,
    aliases: ["DL3013"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let mut found = Vec::new();
        for cmd in script.iter() {
            let Some(args) = pkg::pip_install_args(cmd) else {
                continue;
            };
            for arg in packages(args) {
                let name = arg.value.as_str();
                if pinned(name) {
                    continue;
                }
                let message = if is_vcs(name) {
                    format!(
                        "`{name}` follows the default branch: pin a tag or commit with `@<ref>`"
                    )
                } else {
                    format!(
                        "`{name}` is not pinned: use `{name}==<version>` or a requirements file with versions"
                    )
                };
                found.push(Unpinned {
                    span: arg.span,
                    name: name.to_string(),
                    message,
                });
            }
        }
        super::unpinned::report_unpinned(
            cx,
            found,
            "pin each as `name==<version>` (a VCS URL with `@<ref>`) or use a requirements file with versions",
        );
    }
}

/// The requirement arguments of `pip install`: operands and `-e` values.
/// Nothing when a constraints file pins the versions.
fn packages(args: &[Arg]) -> Vec<&Arg> {
    let constrained = args.iter().take_while(|a| a.value != "--").any(|a| {
        let v = a.value.as_str();
        v.starts_with("--constraint") || (v.starts_with("-c") && !v.starts_with("--"))
    });
    if constrained {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let v = arg.value.as_str();
        if v == "--" {
            out.extend(iter.by_ref());
        } else if v == "-e" || v == "--editable" {
            out.extend(iter.next());
        } else if v.starts_with('-') {
            if pkg::PIP_VALUE_FLAGS.contains(&v) {
                iter.next();
            }
        } else {
            out.push(arg);
        }
    }
    out
}

const VCS: &[&str] = &["git+", "hg+", "svn+", "bzr+", "git://", "svn://"];
const ARCHIVES: &[&str] = &[".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip"];
const SPECIFIERS: &[&str] = &["==", ">=", "<=", "!=", "~=", ">", "<"];

fn pinned(req: &str) -> bool {
    let req = req.trim();
    if pkg::is_dynamic(req) || SPECIFIERS.iter().any(|s| req.contains(s)) {
        return true;
    }
    if is_vcs(req) {
        return vcs_has_ref(req);
    }
    // `name @ url`: the URL decides.
    if let Some((name, url)) = req.split_once('@')
        && !name.contains('/')
        && url.contains("://")
    {
        return pinned(url);
    }
    req == "." || req.contains('/') || ARCHIVES.iter().any(|a| req.ends_with(a))
}

fn is_vcs(req: &str) -> bool {
    VCS.iter().any(|p| req.starts_with(p))
}

/// Whether a VCS URL names a ref after `@` (a user in `git@host` is not one).
fn vcs_has_ref(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = match after_scheme.split_once('/') {
        Some((_host, path)) => path,
        None => "",
    };
    path.split('#').next().unwrap_or_default().contains('@')
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_requirement() {
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install flask requests==2.32.3\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip3 install \\\n  flask \\\n  gunicorn\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN python3 -m pip install --upgrade pip\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install -r requirements.txt flask\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install 'requests[socks]'\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install git+https://github.com/pallets/flask\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install -e git+ssh://git@github.com/o/r.git#egg=r\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM python:3.12\nONBUILD RUN pip install flask\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_pinned_local_and_file_installs() {
        for ok in [
            "flask==3.0.3",
            "'flask>=3,<4'",
            "'flask~=3.0'",
            "'flask===3.0.3'",
            "'requests[socks]==2.32.3'",
            "-r requirements.txt",
            "--requirement=requirements.txt",
            "-c constraints.txt flask",
            "--constraint constraints.txt flask",
            ".",
            "-e .",
            "./lib",
            "/tmp/pkg",
            "dist/app-1.0-py3-none-any.whl",
            "app-1.0.tar.gz",
            "https://example.com/app-1.0.zip",
            "git+https://github.com/pallets/flask@3.0.3",
            "git+ssh://git@github.com/o/r.git@v1#egg=r",
            "-e git+https://github.com/o/r@abc123#egg=r",
            "'flask @ https://example.com/flask-3.0.3.tar.gz'",
            "$PACKAGES",
            "--index-url https://pypi.example/simple app==1.0",
        ] {
            assert_silent(&RULE, &format!("FROM python:3.12\nRUN pip install {ok}\n"));
        }
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN pip download flask && pipx install black && python -m venv /v\n",
        );
    }
}
