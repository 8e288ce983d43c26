//! The Dockerfile reader of shipshape.
//!
//! [`parse`] turns text into a [`Dockerfile`] syntax tree (BuildKit's grammar,
//! every node with its span); [`Model`] adds stages, variable scopes and the
//! parsed shell of every RUN; [`pkg`] knows the package managers' words.
//! The rules that read the model are in `shipshape-rules`.

pub mod download;
pub mod labels;
pub mod model;
pub mod pkg;
pub mod shell;
pub mod source;
pub mod syntax;

pub use model::Model;
pub use syntax::ast::Dockerfile;
pub use syntax::parser::{ParseError, parse};
