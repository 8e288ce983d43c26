//! Every image rule, one file each. [`RULES`] is the registry: each rule is
//! listed once, grouped by area, in id order.

use shipshape_core::{Finding, Location, RuleMeta, Severity};

use shipshape_image::Image;

/// The image area: its rules read an image (config, history, files)
/// through a [`Checker`].
pub struct Images;

impl crate::Area for Images {
    type Check = fn(&mut Checker<'_>);
}

/// A image rule: its metadata and its check.
pub type Rule = crate::Rule<Images>;

/// What a rule's check gets: the image and a way to report.
pub struct Checker<'a> {
    pub image: &'a Image,
    /// The `trustedRegistries` setting (empty: no policy).
    pub trusted: &'a [String],
    rule: &'static RuleMeta,
    found: &'a mut Vec<Finding>,
}

impl Checker<'_> {
    fn location(
        &self,
        layer: Option<usize>,
        path: Option<&str>,
        field: Option<String>,
        line: Option<u32>,
    ) -> Location {
        self.image.location(layer, path, field, line)
    }

    /// Reports a finding about a field of the image config (`config.User`).
    pub fn report_config(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let location = self.location(None, None, Some(field.into()), None);
        self.found.push(Finding::new(self.rule, message, location));
    }

    /// Reports a finding about the history entry `index` (and the layer it
    /// made, if any).
    pub fn report_history(&mut self, index: usize, message: impl Into<String>) {
        let layer = self.image.spec.history.get(index).and_then(|h| h.layer);
        let location = self.location(layer, None, Some(format!("history[{index}]")), None);
        self.found.push(Finding::new(self.rule, message, location));
    }

    /// Reports a finding about a file: the layer that holds it, its path and
    /// the line, when known.
    pub fn report_file(
        &mut self,
        layer: Option<usize>,
        path: &str,
        line: Option<u32>,
        message: impl Into<String>,
    ) {
        let location = self.location(layer, Some(path), None, line);
        self.found.push(Finding::new(self.rule, message, location));
    }

    /// Like [`Checker::report_file`], at `severity` instead of the rule's
    /// (a rule whose findings are not all equally serious).
    pub fn report_file_with_severity(
        &mut self,
        severity: Severity,
        layer: Option<usize>,
        path: &str,
        line: Option<u32>,
        message: impl Into<String>,
    ) {
        let location = self.location(layer, Some(path), None, line);
        let mut finding = Finding::new(self.rule, message, location);
        finding.severity = severity;
        self.found.push(finding);
    }
}

/// Runs `rules` on an image.
pub fn check(image: &Image, rules: &[&'static Rule]) -> Vec<Finding> {
    check_trusting(image, rules, &[])
}

/// [`check`] with the `trustedRegistries` setting.
pub fn check_trusting(image: &Image, rules: &[&'static Rule], trusted: &[String]) -> Vec<Finding> {
    let mut found = Vec::new();
    for rule in rules {
        let mut cx = Checker {
            image,
            trusted,
            rule: rule.meta,
            found: &mut found,
        };
        (rule.check)(&mut cx);
    }
    found
}

/// Metadata of every image rule of its own, configuration and files (the
/// Dockerfile rules it also runs are listed with them).
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES
        .iter()
        .chain(FILE_RULES)
        .filter(|r| is_own(r))
        .map(|r| r.meta)
}

/// Whether a file rule needs the contents of `path` (the reader keeps
/// contents only for these). Called for every path of every layer, so it
/// decides on the path alone and cheaply.
pub fn wants(path: &str) -> bool {
    use file_support::{ends_with_path, third_party};
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        path,
        "etc/passwd" | "etc/group" | "etc/shadow" | "etc/gshadow" | "etc/sudoers"
    ) || path
        .strip_prefix("etc/sudoers.d/")
        .is_some_and(|rest| !rest.contains('/'))
        || ((sensitive_file::wants(path, name) || private_key_file::wants(name))
            && !third_party(path))
        || ends_with_path(path, ".git/config")
}

mod build_arg_secret;
pub mod build_steps;
pub mod config_twins;
mod history;
mod image_tag_latest;
mod secret_in_file;
mod secret_in_image_env;
mod signature_not_verified;

// File rules
mod duplicate_user_or_group;
mod file_support;
mod package_cache_left;
mod private_key_file;
mod sensitive_file;
mod setuid_setgid_file;
mod shadow_empty_password;
mod ssh_server_installed;
mod sudo_installed;
mod sudoers_nopasswd;
mod world_writable;

/// The setuid/setgid rule alone, for the benchmark's check 4.8.
pub use setuid_setgid_file::RULE as SETUID_SETGID;

/// The file rules: they look at the merged file system only, so they also
/// check a root file system directory (`shipshape fs`).
pub static FILE_RULES: &[&Rule] = &[
    // Files and accounts
    &setuid_setgid_file::RULE,
    &world_writable::RULE,
    &private_key_file::RULE,
    &sensitive_file::RULE,
    &shadow_empty_password::RULE,
    &duplicate_user_or_group::RULE,
    &sudo_installed::RULE,
    &ssh_server_installed::RULE,
    &package_cache_left::RULE,
    &sudoers_nopasswd::RULE,
    // Secrets in files
    &secret_in_file::RULE,
];

/// The registry of configuration and history rules.
pub static RULES: &[&Rule] = &[
    // Configuration
    &image_tag_latest::RULE,
    &signature_not_verified::RULE,
    // The Dockerfile rules on what the image is (their own ids)
    &config_twins::ROOT_USER,
    &config_twins::NO_USER,
    &config_twins::NO_HEALTHCHECK,
    &config_twins::SSH_PORT,
    &config_twins::UNTRUSTED_REGISTRY,
    &secret_in_image_env::ENV_VALUE,
    &secret_in_image_env::ENV_NAME,
    &secret_in_image_env::LABEL_VALUE,
    &build_arg_secret::ARG_VALUE,
    &build_arg_secret::ARG_NAME,
];

/// Whether `rule` is an image rule of its own (IM), not a Dockerfile rule
/// run on the image.
pub fn is_own(rule: &Rule) -> bool {
    rule.meta.id.starts_with("IM")
}

#[cfg(test)]
pub(crate) mod test_support;
