//! Variable interpolation as docker compose does it, on one string:
//! `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
//! `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`, and `$$` for
//! a literal `$`. Defaults and replacements may themselves hold variables.

/// Looks a variable up: the shell's environment, then the `.env` file.
pub trait Vars {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Vars for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        std::collections::HashMap::get(self, name).map(String::as_str)
    }
}

/// Why a string could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterpolateError {
    #[error("required variable `{name}` is not set: {message}")]
    Required { name: String, message: String },
    #[error("unterminated `${{` in `{0}`")]
    Unterminated(String),
    #[error("invalid variable name in `{0}`")]
    BadName(String),
}

/// Interpolates `text`. Unset variables without a default become empty,
/// as compose does (it warns).
pub fn interpolate(text: &str, vars: &dyn Vars) -> Result<String, InterpolateError> {
    if !text.contains('$') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end =
                closing_brace(body).ok_or_else(|| InterpolateError::Unterminated(text.into()))?;
            out.push_str(&braced(&body[..end], vars, text)?);
            rest = &body[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                out.push('$');
            } else {
                out.push_str(vars.get(&after[..len]).unwrap_or(""));
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Length of the variable name at the start of `s`.
fn name_len(s: &str) -> usize {
    let mut len = 0;
    for (i, c) in s.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

/// Index of the `}` that closes a `${`, counting nested `${...}`.
fn closing_brace(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Expands the inside of `${...}`.
fn braced(inner: &str, vars: &dyn Vars, whole: &str) -> Result<String, InterpolateError> {
    let len = name_len(inner);
    if len == 0 {
        return Err(InterpolateError::BadName(whole.into()));
    }
    let name = &inner[..len];
    let op = &inner[len..];
    let value = vars.get(name);
    let set = value.is_some();
    let non_empty = value.is_some_and(|v| !v.is_empty());
    let current = || value.unwrap_or("").to_string();
    let (colon, op) = match op.strip_prefix(':') {
        Some(op) => (true, op),
        None => (false, op),
    };
    let present = if colon { non_empty } else { set };
    let Some(kind) = op.chars().next() else {
        return if colon {
            Err(InterpolateError::BadName(whole.into()))
        } else {
            Ok(current())
        };
    };
    let arg = &op[1..];
    match kind {
        '-' if present => Ok(current()),
        '-' => interpolate(arg, vars),
        '+' if present => interpolate(arg, vars),
        '+' => Ok(String::new()),
        '?' if present => Ok(current()),
        '?' => Err(InterpolateError::Required {
            name: name.into(),
            message: interpolate(arg, vars)?,
        }),
        _ => Err(InterpolateError::BadName(whole.into())),
    }
}

/// Reads a `.env` file as compose does: `KEY=VALUE` lines, `#` comments,
/// an optional `export `, single or double quotes around the value.
pub fn parse_dotenv(text: &str) -> std::collections::HashMap<String, String> {
    let mut vars = std::collections::HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let value = if let Some(v) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            v.replace("\\n", "\n").replace("\\\"", "\"")
        } else if let Some(v) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            v.to_string()
        } else {
            // An unquoted value ends at ` #`.
            value
                .split(" #")
                .next()
                .unwrap_or("")
                .trim_end()
                .to_string()
        };
        vars.insert(key.trim().to_string(), value);
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars() -> HashMap<String, String> {
        HashMap::from([
            ("TAG".to_string(), "1.25".to_string()),
            ("EMPTY".to_string(), String::new()),
        ])
    }

    fn run(text: &str) -> Result<String, InterpolateError> {
        interpolate(text, &vars())
    }

    #[test]
    fn forms() {
        assert_eq!(run("nginx:${TAG}").as_deref(), Ok("nginx:1.25"));
        assert_eq!(run("nginx:$TAG-x").as_deref(), Ok("nginx:1.25-x"));
        assert_eq!(run("${NOPE:-latest}").as_deref(), Ok("latest"));
        assert_eq!(run("${EMPTY:-d}").as_deref(), Ok("d"));
        assert_eq!(run("${EMPTY-d}").as_deref(), Ok(""));
        assert_eq!(run("${NOPE-d}").as_deref(), Ok("d"));
        assert_eq!(run("${TAG:+set}").as_deref(), Ok("set"));
        assert_eq!(run("${EMPTY:+set}").as_deref(), Ok(""));
        assert_eq!(run("${EMPTY+set}").as_deref(), Ok("set"));
        assert_eq!(run("${NOPE:-${TAG}}").as_deref(), Ok("1.25"));
        assert_eq!(run("$$HOME and $NOPE.").as_deref(), Ok("$HOME and ."));
        assert_eq!(run("cost: 5$").as_deref(), Ok("cost: 5$"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            run("${DB_PASSWORD:?set it in .env}"),
            Err(InterpolateError::Required {
                name: "DB_PASSWORD".into(),
                message: "set it in .env".into()
            })
        );
        assert_eq!(run("${TAG:?x}").as_deref(), Ok("1.25"));
        assert!(matches!(
            run("${TAG"),
            Err(InterpolateError::Unterminated(_))
        ));
        assert!(matches!(run("${1X}"), Err(InterpolateError::BadName(_))));
    }

    #[test]
    fn dotenv() {
        let vars =
            parse_dotenv("# c\nA=1\nexport B=\"two words\"\nC='x y' \nD=plain # note\n\nbad\n");
        assert_eq!(vars.get("A").map(String::as_str), Some("1"));
        assert_eq!(vars.get("B").map(String::as_str), Some("two words"));
        assert_eq!(vars.get("C").map(String::as_str), Some("x y"));
        assert_eq!(vars.get("D").map(String::as_str), Some("plain"));
        assert_eq!(vars.len(), 4);
    }
}
