//! Every Dockerfile rule, one file each. [`RULES`] is the registry: each rule
//! is listed once, grouped by area, in id order.

use shipshape_core::RuleMeta;

use crate::model::{Inst, Model, Stage};
use crate::shell::Cmd;
use crate::source::Span;

/// A Dockerfile rule: its metadata and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&mut Checker<'_, '_>),
}

/// Declares a rule. The doc comment is the rule's documentation, with the
/// headings *What it does*, *Why is this bad?*, *Example*, *Use instead* and
/// *References*; the first code block of *Example* must fire and the first
/// of *Use instead* must not (a test checks both).
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        id: $id:literal,
        name: $name:literal,
        title: $title:literal,
        severity: $sev:ident,
        aliases: [$($alias:literal),* $(,)?],
        check: $check:path $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::rules::Rule = $crate::rules::Rule {
            meta: shipshape_core::RuleMeta {
                id: $id,
                name: $name,
                title: $title,
                severity: shipshape_core::Severity::$sev,
                aliases: &[$($alias),*],
                doc: concat!($($doc, "\n"),*),
            },
            check: $check,
        };
    };
}


/// What a rule's check gets: the model, the options, and a way to report.
pub struct Checker<'m, 'd> {
    pub model: &'m Model<'d>,
    pub options: &'m crate::Options,
    pub(crate) rule: &'static RuleMeta,
    pub(crate) found: &'m mut Vec<(&'static RuleMeta, Span, String)>,
}

impl<'d> Checker<'_, 'd> {
    /// Reports a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.found.push((self.rule, span, message.into()));
    }

    /// Every RUN (ONBUILD RUN included) and each of its commands.
    pub fn commands(&self) -> Vec<(&Stage<'d>, &Inst<'d>, &Cmd)> {
        self.model
            .runs()
            .flat_map(|(stage, inst, script)| script.iter().map(move |cmd| (stage, inst, cmd)))
            .collect()
    }
}

mod from_untagged;
mod apt_get_install_unpinned;
mod apt_lists_not_cleaned;
mod apt_get_install_no_yes;
mod apt_get_install_recommends;
mod apt_upgrade;
mod apt_in_run;
mod package_update_alone;
mod apk_add_unpinned;
mod apk_add_no_cache;
mod pip_install_unpinned;
mod pip_no_cache_dir;
mod npm_install_unpinned;
mod gem_install_unpinned;
mod go_install_unpinned;
mod yum_install_no_yes;
mod yum_no_clean;
mod yum_install_unpinned;
mod zypper_no_yes;
mod zypper_dist_upgrade;
mod zypper_no_clean;
mod zypper_install_unpinned;
mod dnf_install_no_yes;
mod dnf_no_clean;
mod dnf_install_unpinned;
mod yarn_cache_not_cleaned;
mod pkg;

/// The registry: every Dockerfile rule, once.
pub static RULES: &[&Rule] = &[
    // Base images and stages
    &from_untagged::RULE,
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
];

/// A rule's doc as Markdown (doc comments carry one leading space per line).
pub fn markdown(meta: &RuleMeta) -> String {
    let mut out = String::with_capacity(meta.doc.len());
    for line in meta.doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

/// The rule with this id or alias.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.meta.answers_to(id))
}

#[cfg(test)]
pub(crate) mod test_support;
