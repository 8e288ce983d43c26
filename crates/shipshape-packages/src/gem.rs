//! Ruby gems: the installed specifications RubyGems writes for each gem,
//! `specifications/NAME-VERSION.gemspec` (and `specifications/default/`
//! for the gems that come with Ruby) under any gem directory:
//! `usr/lib/ruby/gems/3.1.0`, `var/lib/gems/3.1.0`, Bundler's
//! `usr/local/bundle`, Debian's `usr/share/rubygems-integration/all`.
//!
//! A gemspec is Ruby code and is never run: the name, version, licenses
//! and platform are read from the literal assignments RubyGems writes
//! (`s.name = "rack".freeze`, `s.version = "2.2.22"`,
//! `s.licenses = ["MIT".freeze]`). A gemspec whose name or version is
//! computed (`s.version = Rack::VERSION`) is reported as a problem, not
//! guessed.

use shipshape_core::files::{FileIndex, Kind};

use crate::{Found, Inventory, Package, purl};

/// Whether `path` is an installed gem specification.
pub fn wants(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let Some(file) = parts.next() else {
        return false;
    };
    if file.len() <= ".gemspec".len() || !file.ends_with(".gemspec") {
        return false;
    }
    match parts.next() {
        Some("specifications") => true,
        Some("default") => parts.next() == Some("specifications"),
        _ => false,
    }
}

/// What a gemspec says about its gem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub name: String,
    pub version: String,
    pub licenses: Vec<String>,
    /// `x86_64-linux`, `java`...; `None` for plain Ruby gems.
    pub platform: Option<String>,
}

/// One Ruby literal value: a string or an array of strings.
#[derive(Debug, PartialEq, Eq)]
enum Literal {
    Str(String),
    List(Vec<String>),
}

/// Reads a string literal at the start of `s` (`"..."`, `'...'`,
/// `%q{...}` and the other `%q`/`%Q` delimiters, each with an optional
/// `.freeze`), returning it and the rest of `s`. Interpolation (`#{`) is
/// code, not a literal.
fn string(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let (open, body) = if let Some(rest) = s.strip_prefix("%q").or_else(|| s.strip_prefix("%Q")) {
        let open = rest.chars().next()?;
        (open, rest.get(open.len_utf8()..)?)
    } else {
        let open = s.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        (open, s.get(1..)?)
    };
    let close = match open {
        '{' => '}',
        '(' => ')',
        '<' => '>',
        '[' => ']',
        c if c.is_ascii_punctuation() => c,
        _ => return None,
    };
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' if open == '"' => out.push('\n'),
                    't' if open == '"' => out.push('\t'),
                    c if c == close || c == '\\' || open == '"' => out.push(c),
                    c => {
                        out.push('\\');
                        out.push(c);
                    }
                }
            }
            '#' if open == '"' && body.get(i + 1..).is_some_and(|r| r.starts_with('{')) => {
                return None;
            }
            c if c == close && depth == 0 => {
                let rest = body.get(i + c.len_utf8()..)?;
                let rest = rest.strip_prefix(".freeze").unwrap_or(rest);
                return Some((out, rest));
            }
            c if c == close => {
                depth -= 1;
                out.push(c);
            }
            c if c == open && open != close => {
                depth += 1;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    None
}

/// Reads the literal right side of an assignment: a string,
/// `Gem::Version.new(string)`, or an array of strings, followed by nothing
/// but a comment on its line.
fn literal(s: &str) -> Option<Literal> {
    let s = s.trim_start_matches([' ', '\t']);
    let (value, rest) = if let Some(args) = s.strip_prefix("Gem::Version.new(") {
        let (v, rest) = string(args)?;
        (Literal::Str(v), rest.trim_start().strip_prefix(')')?)
    } else if let Some(mut items) = s.strip_prefix('[') {
        let mut list = Vec::new();
        loop {
            items = items.trim_start();
            if let Some(rest) = items.strip_prefix(']') {
                break (Literal::List(list), rest);
            }
            let (item, rest) = string(items)?;
            list.push(item);
            let rest = rest.trim_start();
            items = match rest.strip_prefix(',') {
                Some(after) => after,
                None if rest.starts_with(']') => rest,
                None => return None,
            };
        }
    } else {
        let (v, rest) = string(s)?;
        (Literal::Str(v), rest)
    };
    let line_rest = rest.split('\n').next().unwrap_or("").trim();
    (line_rest.is_empty() || line_rest.starts_with('#')).then_some(value)
}

/// The right side of the first `VAR.ATTR = ...` at the start of a line,
/// where `VAR` is any identifier (`s`, `spec`, `gem`).
fn assignment<'a>(text: &'a str, attr: &str) -> Option<&'a str> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let Some((var, rest)) = trimmed.split_once('.') else {
            continue;
        };
        if var.is_empty()
            || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            || var.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let Some(rest) = rest.strip_prefix(attr) else {
            continue;
        };
        let Some(rhs) = rest.trim_start_matches([' ', '\t']).strip_prefix('=') else {
            continue;
        };
        if rhs.starts_with(['=', '~']) {
            continue;
        }
        // `rhs` points into `line`; hand back the text from there on, so
        // an array may span lines.
        let skip = line.len() - rhs.len();
        return text.get(start + skip..);
    }
    None
}

/// Parses an installed gemspec; the error says what is missing.
pub fn parse(text: &str) -> Result<Spec, String> {
    let single = |attr: &str| -> Result<Option<String>, String> {
        match assignment(text, attr) {
            None => Ok(None),
            Some(rhs) => match literal(rhs) {
                Some(Literal::Str(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                _ => Err(format!(
                    "{attr} is computed (`{}`), not written in the file",
                    rhs.lines()
                        .next()
                        .unwrap_or("")
                        .trim()
                        .chars()
                        .take(80)
                        .collect::<String>()
                )),
            },
        }
    };
    let name = single("name")?.ok_or("no name")?;
    let version = single("version")?.ok_or("no version")?;
    let platform = single("platform").ok().flatten().filter(|p| p != "ruby");
    let licenses = ["licenses", "license"]
        .iter()
        .find_map(|attr| assignment(text, attr).and_then(literal))
        .map(|l| match l {
            Literal::Str(s) => vec![s],
            Literal::List(list) => list,
        })
        .unwrap_or_default()
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    Ok(Spec {
        name,
        version,
        licenses,
        platform,
    })
}

/// The gems whose specifications the reader kept.
pub fn catalog(files: &FileIndex, inventory: &mut Inventory) {
    for (path, entry) in files.iter() {
        if entry.kind != Kind::File || !wants(path) {
            continue;
        }
        let Some(content) = &entry.content else {
            inventory
                .problems
                .push(crate::not_read(path, entry, "gemspec"));
            continue;
        };
        let spec = match parse(&String::from_utf8_lossy(content)) {
            Ok(spec) => spec,
            Err(why) => {
                inventory.problems.push(format!(
                    "/{path}: not an installed gem specification: {why}"
                ));
                continue;
            }
        };
        inventory.packages.push(Package {
            purl: purl::build(
                "gem",
                None,
                &spec.name,
                &spec.version,
                &[("platform", spec.platform.as_deref())],
            ),
            name: spec.name,
            version: spec.version,
            ecosystem: "gem",
            arch: spec.platform,
            source_name: None,
            source_version: None,
            licenses: spec.licenses,
            found: Found {
                layer: Some(entry.layer),
                path: format!("/{path}"),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifications_are_wanted_and_nothing_else() {
        for path in [
            "usr/lib/ruby/gems/3.1.0/specifications/rexml-3.2.5.gemspec",
            "usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
            "usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec",
            "usr/local/bundle/specifications/nokogiri-1.16.0-x86_64-linux.gemspec",
            "app/vendor/bundle/ruby/3.3.0/specifications/rails-7.1.3.gemspec",
        ] {
            assert!(wants(path), "{path}");
        }
        for path in [
            "app/rack.gemspec",
            "usr/lib/ruby/gems/3.1.0/gems/rack-2.2.22/rack.gemspec",
            "usr/lib/ruby/gems/3.1.0/specifications/.gemspec",
            "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.22.gemspec.bak",
            "usr/lib/ruby/gems/3.1.0/cache/rack-2.2.22.gem",
            "usr/lib/ruby/gems/3.1.0/default/json-2.6.1.gemspec",
            "usr/lib/ruby/gems/3.1.0/specifications/x/default/json-2.6.1.gemspec",
        ] {
            assert!(!wants(path), "{path}");
        }
    }

    #[test]
    fn old_and_hand_written_forms() {
        // RubyGems 1.x wrote %q{} strings.
        let s = parse(
            "Gem::Specification.new do |s|\n  s.name = %q{rake}\n  s.version = \"0.8.7\"\n  s.license = %q<MIT>\nend\n",
        )
        .expect("test input");
        assert_eq!((s.name.as_str(), s.version.as_str()), ("rake", "0.8.7"));
        assert_eq!(s.licenses, ["MIT"]);
        let s = parse(
            "Gem::Specification.new do |spec|\n  spec.name    = 'x-y'\n  spec.version = Gem::Version.new(\"1.2.3\".freeze) # pinned\n  spec.licenses = [\"MIT\".freeze,\n    \"Ruby\".freeze]\n  spec.platform = Gem::Platform::RUBY\nend\n",
        )
        .expect("test input");
        assert_eq!(s.version, "1.2.3");
        assert_eq!(s.licenses, ["MIT", "Ruby"]);
        assert_eq!(s.platform, None);
    }

    #[test]
    fn computed_values_are_refused() {
        for text in [
            "s.name = \"rack\"\ns.version = Rack::VERSION\n",
            "s.name = \"rack\"\ns.version = \"2.\" + minor\n",
            "s.name = \"rack\"\ns.version = \"#{major}.0\"\n",
            "s.name = \"rack\"\ns.version = File.read(\"VERSION\").strip\n",
            "s.name = \"rack\"\ns.version = \"2.2\" if true\n",
            "s.name = NAME\ns.version = \"2.2\"\n",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
        assert_eq!(parse("s.version = \"1\"\n"), Err("no name".to_string()));
        assert_eq!(parse("s.name = \"x\"\n"), Err("no version".to_string()));
        assert_eq!(
            parse("s.name = \"x\"\ns.version = \"\"\n"),
            Err("no version".to_string())
        );
    }

    #[test]
    fn similar_looking_lines_are_not_the_fields() {
        let s = parse(
            "s.name_prefix = \"no\"\ns.name == \"no\"\ns.name = \"yes\".freeze\ns.versions = \"no\"\ns.version = \"1.0\"\ns.version = \"2.0\"\n",
        )
        .expect("test input");
        assert_eq!((s.name.as_str(), s.version.as_str()), ("yes", "1.0"));
    }

    #[test]
    fn string_literals() {
        assert_eq!(string("\"a\\\"b\".freeze,"), Some(("a\"b".into(), ",")));
        assert_eq!(string("'it\\'s'"), Some(("it's".into(), "")));
        assert_eq!(string("%q(a(b)c)"), Some(("a(b)c".into(), "")));
        assert_eq!(string("\"open"), None);
        assert_eq!(string("%q"), None);
        assert_eq!(string("x"), None);
    }
}
