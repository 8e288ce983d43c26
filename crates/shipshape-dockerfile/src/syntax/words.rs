//! BuildKit's word rules: splitting instruction arguments into words,
//! removing quotes and escapes, and expanding `$VAR` / `${VAR...}`.

use std::fmt;

/// Splits text into words on unquoted whitespace, keeping quotes and escapes
/// in the words (BuildKit's `parseWords`). Returns byte ranges into `text`.
pub fn split_words(text: &str, escape: char) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, ch) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if start.is_none() {
            if ch.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        if ch == escape && quote != Some('\'') {
            escaped = true;
            continue;
        }
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if ch == '\'' || ch == '"' => quote = Some(ch),
            None if ch.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push((s, i));
                }
            }
            None => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

/// Variables visible to an instruction.
pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Env for () {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

impl<F: Fn(&str) -> Option<&'static str>> Env for F {
    fn get(&self, name: &str) -> Option<&str> {
        self(name)
    }
}

/// A word after quote removal and expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    pub value: String,
    /// Names of variables that were referenced but not defined; the value
    /// treats them as empty, as BuildKit does.
    pub unresolved: Vec<String>,
    /// The expansion grew past [`MAX_EXPANSION`] bytes and was cut short:
    /// `value` is the word as written, unexpanded.
    pub over_budget: bool,
}

impl Expanded {
    pub fn is_exact(&self) -> bool {
        self.unresolved.is_empty() && !self.over_budget
    }
}

/// The most bytes one word may expand to. Variables that double at each
/// step (`ARG a1=$a0$a0`, `ARG a2=$a1$a1`, ...) reach gigabytes in a few
/// dozen lines; past this size a word's value is treated as unknown.
pub const MAX_EXPANSION: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordError {
    pub message: String,
    /// Byte offset in the word where the problem was found.
    pub at: usize,
    /// The word expands to more than [`MAX_EXPANSION`] bytes.
    over_budget: bool,
}

impl fmt::Display for WordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Removes quotes and escapes from one word and expands variables.
pub fn expand(word: &str, escape: char, env: &dyn Env) -> Result<Expanded, WordError> {
    let mut lexer = Lexer {
        chars: word.char_indices().collect(),
        pos: 0,
        escape,
        env,
        unresolved: Vec::new(),
        depth: 0,
    };
    match lexer.word(&[]) {
        Ok(value) => Ok(Expanded {
            value,
            unresolved: lexer.unresolved,
            over_budget: false,
        }),
        Err(e) if e.over_budget => Ok(Expanded {
            value: unquote(word, escape),
            unresolved: lexer.unresolved,
            over_budget: true,
        }),
        Err(e) => Err(e),
    }
}

/// Removes quotes and escapes without expanding anything: `$X` stays `$X`.
pub fn unquote(word: &str, escape: char) -> String {
    let mut out = String::with_capacity(word.len());
    let mut quote: Option<char> = None;
    let mut chars = word.chars().peekable();
    while let Some(ch) = chars.next() {
        match quote {
            Some('\'') if ch == '\'' => quote = None,
            Some('\'') => out.push(ch),
            Some(_) if ch == '"' => quote = None,
            Some(_) if ch == escape => match chars.peek() {
                Some(&next) if next == '"' || next == '$' || next == escape => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push(ch),
            },
            None if ch == '\'' || ch == '"' => quote = Some(ch),
            None if ch == escape => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(ch),
        }
    }
    out
}

const MAX_DEPTH: usize = 64;

struct Lexer<'a> {
    chars: Vec<(usize, char)>,
    pos: usize,
    escape: char,
    env: &'a dyn Env,
    unresolved: Vec<String>,
    depth: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or_else(
            || self.chars.last().map_or(0, |&(i, c)| i + c.len_utf8()),
            |&(i, _)| i,
        )
    }

    fn error(&self, message: impl Into<String>) -> WordError {
        WordError {
            message: message.into(),
            at: self.offset(),
            over_budget: false,
        }
    }

    /// Appends an expanded value, within the budget.
    fn push_value(&self, out: &mut String, value: &str) -> Result<(), WordError> {
        if out.len() + value.len() > MAX_EXPANSION {
            return Err(self.over_budget());
        }
        out.push_str(value);
        Ok(())
    }

    fn over_budget(&self) -> WordError {
        WordError {
            over_budget: true,
            ..self.error(format!("expands to more than {MAX_EXPANSION} bytes"))
        }
    }

    /// Reads until end of input or an unquoted char in `stops`.
    fn word(&mut self, stops: &[char]) -> Result<String, WordError> {
        let mut out = String::new();
        while let Some(ch) = self.peek() {
            if stops.contains(&ch) {
                break;
            }
            self.pos += 1;
            if ch == self.escape {
                match self.peek() {
                    Some(next) => {
                        out.push(next);
                        self.pos += 1;
                    }
                    None => out.push(ch),
                }
            } else if ch == '\'' {
                self.single_quoted(&mut out)?;
            } else if ch == '"' {
                self.double_quoted(&mut out)?;
            } else if ch == '$' {
                let value = self.dollar()?;
                self.push_value(&mut out, &value)?;
            } else {
                out.push(ch);
            }
        }
        Ok(out)
    }

    fn single_quoted(&mut self, out: &mut String) -> Result<(), WordError> {
        while let Some(ch) = self.peek() {
            self.pos += 1;
            if ch == '\'' {
                return Ok(());
            }
            out.push(ch);
        }
        Err(self.error("unterminated single quote"))
    }

    fn double_quoted(&mut self, out: &mut String) -> Result<(), WordError> {
        while let Some(ch) = self.peek() {
            self.pos += 1;
            if ch == '"' {
                return Ok(());
            }
            if ch == self.escape {
                match self.peek() {
                    Some(next) if next == '"' || next == '$' || next == self.escape => {
                        out.push(next);
                        self.pos += 1;
                    }
                    _ => out.push(ch),
                }
            } else if ch == '$' {
                let value = self.dollar()?;
                self.push_value(out, &value)?;
            } else {
                out.push(ch);
            }
        }
        Err(self.error("unterminated double quote"))
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if ch.is_ascii_alphanumeric() || ch == '_' {
                name.push(ch);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        let value = self.env.get(name).map(str::to_string);
        if value.is_none() && !self.unresolved.iter().any(|n| n == name) {
            self.unresolved.push(name.to_string());
        }
        value
    }

    /// Called after a `$`.
    fn dollar(&mut self) -> Result<String, WordError> {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error("variable substitutions nested too deeply"));
                }
                let result = self.braced();
                self.depth -= 1;
                result
            }
            Some(c) if c.is_ascii_digit() => {
                self.pos += 1;
                Ok(String::new())
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                Ok(self.lookup(&name).unwrap_or_default())
            }
            _ => Ok("$".to_string()),
        }
    }

    /// Called after `${`.
    fn braced(&mut self) -> Result<String, WordError> {
        let name = self.name();
        if name.is_empty() {
            return Err(self.error("bad substitution: expected a variable name after `${`"));
        }
        let Some(op) = self.peek() else {
            return Err(self.error("missing `}` in variable substitution"));
        };
        self.pos += 1;
        if op == '}' {
            return Ok(self.lookup(&name).unwrap_or_default());
        }
        let colon = op == ':';
        let op = if colon {
            let Some(next) = self.peek() else {
                return Err(self.error("missing `}` in variable substitution"));
            };
            self.pos += 1;
            next
        } else {
            op
        };
        let value = self.lookup(&name);
        match op {
            '-' | '+' | '?' => {
                let word = self.word(&['}'])?;
                self.close()?;
                let set = match &value {
                    Some(v) => !(colon && v.is_empty()),
                    None => false,
                };
                // The operator says what an unset variable means.
                self.unresolved.retain(|n| n != &name);
                Ok(match op {
                    '-' if set => value.unwrap_or_default(),
                    '-' => word,
                    '+' if set => word,
                    '+' => String::new(),
                    _ if set => value.unwrap_or_default(),
                    _ => {
                        let msg = if word.is_empty() {
                            format!("{name}: is not allowed to be unset")
                        } else {
                            format!("{name}: {word}")
                        };
                        return Err(self.error(msg));
                    }
                })
            }
            '#' | '%' if !colon => {
                let longest = self.peek() == Some(op);
                if longest {
                    self.pos += 1;
                }
                let pattern = self.word(&['}'])?;
                self.close()?;
                let value = value.unwrap_or_default();
                if pattern_too_costly(&value, &pattern) {
                    return Err(self.over_budget());
                }
                Ok(if op == '#' {
                    trim_prefix(&value, &pattern, longest)
                } else {
                    trim_suffix(&value, &pattern, longest)
                })
            }
            '/' if !colon => {
                let all = self.peek() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pattern = self.word(&['/', '}'])?;
                let replacement = if self.peek() == Some('/') {
                    self.pos += 1;
                    self.word(&['}'])?
                } else {
                    String::new()
                };
                self.close()?;
                let value = value.unwrap_or_default();
                let grows = replacement.len().saturating_sub(pattern.len());
                let times = if all {
                    value.len() / pattern.len().max(1)
                } else {
                    1
                };
                if value.len() + grows.saturating_mul(times) > MAX_EXPANSION {
                    return Err(self.over_budget());
                }
                Ok(if pattern.is_empty() {
                    value
                } else if all {
                    value.replace(&pattern, &replacement)
                } else {
                    value.replacen(&pattern, &replacement, 1)
                })
            }
            other => Err(self.error(format!(
                "unsupported modifier `{}{other}` in substitution of `{name}`",
                if colon { ":" } else { "" }
            ))),
        }
    }

    fn close(&mut self) -> Result<(), WordError> {
        if self.peek() == Some('}') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error("missing `}` in variable substitution"))
        }
    }
}

/// The lengths of the prefixes of `text` that the shell pattern `pattern`
/// (`*` and `?`) matches, as one flag per length `0..=text.len()`. One pass
/// over the text with the set of pattern positions reachable so far, so
/// the cost is `text.len() * pattern.len()` whatever the pattern.
fn matching_prefixes(pattern: &[char], text: &[char]) -> Vec<bool> {
    let m = pattern.len();
    let close = |states: &mut Vec<bool>| {
        for i in 0..m {
            if states[i] && pattern[i] == '*' {
                states[i + 1] = true;
            }
        }
    };
    let mut states = vec![false; m + 1];
    states[0] = true;
    close(&mut states);
    let mut out = Vec::with_capacity(text.len() + 1);
    out.push(states[m]);
    for &c in text {
        let mut next = vec![false; m + 1];
        for i in 0..m {
            if !states[i] {
                continue;
            }
            match pattern[i] {
                '*' => next[i] = true,
                '?' => next[i + 1] = true,
                p if p == c => next[i + 1] = true,
                _ => {}
            }
        }
        close(&mut next);
        out.push(next[m]);
        states = next;
    }
    out
}

/// The most steps a `#`/`%` pattern trim may take (text length times
/// pattern length); past it the word is treated as unknown.
const MAX_PATTERN_WORK: usize = 1 << 24;

fn pattern_too_costly(value: &str, pattern: &str) -> bool {
    value.len().saturating_mul(pattern.len() + 1) > MAX_PATTERN_WORK
}

fn trim_prefix(value: &str, pattern: &str, longest: bool) -> String {
    let text: Vec<char> = value.chars().collect();
    let pat: Vec<char> = pattern.chars().collect();
    let matches = matching_prefixes(&pat, &text);
    let cut = if longest {
        matches.iter().rposition(|&m| m)
    } else {
        matches.iter().position(|&m| m)
    };
    match cut {
        Some(cut) => text[cut..].iter().collect(),
        None => value.to_string(),
    }
}

fn trim_suffix(value: &str, pattern: &str, longest: bool) -> String {
    // A suffix of the text matched by the pattern is a prefix of the
    // reversed text matched by the reversed pattern.
    let text: Vec<char> = value.chars().rev().collect();
    let pat: Vec<char> = pattern.chars().rev().collect();
    let matches = matching_prefixes(&pat, &text);
    let len = if longest {
        matches.iter().rposition(|&m| m)
    } else {
        matches.iter().position(|&m| m)
    };
    match len {
        Some(len) => text[len..].iter().rev().collect(),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Env for Map {
        fn get(&self, name: &str) -> Option<&str> {
            self.0.get(name).copied()
        }
    }

    fn env() -> Map {
        Map(HashMap::from([
            ("A", "alpha"),
            ("EMPTY", ""),
            ("V", "1.2.3-rc"),
        ]))
    }

    fn ex(word: &str) -> Expanded {
        expand(word, '\\', &env()).unwrap_or_else(|e| panic!("{word}: {e}"))
    }

    #[test]
    fn splits_on_unquoted_whitespace() {
        let text = r#"a="x y" b=c\ d  'e f'"#;
        let words: Vec<&str> = split_words(text, '\\')
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(words, vec![r#"a="x y""#, r"b=c\ d", "'e f'"]);
    }

    #[test]
    fn expands_plain_and_braced_forms() {
        assert_eq!(ex("$A").value, "alpha");
        assert_eq!(ex("${A}-x").value, "alpha-x");
        assert_eq!(ex("${MISSING:-def}").value, "def");
        assert!(ex("${MISSING:-def}").is_exact());
        assert_eq!(ex("${EMPTY:-def}").value, "def");
        assert_eq!(ex("${EMPTY-def}").value, "");
        assert_eq!(ex("${A:+set}").value, "set");
        assert_eq!(ex("${MISSING:+set}").value, "");
        assert_eq!(ex("${V%-*}").value, "1.2.3");
        assert_eq!(ex("${V#*.}").value, "2.3-rc");
        assert_eq!(ex("${V##*.}").value, "3-rc");
        assert_eq!(ex("${V/./_}").value, "1_2.3-rc");
        assert_eq!(ex("${V//./_}").value, "1_2_3-rc");
    }

    #[test]
    fn records_unresolved_variables() {
        let e = ex("img:$TAG");
        assert_eq!(e.value, "img:");
        assert_eq!(e.unresolved, vec!["TAG".to_string()]);
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ex(r#""$A b""#).value, "alpha b");
        assert_eq!(ex("'$A'").value, "$A");
        assert_eq!(ex(r"\$A").value, "$A");
        assert_eq!(ex(r#""a\"b""#).value, "a\"b");
        assert_eq!(expand("`$A", '`', &env()).map(|e| e.value), Ok("$A".into()));
        assert_eq!(unquote(r#""a b"\ c$D"#, '\\'), "a b c$D");
    }

    #[test]
    fn bad_substitutions_are_errors_not_panics() {
        for bad in [
            "${",
            "${A",
            "${A:-x",
            "${:-x}",
            "'open",
            "\"open",
            "${MISSING:?need it}",
        ] {
            assert!(expand(bad, '\\', &env()).is_err(), "{bad}");
        }
        let deep = "${A:-".repeat(100) + &"}".repeat(100);
        assert!(expand(&deep, '\\', &env()).is_err());
    }

    struct Big(String);
    impl Env for Big {
        fn get(&self, _: &str) -> Option<&str> {
            Some(&self.0)
        }
    }

    #[test]
    fn expansion_past_the_budget_is_unknown_not_built() {
        let env = Big("x".repeat(MAX_EXPANSION / 2 + 1));
        let e = expand("$A", '\\', &env).expect("expands");
        assert!(e.is_exact() && !e.over_budget);
        let e = expand("$A$A", '\\', &env).expect("expands");
        assert!(e.over_budget && !e.is_exact());
        assert_eq!(e.value, "$A$A");
        // Replacing every byte with a long string multiplies the value.
        let e = expand("${A//x/yyyyyyyy}", '\\', &env).expect("expands");
        assert!(e.over_budget);
        let e = expand("${A:-${A:-${A}}}${A}", '\\', &env).expect("expands");
        assert!(e.over_budget);
    }

    #[test]
    fn patterns_with_many_stars_take_linear_time() {
        let env = Big(format!("{}b", "a".repeat(20_000)));
        let pattern = "*a".repeat(30);
        let e = expand(&format!("${{A#{pattern}c}}"), '\\', &env).expect("expands");
        assert_eq!(e.value.len(), 20_001);
        let e = expand(&format!("${{A##{pattern}}}"), '\\', &env).expect("expands");
        assert_eq!(e.value, "b");
        let e = expand(&format!("${{A%%{pattern}b}}"), '\\', &env).expect("expands");
        assert_eq!(e.value, "");
        let e = expand(&format!("${{A%{pattern}b}}"), '\\', &env).expect("expands");
        assert_eq!(e.value.len(), 20_001 - 31);
    }
}
