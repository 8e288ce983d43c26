//! Byte spans, line/column positions, and the map from text the parser
//! assembled (a logical line joined from continuation lines) back to the file.

use shipshape_core::{Position, Region};

/// A byte range `[start, end)` in the Dockerfile's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Start offsets of every line, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// 1-based line and character column of a byte offset in `text`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    pub fn region(&self, text: &str, span: Span) -> Region {
        Region {
            start: self.position(text, span.start),
            end: self.position(text, span.end),
            byte_start: span.start,
            byte_end: span.end,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Maps offsets in assembled text back to offsets in the source file.
///
/// Each segment says: `len` bytes starting at `text` in the assembled text
/// were copied from `source` in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text: usize,
    source: usize,
    len: usize,
}

impl SourceMap {
    pub fn push(&mut self, text: usize, source: usize, len: usize) {
        self.segments.push(Segment { text, source, len });
    }

    /// Adds `other`'s segments for text appended at `base`.
    pub fn append(&mut self, base: usize, other: &SourceMap) {
        for seg in &other.segments {
            self.push(base + seg.text, seg.source, seg.len);
        }
    }

    /// A map for text that is a plain copy of the file from `source` on.
    pub fn identity(source: usize, len: usize) -> SourceMap {
        let mut map = SourceMap::default();
        map.push(0, source, len);
        map
    }

    /// The file offset of a text offset.
    pub fn offset(&self, at: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.text <= at);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(seg) => seg.source + (at - seg.text).min(seg.len),
            None => self.segments.first().map_or(at, |s| s.source),
        }
    }

    /// The file span of a text range. An end that falls at the end of a
    /// segment stays on that segment's line rather than jumping to the next.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.offset(start);
        if end <= start {
            return Span::new(s, s);
        }
        Span::new(s, self.offset(end - 1) + 1)
    }

    /// A map for the sub-text starting at `from`, so offsets in the sub-text
    /// can be mapped directly.
    pub fn shifted(&self, from: usize) -> SourceMap {
        let mut out = SourceMap::default();
        for seg in &self.segments {
            let seg_end = seg.text + seg.len;
            if seg_end <= from {
                continue;
            }
            let skip = from.saturating_sub(seg.text);
            out.push(seg.text + skip - from, seg.source + skip, seg.len - skip);
        }
        if out.segments.is_empty() {
            out.push(0, self.offset(from), 0);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "FROM a\nRUN é x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        assert_eq!(idx.position(text, x), Position { line: 2, column: 7 });
    }

    #[test]
    fn map_follows_segments() {
        let mut map = SourceMap::default();
        map.push(0, 10, 5);
        map.push(5, 30, 5);
        assert_eq!(map.offset(2), 12);
        assert_eq!(map.offset(6), 31);
        assert_eq!(map.span(0, 5), Span::new(10, 15));
        assert_eq!(map.span(3, 7), Span::new(13, 32));
        let sub = map.shifted(3);
        assert_eq!(sub.offset(0), 13);
        assert_eq!(sub.offset(3), 31);
    }
}
