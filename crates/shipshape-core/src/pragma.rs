//! Suppression comments, one syntax for Dockerfiles and YAML manifests:
//! `# shipshape ignore=DF050,DL3008` for the next instruction or line, and
//! `# shipshape global ignore=ID` for the whole file; hadolint's
//! `# hadolint ignore=...` is read the same way. Ids are rule ids, names
//! or any alias.

/// What one suppression comment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    /// For the whole file, not only what follows.
    pub global: bool,
    pub ids: Vec<String>,
}

/// The suppression in `comment`, the text after `#`; `None` when it is
/// not one. Ids are separated by commas (spaces around them allowed);
/// text after the list, separated by a space, is a reason and is ignored
/// (`ignore=RT001 the sidecar needs it`).
pub fn parse(comment: &str) -> Option<Pragma> {
    let rest = comment.trim_start();
    let rest = rest
        .strip_prefix("shipshape")
        .or_else(|| rest.strip_prefix("hadolint"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) if r.starts_with(char::is_whitespace) => (true, r.trim_start()),
        _ => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let mut ids = Vec::new();
    let mut words = list.split_whitespace().peekable();
    while let Some(word) = words.next() {
        ids.extend(
            word.split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_string),
        );
        // `A, B`: the list goes on after a comma; otherwise a reason follows.
        let continues = word.ends_with(',') || words.peek().is_some_and(|w| w.starts_with(','));
        if !continues {
            break;
        }
    }
    Some(Pragma { global, ids })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_spellings_and_both_scopes() {
        assert_eq!(
            parse(" shipshape ignore=DF050,DL3008").map(|p| p.ids.len()),
            Some(2)
        );
        let p = parse("hadolint ignore=DL3008").expect("pragma");
        assert_eq!((p.global, p.ids), (false, vec!["DL3008".to_string()]));
        let p = parse(" shipshape global ignore = RT021").expect("pragma");
        assert_eq!((p.global, p.ids), (true, vec!["RT021".to_string()]));
        let p = parse("shipshape ignore=DF001, DF002 ,DF003").expect("pragma");
        assert_eq!(p.ids, ["DF001", "DF002", "DF003"]);
        let p = parse("shipshape ignore=RT001,KSV017 the sidecar needs it").expect("pragma");
        assert_eq!(p.ids, ["RT001", "KSV017"]);
        assert_eq!(parse("shipshape ignore=").map(|p| p.ids), Some(Vec::new()));
    }

    #[test]
    fn other_comments_are_not_pragmas() {
        for comment in [
            " install the tools",
            " shipshapeignore=DF001",
            " shipshape ignored=DF001",
            " shipshape globalignore=DF001",
            " shipshape ignore DF001",
            "",
        ] {
            assert_eq!(parse(comment), None, "{comment:?}");
        }
    }
}
