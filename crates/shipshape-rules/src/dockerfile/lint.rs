//! Runs the rules on a Dockerfile and applies inline suppressions.

use shipshape_core::{Finding, Location, RuleMeta};

use crate::dockerfile::{Checker, RULES, Rule};
use shipshape_dockerfile::model::Model;
use shipshape_dockerfile::source::Span;
use shipshape_dockerfile::syntax::ast::Dockerfile;
use shipshape_dockerfile::syntax::parser::{ParseError, parse};

/// Settings that change what rules look for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Registries base images may come from (`docker.io`, `*.corp.example`).
    /// Empty: any registry.
    pub trusted_registries: Vec<String>,
    /// Whether a `.dockerignore` applies to the build context; `None` when
    /// unknown (linting text without a file).
    pub dockerignore: Option<bool>,
    /// Labels the image must carry, and the form of each value (hadolint's
    /// `label-schema`). Empty: no schema.
    pub label_schema: Vec<(String, shipshape_dockerfile::labels::LabelType)>,
    /// Whether labels outside the schema are reported (`strict-labels`).
    pub strict_labels: bool,
}

/// Parses and lints Dockerfile text.
pub fn lint_source(
    source: &str,
    path: &str,
    options: &Options,
) -> Result<Vec<Finding>, ParseError> {
    let file = parse(source)?;
    Ok(lint(&file, path, options))
}

/// What fixing a Dockerfile did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// How many fixes were applied, over every round.
    pub applied: usize,
    /// Why fixing stopped before nothing was left to fix, if it did.
    pub stopped: Option<String>,
}

/// How many times fixes are applied and the file linted again: fixes that
/// touch the same text wait for the next round.
const FIX_ROUNDS: usize = 10;

/// Applies the fixes of the findings on `source` (the unsafe ones too
/// with `unsafe_fixes`), lints the result and applies again, until no fix
/// is left. A round whose result would not parse is not applied.
pub fn fix(
    source: &str,
    path: &str,
    options: &Options,
    unsafe_fixes: bool,
) -> Result<Fixed, ParseError> {
    // Each round lints the file the round before checked by parsing it.
    let mut file = parse(source)?;
    let mut applied = 0;
    for _ in 0..FIX_ROUNDS {
        let findings = lint(&file, path, options);
        let fixes = findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability == shipshape_core::Applicability::Safe);
        let (next, n) = shipshape_core::fix::apply(&file.source, fixes);
        if n == 0 || next == file.source {
            return Ok(Fixed {
                text: file.source,
                applied,
                stopped: None,
            });
        }
        match parse(&next) {
            Ok(fixed) => file = fixed,
            Err(e) => {
                return Ok(Fixed {
                    text: file.source,
                    applied,
                    stopped: Some(format!(
                        "the next fixes would leave a file that does not parse ({}): not applied",
                        e.message
                    )),
                });
            }
        }
        applied += n;
    }
    Ok(Fixed {
        text: file.source,
        applied,
        stopped: Some(format!(
            "fixes still changed the file after {FIX_ROUNDS} rounds"
        )),
    })
}

/// Runs every rule on a parsed Dockerfile. Findings silenced by a
/// `# shipshape ignore=` or `# hadolint ignore=` comment are dropped.
pub fn lint(file: &Dockerfile, path: &str, options: &Options) -> Vec<Finding> {
    lint_with(file, path, options, RULES)
}

pub fn lint_with(
    file: &Dockerfile,
    path: &str,
    options: &Options,
    rules: &[&'static Rule],
) -> Vec<Finding> {
    let model = Model::new(file);
    let mut found = Vec::new();
    for rule in rules {
        let mut checker = Checker {
            model: &model,
            options,
            rule: rule.meta,
            found: &mut found,
        };
        (rule.check)(&mut checker);
    }
    let pragmas = Pragmas::new(file);
    let mut findings: Vec<Finding> = found
        .into_iter()
        .filter(|f| !pragmas.silences(file, f.rule, f.span))
        .map(|f| {
            let region = file.lines.region(&file.source, f.span);
            let mut finding = Finding::new(
                f.rule,
                f.message,
                Location::File {
                    path: path.to_string(),
                    region,
                },
            );
            finding.secret = f.secret;
            finding.marks = f
                .marks
                .iter()
                .map(|m| file.lines.region(&file.source, *m))
                .collect();
            finding.fix = f.fix.map(|fix| shipshape_core::Fix {
                applicability: fix.applicability,
                description: fix.description,
                edits: fix
                    .edits
                    .into_iter()
                    .map(|(span, replacement)| shipshape_core::Edit {
                        region: file.lines.region(&file.source, span),
                        replacement,
                    })
                    .collect(),
            });
            finding
        })
        .collect();
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.location.region().map(|r| r.byte_start), f.rule.id);
        key(a).cmp(&key(b))
    });
    findings
}

/// Suppression comments: `# shipshape ignore=DF001,DL3008` (or the
/// hadolint form) on the lines right above an instruction, and
/// `# shipshape global ignore=...` anywhere.
struct Pragmas {
    /// (0-based line of the comment, ids)
    local: Vec<(usize, Vec<String>)>,
    global: Vec<String>,
}

impl Pragmas {
    fn new(file: &Dockerfile) -> Pragmas {
        let mut local = Vec::new();
        let mut global = Vec::new();
        for c in &file.comments {
            let Some(pragma) = shipshape_core::pragma::parse(&c.text) else {
                continue;
            };
            if pragma.global {
                global.extend(pragma.ids);
            } else {
                local.push((c.line, pragma.ids));
            }
        }
        Pragmas { local, global }
    }

    fn silences(&self, file: &Dockerfile, rule: &RuleMeta, span: Span) -> bool {
        if self.global.iter().any(|id| rule.answers_to(id)) {
            return true;
        }
        if self.local.is_empty() {
            return false;
        }
        // The instruction that contains the span, and the comment lines
        // directly above it.
        let idx = file
            .instructions
            .partition_point(|i| i.span.start <= span.start);
        let Some(inst) = idx.checked_sub(1).and_then(|i| file.instructions.get(i)) else {
            return false;
        };
        let mut line = inst.line;
        while line > 0 {
            line -= 1;
            match self.local.iter().find(|(l, _)| *l == line) {
                Some((_, ids)) if ids.iter().any(|id| rule.answers_to(id)) => return true,
                Some(_) => {}
                None if file.comments.iter().any(|c| c.line == line) => {}
                None => return false,
            }
        }
        false
    }
}
