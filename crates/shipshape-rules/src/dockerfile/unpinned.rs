//! One finding per install for the packages it leaves unpinned, shared by
//! the pinning rules of every package manager.

use shipshape_dockerfile::pkg::{
    RpmTarget, rpm_install_targets, rpm_module_pinned, rpm_package_pinned,
};
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::source::Span;

use super::Checker;

/// A package an install leaves to the day of the build: where it is
/// written, its name as written, and the message for it alone.
pub struct Unpinned {
    pub span: Span,
    pub name: String,
    pub message: String,
}

/// The most package names one finding lists in its message.
const MAX_LISTED: usize = 8;

/// Reports the unpinned packages of one instruction as one finding: a
/// package alone with its own message, several by name (each marked where
/// the source is shown) with `fix` saying how to pin each.
pub fn report_unpinned(cx: &mut Checker<'_, '_>, found: Vec<Unpinned>, fix: &str) {
    match found.as_slice() {
        [] => {}
        [one] => cx.report(one.span, one.message.clone()),
        many => {
            let mut names: Vec<String> = many
                .iter()
                .take(MAX_LISTED)
                .map(|u| format!("`{}`", u.name))
                .collect();
            if many.len() > MAX_LISTED {
                names.push(format!("and {} more", many.len() - MAX_LISTED));
            }
            let message = format!(
                "{} packages are not pinned: {}; {fix}",
                many.len(),
                names.join(", ")
            );
            cx.report_marks(many.iter().map(|u| u.span).collect(), message);
        }
    }
}

/// The unversioned targets of a `yum`/`dnf install`, with a message each.
pub fn rpm_unpinned(cmd: &Cmd) -> impl Iterator<Item = Unpinned> + '_ {
    rpm_install_targets(cmd)
        .into_iter()
        .filter_map(|target| match target {
            RpmTarget::Package(arg) if !rpm_package_pinned(&arg.value) => Some(Unpinned {
                span: arg.span,
                name: arg.value.clone(),
                message: format!("`{0}` is not pinned: use `{0}-<version>`", arg.value),
            }),
            RpmTarget::Module(arg) if !rpm_module_pinned(&arg.value) => Some(Unpinned {
                span: arg.span,
                name: arg.value.clone(),
                message: format!("module `{0}` has no stream: use `{0}:<stream>`", arg.value),
            }),
            _ => None,
        })
}

/// The unversioned targets of a `yum`/`dnf install` in each RUN, one
/// finding per RUN.
pub fn report_rpm_unpinned(cx: &mut Checker<'_, '_>, is_tool: fn(&Cmd) -> bool) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let found = script
            .iter()
            .filter(|c| is_tool(c))
            .flat_map(rpm_unpinned)
            .collect();
        report_unpinned(
            cx,
            found,
            "pin each as `name-<version>` (a module as `name:<stream>`)",
        );
    }
}
