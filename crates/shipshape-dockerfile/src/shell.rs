//! The shell model of RUN: which commands run, with which arguments, in
//! which pipeline.
//!
//! Scripts are parsed with [`brush_parser`], the parser of the brush shell:
//! a typed bash AST with source positions on its nodes, pure Rust, under a
//! permissive licence, and it handles heredocs (`cat <<A <<B`) that
//! tree-sitter-bash turns into error nodes. yash-syntax is POSIX-only and
//! GPL; conch-parser has no positions on its nodes and is unmaintained.
//!
//! Rules never see the AST. They ask the questions hadolint's `Shell.hs`
//! answers (`is`, `has_arg`, `has_flag`, `args_no_flags`, pipelines) on the
//! flat list of [`Cmd`]s built here.

use brush_parser::ast;

use crate::source::{SourceMap, Span};
use crate::syntax::ast::Word;

/// The commands of one script, in source order.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub commands: Vec<Cmd>,
    /// Set when the script could not be parsed as shell; `commands` is then
    /// empty or partial and rules see less than is there.
    pub error: Option<String>,
    /// Set when the script was not parsed because it is past a limit
    /// (nesting, size): why. Rules see none of its commands.
    pub skipped: Option<String>,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    /// The program as written, quotes removed (`/usr/bin/apt-get`).
    pub name: String,
    pub args: Vec<Arg>,
    /// Commands that ran this one, outermost first (`sudo`, `env`, `xargs`).
    pub wrappers: Vec<String>,
    /// `NAME=value` assignments before the command.
    pub assignments: Vec<(String, String)>,
    pub span: Span,
    /// Commands with the same `pipeline` are connected by `|`.
    pub pipeline: u32,
    /// Position in the pipeline, 0 for the first.
    pub pipe_index: u32,
}

/// An argument, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub value: String,
    pub span: Span,
}

impl Cmd {
    /// The program's file name: `apt-get` for `/usr/bin/apt-get`.
    pub fn program(&self) -> &str {
        // Asked by every rule of every command: bytes, not a char searcher.
        let start = self
            .name
            .bytes()
            .rposition(|b| b == b'/')
            .map_or(0, |i| i + 1);
        self.name.get(start..).unwrap_or(&self.name)
    }

    pub fn is(&self, program: &str) -> bool {
        self.program() == program
    }

    pub fn is_any(&self, programs: &[&str]) -> bool {
        programs.contains(&self.program())
    }

    pub fn has_arg(&self, value: &str) -> bool {
        self.args.iter().any(|a| a.value == value)
    }

    /// Whether a flag is given. `--name` matches `--name` and `--name=x`;
    /// `-x` also matches inside a cluster of short flags (`-qy`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.args
            .iter()
            .take_while(|a| a.value != "--")
            .any(|a| flag_matches(&a.value, flag))
    }

    pub fn has_any_flag(&self, flags: &[&str]) -> bool {
        flags.iter().any(|f| self.has_flag(f))
    }

    /// The value of `--name=value`, `--name value` or `-n value`.
    pub fn flag_value(&self, flag: &str) -> Option<&str> {
        let mut iter = self.args.iter();
        while let Some(arg) = iter.next() {
            if arg.value == flag {
                return iter.next().map(|a| a.value.as_str());
            }
            if let Some(v) = arg
                .value
                .strip_prefix(flag)
                .and_then(|r| r.strip_prefix('='))
            {
                return Some(v);
            }
        }
        None
    }

    /// Arguments that are not flags. `takes_value` lists flags whose value
    /// is the next argument (`-o Dpkg::Options=x`), which is dropped too.
    pub fn args_no_flags<'a>(&'a self, takes_value: &[&str]) -> Vec<&'a Arg> {
        let mut out = Vec::new();
        let mut iter = self.args.iter();
        let mut only_operands = false;
        while let Some(arg) = iter.next() {
            let v = arg.value.as_str();
            if only_operands {
                out.push(arg);
            } else if v == "--" {
                only_operands = true;
            } else if v.starts_with('-') && v.len() > 1 {
                if takes_value.contains(&v) {
                    iter.next();
                }
            } else {
                out.push(arg);
            }
        }
        out
    }

    /// The first argument that is not a flag: `install` in `apt-get -y install x`.
    pub fn subcommand(&self, takes_value: &[&str]) -> Option<&str> {
        self.args_no_flags(takes_value)
            .first()
            .map(|a| a.value.as_str())
    }

    /// Arguments after the subcommand that are not flags: the packages of
    /// `apt-get install -y curl git`.
    pub fn operands<'a>(&'a self, takes_value: &[&str]) -> Vec<&'a Arg> {
        self.args_no_flags(takes_value)
            .into_iter()
            .skip(1)
            .collect()
    }

    pub fn arg_span(&self, value: &str) -> Span {
        self.args
            .iter()
            .find(|a| a.value == value)
            .map_or(self.span, |a| a.span)
    }
}

fn flag_matches(arg: &str, flag: &str) -> bool {
    if let Some(long) = flag.strip_prefix("--") {
        return arg.strip_prefix("--").is_some_and(|a| {
            a == long || a.strip_prefix(long).is_some_and(|r| r.starts_with('='))
        });
    }
    match (flag.strip_prefix('-'), arg.strip_prefix('-')) {
        (Some(short), Some(cluster)) if short.len() == 1 && !cluster.starts_with('-') => {
            arg == flag
                || cluster
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .any(|c| short.starts_with(c))
        }
        _ => arg == flag,
    }
}

impl Script {
    pub fn iter(&self) -> impl Iterator<Item = &Cmd> {
        self.commands.iter()
    }

    /// Commands running `program`.
    pub fn find<'a>(&'a self, program: &'a str) -> impl Iterator<Item = &'a Cmd> + 'a {
        self.commands.iter().filter(move |c| c.is(program))
    }

    /// The commands `cmd`'s output is piped into.
    pub fn piped_into<'a>(&'a self, cmd: &'a Cmd) -> impl Iterator<Item = &'a Cmd> + 'a {
        self.commands
            .iter()
            .filter(move |c| c.pipeline == cmd.pipeline && c.pipe_index > cmd.pipe_index)
    }

    /// Whether any command's output is piped into another.
    pub fn has_pipes(&self) -> bool {
        self.commands.iter().any(|c| c.pipe_index > 0)
    }

    /// Commands after `cmd` in the script.
    pub fn after<'a>(&'a self, cmd: &'a Cmd) -> impl Iterator<Item = &'a Cmd> + 'a {
        let pos = self
            .commands
            .iter()
            .position(|c| std::ptr::eq(c, cmd))
            .map_or(self.commands.len(), |p| p + 1);
        self.commands[pos..].iter()
    }

    /// Parses a shell-form script. `map` turns offsets in `script` into file
    /// offsets.
    pub fn parse(script: &str, map: &SourceMap) -> Script {
        let mut builder = Builder {
            map,
            chars: CharIndex::new(script),
            out: Script::default(),
            next_pipeline: 0,
            depth: 0,
        };
        builder.script(script);
        builder.out
    }

    /// An exec-form command (`RUN ["apt-get", "install", "x"]`). A shell in
    /// exec form with `-c` has its script parsed.
    pub fn from_exec(args: &[Word]) -> Script {
        let Some((first, rest)) = args.split_first() else {
            return Script::default();
        };
        let span = first.span.to(args.last().map_or(first.span, |w| w.span));
        let mut builder = Builder {
            map: &SourceMap::default(),
            chars: CharIndex::new(""),
            out: Script::default(),
            next_pipeline: 0,
            depth: 0,
        };
        let cmd = Cmd {
            name: first.value.clone(),
            args: rest
                .iter()
                .map(|w| Arg {
                    value: w.value.clone(),
                    span: w.span,
                })
                .collect(),
            wrappers: Vec::new(),
            assignments: Vec::new(),
            span,
            pipeline: 0,
            pipe_index: 0,
        };
        builder.push(cmd);
        builder.out
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];
/// How deep `sh -c '...'` and `$(...)` inside a script are followed.
const MAX_NESTING: usize = 4;
/// How deep a script may nest subshells, groups, substitutions and
/// compound commands before it is left unparsed: the shell parser
/// recurses once per level, and real scripts stay far below this.
pub const MAX_SHELL_NESTING: usize = 64;
/// How many `((` (not `$((`) may be open at once. The shell parser
/// backtracks between an arithmetic command and nested subshells at each,
/// in time that doubles with every one more (found by fuzzing: 14 took
/// 5 s); scripts use one or two.
pub const MAX_OPEN_DOUBLE_PARENS: usize = 8;
/// The longest script that is parsed. Longer ones are left unanalysed.
pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;

/// Whether `script` nests deeper than `limit`, estimated in one pass over
/// its bytes: parentheses, braces and backquotes outside single quotes,
/// and `if`/`case`/loops against `fi`/`esac`/`done` outside any quotes.
/// It over-counts rather than under-counts (a `)` of a `case` pattern is
/// not matched), which only matters far above what real scripts reach.
fn nesting_exceeds(script: &str, limit: usize) -> bool {
    let bytes = script.as_bytes();
    let mut depth: usize = 0;
    let mut single = false;
    let mut double = false;
    let mut backquote = false;
    // After `case WORD in` and after `;;`, the next `)` ends a pattern
    // (and a `(` may open one): neither is nesting.
    let mut pattern_next = false;
    // A `case` is waiting for its `in` (a `for` or `select` has its own).
    let mut case_word = false;
    let mut double_parens: usize = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if single {
            single = b != b'\'';
            i += 1;
            continue;
        }
        match b {
            b'\\' => i += 1,
            b'\'' if !double => single = true,
            b'"' => double = !double,
            b'(' if pattern_next => {}
            b')' if pattern_next => pattern_next = false,
            b';' if bytes.get(i + 1) == Some(&b';') => {
                pattern_next = true;
                i += 1;
            }
            b'(' | b'{' => {
                depth += 1;
                // `((` not after `$` is an arithmetic command or two
                // subshells, and the parser tries both at each one open.
                if b == b'(' && bytes.get(i + 1) == Some(&b'(') && !after_dollar(bytes, i) {
                    double_parens += 1;
                    if double_parens > MAX_OPEN_DOUBLE_PARENS {
                        return true;
                    }
                }
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                if b == b')' && bytes.get(i + 1) == Some(&b')') {
                    double_parens = double_parens.saturating_sub(1);
                }
            }
            b'`' => {
                backquote = !backquote;
                if backquote {
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            b'a'..=b'z' if !double && (i == 0 || !is_word_byte(bytes[i - 1])) => {
                let end = bytes[i..]
                    .iter()
                    .position(|&c| !is_word_byte(c))
                    .map_or(bytes.len(), |n| i + n);
                match &bytes[i..end] {
                    b"if" | b"while" | b"until" => depth += 1,
                    b"case" | b"for" | b"select" => {
                        depth += 1;
                        case_word = &bytes[i..end] == b"case";
                    }
                    b"fi" | b"done" => depth = depth.saturating_sub(1),
                    b"esac" => {
                        depth = depth.saturating_sub(1);
                        pattern_next = false;
                    }
                    b"in" if case_word => {
                        pattern_next = true;
                        case_word = false;
                    }
                    _ => {}
                }
                i = end;
                if depth > limit {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        if depth > limit {
            return true;
        }
        i += 1;
    }
    false
}

/// The script as the shell parser gets it. A here-document operator with
/// no delimiter word after it (`<<` then blanks, perhaps an empty quoted
/// word, and an operator, a comment or the end) sends the parser's tokenizer into an endless loop
/// that grows without bound (found by fuzzing); bash refuses it as a
/// syntax error, so it is handed over as a plain `<` redirection, which
/// keeps the rest of the script analysable (and `a << (b)` in arithmetic
/// stays arithmetic). File descriptor numbers too large for the parser
/// ([`huge_descriptors`]) become spaces, and so do carriage returns,
/// blanks to a reader of a file edited on Windows. Each change is byte for byte, so
/// every offset holds.
fn defuse(script: &str) -> std::borrow::Cow<'_, str> {
    let wordless = heredocs_without_word(script);
    let descriptors = huge_descriptors(script);
    if wordless.is_empty() && descriptors.is_empty() && !script.contains('\r') {
        return script.into();
    }
    let mut bytes = script.replace('\r', " ").into_bytes();
    for at in wordless {
        if let Some(second) = bytes.get_mut(at + 1) {
            *second = b' ';
        }
    }
    for digits in descriptors {
        for b in bytes.get_mut(digits).into_iter().flatten() {
            *b = b' ';
        }
    }
    // Only ASCII bytes were replaced with ASCII bytes.
    String::from_utf8(bytes).unwrap_or_default().into()
}

/// The digits of the file descriptor numbers before a redirection
/// (`12>file`) too long for the shell parser, which panics on a number
/// that does not fit in 32 bits (found by fuzzing); no shell has such
/// descriptors, and without them the redirection is still read.
fn huge_descriptors(script: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let redirects = matches!(bytes.get(i), Some(b'<' | b'>'));
        if redirects && i - start > 9 {
            out.push(start..i);
        }
    }
    out
}

/// The offsets of the `<<` and `<<-` (not `<<<` here-strings) that no word
/// follows.
fn heredocs_without_word(script: &str) -> Vec<usize> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = script.get(from..).and_then(|rest| rest.find("<<")) {
        let at = from + found;
        let mut i = at + 2;
        from = i;
        if bytes.get(i) == Some(&b'<') {
            // A here-string, `<<<`: skip past all of it.
            while bytes.get(from) == Some(&b'<') {
                from += 1;
            }
            continue;
        }
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c)) {
            i += 1;
        }
        if delimiter_is_empty(bytes, i) {
            out.push(at);
        }
    }
    out
}

/// Whether the here-document delimiter word starting at `start` is empty
/// once its quotes are removed: no word at all (an operator, a comment or
/// the end comes first), or only quotes (`""`, `''`, `$''`).
fn delimiter_is_empty(bytes: &[u8], start: usize) -> bool {
    let mut quote: Option<u8> = None;
    let mut len = 0;
    let mut j = start;
    // One character of the word is enough to know; a long run of quotes
    // is given up on, so a script of many `<<` costs linear time.
    while let Some(&b) = bytes.get(j) {
        if len > 0 || j - start > 1024 {
            return false;
        }
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => len += 1,
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'$' if matches!(bytes.get(j + 1), Some(b'"' | b'\'')) => {}
                b'\\' => {
                    len += 1;
                    j += 1;
                }
                b'#' if j == start => break,
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c | b'\n' | b';' | b'&' | b'|' | b'(' | b')'
                | b'<' | b'>' => break,
                _ => len += 1,
            },
        }
        j += 1;
    }
    len == 0
}

/// Whether the `(` at `i` follows a `$` (`$((` arithmetic, `$(`).
fn after_dollar(bytes: &[u8], i: usize) -> bool {
    i.checked_sub(1).and_then(|j| bytes.get(j)) == Some(&b'$')
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Converts brush's character indexes into byte offsets.
struct CharIndex {
    /// Byte offset of each char, plus the length at the end; empty when
    /// the text is ASCII and the two coincide.
    offsets: Vec<usize>,
    len: usize,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        let offsets = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect()
        };
        CharIndex {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.offsets.is_empty() {
            char_index.min(self.len)
        } else {
            self.offsets.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

struct Builder<'a> {
    map: &'a SourceMap,
    chars: CharIndex,
    out: Script,
    next_pipeline: u32,
    depth: usize,
}

impl Builder<'_> {
    fn script(&mut self, script: &str) {
        if script.len() > MAX_SCRIPT_BYTES {
            self.out.skipped = Some(format!(
                "the script is {} bytes long, more than the {MAX_SCRIPT_BYTES} analysed",
                script.len()
            ));
            return;
        }
        if nesting_exceeds(script, MAX_SHELL_NESTING) {
            self.out.skipped = Some(format!(
                "the script nests more than {MAX_SHELL_NESTING} levels deep, or opens more than {MAX_OPEN_DOUBLE_PARENS} `((` at once"
            ));
            return;
        }
        let text = defuse(script);
        let options = brush_parser::ParserOptions::default();
        let parsed = std::panic::catch_unwind(|| {
            brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options)
                .parse_program()
        });
        match parsed {
            Ok(Ok(program)) => {
                for list in &program.complete_commands {
                    self.list(list);
                }
            }
            Ok(Err(e)) => self.out.error = Some(e.to_string()),
            Err(_) => self.out.error = Some("the shell parser failed on this script".to_string()),
        }
    }

    fn span(&self, loc: Option<&brush_parser::SourceSpan>) -> Span {
        match loc {
            Some(loc) => self.map.span(
                self.chars.byte(loc.start.index),
                self.chars.byte(loc.end.index),
            ),
            None => self.map.span(0, 0),
        }
    }

    fn list(&mut self, list: &ast::CompoundList) {
        for item in &list.0 {
            self.pipeline(&item.0.first);
            for next in &item.0.additional {
                match next {
                    ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p),
                }
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline) {
        let id = self.next_pipeline;
        self.next_pipeline += 1;
        for (index, command) in pipeline.seq.iter().enumerate() {
            self.command(command, id, index as u32);
        }
    }

    fn command(&mut self, command: &ast::Command, pipeline: u32, pipe_index: u32) {
        match command {
            ast::Command::Simple(simple) => self.simple(simple, pipeline, pipe_index),
            ast::Command::Compound(compound, _) => self.compound(compound),
            ast::Command::Function(def) => self.compound(&def.body.0),
            ast::Command::ExtendedTest(..) => {}
        }
    }

    fn compound(&mut self, compound: &ast::CompoundCommand) {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(g) => self.list(&g.list),
            C::Subshell(s) => self.list(&s.list),
            C::ForClause(f) => self.list(&f.body.list),
            C::ArithmeticForClause(f) => self.list(&f.body.list),
            C::WhileClause(w) | C::UntilClause(w) => {
                self.list(&w.0);
                self.list(&w.1.list);
            }
            C::IfClause(i) => {
                self.list(&i.condition);
                self.list(&i.then);
                for clause in i.elses.iter().flatten() {
                    if let Some(cond) = &clause.condition {
                        self.list(cond);
                    }
                    self.list(&clause.body);
                }
            }
            C::CaseClause(c) => {
                for item in &c.cases {
                    if let Some(cmd) = &item.cmd {
                        self.list(cmd);
                    }
                }
            }
            C::Arithmetic(_) | C::Coprocess(_) => {}
        }
    }

    fn simple(&mut self, simple: &ast::SimpleCommand, pipeline: u32, pipe_index: u32) {
        let span = self.span(brush_parser::ast::SourceLocation::location(simple).as_ref());
        let mut substituted: Vec<(String, Span)> = Vec::new();
        let words = (simple.prefix.iter().flat_map(|p| p.0.iter()))
            .chain(simple.suffix.iter().flat_map(|p| p.0.iter()));
        for item in words {
            if let ast::CommandPrefixOrSuffixItem::Word(w)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) = item
            {
                let at = self.span(w.loc.as_ref());
                substituted.extend(
                    substitutions(&w.value)
                        .into_iter()
                        .map(|s| (s.to_string(), at)),
                );
            }
        }
        if let Some(name) = &simple.word_or_name {
            substituted.extend(
                substitutions(&name.value)
                    .into_iter()
                    .map(|s| (s.to_string(), span)),
            );
            self.command_with_name(simple, name, span, pipeline, pipe_index);
        }
        for (script, at) in substituted {
            self.nested(&script, at);
        }
    }

    fn command_with_name(
        &mut self,
        simple: &ast::SimpleCommand,
        name: &ast::Word,
        span: Span,
        pipeline: u32,
        pipe_index: u32,
    ) {
        let mut assignments = Vec::new();
        for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
            if let ast::CommandPrefixOrSuffixItem::AssignmentWord(a, _) = item {
                assignments.push((
                    a.name.to_string(),
                    brush_parser::unquote_str(&a.value.to_string()),
                ));
            }
        }
        let mut args = Vec::new();
        for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
            let word = match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => w,
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => w,
                _ => continue,
            };
            args.push(Arg {
                value: brush_parser::unquote_str(&word.value),
                span: self.span(word.loc.as_ref()),
            });
        }
        let cmd = Cmd {
            name: brush_parser::unquote_str(&name.value),
            args,
            wrappers: Vec::new(),
            assignments,
            span,
            pipeline,
            pipe_index,
        };
        self.push(cmd);
    }

    /// Parses a script inside a command (`sh -c '...'`, `$(...)`); its
    /// commands point at `at`, the word that holds it.
    fn nested(&mut self, script: &str, at: Span) {
        if self.depth >= MAX_NESTING {
            return;
        }
        let map = SourceMap::default();
        let mut inner = Builder {
            map: &map,
            chars: CharIndex::new(script),
            out: Script::default(),
            next_pipeline: self.next_pipeline,
            depth: self.depth + 1,
        };
        inner.script(script);
        self.next_pipeline = inner.next_pipeline;
        for mut c in inner.out.commands {
            c.span = at;
            for a in &mut c.args {
                a.span = at;
            }
            self.out.commands.push(c);
        }
    }

    /// Adds a command, looking through wrappers (`sudo apt-get ...`) and
    /// into `sh -c '...'`.
    fn push(&mut self, mut cmd: Cmd) {
        while let Some(inner) = unwrap(&cmd) {
            cmd = inner;
        }
        let nested = if cmd.is_any(SHELLS) && self.depth < MAX_NESTING {
            let pos = cmd.args.iter().position(|a| flag_matches(&a.value, "-c"));
            pos.and_then(|p| cmd.args.get(p + 1)).cloned()
        } else {
            None
        };
        self.out.commands.push(cmd);
        if let Some(script) = nested {
            self.nested(&script.value, script.span);
        }
    }
}

/// The scripts of the command substitutions in a raw word: `$(...)` and
/// backquotes, outside single quotes (`$((...))` is arithmetic, not a command).
fn substitutions(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' => single = !single,
            b'$' if !single
                && bytes.get(i + 1) == Some(&b'(')
                && bytes.get(i + 2) != Some(&b'(') =>
            {
                let start = i + 2;
                let mut depth = 1;
                let mut j = start;
                while j < bytes.len() && depth > 0 {
                    match bytes[j] {
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if depth == 0 {
                    out.extend(raw.get(start..j - 1));
                }
                i = j;
                continue;
            }
            b'`' if !single => {
                if let Some(len) = raw.get(i + 1..).and_then(|r| r.find('`')) {
                    out.extend(raw.get(i + 1..i + 1 + len));
                    i += len + 2;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The command a wrapper runs: `apt-get ...` for `sudo -E apt-get ...`.
fn unwrap(cmd: &Cmd) -> Option<Cmd> {
    let (skip_with_value, assignments_ok): (&[&str], bool) = match cmd.program() {
        "sudo" => (
            &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"],
            false,
        ),
        "env" => (&["-u", "-C", "-S", "--unset", "--chdir"], true),
        "nohup" | "exec" | "time" => (&[], false),
        "command" => (&[], false),
        "nice" => (&["-n", "--adjustment"], false),
        "xargs" => (
            &[
                "-n",
                "-I",
                "-d",
                "-L",
                "-P",
                "-s",
                "-a",
                "-E",
                "--arg-file",
                "--delimiter",
            ],
            false,
        ),
        "gosu" | "su-exec" => {
            let rest = cmd.args.get(1..)?;
            return rebuild(cmd, rest);
        }
        _ => return None,
    };
    let mut i = 0;
    while let Some(arg) = cmd.args.get(i) {
        let v = arg.value.as_str();
        if v == "--" {
            i += 1;
            break;
        }
        if v.starts_with('-') {
            i += if skip_with_value.contains(&v) { 2 } else { 1 };
        } else if assignments_ok && v.contains('=') {
            i += 1;
        } else {
            break;
        }
    }
    rebuild(cmd, cmd.args.get(i..)?)
}

fn rebuild(cmd: &Cmd, rest: &[Arg]) -> Option<Cmd> {
    let (first, args) = rest.split_first()?;
    let mut wrappers = cmd.wrappers.clone();
    wrappers.push(cmd.program().to_string());
    Some(Cmd {
        name: first.value.clone(),
        args: args.to_vec(),
        wrappers,
        assignments: cmd.assignments.clone(),
        span: cmd.span,
        pipeline: cmd.pipeline,
        pipe_index: cmd.pipe_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(s: &str) -> Script {
        Script::parse(s, &SourceMap::identity(0, s.len()))
    }

    fn names(s: &Script) -> Vec<&str> {
        s.commands.iter().map(|c| c.program()).collect()
    }

    #[test]
    fn flattens_lists_pipelines_and_compound_commands() {
        let s = script(
            "set -eux; apt-get update && apt-get install -y curl | tee log; if true; then (cd /x && make); fi; for f in a; do rm $f; done",
        );
        assert_eq!(
            names(&s),
            vec![
                "set", "apt-get", "apt-get", "tee", "true", "cd", "make", "rm"
            ]
        );
        let install = &s.commands[2];
        let tee = &s.commands[3];
        assert_eq!(install.pipeline, tee.pipeline);
        assert_eq!(tee.pipe_index, 1);
        assert_eq!(s.piped_into(install).count(), 1);
    }

    #[test]
    fn flags_and_operands() {
        let s = script(
            "apt-get -qy -o Dpkg::Options::=x install --no-install-recommends 'curl' git=1.2",
        );
        let c = &s.commands[0];
        assert!(c.has_flag("-y"));
        assert!(c.has_flag("-q"));
        assert!(c.has_flag("--no-install-recommends"));
        assert!(!c.has_flag("--yes"));
        assert_eq!(c.subcommand(&["-o"]), Some("install"));
        let ops: Vec<&str> = c
            .operands(&["-o"])
            .iter()
            .map(|a| a.value.as_str())
            .collect();
        assert_eq!(ops, vec!["curl", "git=1.2"]);
    }

    #[test]
    fn spans_point_into_the_source() {
        let text = "echo hi && curl -sSL https://x | sh";
        let s = script(text);
        let sh = &s.commands[2];
        assert_eq!(&text[sh.span.start..sh.span.end], "sh");
        let url = &s.commands[1].args[1];
        assert_eq!(&text[url.span.start..url.span.end], "https://x");
    }

    #[test]
    fn looks_through_wrappers_and_sh_c() {
        let s = script("sudo -E apt-get install x; env A=1 pip install y; sh -c 'npm install z'");
        assert_eq!(names(&s), vec!["apt-get", "pip", "sh", "npm"]);
        assert_eq!(s.commands[0].wrappers, vec!["sudo".to_string()]);
        assert!(s.commands[3].has_arg("z"));
    }

    #[test]
    fn command_substitutions_are_parsed() {
        let s =
            script("v=\"$(curl -fsSL https://x | sha256sum)\"; echo `id -u` '$(not run)' $((1+2))");
        assert_eq!(names(&s), vec!["curl", "sha256sum", "echo", "id"]);
        assert!(s.has_pipes());
    }

    #[test]
    fn heredoc_bodies_are_not_commands() {
        let s = script("cat <<'EOF' > /etc/x\nrm -rf /\nEOF\necho done\n");
        assert_eq!(names(&s), vec!["cat", "echo"]);
    }

    #[test]
    fn unparsable_script_is_reported() {
        let s = script("echo 'open");
        assert!(s.error.is_some());
        let s = script("if then fi (");
        assert!(s.error.is_some());
    }
}
