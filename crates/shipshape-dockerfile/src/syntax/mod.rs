//! Dockerfile syntax: the tree, the parser and BuildKit's word rules.

pub mod ast;
pub mod parser;
pub mod words;
