//! The Dockerfile syntax tree. Every node keeps its span in the file.

use crate::source::{LineIndex, SourceMap, Span};

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub source: String,
    pub lines: LineIndex,
    /// The escape character: `\` unless a `# escape=` directive says otherwise.
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Comment lines outside the parser directives, in file order.
    pub comments: Vec<Comment>,
}

/// A parser directive at the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased.
    pub name: String,
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// 0-based line.
    pub line: usize,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    pub fn parse(word: &str) -> Option<Keyword> {
        Some(match word.to_ascii_uppercase().as_str() {
            "ADD" => Keyword::Add,
            "ARG" => Keyword::Arg,
            "CMD" => Keyword::Cmd,
            "COPY" => Keyword::Copy,
            "ENTRYPOINT" => Keyword::Entrypoint,
            "ENV" => Keyword::Env,
            "EXPOSE" => Keyword::Expose,
            "FROM" => Keyword::From,
            "HEALTHCHECK" => Keyword::Healthcheck,
            "LABEL" => Keyword::Label,
            "MAINTAINER" => Keyword::Maintainer,
            "ONBUILD" => Keyword::Onbuild,
            "RUN" => Keyword::Run,
            "SHELL" => Keyword::Shell,
            "STOPSIGNAL" => Keyword::Stopsignal,
            "USER" => Keyword::User,
            "VOLUME" => Keyword::Volume,
            "WORKDIR" => Keyword::Workdir,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }

    /// The flags BuildKit accepts on this instruction.
    pub fn allowed_flags(self) -> &'static [&'static str] {
        match self {
            Keyword::From => &["platform"],
            Keyword::Run => &["mount", "network", "security", "device"],
            Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Keyword::Add => &[
                "chown",
                "chmod",
                "link",
                "keep-git-dir",
                "checksum",
                "exclude",
                "unpack",
            ],
            Keyword::Healthcheck => &[
                "interval",
                "timeout",
                "start-period",
                "start-interval",
                "retries",
            ],
            _ => &[],
        }
    }
}

/// One instruction, possibly spread over continuation lines and followed by
/// heredoc bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    pub args: Args,
    /// The arguments after the flags as one logical line (continuations
    /// joined, comment lines dropped), and where each part came from.
    pub text: String,
    pub text_map: SourceMap,
    pub heredocs: Vec<Heredoc>,
    /// From the keyword to the end of the last line (or heredoc terminator).
    pub span: Span,
    /// 0-based line of the keyword.
    pub line: usize,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// `--name=value` or `--name` before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    /// Quotes and escapes removed; `None` for a bare `--name`.
    pub value: Option<String>,
    pub span: Span,
}

/// A word of an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written, quotes included.
    pub raw: String,
    /// Quotes and escapes removed, variables not expanded.
    pub value: String,
    pub span: Span,
}

/// A `KEY=value` pair of ENV or LABEL (or the legacy `ENV KEY value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
    pub span: Span,
}

/// An `ARG name[=default]` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Word,
    pub default: Option<Word>,
    pub span: Span,
}

/// A command in exec (JSON) or shell form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Exec { args: Vec<Word>, span: Span },
    Shell(ShellText),
}

/// The text of a shell-form command with heredoc bodies appended, as the
/// shell will see it, and its map back to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellText {
    pub script: String,
    pub map: SourceMap,
    pub span: Span,
}

impl Command {
    pub fn is_exec(&self) -> bool {
        matches!(self, Command::Exec { .. })
    }

    pub fn span(&self) -> Span {
        match self {
            Command::Exec { span, .. } => *span,
            Command::Shell(text) => text.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyArgs {
    pub sources: Vec<Word>,
    pub dest: Word,
    pub exec_form: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    From {
        image: Word,
        alias: Option<Word>,
    },
    Run(Command),
    Cmd(Command),
    Entrypoint(Command),
    Shell(Vec<Word>),
    Copy(CopyArgs),
    Add(CopyArgs),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Expose(Vec<Word>),
    User(Word),
    Workdir(Word),
    Volume(Vec<Word>),
    Stopsignal(Word),
    /// `None` is `HEALTHCHECK NONE`.
    Healthcheck(Option<Command>),
    Onbuild(Box<Instruction>),
    Maintainer(Word),
}

/// A here-document body following an instruction (`RUN <<EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// `<<-`: leading tabs are stripped from body lines and terminator.
    pub chomp: bool,
    /// The name was quoted, so the body is not expanded.
    pub quoted: bool,
    /// File descriptor prefix (`3<<EOF`), if any.
    pub fd: Option<u32>,
    /// Body with every line ending in `\n`; tabs already stripped when `chomp`.
    pub content: String,
    /// The `<<NAME` word on the instruction line.
    pub marker_span: Span,
    /// The body lines, terminator excluded.
    pub body_span: Span,
    /// Maps offsets in `content` to the file.
    pub body_map: SourceMap,
}
