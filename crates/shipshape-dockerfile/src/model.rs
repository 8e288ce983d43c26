//! The semantic model rules work on: stages, their instructions, the
//! variables visible to each instruction, and the parsed shell of each RUN.
//!
//! Scoping follows BuildKit: ARGs before the first FROM are global and only
//! expand in FROM lines; inside a stage `ARG NAME` (without a default)
//! brings the global default in; ENV overrides an ARG of the same name; a
//! stage built `FROM` an earlier stage inherits its ENV and SHELL.

use std::rc::Rc;

use crate::shell::Script;
use crate::syntax::ast::*;
use crate::syntax::words::{self, Expanded};

#[derive(Debug, Clone)]
struct Var {
    name: Rc<str>,
    /// `None`: declared without a value (a build argument nobody set), or
    /// a value past the expansion budget.
    value: Option<Rc<str>>,
    env: bool,
}

/// The most bytes of variable values one Dockerfile may store (ENV and
/// ARG values after expansion). Past it, further values count as unknown.
pub const MAX_STORED_VALUES: usize = 4 * 1024 * 1024;

/// What the model spent on variable values, and the instructions whose
/// values it could not work out within its budgets.
#[derive(Default)]
pub struct Budget {
    stored: usize,
    /// Instructions with a value past [`crate::syntax::words::MAX_EXPANSION`]
    /// or [`MAX_STORED_VALUES`], in file order.
    pub exceeded: Vec<(crate::source::Span, String)>,
}

impl Budget {
    /// The value to remember for a variable set by `inst`, or `None` when
    /// it is past a budget (which is noted).
    fn store(&mut self, inst: &Instruction, name: &str, e: Expanded) -> Option<Rc<str>> {
        if e.over_budget {
            self.note(
                inst,
                format!(
                    "`{name}` expands to more than {} bytes",
                    crate::syntax::words::MAX_EXPANSION
                ),
            );
            return None;
        }
        if self.stored + e.value.len() > MAX_STORED_VALUES {
            self.note(
                inst,
                format!("the variables of this file hold more than {MAX_STORED_VALUES} bytes"),
            );
            return None;
        }
        self.stored += e.value.len();
        Some(Rc::from(e.value))
    }

    fn note(&mut self, inst: &Instruction, why: String) {
        if self
            .exceeded
            .last()
            .is_none_or(|(last, _)| *last != inst.span)
        {
            self.exceeded.push((inst.span, why));
        }
    }
}

/// Variables visible at one point.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    vars: &'a [Var],
}

impl words::Env for Scope<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        let latest = |env: bool| {
            self.vars
                .iter()
                .rev()
                .find(|v| v.env == env && *v.name == *name)
        };
        latest(true)
            .or_else(|| latest(false))
            .and_then(|v| v.value.as_deref())
    }
}

pub struct Model<'d> {
    pub file: &'d Dockerfile,
    /// Instructions before the first FROM (should be ARGs only).
    pub preamble: Vec<&'d Instruction>,
    pub stages: Vec<Stage<'d>>,
    globals: Vec<Var>,
    /// `globals`, shared by every stage once the first FROM is seen.
    shared_globals: Option<Rc<[Var]>>,
    pub budget: Budget,
}

pub struct Stage<'d> {
    pub index: usize,
    pub from: &'d Instruction,
    pub image: &'d Word,
    /// The image reference with global ARGs expanded.
    pub base: Expanded,
    pub alias: Option<&'d Word>,
    /// The earlier stage this one is built on, if its FROM names one.
    pub parent: Option<usize>,
    pub insts: Vec<Inst<'d>>,
    vars: Vec<Var>,
    global_defaults: Rc<[Var]>,
    inherited_shell: Option<&'d [Word]>,
    escape: char,
}

pub struct Inst<'d> {
    /// The instruction as written (an `ONBUILD ...` for triggers).
    pub node: &'d Instruction,
    /// What runs: the trigger for ONBUILD, else `node` itself.
    pub body: &'d Instruction,
    pub onbuild: bool,
    /// The shell of a shell-form RUN (or exec-form command), parsed.
    pub script: Option<Script>,
    /// The SHELL in effect, if one was set.
    pub shell: Option<&'d [Word]>,
    vars_end: usize,
}

impl<'d> Model<'d> {
    pub fn new(file: &'d Dockerfile) -> Model<'d> {
        let mut model = Model {
            file,
            preamble: Vec::new(),
            stages: Vec::new(),
            globals: Vec::new(),
            shared_globals: None,
            budget: Budget::default(),
        };
        for inst in &file.instructions {
            match &inst.args {
                Args::From { image, alias } => model.start_stage(inst, image, alias.as_ref()),
                _ => match model.stages.last_mut() {
                    Some(stage) => stage.add(inst, &mut model.budget),
                    None => {
                        if let Args::Arg(decls) = &inst.args {
                            for d in decls {
                                let value = d.default.as_ref().and_then(|w| {
                                    let scope = Scope {
                                        vars: &model.globals,
                                    };
                                    let e = expand_lossy(&w.raw, file.escape, &scope);
                                    model.budget.store(inst, &d.name.value, e)
                                });
                                model.globals.push(Var {
                                    name: Rc::from(d.name.value.as_str()),
                                    value,
                                    env: false,
                                });
                            }
                        }
                        model.preamble.push(inst);
                    }
                },
            }
        }
        model
    }

    fn start_stage(&mut self, from: &'d Instruction, image: &'d Word, alias: Option<&'d Word>) {
        let base = expand_lossy(
            &image.raw,
            self.file.escape,
            &Scope {
                vars: &self.globals,
            },
        );
        let parent = self.stage_named(&base.value).map(|s| s.index);
        let mut vars = Vec::new();
        let mut shell = None;
        if let Some(p) = parent.and_then(|p| self.stages.get(p)) {
            vars.extend(p.vars.iter().filter(|v| v.env).cloned());
            shell = p.insts.iter().rev().find_map(|i| i.shell);
        }
        let stage = Stage {
            index: self.stages.len(),
            from,
            image,
            base,
            alias,
            parent,
            insts: Vec::new(),
            vars,
            global_defaults: Rc::clone(
                self.shared_globals
                    .get_or_insert_with(|| Rc::from(self.globals.as_slice())),
            ),
            inherited_shell: shell,
            escape: self.file.escape,
        };
        self.stages.push(stage);
    }

    /// The stage called `name` (alias, case-insensitive) or with index `name`.
    pub fn stage_named(&self, name: &str) -> Option<&Stage<'d>> {
        if let Ok(i) = name.parse::<usize>() {
            return self.stages.get(i);
        }
        self.stages
            .iter()
            .find(|s| s.alias.is_some_and(|a| a.value.eq_ignore_ascii_case(name)))
    }

    pub fn last_stage(&self) -> Option<&Stage<'d>> {
        self.stages.last()
    }

    /// Every instruction of every stage.
    pub fn insts(&self) -> impl Iterator<Item = (&Stage<'d>, &Inst<'d>)> {
        self.stages
            .iter()
            .flat_map(|s| s.insts.iter().map(move |i| (s, i)))
    }

    /// Every RUN (ONBUILD RUN included) with its parsed shell.
    pub fn runs(&self) -> impl Iterator<Item = (&Stage<'d>, &Inst<'d>, &Script)> {
        self.insts()
            .filter_map(|(s, i)| i.script.as_ref().map(|script| (s, i, script)))
    }

    /// `stage` and the earlier stages it is built on (`FROM <stage>`),
    /// nearest first.
    pub fn lineage<'a>(&'a self, stage: &'a Stage<'d>) -> impl Iterator<Item = &'a Stage<'d>> + 'a {
        std::iter::successors(Some(stage), move |s| {
            s.parent
                .and_then(|p| self.stages.get(p))
                .filter(|p| p.index < s.index)
        })
    }

    /// The last `kw` instruction that is in effect in the final image: in
    /// the final stage, else in the stages it is built on.
    pub fn last_in_final_image(&self, kw: Keyword) -> Option<(&Stage<'d>, &Inst<'d>)> {
        let last = self.last_stage()?;
        self.lineage(last)
            .find_map(|s| s.find(kw).last().map(|i| (s, i)))
    }

    /// Whether a later stage copies from or builds on stage `index`.
    pub fn is_used_later(&self, index: usize) -> bool {
        self.stages.iter().skip(index + 1).any(|s| {
            s.parent == Some(index)
                || s.insts.iter().any(|i| {
                    i.body
                        .flag("from")
                        .and_then(|f| f.value.as_deref())
                        .and_then(|v| self.stage_named(v))
                        .is_some_and(|st| st.index == index)
                })
        })
    }
}

impl<'d> Stage<'d> {
    /// The variables an instruction of this stage sees.
    pub fn scope(&self, inst: &Inst<'_>) -> Scope<'_> {
        Scope {
            vars: &self.vars[..inst.vars_end.min(self.vars.len())],
        }
    }

    /// A word expanded as the instruction sees it. Broken substitutions give
    /// the unexpanded text.
    pub fn expand(&self, inst: &Inst<'_>, word: &Word) -> Expanded {
        expand_lossy(&word.raw, self.escape, &self.scope(inst))
    }

    /// A word's value as the build sees it, or `None` when it depends on
    /// a variable whose value is not known.
    pub fn known_value(&self, inst: &Inst<'_>, word: &Word) -> Option<String> {
        if !word.value.contains('$') {
            return Some(word.value.clone());
        }
        let expanded = self.expand(inst, word);
        expanded.is_exact().then_some(expanded.value)
    }

    /// Text as the instruction sees it (a flag value, a raw word), or
    /// `None` when its substitutions are malformed.
    pub fn expand_text(&self, inst: &Inst<'_>, text: &str) -> Option<Expanded> {
        words::expand(text, self.escape, &self.scope(inst)).ok()
    }

    /// The `--from` flag of a COPY and its value as the instruction sees it.
    pub fn copy_from<'i>(&self, inst: &'i Inst<'_>) -> Option<(&'i Flag, Expanded)> {
        let flag = inst.body.flag("from")?;
        let value = self.expand_text(inst, flag.value.as_deref().unwrap_or(""))?;
        Some((flag, value))
    }

    /// The stage's name for messages: its alias or its index.
    pub fn name(&self) -> String {
        match self.alias {
            Some(a) => a.value.clone(),
            None => self.index.to_string(),
        }
    }

    /// The base image reference when its tag and digest are written out:
    /// the expanded reference, or, when an unset variable appears only in
    /// the registry or path part, the text as written. `None` for
    /// `scratch`, earlier stages and references a variable decides.
    pub fn literal_image(&self) -> Option<&str> {
        if self.parent.is_some() || self.base.value == "scratch" {
            return None;
        }
        if self.base.is_exact() {
            return Some(&self.base.value);
        }
        let written = self.image.value.as_str();
        let last = written.rsplit('/').next().unwrap_or(written);
        if last.contains(['$', '{', '}']) {
            return None;
        }
        Some(written)
    }

    pub fn find(&self, kw: Keyword) -> impl Iterator<Item = &Inst<'d>> {
        self.insts
            .iter()
            .filter(move |i| !i.onbuild && i.body.keyword == kw)
    }

    fn add(&mut self, node: &'d Instruction, budget: &mut Budget) {
        let (body, onbuild) = match &node.args {
            Args::Onbuild(inner) => (inner.as_ref(), true),
            _ => (node, false),
        };
        let shell = self
            .insts
            .iter()
            .rev()
            .find_map(|i| i.shell)
            .or(self.inherited_shell);
        let shell = match (&body.args, onbuild) {
            (Args::Shell(words), false) => Some(words.as_slice()),
            _ => shell,
        };
        let script = match &body.args {
            Args::Run(cmd) => run_script(cmd, shell),
            _ => None,
        };
        if !onbuild {
            match &body.args {
                Args::Env(kvs) => {
                    for kv in kvs {
                        let e =
                            expand_lossy(&kv.value.raw, self.escape, &Scope { vars: &self.vars });
                        let value = budget.store(node, &kv.key.value, e);
                        self.vars.push(Var {
                            name: Rc::from(kv.key.value.as_str()),
                            value,
                            env: true,
                        });
                    }
                }
                Args::Arg(decls) => {
                    for d in decls {
                        let value = match &d.default {
                            Some(w) => {
                                let e =
                                    expand_lossy(&w.raw, self.escape, &Scope { vars: &self.vars });
                                budget.store(node, &d.name.value, e)
                            }
                            None => self
                                .global_defaults
                                .iter()
                                .rev()
                                .find(|g| *g.name == *d.name.value)
                                .and_then(|g| g.value.clone()),
                        };
                        self.vars.push(Var {
                            name: Rc::from(d.name.value.as_str()),
                            value,
                            env: false,
                        });
                    }
                }
                _ => {}
            }
        }
        self.insts.push(Inst {
            node,
            body,
            onbuild,
            script,
            shell,
            vars_end: self.vars.len(),
        });
    }
}

/// The tag and digest of an image reference `name[:tag][@digest]`.
pub fn tag_and_digest(image: &str) -> (Option<&str>, Option<&str>) {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    (last.rsplit_once(':').map(|(_, tag)| tag), digest)
}

/// Whether a SHELL runs POSIX-style scripts (not PowerShell or cmd).
pub fn is_posix_shell(shell: Option<&[Word]>) -> bool {
    let Some(first) = shell.and_then(|s| s.first()) else {
        return true;
    };
    let program = first.value.rsplit(['/', '\\']).next().unwrap_or("");
    let program = program
        .strip_suffix(".exe")
        .unwrap_or(program)
        .to_ascii_lowercase();
    !matches!(program.as_str(), "pwsh" | "powershell" | "cmd")
}

fn run_script(cmd: &Command, shell: Option<&[Word]>) -> Option<Script> {
    match cmd {
        Command::Exec { args, .. } => Some(Script::from_exec(args)),
        Command::Shell(text) => {
            if !is_posix_shell(shell) {
                return None;
            }
            if let Some(interp) = text.script.strip_prefix("#!") {
                let line = interp.lines().next().unwrap_or("");
                let is_shell = line
                    .split_whitespace()
                    .flat_map(|w| w.rsplit('/').next())
                    .any(|w| matches!(w, "sh" | "bash" | "ash" | "dash" | "zsh"));
                if !is_shell {
                    return None;
                }
            }
            Some(Script::parse(&text.script, &text.map))
        }
    }
}

fn expand_lossy(raw: &str, escape: char, scope: &Scope<'_>) -> Expanded {
    words::expand(raw, escape, scope).unwrap_or_else(|_| Expanded {
        value: words::unquote(raw, escape),
        unresolved: Vec::new(),
        over_budget: false,
    })
}
