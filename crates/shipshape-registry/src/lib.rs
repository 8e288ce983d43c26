//! Images from a registry (the OCI distribution API), without a daemon.
//!
//! [`pull`] resolves a reference (`localhost:5000/app:1`,
//! `ghcr.io/org/app@sha256:…`) to one image manifest, picking the asked
//! platform from a multi-platform index, and writes that manifest, its
//! config and its layers into a temporary OCI layout, which the image
//! reader reads like any other: every blob is checked against its digest
//! and size on the way, and the directory goes when [`Pulled`] is dropped.
//! Credentials come from the caller, else from the Docker client's
//! configuration ([`auth`]); they never appear in an error.

pub mod auth;
pub mod keys;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference, RegistryOperation};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

pub use auth::Credentials;

/// How to pull.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// `os/arch` or `os/arch/variant` to pick from a multi-platform index.
    pub platform: String,
    /// Plain HTTP instead of HTTPS.
    pub insecure: bool,
    /// Credentials to use; `None`: those the Docker client has for the
    /// registry, else anonymous.
    pub credentials: Option<Credentials>,
    /// Report progress on standard error (when it is a terminal and the
    /// pull takes more than a second).
    pub progress: bool,
    /// Certificates (PEM) of authorities to trust beside the system's, for
    /// a registry with its own CA; default `$SSL_CERT_FILE` when set.
    pub ca_file: Option<PathBuf>,
}

/// An image pulled into a temporary OCI layout.
#[derive(Debug)]
pub struct Pulled {
    /// The layout directory ([`Pulled::layout`]); removed when dropped.
    pub dir: tempfile::TempDir,
    /// The digest of the image manifest pulled.
    pub digest: String,
    /// Bytes of the blobs pulled.
    pub bytes: u64,
    /// The layers pulled.
    pub layers: usize,
}

impl Pulled {
    /// The OCI layout to read.
    pub fn layout(&self) -> &Path {
        self.dir.path()
    }
}

/// Why a pull failed; each says which reference and registry.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("`{reference}` is not an image reference: {reason}")]
    BadReference { reference: String, reason: String },
    #[error(
        "{registry} {} for {reference} (401 Unauthorized): give them with --username and --password-stdin, or `docker login {registry}`",
        if *.anonymous { "asks for credentials" } else { "refused the credentials" }
    )]
    Unauthorized {
        registry: String,
        reference: String,
        /// No credentials were given or found.
        anonymous: bool,
    },
    #[error("{registry} denies access to {reference} (403 Forbidden)")]
    Forbidden { registry: String, reference: String },
    #[error(
        "the token service of {registry} gave no token for {reference}{}: {reason}",
        if *.anonymous { " without credentials (give them with --username and --password-stdin, or `docker login`)" } else { " with the credentials given" }
    )]
    TokenRefused {
        registry: String,
        reference: String,
        /// No credentials were given or found.
        anonymous: bool,
        /// What the token service said, shortened.
        reason: String,
    },
    #[error("{reference} was not found in {registry} (404 Not Found: {what})")]
    NotFound {
        registry: String,
        reference: String,
        what: String,
    },
    #[error(
        "{reference} has no image for {want}; its index has {has} (choose one with --platform)"
    )]
    Platform {
        reference: String,
        want: String,
        has: String,
    },
    #[error(
        "{reference}: blob {digest} from {registry} does not match its digest or size: {reason}"
    )]
    Digest {
        registry: String,
        reference: String,
        digest: String,
        reason: String,
    },
    #[error("{reference}: {registry}: {reason}")]
    Other {
        registry: String,
        reference: String,
        reason: String,
    },
}

/// The media types of manifests a pull accepts.
const MANIFEST_TYPES: &[&str] = &[
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// Attempts of a request that failed with 429, a 5xx or a network error.
const ATTEMPTS: u32 = 4;

/// How many blobs are pulled at once.
const BLOBS_AT_ONCE: usize = 3;

/// Pulls `reference` into a temporary OCI layout.
pub fn pull(reference: &str, options: &PullOptions) -> Result<Pulled, PullError> {
    on_runtime(reference, options, |puller| puller.run())
}

/// The outcome of checking an image's signatures against a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// A signature by the key covers this digest.
    Verified { digest: String },
    /// No signature is stored for this digest (never signed, or the tag
    /// now points at other content).
    Unsigned { digest: String },
    /// Signatures are stored, none by this key for this image.
    NotByKey { digest: String, signatures: usize },
}

/// Signs the image `reference` names with `key`, as cosign does: a
/// simple-signing payload for its digest, pushed with the signature as an
/// annotation under the tag `sha256-<digest>.sig` of the same repository.
/// Returns the digest signed and that tag.
pub fn sign(
    reference: &str,
    key: &p256::ecdsa::SigningKey,
    options: &PullOptions,
) -> Result<(String, String), PullError> {
    on_runtime(reference, options, |puller| async move {
        puller.sign(key).await
    })
}

/// Checks the signatures stored for the image `reference` names against
/// `key`.
pub fn verify(
    reference: &str,
    key: &p256::ecdsa::VerifyingKey,
    options: &PullOptions,
) -> Result<Verification, PullError> {
    on_runtime(reference, options, |puller| async move {
        puller.verify(key).await
    })
}

/// Runs `work` with a client for `reference`.
fn on_runtime<'a, T, F, Fut>(
    reference: &'a str,
    options: &'a PullOptions,
    work: F,
) -> Result<T, PullError>
where
    F: FnOnce(Puller<'a>) -> Fut,
    Fut: std::future::Future<Output = Result<T, PullError>>,
{
    let parsed: Reference =
        reference
            .parse()
            .map_err(|e: oci_client::ParseError| PullError::BadReference {
                reference: reference.to_string(),
                reason: e.to_string(),
            })?;
    // One TLS provider for the whole program; a second install is refused,
    // which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| PullError::Other {
            registry: parsed.resolve_registry().to_string(),
            reference: reference.to_string(),
            reason: format!("cannot start the network runtime: {e}"),
        })?;
    let puller = Puller::new(reference, parsed, options)?;
    runtime.block_on(work(puller))
}

/// The media type of a cosign simple-signing payload.
const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The annotation that holds the signature.
const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// The largest signature manifest or payload read.
const MAX_SIGNATURE_BYTES: u64 = 1 << 20;

struct Puller<'a> {
    shown: &'a str,
    reference: Reference,
    registry: String,
    client: Client,
    auth: RegistryAuth,
    options: &'a PullOptions,
}

impl<'a> Puller<'a> {
    fn new(
        shown: &'a str,
        reference: Reference,
        options: &'a PullOptions,
    ) -> Result<Self, PullError> {
        let registry = reference.resolve_registry().to_string();
        let ca_file = options
            .ca_file
            .clone()
            .or_else(|| std::env::var_os("SSL_CERT_FILE").map(PathBuf::from));
        let mut extra_root_certificates = Vec::new();
        if let Some(path) = ca_file {
            let data = std::fs::read(&path).map_err(|e| PullError::Other {
                registry: registry.clone(),
                reference: shown.to_string(),
                reason: format!("cannot read the CA file {}: {e}", path.display()),
            })?;
            extra_root_certificates.push(Certificate {
                encoding: CertificateEncoding::Pem,
                data,
            });
        }
        let config = ClientConfig {
            protocol: if options.insecure {
                ClientProtocol::Http
            } else {
                ClientProtocol::Https
            },
            connect_timeout: Some(Duration::from_secs(30)),
            platform_resolver: None,
            extra_root_certificates,
            ..ClientConfig::default()
        };
        let client = Client::try_from(config).map_err(|e| PullError::Other {
            registry: registry.clone(),
            reference: shown.to_string(),
            reason: format!("cannot set up the client: {e}"),
        })?;
        let credentials = options
            .credentials
            .clone()
            .or_else(|| auth::docker_credentials(reference.registry()));
        let auth = match credentials {
            Some(c) => RegistryAuth::Basic(c.username.clone(), c.password().to_string()),
            None => RegistryAuth::Anonymous,
        };
        Ok(Puller {
            shown,
            reference,
            registry,
            client,
            auth,
            options,
        })
    }

    fn fail(&self, e: OciDistributionError, what: &str) -> PullError {
        let registry = self.registry.clone();
        let reference = self.shown.to_string();
        let anonymous = matches!(self.auth, RegistryAuth::Anonymous);
        match &e {
            // The token service's refusal: oci-client keeps its answer's
            // text, not its status.
            OciDistributionError::AuthenticationFailure(text) => PullError::TokenRefused {
                registry,
                reference,
                anonymous,
                reason: service_text(text),
            },
            OciDistributionError::UnauthorizedError { .. } => PullError::Unauthorized {
                registry,
                reference,
                anonymous,
            },
            OciDistributionError::RegistryError { envelope, .. } => {
                let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
                let has = |c: OciErrorCode| codes.contains(&&c);
                if has(OciErrorCode::Unauthorized) {
                    PullError::Unauthorized {
                        registry,
                        reference,
                        anonymous,
                    }
                } else if has(OciErrorCode::Denied) {
                    PullError::Forbidden {
                        registry,
                        reference,
                    }
                } else if has(OciErrorCode::ManifestUnknown)
                    || has(OciErrorCode::NameUnknown)
                    || has(OciErrorCode::BlobUnknown)
                    || has(OciErrorCode::NotFound)
                {
                    PullError::NotFound {
                        registry,
                        reference,
                        what: what.to_string(),
                    }
                } else {
                    PullError::Other {
                        registry,
                        reference,
                        reason: format!("{what}: {}", envelope_text(&e)),
                    }
                }
            }
            OciDistributionError::ServerError { code: 401, .. } => PullError::Unauthorized {
                registry,
                reference,
                anonymous,
            },
            OciDistributionError::ServerError { code: 403, .. } => PullError::Forbidden {
                registry,
                reference,
            },
            OciDistributionError::ServerError { code: 404, .. } => PullError::NotFound {
                registry,
                reference,
                what: what.to_string(),
            },
            OciDistributionError::DigestError(d) => PullError::Digest {
                registry,
                reference,
                digest: what.to_string(),
                reason: d.to_string(),
            },
            _ => {
                let mut reason = format!("{what}: {}", short(&e));
                if !self.options.insecure && reason.contains("InvalidContentType") {
                    reason.push_str(" (a plain-HTTP registry? add --insecure)");
                }
                if reason.contains("UnknownIssuer") {
                    reason.push_str(" (a registry with its own CA? trust it with --ca-file)");
                }
                PullError::Other {
                    registry,
                    reference,
                    reason,
                }
            }
        }
    }

    /// Authenticates for `operation` first, so that refused credentials say
    /// so rather than surfacing later as a failed request.
    async fn authenticate(&self, operation: RegistryOperation) -> Result<(), PullError> {
        self.retried("authentication", || {
            self.client.auth(&self.reference, &self.auth, operation)
        })
        .await?;
        Ok(())
    }

    /// An error of this pull that is none of the classified ones.
    fn other(&self, reason: impl Into<String>) -> PullError {
        PullError::Other {
            registry: self.registry.clone(),
            reference: self.shown.to_string(),
            reason: reason.into(),
        }
    }

    /// Runs `call` again after 429, 5xx and network errors, waiting longer
    /// each time.
    async fn retried<T, F, Fut>(&self, what: &str, mut call: F) -> Result<T, PullError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = oci_client::errors::Result<T>>,
    {
        let mut wait = Duration::from_millis(250);
        for attempt in 1..=ATTEMPTS {
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if attempt < ATTEMPTS && transient(&e) => {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(e) => return Err(self.fail(e, what)),
            }
        }
        Err(self.other(format!("{what}: no answer after {ATTEMPTS} attempts")))
    }

    async fn run(self) -> Result<Pulled, PullError> {
        let started = Instant::now();
        self.authenticate(RegistryOperation::Pull).await?;
        let (mut manifest, mut digest) = self.manifest(&self.reference).await?;
        let mut doc = self.json(&manifest, "the manifest")?;
        if doc.get("manifests").is_some() {
            let chosen = self.choose(&doc)?;
            let by_digest = self.reference.clone_with_digest(chosen.to_string());
            (manifest, digest) = self.manifest(&by_digest).await?;
            doc = self.json(&manifest, "the manifest")?;
        }
        let dir = tempfile::Builder::new()
            .prefix("shipshape-pull-")
            .tempdir()
            .map_err(|e| self.local(e))?;
        let blobs = dir.path().join("blobs").join("sha256");
        std::fs::create_dir_all(&blobs).map_err(|e| self.local(e))?;
        let manifest_hex = self.hex(&digest)?;
        std::fs::write(blobs.join(manifest_hex), &manifest).map_err(|e| self.local(e))?;
        let media_type = doc
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or("application/vnd.oci.image.manifest.v1+json");
        let index = serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{"mediaType": media_type, "digest": digest, "size": manifest.len()}],
        });
        std::fs::write(dir.path().join("index.json"), index.to_string())
            .map_err(|e| self.local(e))?;
        std::fs::write(
            dir.path().join("oci-layout"),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .map_err(|e| self.local(e))?;

        let mut wanted = Vec::new();
        if let Some(config) = doc.get("config") {
            wanted.push(config);
        }
        let layers: Vec<&Value> = doc
            .get("layers")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        wanted.extend(layers.iter().copied());
        let mut bytes = manifest.len() as u64;
        let show = self.options.progress && std::io::stderr().is_terminal();
        let mut shown = false;
        // A few blobs at once: one layer's transfer overlaps another's
        // writes, as registries and their clients expect.
        let mut pulls = futures_util::stream::iter(wanted.iter())
            .map(|descriptor| self.blob(descriptor, &blobs))
            .buffer_unordered(BLOBS_AT_ONCE);
        let mut done = 0;
        while let Some(pulled) = pulls.next().await {
            bytes += pulled?;
            done += 1;
            if show && started.elapsed() > Duration::from_secs(1) {
                eprint!(
                    "\rpulling {}: {} of {} blobs, {:.1} MiB",
                    self.shown,
                    done,
                    wanted.len(),
                    bytes as f64 / (1024.0 * 1024.0)
                );
                shown = true;
            }
        }
        if shown {
            eprintln!();
        }
        Ok(Pulled {
            dir,
            digest,
            bytes,
            layers: layers.len(),
        })
    }

    /// The repository as signatures name it: `registry/name`.
    fn repository(&self) -> String {
        format!(
            "{}/{}",
            self.reference.registry(),
            self.reference.repository()
        )
    }

    /// The tag under which cosign stores the signatures of `digest`.
    fn signature_tag(&self, digest: &str) -> Reference {
        Reference::with_tag(
            self.reference.registry().to_string(),
            self.reference.repository().to_string(),
            format!("{}.sig", digest.replace(':', "-")),
        )
    }

    async fn sign(self, key: &p256::ecdsa::SigningKey) -> Result<(String, String), PullError> {
        self.authenticate(RegistryOperation::Push).await?;
        let (_, digest) = self.manifest(&self.reference).await?;
        let payload = keys::payload(&self.repository(), &digest);
        let signature = keys::sign(key, &payload);
        let target = self.signature_tag(&digest);
        let payload_digest = format!("sha256:{}", hex(&Sha256::digest(&payload)));
        let config = serde_json::json!({
            "architecture": "", "os": "", "config": {},
            "rootfs": {"type": "layers", "diff_ids": [payload_digest]},
        })
        .to_string()
        .into_bytes();
        let config_digest = format!("sha256:{}", hex(&Sha256::digest(&config)));
        let layer = serde_json::json!({
            "mediaType": SIMPLE_SIGNING, "size": payload.len(), "digest": payload_digest,
            "annotations": {SIGNATURE_ANNOTATION: signature},
        });
        // Signatures already stored for this digest are kept beside ours.
        let mut layers: Vec<Value> = match self.signature_manifest(&target).await? {
            Some(doc) => doc
                .get("layers")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if !layers.contains(&layer) {
            layers.push(layer);
        }
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "size": config.len(), "digest": config_digest},
            "layers": layers,
        });
        self.retried("the signature", || {
            self.client
                .push_blob(&target, payload.clone(), &payload_digest)
        })
        .await?;
        self.retried("the signature", || {
            self.client
                .push_blob(&target, config.clone(), &config_digest)
        })
        .await?;
        let body = manifest.to_string().into_bytes();
        self.retried("the signature manifest", || {
            self.client.push_manifest_raw(
                &target,
                body.clone(),
                http::HeaderValue::from_static("application/vnd.oci.image.manifest.v1+json"),
            )
        })
        .await?;
        Ok((digest, target.tag().unwrap_or_default().to_string()))
    }

    /// The signature manifest stored under `target`, if any.
    async fn signature_manifest(&self, target: &Reference) -> Result<Option<Value>, PullError> {
        let call = self
            .client
            .pull_manifest_raw(target, &self.auth, MANIFEST_TYPES)
            .await;
        match call {
            Ok((raw, _)) if raw.len() as u64 <= MAX_SIGNATURE_BYTES => {
                Ok(Some(self.json(&raw, "the signature manifest")?))
            }
            Ok(_) => Err(self.other("the signature manifest is larger than 1 MiB")),
            Err(e) => match self.fail(e, "the signatures") {
                PullError::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn verify(self, key: &p256::ecdsa::VerifyingKey) -> Result<Verification, PullError> {
        self.authenticate(RegistryOperation::Pull).await?;
        let (_, digest) = self.manifest(&self.reference).await?;
        let target = self.signature_tag(&digest);
        let Some(doc) = self.signature_manifest(&target).await? else {
            return Ok(Verification::Unsigned { digest });
        };
        let layers: Vec<&Value> = doc
            .get("layers")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        let repository = self.repository();
        let mut signatures = 0;
        for layer in &layers {
            let Some(signature) = layer
                .pointer(&format!(
                    "/annotations/{}",
                    SIGNATURE_ANNOTATION.replace('/', "~1")
                ))
                .and_then(Value::as_str)
            else {
                continue;
            };
            signatures += 1;
            let blob = layer.get("digest").and_then(Value::as_str).unwrap_or("");
            if layer.get("size").and_then(Value::as_u64).unwrap_or(0) > MAX_SIGNATURE_BYTES {
                continue;
            }
            let payload = self
                .retried(blob, || async {
                    let mut payload: Vec<u8> = Vec::new();
                    self.client.pull_blob(&target, blob, &mut payload).await?;
                    Ok(payload)
                })
                .await?;
            if keys::verify(key, &payload, signature)
                && payload_covers(&payload, &repository, &digest)
            {
                return Ok(Verification::Verified { digest });
            }
        }
        Ok(Verification::NotByKey { digest, signatures })
    }

    /// The manifest (or index) `reference` names, as the registry sent it,
    /// and its digest, checked.
    async fn manifest(&self, reference: &Reference) -> Result<(Vec<u8>, String), PullError> {
        let (raw, said) = self
            .retried("the manifest", || {
                self.client
                    .pull_manifest_raw(reference, &self.auth, MANIFEST_TYPES)
            })
            .await?;
        let digest = format!("sha256:{}", hex(&Sha256::digest(&raw)));
        let expected = reference.digest().unwrap_or(&said);
        if expected.starts_with("sha256:") && expected != digest {
            return Err(PullError::Digest {
                registry: self.registry.clone(),
                reference: self.shown.to_string(),
                digest: expected.to_string(),
                reason: format!("the manifest received hashes to {digest}"),
            });
        }
        Ok((raw.to_vec(), digest))
    }

    /// Pulls the blob `descriptor` names into `blobs`, checking its digest
    /// (the client does, as it streams) and its size; the bytes written.
    async fn blob(&self, descriptor: &Value, blobs: &Path) -> Result<u64, PullError> {
        let digest = descriptor
            .get("digest")
            .and_then(Value::as_str)
            .unwrap_or("");
        let path: PathBuf = blobs.join(self.hex(digest)?);
        let size = descriptor.get("size").and_then(Value::as_u64);
        self.retried(digest, || async {
            // Large writes: each write of a tokio file is a trip to the
            // blocking pool.
            let file = tokio::fs::File::create(&path).await?;
            let mut out = tokio::io::BufWriter::with_capacity(1 << 20, file);
            self.client
                .pull_blob(&self.reference, digest, &mut out)
                .await?;
            out.flush().await?;
            Ok(())
        })
        .await?;
        let written = std::fs::metadata(&path).map_err(|e| self.local(e))?.len();
        if let Some(size) = size
            && size != written
        {
            return Err(PullError::Digest {
                registry: self.registry.clone(),
                reference: self.shown.to_string(),
                digest: digest.to_string(),
                reason: format!("{written} bytes received where the manifest says {size}"),
            });
        }
        Ok(written)
    }

    /// The digest of the index entry for the asked platform.
    fn choose<'d>(&self, index: &'d Value) -> Result<&'d str, PullError> {
        pick_platform(index, &self.options.platform).map_err(|has| PullError::Platform {
            reference: self.shown.to_string(),
            want: self.options.platform.clone(),
            has: has.join(", "),
        })
    }

    fn json(&self, raw: &[u8], what: &str) -> Result<Value, PullError> {
        serde_json::from_slice(raw).map_err(|e| self.other(format!("{what} is not JSON: {e}")))
    }

    /// The hex part of a sha256 digest, which names the blob's file; any
    /// other digest is refused (and never becomes a path).
    fn hex<'d>(&self, digest: &'d str) -> Result<&'d str, PullError> {
        digest
            .strip_prefix("sha256:")
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                self.other(format!(
                    "unsupported digest `{digest}` (only sha256 is read)"
                ))
            })
    }

    fn local(&self, e: std::io::Error) -> PullError {
        self.other(format!("cannot write the temporary copy: {e}"))
    }
}

/// The digest of the entry of the image index `index` for the platform
/// `want` (`os/arch`, any variant; or `os/arch/variant`); else the
/// platforms the index has.
pub fn pick_platform<'d>(index: &'d Value, want: &str) -> Result<&'d str, Vec<String>> {
    let entries: Vec<&Value> = index
        .get("manifests")
        .and_then(Value::as_array)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let platform_of = |m: &Value| {
        let field = |name: &str| {
            m.pointer(&format!("/platform/{name}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let mut p = format!("{}/{}", field("os"), field("architecture"));
        let variant = field("variant");
        if !variant.is_empty() {
            p = format!("{p}/{variant}");
        }
        p
    };
    let fits = |m: &Value| {
        let p = platform_of(m);
        // `linux/arm64` asks for any variant of it; `linux/arm/v7` for that one.
        p == want
            || p.strip_prefix(want)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    entries
        .iter()
        .find(|m| fits(m))
        .and_then(|m| m.get("digest").and_then(Value::as_str))
        .ok_or_else(|| {
            entries
                .iter()
                .map(|m| platform_of(m))
                .filter(|p| p != "unknown/unknown")
                .collect()
        })
}

/// Whether a signed payload is for the image `digest` of `repository`
/// (its reference may carry a tag, which is not what was signed).
pub fn payload_covers(payload: &[u8], repository: &str, digest: &str) -> bool {
    let Ok(doc) = serde_json::from_slice::<Value>(payload) else {
        return false;
    };
    let signed_digest = doc
        .pointer("/critical/image/docker-manifest-digest")
        .and_then(Value::as_str);
    let identity = doc
        .pointer("/critical/identity/docker-reference")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = identity.split('@').next().unwrap_or(identity);
    let name = match name.rsplit_once(':') {
        Some((head, tag)) if !tag.contains('/') => head,
        _ => name,
    };
    signed_digest == Some(digest) && name == repository
}

/// Whether an error may go away on its own: 429, a 5xx, the network.
fn transient(e: &OciDistributionError) -> bool {
    match e {
        OciDistributionError::ServerError { code, .. } => *code == 429 || *code >= 500,
        OciDistributionError::RegistryError { envelope, .. } => envelope
            .errors
            .iter()
            .any(|e| e.code == OciErrorCode::Toomanyrequests),
        OciDistributionError::RequestError(r) => r.is_timeout() || r.is_connect(),
        _ => false,
    }
}

/// A token service's answer as shown: its `details`, `error_description`
/// or `message` when it is JSON, else its first line; printable
/// characters only, at most 200.
fn service_text(text: &str) -> String {
    let json: Option<Value> = serde_json::from_str(text).ok();
    let said = json
        .as_ref()
        .and_then(|v| {
            ["details", "error_description", "message", "error"]
                .iter()
                .find_map(|k| v.get(k).and_then(Value::as_str))
        })
        .map(str::to_string)
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string());
    let clean: String = said.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "it gave no reason".to_string()
    } else {
        clean
    }
}

fn envelope_text(e: &OciDistributionError) -> String {
    match e {
        OciDistributionError::RegistryError { envelope, .. } => envelope
            .errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => short(other),
    }
}

/// An error's text without the request URL's query (where a token could
/// be) and with its causes.
fn short(e: &OciDistributionError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text.split_whitespace()
        .map(|w| w.split_once('?').map_or(w, |(head, _)| head))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_reference_is_an_error_not_a_panic() {
        let Err(e) = pull("localhost:5000/UPPER CASE:1", &PullOptions::default()) else {
            panic!("a bad reference was pulled");
        };
        assert!(matches!(e, PullError::BadReference { .. }), "{e}");
    }

    #[test]
    fn platforms_are_picked_with_or_without_a_variant() {
        let index: Value = serde_json::from_str(
            r#"{"manifests": [
                {"digest": "sha256:a", "platform": {"os": "linux", "architecture": "amd64"}},
                {"digest": "sha256:b", "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
                {"digest": "sha256:c", "platform": {"os": "unknown", "architecture": "unknown"}}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pick_platform(&index, "linux/amd64"), Ok("sha256:a"));
        assert_eq!(pick_platform(&index, "linux/arm"), Ok("sha256:b"));
        assert_eq!(pick_platform(&index, "linux/arm/v7"), Ok("sha256:b"));
        assert_eq!(
            pick_platform(&index, "linux/s390x"),
            Err(vec!["linux/amd64".to_string(), "linux/arm/v7".to_string()])
        );
        assert!(pick_platform(&Value::Null, "linux/amd64").is_err());
    }

    #[test]
    fn a_payload_covers_its_repository_and_digest_only() {
        let payload = keys::payload("r.example:5000/app", "sha256:ab");
        assert!(payload_covers(&payload, "r.example:5000/app", "sha256:ab"));
        assert!(!payload_covers(&payload, "r.example:5000/app", "sha256:cd"));
        assert!(!payload_covers(
            &payload,
            "r.example:5000/other",
            "sha256:ab"
        ));
        // A tag in the signed reference is not what is compared.
        let tagged = keys::payload("r.example:5000/app:1", "sha256:ab");
        assert!(payload_covers(&tagged, "r.example:5000/app", "sha256:ab"));
        assert!(!payload_covers(
            b"not json",
            "r.example:5000/app",
            "sha256:ab"
        ));
    }

    #[test]
    fn errors_lose_the_query_of_urls() {
        let e = OciDistributionError::ServerError {
            code: 500,
            url: "https://r.example/v2/a/blobs/sha256:00?token=s3cr3t".into(),
            message: "boom".into(),
        };
        assert!(!short(&e).contains("s3cr3t"));
    }
}
