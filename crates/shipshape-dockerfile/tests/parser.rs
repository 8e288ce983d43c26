//! Parser tests: every construct of BuildKit's grammar, and the errors.

use shipshape_dockerfile::parse;
use shipshape_dockerfile::syntax::ast::*;

fn parse_ok(src: &str) -> Dockerfile {
    parse(src).unwrap_or_else(|e| panic!("should parse: {e}\n{src}"))
}

fn text(file: &Dockerfile, span: shipshape_dockerfile::source::Span) -> &str {
    &file.source[span.start..span.end]
}

fn shell(inst: &Instruction) -> &ShellText {
    match &inst.args {
        Args::Run(Command::Shell(s))
        | Args::Cmd(Command::Shell(s))
        | Args::Entrypoint(Command::Shell(s)) => s,
        other => panic!("not a shell-form command: {other:?}"),
    }
}

#[test]
fn directives_are_read_only_at_the_top() {
    let f = parse_ok("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n");
    assert_eq!(f.escape, '`');
    assert_eq!(f.directives.len(), 2);
    assert_eq!(f.directives[0].name, "syntax");
    assert_eq!(f.directives[0].value, "docker/dockerfile:1");

    // after a comment, `# escape=` is only a comment
    let f = parse_ok("# hello\n# escape=`\nFROM a\n");
    assert_eq!(f.escape, '\\');
    assert!(f.directives.is_empty());

    // case-insensitive, whitespace allowed; unknown directives are skipped
    let f = parse_ok("#  ESCAPE = `\n# foo=bar\n# check=skip=all\nFROM a\n");
    assert_eq!(f.escape, '`');
    assert_eq!(
        f.directives
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>(),
        vec!["escape", "check"]
    );
}

#[test]
fn directive_errors() {
    let e = parse("# escape=x\nFROM a\n").expect_err("bad escape");
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("escape"), "{}", e.message);
    let e = parse("# escape=\\\n# escape=`\nFROM a\n").expect_err("twice");
    assert_eq!(e.line, 2);
}

#[test]
fn continuations_with_either_escape_and_comments_inside() {
    let src = "FROM a\nRUN apt-get update \\\n  # a comment inside\n\n    && apt-get install -y curl \\  \n    git\n";
    let f = parse_ok(src);
    let run = &f.instructions[1];
    assert_eq!(
        shell(run).script,
        "apt-get update     && apt-get install -y curl     git"
    );
    assert_eq!(run.line, 1);
    assert_eq!(f.lines.position(&f.source, run.span.end).line, 6);
    assert_eq!(f.comments.len(), 1);
    assert_eq!(f.comments[0].text, "a comment inside");

    let src = "# escape=`\nFROM a\nRUN echo a `\n  b\nWORKDIR C:\\dir\n";
    let f = parse_ok(src);
    assert_eq!(shell(&f.instructions[1]).script, "echo a   b");
    match &f.instructions[2].args {
        Args::Workdir(w) => assert_eq!(w.value, "C:\\dir"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn spans_map_back_across_continuations() {
    let src = "FROM a\nRUN echo one \\\n    && curl x\n";
    let f = parse_ok(src);
    let run = &f.instructions[1];
    let s = shell(run);
    let at = s.script.find("curl").expect("curl");
    let span = s.map.span(at, at + 4);
    assert_eq!(text(&f, span), "curl");
    assert_eq!(f.lines.position(&f.source, span.start).line, 3);
}

#[test]
fn exec_and_shell_forms() {
    let f = parse_ok(
        "FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT /bin/run --x\nRUN [ \"broken\"\n",
    );
    match &f.instructions[1].args {
        Args::Cmd(Command::Exec { args, .. }) => {
            let v: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
            assert_eq!(v, vec!["nginx", "-g", "daemon off;"]);
            assert_eq!(text(&f, args[2].span), "\"daemon off;\"");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(shell(&f.instructions[2]).script, "/bin/run --x");
    // not valid JSON: the shell form, as BuildKit does
    assert_eq!(shell(&f.instructions[3]).script, "[ \"broken\"");
}

#[test]
fn heredocs() {
    let src = "FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\nRUN cat <<-'A' > /x <<B\n\tone $HOME\n\tA\ntwo\nB\nCOPY <<EOF /etc/conf\nkey=value\nEOF\nRUN echo done\n";
    let f = parse_ok(src);
    let run = &f.instructions[1];
    assert_eq!(run.heredocs.len(), 1);
    assert_eq!(
        run.heredocs[0].content,
        "apt-get update\napt-get install -y x\n"
    );
    assert_eq!(shell(run).script, "apt-get update\napt-get install -y x\n");
    let s = shell(run);
    let at = s.script.find("install").expect("install");
    assert_eq!(text(&f, s.map.span(at, at + 7)), "install");

    let two = &f.instructions[2];
    assert_eq!(two.heredocs.len(), 2);
    assert!(two.heredocs[0].chomp && two.heredocs[0].quoted);
    assert_eq!(two.heredocs[0].content, "one $HOME\n");
    assert!(!two.heredocs[1].chomp && !two.heredocs[1].quoted);
    assert_eq!(two.heredocs[1].content, "two\n");

    match &f.instructions[3].args {
        Args::Copy(c) => {
            assert_eq!(c.sources[0].value, "<<EOF");
            assert_eq!(c.dest.value, "/etc/conf");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(f.instructions[3].heredocs[0].content, "key=value\n");
    assert_eq!(f.instructions.len(), 5);
    // `cat<<EOF` is not a heredoc marker for BuildKit
    let f = parse_ok("FROM a\nRUN cat<<EOF\nRUN x\n");
    assert_eq!(f.instructions.len(), 3);
}

#[test]
fn unterminated_heredoc_is_an_error_at_its_marker() {
    let e = parse("FROM a\nRUN python3 <<PY\nprint(1)\n").expect_err("error");
    assert_eq!((e.line, e.column), (2, 13));
    assert!(e.message.contains("unterminated heredoc"), "{}", e.message);
}

#[test]
fn stages_flags_and_onbuild() {
    let src = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none go build\nFROM scratch\nCOPY --from=build --chown=10:10 --chmod=0755 --link /out /app\nONBUILD RUN make\nADD --checksum=sha256:abc https://x/y.tgz /y\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\nRUN --security=insecure true\n";
    let f = parse_ok(src);
    match &f.instructions[0].args {
        Args::From { image, alias } => {
            assert_eq!(image.value, "golang:1.22");
            assert_eq!(alias.as_ref().map(|a| a.value.as_str()), Some("build"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.instructions[0]
            .flag("platform")
            .and_then(|f| f.value.as_deref()),
        Some("$BUILDPLATFORM")
    );
    let run = &f.instructions[1];
    assert_eq!(
        run.flag("mount").and_then(|f| f.value.as_deref()),
        Some("type=cache,target=/root/.cache")
    );
    assert_eq!(text(&f, run.flags[1].span), "--network=none");
    assert_eq!(shell(run).script, "go build");
    let copy = &f.instructions[3];
    assert_eq!(
        copy.flags
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        vec!["from", "chown", "chmod", "link"]
    );
    assert_eq!(copy.flag("link").map(|f| f.value.clone()), Some(None));
    match &f.instructions[4].args {
        Args::Onbuild(inner) => {
            assert_eq!(inner.keyword, Keyword::Run);
            assert_eq!(text(&f, inner.keyword_span), "RUN");
        }
        other => panic!("{other:?}"),
    }
    match &f.instructions[6].args {
        Args::Healthcheck(Some(Command::Shell(s))) => {
            assert_eq!(s.script, "curl -f http://localhost/")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.instructions[7]
            .flag("security")
            .and_then(|f| f.value.as_deref()),
        Some("insecure")
    );
}

#[test]
fn env_label_arg_forms() {
    let src = "FROM a\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY value with spaces\nLABEL \"com.example.x\"=\"y\" v=1\nARG X Y=2\n";
    let f = parse_ok(src);
    match &f.instructions[1].args {
        Args::Env(kvs) => {
            let v: Vec<(&str, &str)> = kvs
                .iter()
                .map(|kv| (kv.key.value.as_str(), kv.value.value.as_str()))
                .collect();
            assert_eq!(
                v,
                vec![("A", "1"), ("B", "two words"), ("C", "three words")]
            );
        }
        other => panic!("{other:?}"),
    }
    match &f.instructions[2].args {
        Args::Env(kvs) => assert_eq!(
            (kvs[0].key.value.as_str(), kvs[0].value.value.as_str()),
            ("LEGACY", "value with spaces")
        ),
        other => panic!("{other:?}"),
    }
    match &f.instructions[3].args {
        Args::Label(kvs) => assert_eq!(kvs[0].key.value, "com.example.x"),
        other => panic!("{other:?}"),
    }
    match &f.instructions[4].args {
        Args::Arg(d) => {
            assert_eq!(d[0].name.value, "X");
            assert!(d[0].default.is_none());
            assert_eq!(d[1].default.as_ref().map(|w| w.value.as_str()), Some("2"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn variable_scoping() {
    use shipshape_dockerfile::Model;
    let src = "ARG VERSION=1.0\nARG BASE=debian\nFROM ${BASE}:${VERSION:-x} AS one\nARG VERSION\nENV PREFIX=/opt/${VERSION}\nWORKDIR $PREFIX\nFROM one AS two\nWORKDIR $PREFIX/sub\nWORKDIR ${VERSION:-none}\n";
    let f = parse_ok(src);
    let m = Model::new(&f);
    assert_eq!(m.stages[0].base.value, "debian:1.0");
    let s0 = &m.stages[0];
    let w = s0
        .insts
        .iter()
        .find(|i| i.body.keyword == Keyword::Workdir)
        .expect("workdir");
    if let Args::Workdir(word) = &w.body.args {
        assert_eq!(s0.expand(w, word).value, "/opt/1.0");
    }
    let s1 = &m.stages[1];
    assert_eq!(s1.parent, Some(0));
    let vals: Vec<String> = s1
        .insts
        .iter()
        .filter_map(|i| match &i.body.args {
            Args::Workdir(word) => Some(s1.expand(i, word).value),
            _ => None,
        })
        .collect();
    // ENV is inherited from the parent stage, ARG is not
    assert_eq!(vals, vec!["/opt/1.0/sub".to_string(), "none".to_string()]);
}

#[test]
fn malformed_input_gives_positions() {
    let cases = [
        ("FROM a\nFOO bar\n", 2, 1, "unknown instruction"),
        ("FROM a\nCOPY --frm=x a b\n", 2, 6, "unknown flag"),
        ("FROM a b\n", 1, 6, "FROM requires"),
        ("FROM a\nCOPY onlyone\n", 2, 6, "at least two"),
        ("FROM a\nENV A=1 B\n", 2, 9, "needs an `=`"),
        ("FROM a\nENV ONLYKEY\n", 2, 5, "needs a value"),
        ("FROM a\nSHELL /bin/bash -c\n", 2, 7, "JSON form"),
        ("FROM a\nHEALTHCHECK FOO x\n", 2, 13, "HEALTHCHECK type"),
        ("FROM a\nHEALTHCHECK NONE x\n", 2, 13, "no arguments"),
        ("FROM a\nWORKDIR\n", 2, 1, "requires at least one argument"),
    ];
    for (src, line, col, msg) in cases {
        let e = parse(src)
            .err()
            .unwrap_or_else(|| panic!("should fail: {src}"));
        assert_eq!((e.line, e.column), (line, col), "{src}: {e}");
        assert!(e.message.contains(msg), "{src}: {}", e.message);
    }
}

#[test]
fn odd_but_valid_input() {
    for src in [
        "",
        "\u{feff}FROM a\n",
        "FROM a\r\nRUN x \\\r\n  y\r\n",
        "from a\nrun echo hi\n",
        "   \n\t# only comments\n",
        "FROM a\nRUN x \\",
        "FROM a\nCMD\n",
    ] {
        parse_ok(src);
    }
    let f = parse_ok("FROM a\r\nRUN x \\\r\n  y\r\n");
    assert_eq!(shell(&f.instructions[1]).script, "x   y");
}

#[test]
fn every_bundled_dockerfile_parses() {
    let Some(dir) = shared_data("dockerfiles") else {
        return;
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    assert!(
        files.len() > 500,
        "expected the full corpus, found {}",
        files.len()
    );
    let mut failed = Vec::new();
    for path in &files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        // `*.template` files are generator input, some with placeholder
        // lines BuildKit rejects too; they must fail cleanly, not panic.
        let template = path.extension().is_some_and(|e| e == "template");
        match parse(&src) {
            Err(e) if !template => failed.push(format!("{}: {e}", path.display())),
            Err(e) => assert!(e.line > 0 && e.column > 0),
            Ok(_) => {}
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} failed:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.ends_with(".md"))
        {
            out.push(path);
        }
    }
}

/// `../shared/data/<sub>` when present. Skips with a message otherwise, and
/// fails under `SHIPSHAPE_REQUIRE_SHARED=1`.
fn shared_data(sub: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "SHIPSHAPE_REQUIRE_SHARED=1 but {} is missing",
            dir.display()
        );
    }
    eprintln!(
        "skipping: {} not found (shared test data is not in this checkout)",
        dir.display()
    );
    None
}
