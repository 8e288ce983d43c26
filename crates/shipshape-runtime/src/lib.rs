//! Runtime settings of a container, wherever they are written.
pub mod yaml;
pub mod spec;
