use super::Checker;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags `COPY` or `ADD` of the whole build context (`COPY . .`,
    /// `COPY ./ /app`, `ADD * /src/`) when the build context has no
    /// `.dockerignore`. It only runs when shipshape knows whether a
    /// `.dockerignore` exists (linting a Dockerfile in a directory); on
    /// text alone it stays silent. `COPY --from` copies from another stage,
    /// not from the context, and is skipped.
    ///
    /// ## Why is this bad?
    /// Without a `.dockerignore`, "everything" really means everything in
    /// the directory: the `.git` history, `.env` files, SSH and cloud keys,
    /// local databases, `node_modules` and build output. All of it lands in
    /// a layer of the image, where anyone who pulls the image can read it,
    /// and every change to any of those files invalidates the build cache.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci && npm run build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY src/ ./src/
    /// RUN npm run build
    /// ```
    ///
    /// Or keep `COPY . .` and add a `.dockerignore` next to the Dockerfile
    /// that excludes at least `.git`, `.env*`, key files and build output.
    ///
    /// ## References
    /// - Docker documentation, ".dockerignore files"
    /// - CIS Docker Benchmark 4.10 (no secrets in images)
    id: "DF032",
    name: "copy-context-without-dockerignore",
    title: "Whole build context copied without a .dockerignore",
    severity: Medium,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if cx.options.dockerignore != Some(false) {
        return;
    }
    for (_, inst) in cx.model.insts() {
        let body = inst.body;
        let copy = match &body.args {
            Args::Copy(copy) | Args::Add(copy) => copy,
            _ => continue,
        };
        if body.flag("from").is_some() {
            continue;
        }
        for source in &copy.sources {
            if is_whole_context(&source.value) {
                cx.report(
                    source.span,
                    format!(
                        "`{} {}` copies the whole build context and there is no `.dockerignore`; add one that excludes `.git`, `.env*` and keys, or copy only the files needed",
                        body.keyword.as_str(),
                        source.value
                    ),
                );
            }
        }
    }
}

/// Whether a source names the root of the build context or everything in it.
fn is_whole_context(path: &str) -> bool {
    let mut parts = path.split('/').filter(|p| !p.is_empty() && *p != ".");
    matches!((parts.next(), parts.next()), (None, _) | (Some("*"), None))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::lint::Options;
    use crate::dockerfile::test_support::*;

    fn lines_with(dockerignore: Option<bool>, src: &str) -> Vec<u32> {
        let options = Options {
            dockerignore,
            ..Options::default()
        };
        lines_given(&RULE, src, &options)
    }

    #[test]
    fn fires_without_dockerignore() {
        let src = "FROM a:1\nCOPY . .\nCOPY ./ /app\nADD * /src/\nCOPY [\".\", \"/x\"]\nCOPY --chown=1000 ./. /y\n";
        assert_eq!(lines_with(Some(false), src), vec![2, 3, 4, 5, 6]);
        assert_eq!(
            lines_with(Some(false), "FROM a:1\nONBUILD COPY . /app\n"),
            vec![2]
        );
        assert_eq!(
            lines_with(Some(false), "FROM a:1\nCOPY go.mod . /app/\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_dockerignore_unknown_or_narrow_copies() {
        let src = "FROM a:1\nCOPY . .\n";
        assert_eq!(lines_with(Some(true), src), Vec::<u32>::new());
        assert_silent(&RULE, src);
        let narrow = "FROM a:1 AS b\nFROM a:1\nCOPY src/ /app/src/\nCOPY *.json /app/\nCOPY --from=b . /app\nCOPY .env.example /app/\n";
        assert_eq!(lines_with(Some(false), narrow), Vec::<u32>::new());
    }
}
