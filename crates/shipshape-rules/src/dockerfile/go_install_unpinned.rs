use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Arg;

rule! {
    /// ## What it does
    /// Flags the remote module paths given to `go install`, `go get` or
    /// `go run` without a version (`golang.org/x/tools/cmd/goimports`), or
    /// with a version query that moves (`@latest`, `@upgrade`, `@patch`).
    ///
    /// Packages of the module being built (`./...`, `./cmd/app`, paths whose
    /// first element has no dot) and `.go` files take their dependencies'
    /// versions from `go.mod` and are fine. For `go run` only the package
    /// is checked, not the program's arguments. Arguments only known at
    /// build time (`$TOOL`) are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a fixed version, `go` fetches whatever the module's newest
    /// release or default branch is on the day of the build. Two builds of
    /// the same Dockerfile then ship different code, and a new or
    /// compromised release is picked up automatically.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN go install golang.org/x/tools/cmd/goimports@latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN go install golang.org/x/tools/cmd/goimports@v0.22.0
    /// ```
    ///
    /// ## References
    /// - hadolint DL3062
    id: "DF063",
    name: "go-install-unpinned",
    title: "go install without a module version",
    severity: Low,
    aliases: ["DL3062"],
    check: check,
}

const VALUE_FLAGS: &[&str] = &[
    "-o",
    "-p",
    "-C",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-tags",
    "-mod",
    "-modfile",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-overlay",
    "-pkgdir",
    "-pgo",
    "-exec",
    "-covermode",
    "-coverpkg",
];

const MOVING: &[&str] = &["latest", "upgrade", "patch"];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let mut found = Vec::new();
        for cmd in script.find("go") {
            let Some(sub) = cmd.subcommand(VALUE_FLAGS) else {
                continue;
            };
            let operands = cmd.operands(VALUE_FLAGS);
            let targets: Vec<&Arg> = match sub {
                "install" | "get" => operands,
                // `go run pkg args...`: the rest belongs to the program.
                "run" => operands.into_iter().take(1).collect(),
                _ => continue,
            };
            for arg in targets {
                let target = arg.value.as_str();
                if !is_remote(target) {
                    continue;
                }
                let message = match target.split_once('@') {
                    None => format!("`{target}` has no version: use `{target}@<version>`"),
                    Some((path, query)) if MOVING.contains(&query) => format!(
                        "`@{query}` resolves to whatever is newest on the day of the build: use `{path}@<version>`"
                    ),
                    Some(_) => continue,
                };
                found.push(Unpinned {
                    span: arg.span,
                    name: target.to_string(),
                    message,
                });
            }
        }
        super::unpinned::report_unpinned(cx, found, "pin each as `module@<version>`");
    }
}

/// Whether a package argument names a module to download: its first path
/// element is a domain (`github.com/...`), not a local path or a package of
/// the module being built.
fn is_remote(target: &str) -> bool {
    if pkg::is_dynamic(target) || target.starts_with(['.', '/', '-']) || target.ends_with(".go") {
        return false;
    }
    let path = target.split('@').next().unwrap_or_default();
    path.split('/')
        .next()
        .is_some_and(|first| first.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_unpinned_remote_modules() {
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/goimports@latest\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nRUN go get -u github.com/x/y@upgrade\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nRUN go run -mod=mod github.com/x/gen@latest ./api\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nRUN go install -ldflags '-s -w' \\\n  github.com/a/b@v1.0.0 \\\n  github.com/c/d\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM golang:1.22\nONBUILD RUN go install github.com/a/b@latest\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_and_local_packages() {
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/goimports@v0.22.0\n",
        );
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go get github.com/x/y@v1.2.3 github.com/x/z@a1b2c3d github.com/x/w@none\n",
        );
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go install ./... && go install ./cmd/app && go install example/app/cmd/x\n",
        );
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go run main.go && go run ./cmd/gen github.com/not/a/package\n",
        );
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go install -o /bin/x . && go get && go build ./...\n",
        );
        assert_silent(&RULE, "FROM golang:1.22\nRUN go install $TOOL\n");
        assert_silent(
            &RULE,
            "FROM golang:1.22\nRUN go mod download github.com/x/y\n",
        );
    }
}
