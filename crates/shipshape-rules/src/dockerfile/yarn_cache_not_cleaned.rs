use super::Checker;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::syntax::words::Env;

rule! {
    /// ## What it does
    /// Flags `yarn install` (or a bare `yarn`, which installs too) not
    /// followed in the same RUN by `yarn cache clean` or by removing the
    /// yarn cache directory.
    ///
    /// A RUN with a cache or tmpfs mount on the yarn cache (`.cache/yarn`,
    /// `.yarn/cache`, the home `.cache`, or `YARN_CACHE_FOLDER`) keeps the
    /// cache out of the image and is not flagged.
    ///
    /// ## Why is this bad?
    /// yarn keeps a copy of every package it downloads in its global cache.
    /// In an image that copy is dead weight, often as large as
    /// `node_modules` itself, shipped with every pull.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20.15-slim
    /// WORKDIR /app
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:20.15-slim
    /// WORKDIR /app
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` ends the RUN with `&& yarn cache clean` when the install
    /// is its last command. Only the cache goes.
    ///
    /// ## References
    /// - hadolint DL3060
    id: "DF074",
    name: "yarn-cache-not-cleaned",
    title: "yarn cache left in the image",
    severity: Low,
    aliases: ["DL3060"],
    check: check,
}

const VALUE_FLAGS: &[&str] = &[
    "--cwd",
    "--cache-folder",
    "--modules-folder",
    "--network-timeout",
    "--mutex",
    "--global-folder",
    "--registry",
    "--link-folder",
];

const CACHE_TAILS: &[&str] = &[".cache/yarn", ".yarn/cache", "/.cache", "/.yarn"];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if pkg::mount_ends_with(stage, inst, CACHE_TAILS) {
            continue;
        }
        let folder = stage
            .scope(inst)
            .get("YARN_CACHE_FOLDER")
            .map(|f| f.trim_end_matches('/').to_string());
        if folder
            .as_deref()
            .is_some_and(|f| !f.is_empty() && pkg::mount_covers(stage, inst, &[f]))
        {
            continue;
        }
        for cmd in script.find("yarn") {
            let span = match cmd.subcommand(VALUE_FLAGS) {
                Some("install") => cmd.arg_span("install"),
                // A bare `yarn` installs, unless it only prints something.
                None if !cmd.has_any_flag(&["--version", "-v", "--help", "-h"]) => cmd.span,
                _ => continue,
            };
            if pkg::later(script, cmd, cleans) {
                continue;
            }
            let message = "yarn keeps a copy of every package in its cache: end this RUN with `yarn cache clean`";
            let fix = cx.append_fix(inst, script, "yarn cache clean");
            cx.report_fix(span, message, fix);
        }
    }
}

fn cleans(cmd: &Cmd) -> bool {
    if cmd.is("yarn") {
        let words = cmd.args_no_flags(VALUE_FLAGS);
        return matches!(words.as_slice(), [cache, clean, ..] if cache.value == "cache" && clean.value == "clean");
    }
    cmd.is("rm")
        && cmd.args_no_flags(&[]).iter().any(|a| {
            let path = a.value.trim_end_matches('*').trim_end_matches('/');
            path.ends_with(".cache/yarn") || path.ends_with(".yarn/cache")
        })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_a_cache_clean() {
        assert_eq!(lines(&RULE, "FROM node:20\nRUN yarn install\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM node:20\nRUN yarn --frozen-lockfile\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN yarn cache clean && yarn install\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN yarn install\nRUN yarn cache clean\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN --mount=type=cache,target=/root/.npm yarn install\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM node:20\nONBUILD RUN yarn install\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_a_clean_or_a_mount() {
        assert_silent(
            &RULE,
            "FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
        );
        assert_silent(
            &RULE,
            "FROM node:20\nRUN yarn install && yarn cache clean --all\n",
        );
        assert_silent(
            &RULE,
            "FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn/*\n",
        );
        assert_silent(
            &RULE,
            "FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n",
        );
        assert_silent(
            &RULE,
            "FROM node:20\nRUN --mount=type=cache,target=/root/.yarn yarn install\n",
        );
        assert_silent(
            &RULE,
            "FROM node:20\nENV YARN_CACHE_FOLDER=/yc\nRUN --mount=type=cache,target=/yc yarn install\n",
        );
        assert_silent(&RULE, "FROM node:20\nRUN yarn build && yarn run test\n");
        assert_silent(&RULE, "FROM node:20\nRUN yarn --version && yarn -v\n");
    }
}
