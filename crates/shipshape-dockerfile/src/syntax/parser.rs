//! The Dockerfile parser, following BuildKit's grammar
//! (`moby/buildkit/frontend/dockerfile/parser`): parser directives, line
//! continuations with the file's escape character, comment and empty lines
//! inside continuations, heredocs on RUN/COPY/ADD, exec (JSON) and shell
//! forms, and instruction flags.

use std::fmt;

use super::ast::*;
use super::words::{split_words, unquote};
use crate::source::{LineIndex, SourceMap, Span};

/// A Dockerfile that could not be parsed: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses a Dockerfile. Never panics; malformed input gives a [`ParseError`].
pub fn parse(source: &str) -> Result<Dockerfile, ParseError> {
    let lines = LineIndex::new(source);
    let mut parser = Parser {
        src: source,
        index: &lines,
        physical: physical_lines(source),
        escape: '\\',
        comments: Vec::new(),
    };
    let (directives, first) = parser.directives()?;
    let instructions = parser.instructions(first)?;
    let escape = parser.escape;
    Ok(Dockerfile {
        source: source.to_string(),
        escape,
        directives,
        instructions,
        comments: parser.comments,
        lines,
    })
}

/// Byte ranges of each line without its line terminator (`\n` or `\r\n`).
fn physical_lines(src: &str) -> Vec<(usize, usize)> {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = Vec::new();
    let mut start = bom;
    for (i, _) in src.match_indices('\n') {
        let end = if i > start && src.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push((start, end));
        start = i + 1;
    }
    if start < src.len() {
        let end = if src.ends_with('\r') {
            src.len() - 1
        } else {
            src.len()
        };
        out.push((start, end.max(start)));
    }
    out
}

struct Parser<'a> {
    src: &'a str,
    index: &'a LineIndex,
    physical: Vec<(usize, usize)>,
    escape: char,
    comments: Vec<Comment>,
}

fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

impl<'a> Parser<'a> {
    fn line(&self, i: usize) -> (usize, &'a str) {
        let (s, e) = self.physical[i];
        (s, &self.src[s..e])
    }

    fn error(&self, message: impl Into<String>, span: Span) -> ParseError {
        let pos = self.index.position(self.src, span.start);
        ParseError {
            message: message.into(),
            span,
            line: pos.line,
            column: pos.column,
        }
    }

    /// Reads parser directives from the top; returns them and the index of
    /// the first line that is not one.
    fn directives(&mut self) -> Result<(Vec<Directive>, usize), ParseError> {
        let mut out: Vec<Directive> = Vec::new();
        let mut i = 0;
        while i < self.physical.len() {
            let (start, text) = self.line(i);
            let lead = text.len() - text.trim_start_matches(is_ws).len();
            let Some((name, value)) = directive(&text[lead..]) else {
                break;
            };
            let span = Span::new(start + lead, start + text.len());
            let name = name.to_ascii_lowercase();
            if matches!(name.as_str(), "syntax" | "escape" | "check") {
                if out.iter().any(|d| d.name == name) {
                    return Err(self.error(
                        format!("only one `{name}` parser directive can be used"),
                        span,
                    ));
                }
                if name == "escape" {
                    self.escape = match value {
                        "\\" => '\\',
                        "`" => '`',
                        other => {
                            return Err(self.error(
                                format!(
                                    "invalid escape character `{other}`: it must be `\\` or `` ` ``"
                                ),
                                span,
                            ));
                        }
                    };
                }
                out.push(Directive {
                    name,
                    value: value.to_string(),
                    span,
                });
            }
            i += 1;
        }
        Ok((out, i))
    }

    fn instructions(&mut self, first: usize) -> Result<Vec<Instruction>, ParseError> {
        let mut out = Vec::new();
        let mut i = first;
        while i < self.physical.len() {
            let (start, text) = self.line(i);
            let trimmed = text.trim_start_matches(is_ws);
            let lead = text.len() - trimmed.len();
            if trimmed.is_empty() {
                i += 1;
                continue;
            }
            if trimmed.starts_with('#') {
                self.comment(i, start + lead, trimmed);
                i += 1;
                continue;
            }
            let first_line = i;
            let (logical, map, last) = self.logical_line(i, start + lead, trimmed);
            i = last + 1;
            let mut inst = self.instruction(&logical, &map, first_line)?;
            let mut end = self.physical[last].1;
            if matches!(inst.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
                && logical.contains("<<")
            {
                let markers = heredoc_markers(&inst.text, &inst.text_map);
                for marker in markers {
                    let (doc, terminator) = self.heredoc_body(marker, i)?;
                    end = self.physical[terminator].1;
                    i = terminator + 1;
                    inst.heredocs.push(doc);
                }
                if !inst.heredocs.is_empty() {
                    attach_heredocs(&mut inst);
                }
            }
            inst.span = Span::new(inst.keyword_span.start, end);
            out.push(inst);
        }
        Ok(out)
    }

    fn comment(&mut self, line: usize, at: usize, trimmed: &str) {
        self.comments.push(Comment {
            text: trimmed[1..].trim().to_string(),
            line,
            span: Span::new(at, at + trimmed.len()),
        });
    }

    /// Joins continuation lines. Returns the text, its map and the index of
    /// the last physical line used.
    fn logical_line(&mut self, i: usize, at: usize, first: &str) -> (String, SourceMap, usize) {
        let mut text = String::new();
        let mut map = SourceMap::default();
        let (part, mut cont) = self.strip_continuation(first);
        map.push(0, at, part.len());
        text.push_str(part);
        let mut last = i;
        while cont && last + 1 < self.physical.len() {
            last += 1;
            let (start, raw) = self.line(last);
            let trimmed = raw.trim_start_matches(is_ws);
            if trimmed.starts_with('#') {
                self.comment(last, start + raw.len() - trimmed.len(), trimmed);
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            let (part, more) = self.strip_continuation(raw);
            map.push(text.len(), start, part.len());
            text.push_str(part);
            cont = more;
        }
        (text, map, last)
    }

    /// `line` without a trailing escape character (and whitespace after it),
    /// and whether it had one.
    fn strip_continuation<'l>(&self, line: &'l str) -> (&'l str, bool) {
        let body = line.trim_end_matches([' ', '\t']);
        match body.strip_suffix(self.escape) {
            Some(rest) => (rest, true),
            None => (line, false),
        }
    }

    fn instruction(
        &self,
        logical: &str,
        map: &SourceMap,
        line: usize,
    ) -> Result<Instruction, ParseError> {
        let kw_end = logical.find(is_ws).unwrap_or(logical.len());
        let kw_text = &logical[..kw_end];
        let keyword_span = map.span(0, kw_end);
        let keyword = Keyword::parse(kw_text)
            .ok_or_else(|| self.error(format!("unknown instruction `{kw_text}`"), keyword_span))?;
        let rest_start = kw_end + (logical[kw_end..].len() - logical[kw_end..].trim_start().len());
        let (flags, args_start) = self.flags(keyword, logical, rest_start, map)?;
        let text = logical[args_start..].trim_end();
        let text_map = map.shifted(args_start);
        let args = self.args(keyword, keyword_span, text, &text_map, line)?;
        Ok(Instruction {
            keyword,
            keyword_span,
            flags,
            args,
            text: text.to_string(),
            text_map,
            heredocs: Vec::new(),
            span: map.span(0, logical.len()),
            line,
        })
    }

    /// Extracts `--flag[=value]` words (BuildKit's `extractBuilderFlags`).
    fn flags(
        &self,
        keyword: Keyword,
        text: &str,
        mut pos: usize,
        map: &SourceMap,
    ) -> Result<(Vec<Flag>, usize), ParseError> {
        let mut flags = Vec::new();
        let bytes = text.as_bytes();
        loop {
            while pos < text.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            if !text[pos..].starts_with("--") {
                return Ok((flags, pos));
            }
            let start = pos;
            let mut word = String::new();
            let mut quote: Option<char> = None;
            let mut chars = text[pos..].char_indices().peekable();
            let mut end = text.len();
            while let Some((off, ch)) = chars.next() {
                match quote {
                    Some(q) if ch == q => quote = None,
                    None if ch.is_whitespace() => {
                        end = pos + off;
                        break;
                    }
                    None if ch == '\'' || ch == '"' => quote = Some(ch),
                    _ if ch == '\\' => {
                        if let Some((_, next)) = chars.next() {
                            word.push(next);
                        }
                    }
                    _ => word.push(ch),
                }
            }
            pos = end;
            if word == "--" {
                return Ok((flags, pos));
            }
            let span = map.span(start, end);
            let body = &word[2..];
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            if !keyword.allowed_flags().contains(&name.as_str()) {
                let allowed = keyword.allowed_flags();
                let hint = if allowed.is_empty() {
                    format!("{} takes no flags", keyword.as_str())
                } else {
                    format!(
                        "{} accepts {}",
                        keyword.as_str(),
                        allowed
                            .iter()
                            .map(|f| format!("--{f}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(self.error(format!("unknown flag `--{name}` ({hint})"), span));
            }
            flags.push(Flag { name, value, span });
        }
    }

    fn word(&self, text: &str, map: &SourceMap, (s, e): (usize, usize)) -> Word {
        Word {
            raw: text[s..e].to_string(),
            value: unquote(&text[s..e], self.escape),
            span: map.span(s, e),
        }
    }

    fn words(&self, text: &str, map: &SourceMap) -> Vec<Word> {
        split_words(text, self.escape)
            .into_iter()
            .map(|r| self.word(text, map, r))
            .collect()
    }

    /// The whole argument text as one word (USER, WORKDIR, ...).
    fn whole(&self, text: &str, map: &SourceMap) -> Word {
        self.word(text, map, (0, text.len()))
    }

    fn args(
        &self,
        kw: Keyword,
        keyword_span: Span,
        text: &str,
        map: &SourceMap,
        line: usize,
    ) -> Result<Args, ParseError> {
        let name = kw.as_str();
        if text.is_empty() && !matches!(kw, Keyword::Cmd | Keyword::Entrypoint) {
            return Err(self.error(
                format!("{name} requires at least one argument"),
                keyword_span,
            ));
        }
        let span = map.span(0, text.len());
        Ok(match kw {
            Keyword::From => {
                let mut words = self.words(text, map).into_iter();
                match (words.next(), words.next(), words.next(), words.next()) {
                    (Some(image), None, None, None) => Args::From { image, alias: None },
                    (Some(image), Some(as_kw), Some(alias), None)
                        if as_kw.raw.eq_ignore_ascii_case("as") =>
                    {
                        Args::From {
                            image,
                            alias: Some(alias),
                        }
                    }
                    _ => {
                        return Err(self.error(
                            "FROM requires either one argument (`FROM image`) or three (`FROM image AS name`)",
                            span,
                        ));
                    }
                }
            }
            Keyword::Run => Args::Run(self.command(text, map)),
            Keyword::Cmd => Args::Cmd(self.command(text, map)),
            Keyword::Entrypoint => Args::Entrypoint(self.command(text, map)),
            Keyword::Shell => match json_array(text, map) {
                Some(words) if !words.is_empty() => Args::Shell(words),
                _ => {
                    return Err(self.error(
                        "SHELL requires its arguments in JSON form, e.g. `SHELL [\"/bin/bash\", \"-c\"]`",
                        span,
                    ));
                }
            },
            Keyword::Copy | Keyword::Add => {
                let (mut words, exec_form) = match json_array(text, map) {
                    Some(words) => (words, true),
                    None => (self.words(text, map), false),
                };
                if words.len() < 2 {
                    return Err(self.error(
                        format!("{name} requires at least two arguments: one or more sources and a destination"),
                        span,
                    ));
                }
                let dest = words
                    .pop()
                    .ok_or_else(|| self.error("missing destination", span))?;
                let copy = CopyArgs {
                    sources: words,
                    dest,
                    exec_form,
                };
                if kw == Keyword::Copy {
                    Args::Copy(copy)
                } else {
                    Args::Add(copy)
                }
            }
            Keyword::Env => Args::Env(self.key_values(name, text, map)?),
            Keyword::Label => Args::Label(self.key_values(name, text, map)?),
            Keyword::Arg => {
                let mut decls = Vec::new();
                for (s, e) in split_words(text, self.escape) {
                    let raw = &text[s..e];
                    let decl = match raw.find('=') {
                        Some(eq) => ArgDecl {
                            name: self.word(text, map, (s, s + eq)),
                            default: Some(self.word(text, map, (s + eq + 1, e))),
                            span: map.span(s, e),
                        },
                        None => ArgDecl {
                            name: self.word(text, map, (s, e)),
                            default: None,
                            span: map.span(s, e),
                        },
                    };
                    if decl.name.value.is_empty() {
                        return Err(self.error("ARG names can not be blank", decl.span));
                    }
                    decls.push(decl);
                }
                Args::Arg(decls)
            }
            Keyword::Expose => Args::Expose(self.words(text, map)),
            Keyword::Volume => Args::Volume(match json_array(text, map) {
                Some(words) => words,
                None => self.words(text, map),
            }),
            Keyword::User => Args::User(self.whole(text, map)),
            Keyword::Workdir => Args::Workdir(self.whole(text, map)),
            Keyword::Stopsignal => Args::Stopsignal(self.whole(text, map)),
            Keyword::Maintainer => Args::Maintainer(self.whole(text, map)),
            Keyword::Healthcheck => {
                let ty_end = text.find(is_ws).unwrap_or(text.len());
                let ty = &text[..ty_end];
                let rest_start =
                    ty_end + (text[ty_end..].len() - text[ty_end..].trim_start().len());
                let rest = &text[rest_start..];
                if ty.eq_ignore_ascii_case("none") {
                    if !rest.is_empty() {
                        return Err(self.error("HEALTHCHECK NONE takes no arguments", span));
                    }
                    Args::Healthcheck(None)
                } else if ty.eq_ignore_ascii_case("cmd") {
                    if rest.is_empty() {
                        return Err(self.error("HEALTHCHECK CMD requires a command", span));
                    }
                    Args::Healthcheck(Some(self.command(rest, &map.shifted(rest_start))))
                } else {
                    return Err(self.error(
                        format!("unknown HEALTHCHECK type `{ty}` (expected CMD or NONE)"),
                        map.span(0, ty_end),
                    ));
                }
            }
            Keyword::Onbuild => {
                // `ONBUILD ONBUILD X` is parsed (a rule reports it); deeper
                // chains are refused here rather than recursed into.
                let nested = leading_onbuilds(text);
                if nested > 1 {
                    return Err(self.error(
                        format!(
                            "ONBUILD is chained {} deep; BuildKit refuses even `ONBUILD ONBUILD`",
                            nested + 1
                        ),
                        keyword_span,
                    ));
                }
                let inner = self.instruction(text, map, line)?;
                Args::Onbuild(Box::new(inner))
            }
        })
    }

    fn command(&self, text: &str, map: &SourceMap) -> Command {
        if let Some(args) = json_array(text, map) {
            return Command::Exec {
                args,
                span: map.span(0, text.len()),
            };
        }
        Command::Shell(ShellText {
            script: text.to_string(),
            map: map.clone(),
            span: map.span(0, text.len()),
        })
    }

    /// ENV and LABEL: `k=v k2="v 2"` or the legacy single `k v`.
    fn key_values(
        &self,
        name: &str,
        text: &str,
        map: &SourceMap,
    ) -> Result<Vec<KeyValue>, ParseError> {
        let words = split_words(text, self.escape);
        let Some(&(s0, e0)) = words.first() else {
            return Err(self.error(
                format!("{name} requires at least one argument"),
                map.span(0, 0),
            ));
        };
        if !text[s0..e0].contains('=') {
            let rest = text[e0..].trim_start();
            if rest.is_empty() {
                return Err(self.error(
                    format!("{name} needs a value: `{name} key=value` (or the legacy `{name} key value`)"),
                    map.span(s0, e0),
                ));
            }
            let vs = text.len() - rest.len();
            return Ok(vec![KeyValue {
                key: self.word(text, map, (s0, e0)),
                value: self.word(text, map, (vs, text.len())),
                span: map.span(s0, text.len()),
            }]);
        }
        let mut out = Vec::new();
        for (s, e) in words {
            let raw = &text[s..e];
            let Some(eq) = raw.find('=') else {
                return Err(self.error(
                    format!(
                        "expected `name=value`, found `{raw}`: every {name} argument needs an `=`"
                    ),
                    map.span(s, e),
                ));
            };
            if eq == 0 {
                return Err(self.error(format!("{name} names can not be blank"), map.span(s, e)));
            }
            out.push(KeyValue {
                key: self.word(text, map, (s, s + eq)),
                value: self.word(text, map, (s + eq + 1, e)),
                span: map.span(s, e),
            });
        }
        Ok(out)
    }

    /// Reads a heredoc body from line `from` on. Returns it and the index of
    /// its terminator line.
    fn heredoc_body(&self, marker: Marker, from: usize) -> Result<(Heredoc, usize), ParseError> {
        let mut content = String::new();
        let mut body_map = SourceMap::default();
        let body_start = self.physical.get(from).map_or(self.src.len(), |l| l.0);
        for j in from..self.physical.len() {
            let (start, line) = self.line(j);
            let stripped = if marker.chomp {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if stripped == marker.name {
                let body_end = if j > from {
                    self.physical[j - 1].1
                } else {
                    body_start
                };
                let doc = Heredoc {
                    name: marker.name,
                    chomp: marker.chomp,
                    quoted: marker.quoted,
                    fd: marker.fd,
                    content,
                    marker_span: marker.span,
                    body_span: Span::new(body_start, body_end.max(body_start)),
                    body_map,
                };
                return Ok((doc, j));
            }
            body_map.push(
                content.len(),
                start + line.len() - stripped.len(),
                stripped.len() + 1,
            );
            content.push_str(stripped);
            content.push('\n');
        }
        Err(self.error(
            format!(
                "unterminated heredoc: no line `{}` closes `<<{}` before the end of the file",
                marker.name,
                if marker.chomp { "-" } else { "" }
            ),
            marker.span,
        ))
    }
}

/// Appends heredoc bodies to a shell-form RUN script, as the shell sees them.
/// `RUN <<EOF` alone runs the body as the script.
fn attach_heredocs(inst: &mut Instruction) {
    let Args::Run(Command::Shell(shell)) = &mut inst.args else {
        return;
    };
    let only_marker = inst.heredocs.len() == 1
        && split_words(&shell.script, '\\').len() == 1
        && shell.script.trim_start().starts_with("<<");
    if let (true, Some(doc)) = (only_marker, inst.heredocs.first()) {
        shell.script = doc.content.clone();
        shell.map = doc.body_map.clone();
        return;
    }
    for doc in &inst.heredocs {
        shell.script.push('\n');
        shell.map.append(shell.script.len(), &doc.body_map);
        shell.script.push_str(&doc.content);
        shell.script.push_str(&doc.name);
    }
}

struct Marker {
    name: String,
    chomp: bool,
    quoted: bool,
    fd: Option<u32>,
    span: Span,
}

/// Heredoc markers among the words of an instruction (`<<EOF`, `<<-EOF`,
/// `<<"EOF"`, `3<<EOF`), in order. Like BuildKit, a marker must be a word of
/// its own: `cat<<EOF` is not one.
fn heredoc_markers(text: &str, map: &SourceMap) -> Vec<Marker> {
    let mut out = Vec::new();
    for (s, e) in split_words(text, '\\') {
        let word = &text[s..e];
        let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let name = unquote(rest, '\\');
        if name.is_empty() {
            continue;
        }
        out.push(Marker {
            quoted: rest.contains(['"', '\'']),
            name,
            chomp,
            fd: word[..digits].parse().ok(),
            span: map.span(s, e),
        });
    }
    out
}

/// A JSON array of strings, with the span of each element; `None` when the
/// text is not one (BuildKit then falls back to the shell form).
fn json_array(text: &str, map: &SourceMap) -> Option<Vec<Word>> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return None;
    }
    let values: Vec<String> = serde_json::from_str(text).ok()?;
    let mut spans = Vec::with_capacity(values.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            spans.push((start, (i + 1).min(text.len())));
        }
        i += 1;
    }
    if spans.len() != values.len() {
        return None;
    }
    Some(
        values
            .into_iter()
            .zip(spans)
            .map(|(value, (s, e))| Word {
                raw: text[s..e].to_string(),
                value,
                span: map.span(s, e),
            })
            .collect(),
    )
}

/// `name=value` of a parser directive line, if it is one.
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let name_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let (name, after) = rest.split_at(name_len);
    let value = after.trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

/// How many `ONBUILD` keywords `text` starts with.
fn leading_onbuilds(text: &str) -> usize {
    text.split(is_ws)
        .filter(|w| !w.is_empty())
        .take_while(|w| w.eq_ignore_ascii_case("onbuild"))
        .count()
}
