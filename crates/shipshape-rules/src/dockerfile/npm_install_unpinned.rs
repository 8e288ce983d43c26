use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags the packages of an `npm install` (`npm i`, `npm add`) given
    /// without a version (`express` instead of `express@4.19.2`), and each
    /// one asking for `@latest`.
    ///
    /// A bare `npm install` or `npm ci`, which installs what
    /// `package.json` and the lock file say, is fine. So are local folders
    /// (`./pkg`), tarballs (`.tgz`, `.tar.gz`) and git URLs pinned to a
    /// ref (`git+https://host/repo.git#v1.2.0`); scoped packages need a
    /// version after the scope (`@types/node@20.14.2`). Arguments only
    /// known at build time (`$PACKAGES`) are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, npm installs the newest release on the day of the
    /// build. Two builds of the same Dockerfile then ship different code, a
    /// new release can break the image without any change to the
    /// Dockerfile, and a hijacked release is picked up automatically.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20.15-slim
    /// RUN npm install -g pm2
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:20.15-slim
    /// RUN npm install -g pm2@5.4.1
    /// ```
    ///
    /// ## References
    /// - hadolint DL3016
    id: "DF061",
    name: "npm-install-unpinned",
    title: "npm install without package versions",
    severity: Low,
    aliases: ["DL3016"],
    check: check,
}

const INSTALLS: &[&str] = &[
    "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall",
    "add",
];

const VALUE_FLAGS: &[&str] = &[
    "--prefix",
    "--registry",
    "--tag",
    "-w",
    "--workspace",
    "--omit",
    "--include",
    "--install-strategy",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--loglevel",
    "--before",
    "--location",
    "--save-prefix",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let mut found = Vec::new();
        for cmd in script.find("npm") {
            if !cmd
                .subcommand(VALUE_FLAGS)
                .is_some_and(|s| INSTALLS.contains(&s))
            {
                continue;
            }
            for arg in cmd.operands(VALUE_FLAGS) {
                let spec = arg.value.as_str();
                let message = match version(spec) {
                    Version::Pinned => continue,
                    Version::Missing => format!("`{spec}` is not pinned: use `{spec}@<version>`"),
                    Version::Latest(name) => format!(
                        "`{spec}` installs whatever is newest on the day of the build: use `{name}@<version>`"
                    ),
                    Version::GitWithoutRef => format!(
                        "`{spec}` follows the default branch: pin a commit or tag with `#<ref>`"
                    ),
                };
                found.push(Unpinned {
                    span: arg.span,
                    name: spec.to_string(),
                    message,
                });
            }
        }
        super::unpinned::report_unpinned(
            cx,
            found,
            "pin each as `name@<version>` (a git URL with `#<ref>`)",
        );
    }
}

enum Version<'a> {
    Pinned,
    Missing,
    Latest(&'a str),
    GitWithoutRef,
}

const GIT: &[&str] = &[
    "git://",
    "git+ssh://",
    "git+http://",
    "git+https://",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
];
const TARBALLS: &[&str] = &[".tgz", ".tar.gz", ".tar"];
const PATHS: &[&str] = &["/", "./", "../", "~/", "file:"];

fn version(spec: &str) -> Version<'_> {
    if pkg::is_dynamic(spec) || spec == "." || spec == ".." {
        return Version::Pinned;
    }
    if GIT.iter().any(|p| spec.starts_with(p)) {
        return if spec.contains('#') {
            Version::Pinned
        } else {
            Version::GitWithoutRef
        };
    }
    if TARBALLS.iter().any(|t| spec.ends_with(t))
        || PATHS.iter().any(|p| spec.starts_with(p))
        || spec.contains("://")
    {
        return Version::Pinned;
    }
    // `@scope/name@version`: the version follows the second `@`.
    let unscoped = match spec.strip_prefix('@') {
        Some(rest) => rest.split_once('/').map_or(rest, |(_, name)| name),
        None => spec,
    };
    if !spec.starts_with('@') && unscoped.contains('/') && !unscoped.contains('@') {
        // `user/repo`: GitHub shorthand.
        return if spec.contains('#') {
            Version::Pinned
        } else {
            Version::GitWithoutRef
        };
    }
    match unscoped.split_once('@') {
        None => Version::Missing,
        Some((_, "" | "latest")) => {
            let at = spec.len() - unscoped.len() + unscoped.find('@').unwrap_or(unscoped.len());
            Version::Latest(spec.get(..at).unwrap_or(spec))
        }
        Some(_) => Version::Pinned,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_package() {
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN npm install express lodash@4.17.21\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN npm i -g \\\n  pm2 \\\n  @types/node\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(&RULE, "FROM node:20\nRUN npm install -g npm@latest\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM node:20\nRUN npm add @scope/pkg@\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN npm install git+https://github.com/o/r.git\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM node:20\nRUN npm install expressjs/express\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM node:20\nRUN npm --prefix /app install express\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM node:20\nONBUILD RUN npm install express\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_lockfiles_and_local_sources() {
        for ok in [
            "",
            "--production",
            "express@4.19.2",
            "express@^4.19",
            "@types/node@20.14.2",
            "pm2@next",
            "./local-pkg",
            "../x",
            "/tmp/pkg",
            "pkg-1.0.0.tgz",
            "https://example.com/pkg.tgz",
            "git+https://github.com/o/r.git#v1.2.0",
            "github:o/r#abc123",
            "o/r#semver:^1.0",
            "$PACKAGES",
            "--registry https://npm.example express@4.19.2",
        ] {
            assert_silent(&RULE, &format!("FROM node:20\nRUN npm install {ok}\n"));
        }
        assert_silent(
            &RULE,
            "FROM node:20\nRUN npm ci && npm run build && npm uninstall express\n",
        );
    }
}
