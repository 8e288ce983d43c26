use crate::Severity;

/// Everything known about a rule apart from its check.
///
/// Rule ids are an area prefix and a number (`DF001`) and never change once
/// released. `aliases` are the ids other tools and standards use for the same
/// check, so `--ignore DL3008` or `# hadolint ignore=DL3008` work.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    /// Kebab-case name of the pattern the rule flags.
    pub name: &'static str,
    /// One line, shown in listings and as SARIF `shortDescription`.
    pub title: &'static str,
    pub severity: Severity,
    pub aliases: &'static [&'static str],
    /// The rule's documentation in Markdown, taken from its doc comment.
    pub doc: &'static str,
}

impl RuleMeta {
    /// Whether `id` names this rule, by its own id or an alias (case-insensitive).
    pub fn answers_to(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }

    /// The doc as Markdown. Docs come from doc comments, which carry one
    /// leading space per line; that space is removed.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

impl RuleMeta {
    /// What is wrong with the rule's doc: a missing section, an *Example*
    /// that does not fire or a *Use instead* that does, by `fires`, which
    /// runs the rule on a code block. Each area's registry test asserts
    /// this is empty for every rule.
    pub fn doc_problems(&self, fires: impl Fn(&str) -> bool) -> Vec<String> {
        let mut problems = Vec::new();
        let md = self.markdown();
        let doc = RuleDoc::parse(&md);
        for (name, section) in [
            ("What it does", doc.what_it_does),
            ("Why is this bad?", doc.why_bad),
            ("Example", doc.example),
            ("Use instead", doc.use_instead),
            ("References", doc.references),
        ] {
            if section.is_empty() {
                problems.push(format!("{}: doc has no `## {name}` section", self.id));
            }
        }
        match RuleDoc::code_block(doc.example) {
            Some(code) if fires(code) => {}
            Some(_) => problems.push(format!("{}: the Example does not fire", self.id)),
            None => problems.push(format!("{}: the Example has no code block", self.id)),
        }
        match RuleDoc::code_block(doc.use_instead) {
            Some(code) if !fires(code) => {}
            Some(_) => problems.push(format!("{}: the `Use instead` example fires", self.id)),
            None => problems.push(format!("{}: `Use instead` has no code block", self.id)),
        }
        problems
    }
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for RuleMeta {}

/// A rule's doc comment split into its fixed sections.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RuleDoc<'a> {
    pub what_it_does: &'a str,
    pub why_bad: &'a str,
    pub example: &'a str,
    pub use_instead: &'a str,
    pub references: &'a str,
}

impl<'a> RuleDoc<'a> {
    /// Splits a doc on its `## ` headings. Unknown headings are ignored.
    pub fn parse(doc: &'a str) -> RuleDoc<'a> {
        let mut out = RuleDoc::default();
        let mut rest = doc;
        while let Some(start) = rest.find("## ") {
            let after = &rest[start + 3..];
            let (heading, body_start) = match after.find('\n') {
                Some(nl) => (&after[..nl], &after[nl + 1..]),
                None => (after, ""),
            };
            let end = body_start.find("\n## ").map_or(body_start.len(), |i| i + 1);
            let body = body_start[..end].trim();
            match heading.trim() {
                "What it does" => out.what_it_does = body,
                "Why is this bad?" => out.why_bad = body,
                "Example" => out.example = body,
                "Use instead" => out.use_instead = body,
                "References" => out.references = body,
                _ => {}
            }
            rest = &body_start[end..];
        }
        out
    }

    /// The first fenced code block of a section, without its fence lines.
    pub fn code_block(section: &str) -> Option<&str> {
        let start = section.find("```")?;
        let after = &section[start + 3..];
        let body = &after[after.find('\n')? + 1..];
        let end = body.find("```")?;
        Some(&body[..end])
    }
}

/// Declares a rule in the module that invokes it: `pub static RULE` of the
/// `Rule` type of its parent (the area: Dockerfile, image or runtime), with
/// its metadata and its check. The doc
/// comment is the rule's documentation, with the headings *What it does*,
/// *Why is this bad?*, *Example*, *Use instead* and *References*; each
/// area's registry test runs the first code block of *Example* (it must
/// fire) and of *Use instead* (it must not). Areas take it with
/// `#[macro_use] extern crate shipshape_core;`.
#[macro_export]
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
        pub static RULE: super::Rule = super::Rule {
            meta: &$crate::RuleMeta {
                id: $id,
                name: $name,
                title: $title,
                severity: $crate::Severity::$sev,
                aliases: &[$($alias),*],
                doc: concat!($($doc, "\n"),*),
            },
            check: $check,
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "## What it does\nChecks a thing.\n\n## Why is this bad?\nBecause.\n\n## Example\n```dockerfile\nFROM a\n```\n\n## Use instead\n```dockerfile\nFROM a:1\n```\n\n## References\n- DL3006\n";

    #[test]
    fn splits_sections_and_code_blocks() {
        let doc = RuleDoc::parse(DOC);
        assert_eq!(doc.what_it_does, "Checks a thing.");
        assert_eq!(doc.why_bad, "Because.");
        assert_eq!(RuleDoc::code_block(doc.example), Some("FROM a\n"));
        assert_eq!(RuleDoc::code_block(doc.use_instead), Some("FROM a:1\n"));
        assert_eq!(doc.references, "- DL3006");
    }

    #[test]
    fn answers_to_id_name_and_aliases() {
        let meta = RuleMeta {
            id: "DF001",
            name: "from-untagged",
            title: "t",
            severity: Severity::Low,
            aliases: &["DL3006"],
            doc: DOC,
        };
        assert!(meta.answers_to("df001"));
        assert!(meta.answers_to("DL3006"));
        assert!(meta.answers_to("from-untagged"));
        assert!(!meta.answers_to("DL3007"));
    }
}
