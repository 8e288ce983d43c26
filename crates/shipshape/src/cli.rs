//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use shipshape_core::Severity;

/// Audit container security: Dockerfiles, images, packages, manifests and
/// Docker hosts, in one fast binary.
///
/// Exit status: 0 when nothing at or above --fail-on was found, 1 when
/// something was, 2 on a usage error or input that could not be checked.
#[derive(Debug, Parser)]
#[command(name = "shipshape", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The options every command was given, with defaults for those it does
/// not take: what the checks and the writers read.
#[derive(Debug, Default)]
pub struct Global {
    pub format: FormatArg,
    pub output: Option<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub severity: Vec<Severity>,
    pub ignore: Vec<String>,
    pub ignore_unfixed: bool,
    pub config: Option<PathBuf>,
    pub no_color: bool,
    pub quiet: bool,
}

/// Where and how a command writes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct Output {
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No colours in terminal output (also: the NO_COLOR variable).
    #[arg(long)]
    pub no_color: bool,
    /// Print findings only: no summary line, no notes on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The formats of a report of findings.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ReportFormat {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Table)]
    pub format: FindingsFormat,
}

/// Which findings count and which fail the run.
#[derive(Debug, Args)]
#[command(next_help_heading = "Policy")]
pub struct Gate {
    /// Exit with 1 when a finding is at or above this severity, or never
    /// with `none` [default: the config's `failOn`, else medium].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// Only report findings of these severities (comma-separated, e.g. `high,critical`).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<Severity>,
    /// Leave out rules, by id or by any alias (`DF050`, `DL3008`).
    /// Repeatable, or comma-separated (`--ignore DF050,DL3008`).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Configuration file. Default: the first `.shipshape.yaml` found in the
    /// target's directory or above it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// A report of findings: its format, where it goes, and the policy.
#[derive(Debug, Args)]
pub struct Reporting {
    #[command(flatten)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub gate: Gate,
}

impl Reporting {
    fn global(&self) -> Global {
        Global {
            format: self.format.format.into(),
            output: self.output.output.clone(),
            fail_on: self.gate.fail_on,
            severity: self.gate.severity.clone(),
            ignore: self.gate.ignore.clone(),
            config: self.gate.config.clone(),
            no_color: self.output.no_color,
            quiet: self.output.quiet,
            ignore_unfixed: false,
        }
    }
}

/// The formats of a report of findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    Table,
    Json,
    Sarif,
    Junit,
}

impl From<FindingsFormat> for FormatArg {
    fn from(f: FindingsFormat) -> FormatArg {
        match f {
            FindingsFormat::Table => FormatArg::Table,
            FindingsFormat::Json => FormatArg::Json,
            FindingsFormat::Sarif => FormatArg::Sarif,
            FindingsFormat::Junit => FormatArg::Junit,
        }
    }
}

/// The formats of an inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    Table,
    Json,
    /// CycloneDX 1.5 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    #[value(name = "spdx-json", alias = "spdx")]
    SpdxJson,
}

impl From<SbomFormat> for FormatArg {
    fn from(f: SbomFormat) -> FormatArg {
        match f {
            SbomFormat::Table => FormatArg::Table,
            SbomFormat::Json => FormatArg::Json,
            SbomFormat::Cyclonedx => FormatArg::Cyclonedx,
            SbomFormat::SpdxJson => FormatArg::SpdxJson,
        }
    }
}

/// The formats of a listing (rules, the database's status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// A listing's format.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct Listing {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

impl Listing {
    fn global(&self) -> Global {
        Global {
            format: match self.format {
                ListFormat::Table => FormatArg::Table,
                ListFormat::Json => FormatArg::Json,
            },
            ..Global::default()
        }
    }
}

impl Command {
    /// The options this command was given, defaults for the rest.
    pub fn global(&self) -> Global {
        match self {
            Command::Dockerfile(a) => a.report.global(),
            Command::Config(a) => a.report.global(),
            Command::Containers(a) => a.report.global(),
            Command::Bench(a) => a.report.global(),
            Command::Image(a) => Global {
                ignore_unfixed: a.ignore_unfixed,
                ..a.report.global()
            },
            Command::Fs(a) => Global {
                ignore_unfixed: a.ignore_unfixed,
                ..a.report.global()
            },
            Command::Sbom(a) => Global {
                format: a.format.into(),
                output: a.output.output.clone(),
                no_color: a.output.no_color,
                quiet: a.output.quiet,
                ..Global::default()
            },
            Command::Db(a) => Global {
                quiet: a.quiet,
                ..match &a.command {
                    DbCommand::Status(listing) => listing.global(),
                    _ => Global::default(),
                }
            },
            Command::Rules(l) => l.global(),
            Command::Rule { listing, .. } => listing.global(),
            Command::Key(_)
            | Command::Sign(_)
            | Command::Verify(_)
            | Command::Completions { .. }
            | Command::Man => Global::default(),
            Command::Authz(a) => Global {
                config: a.config.clone(),
                quiet: a.quiet,
                ..Global::default()
            },
            Command::Watch(a) => Global {
                config: a.config.clone(),
                quiet: a.quiet,
                no_color: a.no_color,
                ..Global::default()
            },
        }
    }
}

/// When findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Never: exit 0 whatever was found (input errors still exit 2).
    Never,
    /// At or above this severity.
    At(Severity),
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<FailOn, String> {
        if s.eq_ignore_ascii_case("none") || s.eq_ignore_ascii_case("never") {
            return Ok(FailOn::Never);
        }
        parse_severity(s)
            .map(FailOn::At)
            .map_err(|e| format!("{e}, or none"))
    }
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: shipshape_core::ParseSeverityError| e.to_string())
}

/// Every format, as the writers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormatArg {
    #[default]
    Table,
    Json,
    Sarif,
    Cyclonedx,
    SpdxJson,
    Junit,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles (files, directories searched for Dockerfiles, or `-` for standard input).
    Dockerfile(DockerfileArgs),
    /// Audit a container image: by reference through the Docker Engine
    /// API, or from a `docker save` tarball or OCI layout with `--input`.
    Image(ImageArgs),
    /// Audit a root file system directory (the image file checks).
    Fs(FsArgs),
    /// Check docker compose files and Kubernetes manifests (files,
    /// directories searched for them, or `-` for standard input).
    Config(ConfigArgs),
    /// Audit containers through the Docker Engine API (running ones, all,
    /// or those named), or a saved `docker inspect` with `--input`.
    Containers(ContainersArgs),
    /// Run the CIS Docker Benchmark against this Docker host: its files,
    /// daemon, images and containers. Reads only; changes nothing.
    Bench(BenchArgs),
    /// List what is installed in an image or a root file system: the
    /// operating system and its packages, as a table, JSON or CycloneDX.
    Sbom(SbomArgs),
    /// The vulnerability database: import advisories, update from the
    /// official feeds (or a mirror), show what it holds.
    Db(DbArgs),
    /// Signing keys in cosign's format.
    Key(KeyArgs),
    /// Sign an image in a registry with a private key, as cosign does (the
    /// signature is pushed beside the image, under `sha256-<digest>.sig`).
    Sign(SignArgs),
    /// Check that an image in a registry is signed by a public key: exits 0
    /// when it is, 1 when it is not (unsigned, another signer, or the tag
    /// now names other content).
    Verify(SignArgs),
    /// Serve a Docker authorization plugin: dockerd started with
    /// `--authorization-plugin shipshape` asks it about every call, and it
    /// refuses containers (and privileged execs) whose settings break the
    /// runtime rules, before they are created.
    Authz(AuthzArgs),
    /// Follow the daemon's events and audit each container as it is
    /// created and started, each privileged exec and each image pulled or
    /// loaded: one alert per finding (a table on a terminal, JSON lines
    /// otherwise). With `--enforce`, stop or pause what reaches --fail-on.
    Watch(WatchArgs),
    /// Print a shell completion script (`shipshape completions bash >
    /// /etc/bash_completion.d/shipshape`).
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`shipshape man | man -l -`).
    Man,
    /// List every rule: id, severity, title and aliases.
    Rules(Listing),
    /// Explain one rule (by id or alias): what it checks, why, an example and the fix.
    Rule {
        /// Rule id or alias, e.g. DF001 or DL3006.
        id: String,
        #[command(flatten)]
        listing: Listing,
    },
}

#[derive(Debug, Args)]
pub struct DockerfileArgs {
    /// Dockerfiles or directories to search. Default: ./Dockerfile.
    pub paths: Vec<PathBuf>,
    /// Trust only base images from these registries (adds to the config's
    /// `trustedRegistries`). Repeatable.
    #[arg(long, value_name = "REGISTRY")]
    pub trusted_registry: Vec<String>,
    /// Leave out files and directories matching GLOB when searching a
    /// directory (`*.template`, `testdata`, `**/fixtures/**`; as
    /// `.gitignore` reads them). Repeatable; adds to the config's `exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply the safe fixes to the files, then report what is left.
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1
    /// when there is one.
    #[arg(long, help_heading = "Fixes")]
    pub diff: bool,
    /// With --fix or --diff: also the fixes that can change what is built
    /// (`--no-install-recommends`, exec form for CMD); each rule's doc says
    /// which are which.
    #[arg(long, help_heading = "Fixes")]
    pub unsafe_fixes: bool,
    #[command(flatten)]
    pub report: Reporting,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Manifests or directories to search. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Variables for compose interpolation, read instead of the `.env`
    /// beside each compose file. The environment still takes precedence.
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Do not lint the Dockerfiles that compose services build.
    #[arg(long)]
    pub no_build: bool,
    /// Trust only images from these registries: the services' and
    /// containers' `image:` and the base images of the Dockerfiles that
    /// services build (adds to the config's `trustedRegistries`).
    /// Repeatable.
    #[arg(long, value_name = "REGISTRY")]
    pub trusted_registry: Vec<String>,
    /// Leave out files and directories matching GLOB when searching a
    /// directory (as `.gitignore` reads them). Repeatable; adds to the
    /// config's `exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub report: Reporting,
}

#[derive(Debug, Args)]
pub struct ContainersArgs {
    /// Containers to audit, by name or id. Default: every running one.
    pub names: Vec<String>,
    /// Stopped containers too.
    #[arg(long)]
    pub all: bool,
    /// Read `docker inspect` JSON (one container or an array) from FILE
    /// instead of asking the daemon.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["names", "all"])]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub report: Reporting,
}

#[derive(Debug, Args)]
pub struct AuthzArgs {
    /// The unix socket to serve on. dockerd's `--authorization-plugin
    /// NAME` finds `/run/docker/plugins/NAME.sock`.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "/run/docker/plugins/shipshape.sock"
    )]
    pub socket: PathBuf,
    /// Refuse a call with a finding at or above this severity (info, low,
    /// medium, high, critical), or none. The config's `authz.deny` rules
    /// refuse whatever their severity.
    #[arg(long, value_name = "SEVERITY", default_value = "high", value_parser = parse_fail_on)]
    pub deny_on: FailOn,
    /// Refuse nothing: log what would have been refused.
    #[arg(long)]
    pub dry_run: bool,
    /// What to do with a call that cannot be judged (a body that is not
    /// JSON, or none passed on): refuse it, or let it through.
    #[arg(long, value_enum, default_value = "deny")]
    pub on_error: OnError,
    /// Append one JSON line per decision to FILE instead of standard error.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// The policy: a `.shipshape.yaml` with an `authz` section (default:
    /// the one found from the current directory up).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Say nothing on start.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Act on a container whose findings reach --fail-on once it runs:
    /// stop it, or pause it. Off unless given; containers running before
    /// the watch began, and those the config's `authz` section exempts,
    /// are only alerted.
    #[arg(long, value_enum, value_name = "ACTION")]
    pub enforce: Option<Enforce>,
    /// The severity --enforce acts on, and that makes a watch ended by
    /// --until exit with 1 (info, low, medium, high, critical, or none).
    #[arg(long, value_name = "SEVERITY", default_value = "high", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Only alert findings of these severities (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<Severity>,
    /// Leave out rules, by id or alias. Repeatable, or comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Watch only containers carrying this label (`KEY` or `KEY=VALUE`).
    /// Repeatable: a container must carry them all.
    #[arg(long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// Do not audit the images pulled or loaded.
    #[arg(long)]
    pub no_images: bool,
    /// End the watch after this long (`90`, `90s`, `10m`, `2h`), then exit
    /// with 1 if an alert reached --fail-on. Default: watch until stopped.
    #[arg(long, value_name = "DURATION", value_parser = crate::watch::parse_duration)]
    pub until: Option<u64>,
    /// Standard output's format [default: table on a terminal, else json].
    #[arg(long, value_enum)]
    pub format: Option<WatchFormat>,
    /// Also append each alert, as a JSON line, to FILE.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also POST each alert, as JSON, to URL (three tries; a slow endpoint
    /// never holds the watch).
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// The config: `ignored`, `override`, `trustedRegistries` and the
    /// `authz` exemptions (default: the `.shipshape.yaml` found from the
    /// current directory up).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No colours in the table (also: the NO_COLOR variable).
    #[arg(long)]
    pub no_color: bool,
    /// Alerts only: nothing on standard error but warnings.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What `shipshape watch --enforce` does to a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Enforce {
    Stop,
    Pause,
}

/// Standard output of `shipshape watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    Table,
    Json,
}

/// What `shipshape authz` does with a call it cannot judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    /// Refuse it (fail safe).
    Deny,
    /// Let it through (fail open).
    Allow,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The host's root file system: `/`, or another host's mounted
    /// read-only elsewhere (its files are read from there; daemon facts
    /// still come from DOCKER_HOST when reachable).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Run only these sections (`--section 2,3`).
    #[arg(long, value_name = "N", value_delimiter = ',')]
    pub section: Vec<String>,
    /// Run only these checks, by number or id (`--check 2.2,5.10,DH301`).
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub check: Vec<String>,
    /// Examine stopped containers too in section 5.
    #[arg(long)]
    pub all: bool,
    /// Do not contact the Docker daemon: check only the host's files.
    #[arg(long)]
    pub no_daemon: bool,
    #[command(flatten)]
    pub report: Reporting,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    /// The image: as the Docker daemon names it (`nginx:1.25`, an id), or
    /// in a registry (`localhost:5000/app:1`, `ghcr.io/org/app@sha256:…`).
    pub reference: Option<String>,
    #[command(flatten)]
    pub fetch: Fetch,
    /// A `docker save` tarball, or an OCI image layout (directory or tar).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The platform to pick from a multi-platform index (`linux/arm64`).
    /// Default: this host's.
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// List the operating system and packages found (JSON output always
    /// has them).
    #[arg(long)]
    pub list_packages: bool,
    /// Do not check layer digests against the manifest and config: for an
    /// archive you made yourself, this saves hashing every layer.
    #[arg(long)]
    pub skip_digest_check: bool,
    /// The vulnerability database [default: $SHIPSHAPE_DB, else
    /// ~/.cache/shipshape/advisories.db]; vulnerabilities are matched when
    /// it exists.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub report: Reporting,
    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long, help_heading = "Policy")]
    pub ignore_unfixed: bool,
    /// Require the image to be signed by the public key --key (a registry
    /// image): otherwise a critical finding (IM020).
    #[arg(long, requires = "key", help_heading = "Policy")]
    pub require_signature: bool,
    /// The public key --require-signature checks against.
    #[arg(long, value_name = "FILE", help_heading = "Policy")]
    pub key: Option<PathBuf>,
}

/// Where an image reference is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// The Docker daemon when it has the image, else the registry.
    Auto,
    /// The Docker daemon only.
    Daemon,
    /// The registry only, without a daemon.
    Registry,
}

/// How an image reference is fetched.
#[derive(Debug, Args)]
#[command(next_help_heading = "Image source")]
pub struct Fetch {
    /// Where to look the reference up.
    #[arg(long, value_enum, default_value_t = SourceArg::Auto)]
    pub source: SourceArg,
    #[command(flatten)]
    pub access: Access,
}

/// How to reach a registry.
#[derive(Debug, Args)]
pub struct Access {
    /// Talk plain HTTP to the registry (a local or test registry).
    #[arg(long)]
    pub insecure: bool,
    /// Trust the certificate authorities in this PEM file too (a registry
    /// with its own CA) [default: $SSL_CERT_FILE].
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// The registry user [default: the Docker client's credentials for the
    /// registry, else none]; the password comes from --password-stdin.
    #[arg(long, value_name = "USER", requires = "password_stdin")]
    pub username: Option<String>,
    /// Read the registry password (or token) from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// An image reference (the Docker daemon's or a registry's) or a root
    /// file system directory.
    pub target: Option<String>,
    #[command(flatten)]
    pub fetch: Fetch,
    /// A `docker save` tarball or an OCI image layout.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The platform to pick from a multi-platform index.
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// Do not check layer digests against the manifest and config: for an
    /// archive you made yourself, this saves hashing every layer.
    #[arg(long)]
    pub skip_digest_check: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SbomFormat::Table, help_heading = "Output")]
    pub format: SbomFormat,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct FsArgs {
    /// The root file system directory.
    pub dir: PathBuf,
    /// List the operating system and packages found (JSON output always
    /// has them).
    #[arg(long)]
    pub list_packages: bool,
    /// The vulnerability database [default: $SHIPSHAPE_DB, else
    /// ~/.cache/shipshape/advisories.db]; vulnerabilities are matched when
    /// it exists.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub report: Reporting,
    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long, help_heading = "Policy")]
    pub ignore_unfixed: bool,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a key pair: PREFIX.key (ECDSA P-256, sealed with a password from
    /// $SHIPSHAPE_PASSWORD, else $COSIGN_PASSWORD, else asked for) and
    /// PREFIX.pub, readable by cosign and skopeo.
    Generate {
        /// Where to write the pair: PREFIX.key and PREFIX.pub.
        #[arg(long, value_name = "PREFIX", default_value = "cosign")]
        output_key_prefix: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The image in its registry (`localhost:5000/app:1`).
    pub reference: String,
    /// The key: a private key to sign with, a public key to verify with.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    #[command(flatten)]
    pub access: Access,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    /// The database file [default: $SHIPSHAPE_DB, else
    /// ~/.cache/shipshape/advisories.db].
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// No progress notes on standard error.
    #[arg(long, short = 'q', global = true, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Add advisories to the database: OSV records (files, directories or
    /// osv.dev's per-ecosystem zip files), the Debian security tracker's
    /// JSON, Alpine secdb files.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Download the feeds and build a new database, swapped in when
    /// complete (a failed update leaves the old one as it was).
    Update {
        /// Where OSV ecosystem archives are read
        /// (`{URL}/{ecosystem}/all.zip`): osv.dev's bucket, or a mirror.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// A feed: an OSV ecosystem (`PyPI`, `Debian:12`), `debian-tracker`,
        /// `alpine-secdb:v3.20/main`, or a full URL. Repeatable. Default:
        /// the language ecosystems, Ubuntu, AlmaLinux, Rocky Linux, the
        /// Debian tracker and Alpine's last releases.
        #[arg(long = "feed", value_name = "FEED")]
        feeds: Vec<String>,
    },
    /// Sources, record counts, build time and age of the database.
    Status(Listing),
}
