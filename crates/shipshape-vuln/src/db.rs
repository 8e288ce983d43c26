//! The advisory database (stand-in for the types the matcher reads).

/// An affected entry stored for an (ecosystem, package).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub advisory: String,
    pub affected: crate::osv::Affected,
}

/// An advisory's metadata.
#[derive(Debug, Clone)]
pub struct Advisory {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
    pub severity: Vec<crate::osv::Severity>,
    pub distro_severity: Option<String>,
    pub references: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub withdrawn: Option<String>,
    pub source: String,
}
