//! [`ImageSpec`]: what an image's configuration says about how it runs and
//! how it was built. The image reader fills it from the image config JSON
//! (OCI or Docker); the rules read it.

/// One entry of the image's build history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The build step, as recorded (`/bin/sh -c apt-get install ...`,
    /// `RUN /bin/sh -c ...`, `ADD file:... in /`).
    pub created_by: String,
    /// Whether the step made no layer (ENV, LABEL, CMD...).
    pub empty_layer: bool,
    /// The index of the layer the step made, when it made one.
    pub layer: Option<usize>,
}

/// Whether an image is signed by the key that was required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub verified: bool,
    /// What was checked and found, for the finding's message.
    pub detail: String,
}

/// An image's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSpec {
    /// How the image was named on the command line or in its archive
    /// (`nginx:1.25`, `registry.example.com/app@sha256:...`); `None` when
    /// it was given by id or from an archive without a tag.
    pub reference: Option<String>,
    /// The outcome of checking the image's signature, when one was
    /// required (`--require-signature`).
    pub signature: Option<SignatureCheck>,
    /// The config's digest (`sha256:...`), the image id.
    pub id: Option<String>,
    pub os: Option<String>,
    pub architecture: Option<String>,
    /// `Config.User` as written; empty means root.
    pub user: String,
    /// `Config.Env`, split at the first `=`.
    pub env: Vec<(String, String)>,
    /// `Config.Labels`.
    pub labels: Vec<(String, String)>,
    /// `Config.ExposedPorts` keys (`80/tcp`).
    pub exposed_ports: Vec<String>,
    /// `Config.Healthcheck.Test`; `None` when the image has none.
    pub healthcheck: Option<Vec<String>>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub history: Vec<History>,
}

impl ImageSpec {
    /// Whether the image has a health check that is not `NONE`.
    pub fn has_healthcheck(&self) -> bool {
        self.healthcheck
            .as_ref()
            .is_some_and(|t| t.first().is_some_and(|f| f != "NONE"))
    }
}
