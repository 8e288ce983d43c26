//! Dockerfile linting for shipshape.
//!
//! [`parse`] turns text into a [`Dockerfile`] syntax tree (BuildKit's grammar,
//! every node with its span); [`Model`] adds stages, variable scopes and the
//! parsed shell of every RUN; [`lint`] runs every rule of [`rules::RULES`] on
//! the model and applies inline suppressions.

#[macro_use]
extern crate shipshape_core;

pub mod download;
pub mod labels;
pub mod lint;
pub mod model;
pub mod rules;
pub mod shell;
pub mod source;
pub mod syntax;

pub use lint::{Options, lint, lint_source};
pub use model::Model;
pub use syntax::ast::Dockerfile;
pub use syntax::parser::{ParseError, parse};
