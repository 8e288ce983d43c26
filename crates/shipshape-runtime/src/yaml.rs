//! A YAML tree that remembers where every node is, read with limits that
//! make hostile input (alias bombs, deep nesting, huge documents, duplicate
//! keys) fail fast with a clear error instead of hanging or exhausting memory.
//!
//! serde-saphyr does the parsing (on granit-parser, no `unsafe`): its
//! `Spanned` wrapper gives each node a line, column and byte offset, merge
//! keys (`<<: *common`, common in compose files) are expanded, and its
//! budget bounds events, nodes, depth, aliases and scalar bytes.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};
use shipshape_core::{Position, Region};

/// Documents larger than this are refused before parsing. A stream is
/// read one document at a time, so the limit applies to each document.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Stack for the reader thread: enough for [`MAX_DEPTH`] levels in an
/// unoptimized build, with a wide margin.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Deepest nesting of maps and sequences accepted.
pub const MAX_DEPTH: usize = 64;

/// A YAML node and where it starts in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Region,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order.
    Map(Vec<(Node, Node)>),
}

/// Why a YAML text could not be read. The message comes from the parser
/// and names the line and column.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl YamlError {
    /// Where the error is in `text`, when the parser said.
    pub fn region(&self, text: &str) -> Option<Region> {
        let line = self.line?;
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        let column = self.column.unwrap_or(1).saturating_sub(1) as usize;
        let offset = line_start
            + text
                .get(line_start..)
                .unwrap_or("")
                .chars()
                .take(column)
                .map(char::len_utf8)
                .sum::<usize>();
        Some(region(text, offset, offset))
    }
}

/// Reads every document of a YAML stream, refusing duplicate keys.
/// Empty documents are dropped.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_with(text, DuplicateKeyPolicy::Error)
}

/// Reads every document of a YAML stream. A duplicate key is reported
/// (it is an error, and tools disagree on which value counts) but the
/// documents are still read, with the last value winning as Kubernetes and
/// docker compose do, so the rest of the file is still checked.
pub fn parse_lenient(text: &str) -> Result<(Vec<Node>, Option<YamlError>), YamlError> {
    on_reader_stack(|| parse_range_lenient(text, 0..text.len(), &LineIndex::new(text)))?
}

/// The documents of a YAML stream as byte ranges of `text`, split at the
/// `---` lines that start each one, so that a stream of thousands of
/// documents is parsed (and its trees dropped) one document at a time.
/// YAML forbids a line starting with `---` inside a scalar, so the split is
/// exact for valid text. A stream with directives (`%YAML`) is one range.
pub fn document_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('%') {
            return std::iter::once(0..text.len()).collect();
        }
        let marker = line
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']));
        if marker && at > 0 {
            starts.push(at);
        }
        at += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts
        .iter()
        .copied()
        .zip(ends)
        .map(|(s, e)| s..e)
        .collect()
}

/// [`parse_lenient`] for the document of `text` in `range`: nodes and
/// errors are placed in `text` (its lines counted once, by `lines`). To be
/// called inside [`on_reader_stack`].
pub fn parse_range_lenient(
    text: &str,
    range: std::ops::Range<usize>,
    lines: &LineIndex<'_>,
) -> Result<(Vec<Node>, Option<YamlError>), YamlError> {
    let doc = text.get(range.clone()).unwrap_or("");
    let line_shift = lines.position(range.start).line.saturating_sub(1);
    let shift_error = |mut e: YamlError| {
        e.line = e.line.map(|l| l + line_shift);
        e
    };
    let parse = |policy| parse_placed(doc, policy, range.start, lines).map_err(shift_error);
    match parse(DuplicateKeyPolicy::Error) {
        Ok(docs) => Ok((docs, None)),
        Err(e) if e.message.starts_with("duplicate mapping key") => {
            Ok((parse(DuplicateKeyPolicy::LastWins)?, Some(e)))
        }
        Err(e) => Err(e),
    }
}

fn parse_with(text: &str, duplicates: DuplicateKeyPolicy) -> Result<Vec<Node>, YamlError> {
    on_reader_stack(|| parse_placed(text, duplicates, 0, &LineIndex::new(text)))?
}

/// Runs `read` on a thread with a stack of its own. Each level of nesting
/// costs the deserializer several stack frames; [`MAX_DEPTH`] bounds the
/// levels, and this stack gives them room whatever stack the caller runs
/// on. Every parse of this module must run inside it.
pub fn on_reader_stack<R: Send>(read: impl FnOnce() -> R + Send) -> Result<R, YamlError> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("yaml".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, read)
            .map(|handle| handle.join())
    })
    .ok()
    .and_then(Result::ok)
    .ok_or_else(|| YamlError {
        message: "the YAML reader failed".to_string(),
        line: None,
        column: None,
    })
}

/// Parses `text`, which starts at byte `offset` of the text `lines` indexes.
fn parse_placed(
    text: &str,
    duplicates: DuplicateKeyPolicy,
    offset: usize,
    lines: &LineIndex<'_>,
) -> Result<Vec<Node>, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError {
            message: format!(
                "the document is {} bytes; the limit is {MAX_BYTES}",
                text.len()
            ),
            line: None,
            column: None,
        });
    }
    let docs = serde_saphyr::from_multiple_with_options::<Option<Node>>(text, options(duplicates))
        .map_err(|e| {
            let at = e.location();
            YamlError {
                message: first_line(&e.to_string()),
                line: at.map(|l| l.line() as u32),
                column: at.map(|l| l.column() as u32),
            }
        })?;
    Ok(docs
        .into_iter()
        .flatten()
        .filter(|n| n.value != Value::Null)
        .map(|mut n| {
            n.fill_positions(lines, offset);
            n
        })
        .collect())
}

/// The parser's message without its snippet (the report shows the file and
/// line itself) or its `error: line L column C:` prefix.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let line = match line.split_once(": ") {
        Some((place, rest)) if place.starts_with("line ") => rest,
        _ => line,
    };
    // Advice addressed to programs using the parser, not to our users.
    line.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(line)
        .to_string()
}

fn options(duplicates: DuplicateKeyPolicy) -> Options {
    // The size cap bounds the work; these bounds only need to let every
    // document under it through: `helm template` of a large chart writes
    // thousands of documents to one stream.
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_documents = 100_000;
    budget.max_events = 8_000_000;
    budget.max_nodes = 4_000_000;
    budget.max_aliases = 10_000;
    budget.max_total_scalar_bytes = MAX_BYTES;
    let mut options = Options::default();
    options.budget = Some(budget);
    // Aliases replay the events of their anchor; a few thousand cover any
    // real manifest, and the cap stops billion-laughs documents early.
    options.alias_limits.max_total_replayed_events = 100_000;
    options.duplicate_keys = duplicates;
    options.leading_zero_numbers_as_strings = true;
    options
}

impl Node {
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The node's scalar as text: strings as they are, numbers and booleans
    /// as YAML spells them. `None` for null, sequences and maps.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean, also when written as a string (`"true"`).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value of `key` in a map, and the key node (for its position).
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// The value of `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Items of a sequence; nothing for anything else.
    pub fn items(&self) -> impl Iterator<Item = &Node> {
        self.as_seq().unwrap_or_default().iter()
    }

    /// Entries of a map with string keys; nothing for anything else.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Node, &Node)> {
        self.as_map()
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, k, v)))
    }

    /// The parser gives byte offsets; fill in end positions and make columns
    /// count characters from 1, as every other location in a report does.
    fn fill_positions(&mut self, lines: &LineIndex<'_>, offset: usize) {
        self.at = lines.region(self.at.byte_start + offset, self.at.byte_end + offset);
        match &mut self.value {
            Value::Seq(items) => items
                .iter_mut()
                .for_each(|n| n.fill_positions(lines, offset)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.fill_positions(lines, offset);
                v.fill_positions(lines, offset);
            }),
            _ => {}
        }
    }
}

/// Where a `key: value` setting is: the key and a scalar value on the same
/// line together, or the key alone when the value is a collection or on
/// other lines.
pub fn setting(key: &Node, value: &Node) -> Region {
    let scalar = !matches!(value.value, Value::Seq(_) | Value::Map(_));
    if scalar && value.at.byte_end > key.at.byte_start && value.at.start.line == key.at.start.line {
        Region {
            start: key.at.start,
            end: value.at.end,
            byte_start: key.at.byte_start,
            byte_end: value.at.byte_end,
        }
    } else {
        key.at
    }
}

/// Where each line of a text starts, to turn byte offsets into lines and
/// columns without rescanning the text for every node.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before each [`CHAR_BLOCK`]-byte block; empty when the
    /// text is ASCII. A column is then found without counting the line
    /// from its start, which on a minified one-line JSON of millions of
    /// nodes would take time quadratic in the line's length.
    chars_before_block: Vec<usize>,
}

const CHAR_BLOCK: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let chars_before_block = if text.is_ascii() {
            Vec::new()
        } else {
            let mut total = 0;
            let mut out = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                out.push(total);
                total += block.iter().filter(|&&b| !is_continuation(b)).count();
            }
            out.push(total);
            out
        };
        LineIndex {
            text,
            starts,
            chars_before_block,
        }
    }

    /// The region between two byte offsets, clamped to the text and to
    /// character boundaries.
    pub fn region(&self, start: usize, end: usize) -> Region {
        let text = self.text;
        let clamp = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (start, end) = (clamp(start), clamp(end.max(start)));
        Region {
            start: self.position(start),
            end: self.position(end),
            byte_start: start,
            byte_end: end,
        }
    }

    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.starts[line - 1];
        Position {
            line: line as u32,
            column: (self.chars_before(offset) - self.chars_before(line_start)) as u32 + 1,
        }
    }

    /// Characters in the text before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        let from = block * CHAR_BLOCK;
        let within = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| !is_continuation(b))
            .count();
        self.chars_before_block.get(block).copied().unwrap_or(0) + within
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The region between two byte offsets of `text` (for a single lookup; a
/// [`LineIndex`] serves many).
pub fn region(text: &str, start: usize, end: usize) -> Region {
    LineIndex::new(text).region(start, end)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        // Where a value came from an alias or a merge key, point at the text
        // that defines it: that is the line a user edits.
        let span = spanned.defined.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(Node {
            value: spanned.value,
            at: Region {
                start: Position { line: 0, column: 0 },
                end: Position { line: 0, column: 0 },
                byte_start: start,
                byte_end: start + len,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        // Where duplicates get this far (the lenient read), the last wins.
        let mut by_text = std::collections::HashMap::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            let text = key.as_text();
            match text.as_ref().and_then(|t| by_text.get(t)) {
                Some(&i) => entries[i] = (key, value),
                None => {
                    if let Some(text) = text {
                        by_text.insert(text, entries.len());
                    }
                    entries.push((key, value));
                }
            }
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse_documents(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn nodes_know_their_line_and_column() {
        let doc = one("services:\n  web:\n    image: nginx\n    privileged: true\n");
        let web = doc.path(&["services", "web"]).expect("web");
        let (key, value) = web.entry("privileged").expect("privileged");
        assert_eq!(value.as_bool(), Some(true));
        assert_eq!((key.at.start.line, key.at.start.column), (4, 5));
        assert_eq!((value.at.start.line, value.at.start.column), (4, 17));
        assert_eq!(web.get("image").and_then(Node::as_str), Some("nginx"));
    }

    #[test]
    fn merge_keys_are_expanded_and_point_at_the_anchor() {
        let doc = one(
            "x-common: &common\n  privileged: true\nservices:\n  a:\n    <<: *common\n    image: a\n",
        );
        let a = doc.path(&["services", "a"]).expect("a");
        let (key, value) = a.entry("privileged").expect("merged");
        assert_eq!(value.as_bool(), Some(true));
        assert_eq!(key.at.start.line, 2);
    }

    #[test]
    fn several_documents() {
        let docs = parse_documents("a: 1\n---\n---\nb: 2\n").expect("parses");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").and_then(Node::as_i64), Some(2));
    }

    #[test]
    fn octal_looking_numbers_stay_text() {
        let doc = one("mode: 0755\nport: \"22:22\"\n");
        assert_eq!(
            doc.get("mode").and_then(Node::as_text).as_deref(),
            Some("0755")
        );
    }

    #[test]
    fn duplicate_keys_are_an_error_with_a_line() {
        let err = parse_documents("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_last_value_is_read() {
        let (docs, problem) =
            parse_lenient("a: 1\nprivileged: false\nprivileged: true\n").expect("reads");
        let problem = problem.expect("reported");
        assert_eq!(problem.message, "duplicate mapping key: privileged");
        assert_eq!(problem.line, Some(3));
        assert_eq!(
            docs[0].get("privileged").and_then(Node::as_bool),
            Some(true)
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse_documents(&text).expect_err("bomb");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_documents(&text).is_err());
        let text: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        assert!(parse_documents(&text).is_err());
    }

    #[test]
    fn enormous_documents_are_refused_before_parsing() {
        let text = format!("a: \"{}\"\n", "x".repeat(MAX_BYTES));
        let err = parse_documents(&text).expect_err("too big");
        assert!(err.message.contains("the limit is"), "{err}");
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let err = parse_documents("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn a_stream_splits_at_document_markers_only() {
        let text = "a: 1\n---\nb: |\n  ---\n  x\n--- # c\nc: 3\n---\n";
        let ranges = document_ranges(text);
        let docs: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            docs,
            [
                "a: 1\n",
                "---\nb: |\n  ---\n  x\n",
                "--- # c\nc: 3\n",
                "---\n"
            ]
        );
        assert_eq!(
            document_ranges("%YAML 1.2\n---\na: 1\n---\nb: 2\n").len(),
            1
        );
        assert_eq!(document_ranges("").len(), 1);
    }

    #[test]
    fn documents_read_apart_keep_their_place_in_the_stream() {
        let text = "a: 1\n---\nb: 2\n---\n\nc: \"é\"\nd: [x, 2]\n";
        let lines = LineIndex::new(text);
        let placed: Vec<Node> = on_reader_stack(|| {
            document_ranges(text)
                .into_iter()
                .flat_map(|r| parse_range_lenient(text, r, &lines).expect("parses").0)
                .collect()
        })
        .expect("runs");
        assert_eq!(placed, parse_documents(text).expect("parses"));
        let (_, d) = placed[2].entry("d").expect("d");
        assert_eq!((d.at.start.line, d.at.start.column), (7, 4));
        let err = on_reader_stack(|| {
            let bad = "a: 1\n---\nb: [\n";
            let r = document_ranges(bad).pop().expect("a range");
            parse_range_lenient(bad, r, &LineIndex::new(bad)).map(|_| ())
        })
        .expect("runs")
        .expect_err("unclosed flow sequence");
        assert!(err.line.is_some_and(|l| l >= 3), "{err:?}");
    }

    #[test]
    fn columns_on_a_long_non_ascii_line_count_characters() {
        let text = format!("{}é{}x", "a".repeat(5000), "b".repeat(5000));
        let lines = LineIndex::new(&text);
        let at = text.len() - 1;
        assert_eq!(lines.position(at).column as usize, 10_002);
        assert_eq!(lines.position(text.len()).column as usize, 10_003);
    }
}
