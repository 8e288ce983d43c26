use super::Checker;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags a `WORKDIR` that is, or is under, a system directory:
    /// `/proc`, `/sys`, `/dev`, `/boot`, `/initrd` or `/lost+found`. The
    /// path is checked after expanding variables and resolving `.`, `..`
    /// and repeated slashes.
    ///
    /// ## Why is this bad?
    /// `/proc`, `/sys` and `/dev` are kernel filesystems mounted over the
    /// image when the container starts: anything the build writes there is
    /// hidden, and a process working in them reads and writes kernel and
    /// device interfaces. `/boot`, `/initrd` and `/lost+found` belong to the
    /// host's boot and filesystem recovery, not to an application. A
    /// working directory there is a mistake or an attempt to reach the host.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR /proc/self
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR /srv/app
    /// ```
    ///
    /// ## References
    /// - trivy DS-0030
    id: "DF091",
    name: "workdir-system-dir",
    title: "WORKDIR is a system directory",
    severity: High,
    aliases: ["DS030", "DS-0030", "AVD-DS-0030"],
    check: check,
}

const SYSTEM_DIRS: &[&str] = &["proc", "boot", "dev", "sys", "initrd", "lost+found"];

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        let Args::Workdir(word) = &inst.body.args else {
            continue;
        };
        let path = if inst.onbuild {
            word.value.clone()
        } else {
            stage.expand(inst, word).value
        };
        if !path.starts_with('/') {
            continue;
        }
        if let Some(dir) = top_dir(&path).filter(|d| SYSTEM_DIRS.contains(d)) {
            cx.report(
                word.span,
                format!(
                    "`WORKDIR {path}` is inside the system directory `/{dir}`: \
                 work in an application directory such as `/app` or `/srv`"
                ),
            );
        }
    }
}

/// The first component of an absolute path once `.`, `..` and empty
/// components are resolved.
fn top_dir(path: &str) -> Option<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.first().copied()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_system_directories() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nWORKDIR /proc\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nWORKDIR /dev/\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR /sys/fs/cgroup\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR /lost+found\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nWORKDIR //boot\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR /app/../initrd\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG D=/proc\nWORKDIR ${D}/1\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD WORKDIR /dev\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_ordinary_directories() {
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /app\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /srv/proc\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /devtools\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /system\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /proc/../app\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR dev\n");
        assert_silent(&RULE, "FROM alpine:3.20\nARG D\nWORKDIR $D\n");
    }
}
