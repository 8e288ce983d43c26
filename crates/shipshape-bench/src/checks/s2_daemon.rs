//! Section.
