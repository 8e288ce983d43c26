//! Every Dockerfile rule, one file each. [`RULES`] is the registry: each rule
//! is listed once, grouped by area, in id order.

use shipshape_core::RuleMeta;

use shipshape_dockerfile::model::{Inst, Model, Stage};
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::source::Span;
use shipshape_dockerfile::syntax::ast::{Args, Instruction, Word};

/// The Dockerfile area: its rules read the Dockerfile model through a
/// [`Checker`].
pub struct Dockerfiles;

impl crate::Area for Dockerfiles {
    type Check = fn(&mut Checker<'_, '_>);
}

/// A dockerfile rule: its metadata and its check.
pub type Rule = crate::Rule<Dockerfiles>;

/// What a rule's check gets: the model, the options, and a way to report.
pub struct Checker<'m, 'd> {
    pub model: &'m Model<'d>,
    pub options: &'m crate::dockerfile::Options,
    pub(crate) rule: &'static RuleMeta,
    pub(crate) found: &'m mut Vec<Found>,
}

/// A finding as a rule reports it.
pub(crate) struct Found {
    pub rule: &'static RuleMeta,
    pub span: Span,
    pub message: String,
    /// The credential it is about, if any (masked in every output).
    pub secret: Option<String>,
    /// The places within `span` it is about, when there are several.
    pub marks: Vec<Span>,
    pub fix: Option<Repair>,
}

/// A fix as a rule writes it: edits by span of the Dockerfile's text.
#[derive(Debug, Clone)]
pub struct Repair {
    pub applicability: shipshape_core::Applicability,
    pub description: String,
    /// (what to replace, by what); an empty span inserts.
    pub edits: Vec<(Span, String)>,
}

impl Repair {
    /// A safe fix of one edit.
    pub fn safe(description: impl Into<String>, edit: (Span, String)) -> Repair {
        Repair {
            applicability: shipshape_core::Applicability::Safe,
            description: description.into(),
            edits: vec![edit],
        }
    }

    /// An unsafe fix of one edit.
    pub fn unsafe_(description: impl Into<String>, edit: (Span, String)) -> Repair {
        Repair {
            applicability: shipshape_core::Applicability::Unsafe,
            ..Repair::safe(description, edit)
        }
    }

    /// Inserts `text` right after `span`.
    pub fn insert_after(span: Span, text: impl Into<String>) -> (Span, String) {
        (Span::new(span.end, span.end), text.into())
    }
}

impl<'m, 'd> Checker<'m, 'd> {
    /// A finding of the running rule at `span`, with nothing more to it.
    fn finding(&self, span: Span, message: impl Into<String>) -> Found {
        Found {
            rule: self.rule,
            span,
            message: message.into(),
            secret: None,
            marks: Vec::new(),
            fix: None,
        }
    }

    /// Reports a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.report_fix(span, message, None);
    }

    /// Reports a finding of the running rule at `span`, with the edits
    /// that fix it where the rule could trust them.
    pub fn report_fix(&mut self, span: Span, message: impl Into<String>, fix: Option<Repair>) {
        let found = Found {
            fix,
            ..self.finding(span, message)
        };
        self.found.push(found);
    }

    /// Reports one finding about several places of one instruction (the
    /// unpinned packages of a RUN): it spans them all, and each is marked
    /// where the source is shown. Nothing is reported for no places.
    pub fn report_marks(&mut self, marks: Vec<Span>, message: impl Into<String>) {
        let (Some(start), Some(end)) = (
            marks.iter().map(|m| m.start).min(),
            marks.iter().map(|m| m.end).max(),
        ) else {
            return;
        };
        let found = Found {
            marks: if marks.len() > 1 { marks } else { Vec::new() },
            ..self.finding(Span::new(start, end), message)
        };
        self.found.push(found);
    }

    /// Reports a finding about a credential written in the file: `secret`
    /// is masked wherever the file is shown.
    pub fn report_secret(&mut self, span: Span, message: impl Into<String>, secret: &str) {
        let found = Found {
            secret: Some(secret.to_string()),
            ..self.finding(span, message)
        };
        self.found.push(found);
    }

    /// The Dockerfile's text, which fixes edit.
    pub fn source(&self) -> &'d str {
        &self.model.file.source
    }

    /// `span` widened to the whole lines it is on, their line break
    /// included: what removing an instruction removes. None when something
    /// else shares its first line.
    pub fn whole_lines(&self, span: Span) -> Option<Span> {
        let source = self.source();
        let start = source.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        if !source[start..span.start]
            .chars()
            .all(|c| c == ' ' || c == '\t')
        {
            return None;
        }
        let rest = source.get(span.end..)?;
        let end = span.end + rest.find('\n').map_or(rest.len(), |i| i + 1);
        source[span.end..end]
            .trim()
            .is_empty()
            .then_some(Span::new(start, end))
    }

    /// Whether `inst` is a RUN in shell form: its commands are words of
    /// the file's text, where a fix can add one.
    fn shell_form(inst: &Inst<'_>) -> bool {
        matches!(&inst.body.args, Args::Run(c) if !c.is_exec())
    }

    /// Whether `span` holds exactly `word`, unquoted and unescaped: where
    /// an edit next to it lands next to the word.
    pub fn bare(&self, span: Span, word: &str) -> bool {
        !word.is_empty() && self.source().get(span.start..span.end) == Some(word)
    }

    /// An edit adding ` text` right after the word `value` of `cmd`, a
    /// command of the shell-form RUN `inst`; none when the word is quoted
    /// or escaped in the file (its span would not be the word).
    pub fn add_after_word(
        &self,
        inst: &Inst<'_>,
        cmd: &Cmd,
        value: &str,
        text: &str,
    ) -> Option<(Span, String)> {
        let span = cmd.args.iter().find(|a| a.value == value)?.span;
        (Checker::shell_form(inst) && self.bare(span, value))
            .then(|| Repair::insert_after(span, format!(" {text}")))
    }

    /// An edit adding ` text` right after the program name of `cmd`, as
    /// [`Checker::add_after_word`] does.
    pub fn add_after_program(
        &self,
        inst: &Inst<'_>,
        cmd: &Cmd,
        text: &str,
    ) -> Option<(Span, String)> {
        let rest = self.source().get(cmd.span.start..cmd.span.end)?;
        // Assignments first (`LANG=C wget ...`): the name is after them.
        let at = rest.find(cmd.name.as_str())?;
        let span = Span::new(cmd.span.start + at, cmd.span.start + at + cmd.name.len());
        let before = &rest[..at];
        let clean = before.is_empty() || before.ends_with([' ', '\t']);
        (Checker::shell_form(inst) && clean && self.bare(span, &cmd.name))
            .then(|| Repair::insert_after(span, format!(" {text}")))
    }

    /// An edit ending the shell-form RUN `inst` with ` && command`: none
    /// when its last command is not the end of its text (a `fi`, `done`,
    /// `)` or `;` after it would put the new command somewhere else).
    fn append_command(
        &self,
        inst: &Inst<'_>,
        script: &shipshape_dockerfile::shell::Script,
        command: &str,
    ) -> Option<(Span, String)> {
        let Args::Run(shipshape_dockerfile::syntax::ast::Command::Shell(text)) = &inst.body.args
        else {
            return None;
        };
        if !inst.body.heredocs.is_empty() || script.error.is_some() || script.skipped.is_some() {
            return None;
        }
        let last = script.iter().max_by_key(|c| c.span.end)?;
        let after = self.source().get(last.span.end..text.span.end)?;
        let ends = after
            .split("\\\n")
            .all(|part| part.chars().all(char::is_whitespace));
        ends.then(|| Repair::insert_after(last.span, format!(" && {command}")))
    }

    /// The fix that ends the shell-form RUN `inst` with `command`, which
    /// removes a cache: safe, since only the cache goes and what is
    /// installed is the same. None where [`Checker::append_command`] finds
    /// no place for it.
    pub fn append_fix(
        &self,
        inst: &Inst<'_>,
        script: &shipshape_dockerfile::shell::Script,
        command: &str,
    ) -> Option<Repair> {
        self.append_command(inst, script, command)
            .map(|edit| Repair::safe(format!("end the RUN with `{command}`"), edit))
    }

    /// Every RUN (ONBUILD RUN included) and each of its commands.
    /// The items borrow the model, not the checker, so a rule can report
    /// while it iterates.
    pub fn commands(
        &self,
    ) -> impl Iterator<Item = (&'m Stage<'d>, &'m Inst<'d>, &'m Cmd)> + use<'m, 'd> {
        let model: &'m Model<'d> = self.model;
        model
            .runs()
            .flat_map(|(stage, inst, script)| script.iter().map(move |cmd| (stage, inst, cmd)))
    }

    /// Every value written into the file by name, as written: `ENV` and
    /// `LABEL` pairs and `ARG` defaults, `ONBUILD` triggers included, with
    /// the instruction (the trigger for `ONBUILD`) and the name.
    pub fn assigned_values(
        &self,
    ) -> impl Iterator<Item = (&'d Instruction, &'d Word, &'d Word)> + use<'d> {
        let file: &'d shipshape_dockerfile::Dockerfile = self.model.file;
        file.instructions.iter().flat_map(|node| {
            let inst: &'d Instruction = match &node.args {
                Args::Onbuild(inner) => inner,
                _ => node,
            };
            let values: Vec<(&'d Instruction, &'d Word, &'d Word)> = match &inst.args {
                Args::Env(pairs) | Args::Label(pairs) => {
                    pairs.iter().map(|kv| (inst, &kv.key, &kv.value)).collect()
                }
                Args::Arg(decls) => decls
                    .iter()
                    .filter_map(|d| d.default.as_ref().map(|v| (inst, &d.name, v)))
                    .collect(),
                _ => Vec::new(),
            };
            values
        })
    }
}

#[cfg(test)]
mod fixes;
pub mod lint;
mod unpinned;

pub use lint::{Fixed, Options, fix, lint, lint_source, lint_with};

mod add_instead_of_copy;
mod add_remote_url;
mod analysis_limit;

/// The rule that marks what the analysis left out (DF108), for callers
/// that also say so on standard error.
pub use analysis_limit::RULE as ANALYSIS_LIMIT;

mod apk_add_no_cache;
mod apk_add_unpinned;
mod apt_get_install_no_yes;
mod apt_get_install_recommends;
mod apt_get_install_unpinned;
mod apt_in_run;
mod apt_lists_not_cleaned;
mod apt_upgrade;
mod cd_instead_of_workdir;
mod chmod_world_writable;
mod consecutive_run;
mod copy_archive_then_extract;
mod copy_context_without_dockerignore;
mod copy_from_own_stage;
mod copy_from_stage_root;
mod copy_from_unknown_stage;
mod copy_multi_source_no_slash;
mod copy_relative_without_workdir;
mod curl_and_wget;
mod curl_pipe_shell;
mod dnf_install_no_yes;
mod dnf_install_unpinned;
mod dnf_no_clean;
mod env_self_reference;
mod expose_invalid_port;
pub mod expose_ssh_port;
mod from_latest;
mod from_not_pinned_by_digest;
mod from_platform_flag;
mod from_platform_redundant;
mod from_untagged;
mod gem_install_unpinned;
mod go_install_unpinned;
pub mod healthcheck_missing;
mod instruction_before_from;
mod label_key_invalid;
mod label_not_in_schema;
mod label_schema_empty;
mod label_schema_missing;
mod label_schema_value;
pub mod last_user_root;
mod ln_bin_sh;
mod maintainer_deprecated;
mod multiple_cmd;
mod multiple_entrypoint;
mod multiple_healthcheck;
mod npm_install_unpinned;
mod onbuild_forbidden_trigger;
mod package_update_alone;
mod pip_install_unpinned;
mod pip_no_cache_dir;
mod pipe_without_pipefail;
mod pointless_command;
mod random_value_in_env_arg;
mod secret_file_copied;
mod secret_in_run_command;
pub mod secret_name_in_env_arg;
pub mod secret_value_in_env_arg_label;
mod shell_form_cmd;
pub mod ssh_server_installed;
mod stage_name_duplicate;
mod stage_name_reserved;
mod sudo;
pub mod untrusted_registry;
pub mod user_missing;
mod user_non_numeric;
mod useradd_large_uid;
mod wget_no_progress;
mod workdir_relative;
mod workdir_system_dir;
mod yarn_cache_not_cleaned;
mod yum_install_no_yes;
mod yum_install_unpinned;
mod yum_no_clean;
mod zypper_dist_upgrade;
mod zypper_install_unpinned;
mod zypper_no_clean;
mod zypper_no_yes;

/// The registry: every Dockerfile rule, once.
pub static RULES: &[&Rule] = &[
    // Base images and stages
    &from_untagged::RULE,
    &from_latest::RULE,
    &from_not_pinned_by_digest::RULE,
    &from_platform_flag::RULE,
    &from_platform_redundant::RULE,
    &untrusted_registry::RULE,
    &stage_name_duplicate::RULE,
    &stage_name_reserved::RULE,
    &copy_from_unknown_stage::RULE,
    &copy_from_own_stage::RULE,
    &copy_from_stage_root::RULE,
    &instruction_before_from::RULE,
    // Users and privileges
    &last_user_root::RULE,
    &user_missing::RULE,
    &user_non_numeric::RULE,
    &sudo::RULE,
    // Secrets
    &secret_name_in_env_arg::RULE,
    &secret_value_in_env_arg_label::RULE,
    &copy_context_without_dockerignore::RULE,
    &secret_file_copied::RULE,
    // Network, services and remote content
    &expose_ssh_port::RULE,
    &ssh_server_installed::RULE,
    &expose_invalid_port::RULE,
    &curl_pipe_shell::RULE,
    &add_remote_url::RULE,
    &add_instead_of_copy::RULE,
    &pointless_command::RULE,
    // Package managers
    &apt_get_install_unpinned::RULE,
    &apt_lists_not_cleaned::RULE,
    &apt_get_install_no_yes::RULE,
    &apt_get_install_recommends::RULE,
    &apt_upgrade::RULE,
    &apt_in_run::RULE,
    &package_update_alone::RULE,
    &apk_add_unpinned::RULE,
    &apk_add_no_cache::RULE,
    &pip_install_unpinned::RULE,
    &pip_no_cache_dir::RULE,
    &npm_install_unpinned::RULE,
    &gem_install_unpinned::RULE,
    &go_install_unpinned::RULE,
    &yum_install_no_yes::RULE,
    &yum_no_clean::RULE,
    &yum_install_unpinned::RULE,
    &zypper_no_yes::RULE,
    &zypper_dist_upgrade::RULE,
    &zypper_no_clean::RULE,
    &zypper_install_unpinned::RULE,
    &dnf_install_no_yes::RULE,
    &dnf_no_clean::RULE,
    &dnf_install_unpinned::RULE,
    &yarn_cache_not_cleaned::RULE,
    // Shell usage in RUN
    &cd_instead_of_workdir::RULE,
    &curl_and_wget::RULE,
    &wget_no_progress::RULE,
    &ln_bin_sh::RULE,
    &pipe_without_pipefail::RULE,
    &useradd_large_uid::RULE,
    &chmod_world_writable::RULE,
    &copy_archive_then_extract::RULE,
    &consecutive_run::RULE,
    // Instructions
    &workdir_relative::RULE,
    &workdir_system_dir::RULE,
    &maintainer_deprecated::RULE,
    &multiple_cmd::RULE,
    &multiple_entrypoint::RULE,
    &multiple_healthcheck::RULE,
    &shell_form_cmd::RULE,
    &healthcheck_missing::RULE,
    &copy_multi_source_no_slash::RULE,
    &copy_relative_without_workdir::RULE,
    &label_key_invalid::RULE,
    &env_self_reference::RULE,
    &onbuild_forbidden_trigger::RULE,
    &random_value_in_env_arg::RULE,
    &label_schema_missing::RULE,
    &label_not_in_schema::RULE,
    &label_schema_empty::RULE,
    &label_schema_value::RULE,
    // Limits of the analysis
    &analysis_limit::RULE,
    // Secrets, numbered after the others
    &secret_in_run_command::RULE,
];

/// The rule with this id or alias.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.meta.answers_to(id))
}

#[cfg(test)]
pub(crate) mod test_support;
