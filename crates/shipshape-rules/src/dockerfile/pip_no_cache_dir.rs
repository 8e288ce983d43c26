use super::{Checker, Repair};
use shipshape_dockerfile::model::{Inst, Stage};
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::{Cmd, Script};
use shipshape_dockerfile::syntax::words::Env;

rule! {
    /// ## What it does
    /// Flags a `pip install` (`pip3`, `python -m pip`) without
    /// `--no-cache-dir`.
    ///
    /// Not flagged when the cache is off or kept out of the image another
    /// way: `PIP_NO_CACHE_DIR` set to a true value by `ENV` or `ARG` in the
    /// stage, on the command (`PIP_NO_CACHE_DIR=1 pip install ...`) or by
    /// `export` in the same RUN; a cache or tmpfs mount on `.cache/pip` (or
    /// on `PIP_CACHE_DIR`). `pipx` and `pipenv` are other tools and are not
    /// checked.
    ///
    /// ## Why is this bad?
    /// pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an
    /// image nobody installs again, so the cache is dead weight, often tens
    /// or hundreds of megabytes, shipped with every pull.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install flask==3.0.3
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `--no-cache-dir`. The same packages are installed;
    /// only the download cache is not kept.
    ///
    /// ## References
    /// - hadolint DL3042
    id: "DF060",
    name: "pip-no-cache-dir",
    title: "pip install keeps its cache",
    severity: Low,
    aliases: ["DL3042"],
    check: check,
}

const VAR: &str = "PIP_NO_CACHE_DIR";

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if cache_off(stage, inst, script) {
            continue;
        }
        for cmd in script.iter() {
            if pkg::pip_install_args(cmd).is_none() || cmd.has_flag("--no-cache-dir") || set_on(cmd)
            {
                continue;
            }
            let message = "`pip install` keeps its download cache in the layer: add `--no-cache-dir` (or set `ENV PIP_NO_CACHE_DIR=1`)";
            let fix = cx
                .add_after_word(inst, cmd, "install", "--no-cache-dir")
                .map(|edit| Repair::safe("add --no-cache-dir", edit));
            cx.report_fix(cmd.arg_span("install"), message, fix);
        }
    }
}

/// Whether the whole RUN installs without a cache in the image.
fn cache_off(stage: &Stage<'_>, inst: &Inst<'_>, script: &Script) -> bool {
    let scope = stage.scope(inst);
    if scope.get(VAR).is_some_and(truthy) {
        return true;
    }
    let exported = script
        .iter()
        .filter(|c| c.is_any(&["export", "declare"]))
        .any(|c| {
            c.args.iter().any(|a| {
                a.value
                    .split_once('=')
                    .is_some_and(|(k, v)| k == VAR && truthy(v))
            })
        });
    if exported || pkg::mount_ends_with(stage, inst, &[".cache/pip", "/.cache"]) {
        return true;
    }
    scope.get("PIP_CACHE_DIR").is_some_and(|dir| {
        !dir.is_empty() && pkg::mount_covers(stage, inst, &[dir.trim_end_matches('/')])
    })
}

fn set_on(cmd: &Cmd) -> bool {
    cmd.assignments.iter().any(|(k, v)| k == VAR && truthy(v))
}

fn truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "on" | "yes"
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_no_cache_dir() {
        assert_eq!(
            lines(&RULE, "FROM python:3.12\nRUN pip install flask==3.0.3\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN python -m pip install -r req.txt\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nENV PIP_NO_CACHE_DIR=0\nRUN pip install x==1\n"
            ),
            vec![3]
        );
        // Set after the RUN, or in another stage.
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN pip install x==1\nENV PIP_NO_CACHE_DIR=1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install x==1\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install x==1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM python:3.12\nONBUILD RUN pip3 install x==1\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_when_the_cache_is_off_or_mounted() {
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN pip --no-cache-dir install flask==3.0.3\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=true PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=on\nFROM base\nRUN pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nENV PIP_CACHE_DIR=/pipcache\nRUN --mount=type=cache,target=/pipcache pip install x==1\n",
        );
        assert_silent(
            &RULE,
            "FROM python:3.12\nRUN pipx install black==24.4.2 && pipenv install\n",
        );
    }
}
