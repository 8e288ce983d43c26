//! Images from a real registry: Debian's `docker-registry` (distribution
//! 2.8) started on a free port of 127.0.0.1 for each test, with images
//! pushed by Debian's `skopeo` from OCI layouts the tests write. No Docker
//! daemon is involved.
//!
//! Without `docker-registry` and `skopeo` these tests skip, unless
//! `SHIPSHAPE_REQUIRE_REGISTRY=1` (set by `.ci/run`, which installs them).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::{bin, has_command, tmp};

/// Runs shipshape with `stdin` on its standard input (or none).
fn shipshape(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run shipshape: {e}"));
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

/// Standard output and standard error, one after the other.
fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `shipshape image --source registry --insecure REFERENCE EXTRA…`,
/// as `user` (name, and the text on standard input for
/// `--password-stdin`) when given: the exit code and standard error.
/// Fails the test if `password` shows in any output.
fn pull_as(
    reference: &str,
    user: Option<(&str, &str)>,
    extra: &[&str],
    password: &str,
) -> (Option<i32>, String) {
    let mut args = vec!["image", "--source", "registry", "--insecure", reference];
    args.extend_from_slice(extra);
    if let Some((name, _)) = user {
        args.extend(["--username", name, "--password-stdin"]);
    }
    let out = shipshape(&args, user.map(|(_, stdin)| stdin.as_bytes()));
    let text = said(&out);
    assert!(!text.contains(password), "the password shows: {text}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether the registry and skopeo are here; panics when they must be.
fn tools() -> bool {
    if ["docker-registry", "skopeo", "htpasswd"]
        .into_iter()
        .all(has_command)
    {
        return true;
    }
    if std::env::var("SHIPSHAPE_REQUIRE_REGISTRY").is_ok_and(|v| v == "1") {
        panic!(
            "SHIPSHAPE_REQUIRE_REGISTRY=1 but docker-registry, skopeo or htpasswd is missing (apt-get install docker-registry skopeo apache2-utils)"
        );
    }
    eprintln!("skipping: docker-registry, skopeo or htpasswd is not installed");
    false
}

/// How a test registry authenticates.
enum Auth<'a> {
    None,
    /// htpasswd basic authentication for one user and password.
    Basic(&'a str, &'a str),
    /// Bearer tokens from a token server.
    Token(&'a TokenServer),
}

/// The `service` and `issuer` the registry expects in a token.
const TOKEN_SERVICE: &str = "shipshape-test-registry";
const TOKEN_ISSUER: &str = "shipshape-test-issuer";

/// A token server for distribution's token authentication, on a free port
/// of 127.0.0.1, in a thread that lives as long as the test process. It
/// hands out one token, made at start and signed (RS256) by openssl with
/// a key whose self-signed certificate the registry trusts: to `user`
/// with `password`, and to anyone when `user` is `None`. It answers 403
/// to the user `mallory` whatever the password, and 401 to others.
struct TokenServer {
    realm: String,
    certificate: PathBuf,
    _dir: tempfile::TempDir,
}

/// Runs openssl with `args`; fails the test if it fails.
fn openssl(args: &[&str]) {
    let out = run("openssl", args);
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed RSA certificate for `subject`, valid a day:
/// `dir/NAME.key` and `dir/NAME.pem`.
fn self_signed(dir: &Path, name: &str, subject: &str) {
    let p = |ext: &str| dir.join(format!("{name}.{ext}")).display().to_string();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        subject,
        "-keyout",
        &p("key"),
        "-out",
        &p("pem"),
    ]);
}

impl TokenServer {
    fn start(user: Option<(&str, &str)>, repository: &str) -> TokenServer {
        use base64::Engine;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let dir = tmp();
        let p = |name: &str| dir.path().join(name).display().to_string();
        self_signed(dir.path(), "token", "/CN=shipshape test token issuer");
        openssl(&[
            "x509",
            "-in",
            &p("token.pem"),
            "-outform",
            "DER",
            "-out",
            &p("token.der"),
        ]);
        let der = std::fs::read(p("token.der")).unwrap_or_else(|e| panic!("{e}"));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_else(|e| panic!("{e}"));
        let header = json!({"typ": "JWT", "alg": "RS256", "x5c": [STANDARD.encode(der)]});
        let claims = json!({
            "iss": TOKEN_ISSUER,
            "sub": user.map_or("anonymous", |u| u.0),
            "aud": TOKEN_SERVICE,
            "exp": now + 3600,
            "nbf": now - 60,
            "iat": now - 60,
            "jti": "shipshape-test-token",
            "access": [{"type": "repository", "name": repository, "actions": ["pull", "push"]}],
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        std::fs::write(p("input"), &signing_input).unwrap_or_else(|e| panic!("{e}"));
        let out = run(
            "openssl",
            &[
                "dgst",
                "-sha256",
                "-sign",
                &p("token.key"),
                "-out",
                &p("sig"),
                &p("input"),
            ],
        );
        assert!(
            out.status.success(),
            "openssl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signature = std::fs::read(p("sig")).unwrap_or_else(|e| panic!("{e}"));
        let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));

        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let expected = user.map(|(name, password)| format!("{name}:{password}"));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                TokenServer::answer(stream, &token, expected.as_deref());
            }
        });
        TokenServer {
            realm: format!("http://127.0.0.1:{port}/token"),
            certificate: dir.path().join("token.pem"),
            _dir: dir,
        }
    }

    /// Answers one request: the token, 401 or 403.
    fn answer(mut stream: std::net::TcpStream, token: &str, expected: Option<&str>) {
        use base64::Engine;
        use std::io::{BufRead, BufReader, Write};
        // The `user:password` of a basic Authorization header.
        let mut given = None;
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            let header = line.trim_end().to_string();
            line.clear();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("authorization")
                && let Some(encoded) = value.trim().strip_prefix("Basic ")
            {
                given = base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
            }
        }
        let (status, body) = match (given.as_deref(), expected) {
            (Some(g), _) if g.starts_with("mallory:") => (
                "403 Forbidden",
                r#"{"details":"mallory may not pull from this registry"}"#.to_string(),
            ),
            (_, None) => (
                "200 OK",
                json!({"token": token, "expires_in": 3600}).to_string(),
            ),
            (Some(g), Some(e)) if g == e => (
                "200 OK",
                json!({"token": token, "expires_in": 3600}).to_string(),
            ),
            _ => (
                "401 Unauthorized",
                r#"{"details":"incorrect username or password"}"#.to_string(),
            ),
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}

/// A registry on a free port, stopped when dropped.
struct Registry {
    child: Child,
    port: u16,
    storage: PathBuf,
    /// The CA that signed the registry's certificate, when it serves TLS.
    ca: Option<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Registry {
    /// Starts a plain-HTTP registry; with `user`, behind htpasswd basic
    /// authentication for that user and password.
    fn start(user: Option<(&str, &str)>) -> Registry {
        let auth = match user {
            Some((name, password)) => Auth::Basic(name, password),
            None => Auth::None,
        };
        Registry::start_with(auth, false)
    }

    /// Makes a CA and a certificate for 127.0.0.1 signed by it with
    /// openssl, in `dir`: (CA, certificate, key).
    fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
        let p = |name: &str| dir.join(name).display().to_string();
        self_signed(dir, "ca", "/CN=shipshape test CA");
        std::fs::write(
            dir.join("ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            &p("server.key"),
            "-out",
            &p("server.csr"),
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            &p("server.csr"),
            "-CA",
            &p("ca.pem"),
            "-CAkey",
            &p("ca.key"),
            "-CAcreateserial",
            "-days",
            "1",
            "-out",
            &p("server.pem"),
            "-extfile",
            &p("ext"),
        ]);
        (
            dir.join("ca.pem"),
            dir.join("server.pem"),
            dir.join("server.key"),
        )
    }

    /// Starts a registry; over TLS with a certificate of its own CA when
    /// `tls`.
    fn start_with(auth: Auth<'_>, tls: bool) -> Registry {
        let dir = tmp();
        let storage = dir.path().join("storage");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: test\n",
            storage.display()
        );
        let mut ca = None;
        if tls {
            let (authority, certificate, key) = Registry::certificates(dir.path());
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                certificate.display(),
                key.display()
            ));
            ca = Some(authority);
        }
        match auth {
            Auth::None => {}
            Auth::Basic(name, password) => {
                let out = run("htpasswd", &["-Bbn", name, password]);
                let file = dir.path().join("htpasswd");
                std::fs::write(&file, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
                config.push_str(&format!(
                    "auth:\n  htpasswd:\n    realm: test\n    path: {}\n",
                    file.display()
                ));
            }
            Auth::Token(server) => config.push_str(&format!(
                "auth:\n  token:\n    realm: {}\n    service: {TOKEN_SERVICE}\n    issuer: {TOKEN_ISSUER}\n    rootcertbundle: {}\n",
                server.realm,
                server.certificate.display()
            )),
        }
        let path = dir.path().join("config.yml");
        std::fs::write(&path, config).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("docker-registry does not start: {e}"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the registry did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry {
            child,
            port,
            storage,
            ca,
            _dir: dir,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Pushes the OCI layout `layout` as `name` (every platform of it).
    fn push(&self, layout: &Path, name: &str, creds: Option<&str>) {
        let dest = format!("docker://{}/{name}", self.host());
        let src = format!("oci:{}", layout.display());
        let mut args = vec!["copy", "-q", "--all", "--dest-tls-verify=false"];
        if let Some(c) = creds {
            args.extend(["--dest-creds", c]);
        }
        args.extend([src.as_str(), dest.as_str()]);
        let out = run("skopeo", &args);
        assert!(
            out.status.success(),
            "skopeo copy: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` as a blob of the layout; its descriptor.
fn blob(layout: &Path, media_type: &str, bytes: &[u8]) -> Value {
    let hex = sha256(bytes);
    let dir = layout.join("blobs/sha256");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join(&hex), bytes).unwrap_or_else(|e| panic!("{e}"));
    json!({"mediaType": media_type, "digest": format!("sha256:{hex}"), "size": bytes.len()})
}

/// An image of one layer holding busybox, a setuid copy of it, and, when
/// asked, a private key; a credential in its environment and no user.
fn image_manifest(layout: &Path, arch: &str, with_key: bool) -> Value {
    let dir = tmp();
    let root = dir.path().join("rootfs");
    let write = |path: &str, bytes: &[u8], mode: u32| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(&root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("{e}"));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    let busybox = std::fs::read("/bin/busybox").unwrap_or_else(|e| panic!("busybox-static: {e}"));
    write("bin/busybox", &busybox, 0o755);
    write("usr/local/bin/helper", &busybox, 0o4755);
    write("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644);
    if with_key {
        write(
            "root/.ssh/id_ed25519",
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n",
            0o600,
        );
    }
    let tar = dir.path().join("layer.tar");
    let out = run(
        "tar",
        &[
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--mtime=@0",
            "-C",
            &root.display().to_string(),
            "-cf",
            &tar.display().to_string(),
            ".",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let layer_bytes = std::fs::read(&tar).unwrap_or_else(|e| panic!("{e}"));
    let layer = blob(
        layout,
        "application/vnd.oci.image.layer.v1.tar",
        &layer_bytes,
    );
    let config = json!({
        "architecture": arch, "os": "linux",
        "config": {"Env": ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
                   "Cmd": ["/bin/busybox", "sh"]},
        "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]},
        "history": [{"created_by": "ADD rootfs / # buildkit"}],
    });
    let config = blob(
        layout,
        "application/vnd.oci.image.config.v1+json",
        config.to_string().as_bytes(),
    );
    let manifest = json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config, "layers": [layer],
    });
    let mut descriptor = blob(
        layout,
        "application/vnd.oci.image.manifest.v1+json",
        manifest.to_string().as_bytes(),
    );
    descriptor["platform"] = json!({"os": "linux", "architecture": arch});
    descriptor
}

/// An OCI layout with one image per `(arch, with_key)`; with several, one
/// multi-platform image whose index names each platform.
fn layout(images: &[(&str, bool)]) -> tempfile::TempDir {
    let dir = tmp();
    let manifests: Vec<Value> = images
        .iter()
        .map(|(arch, key)| image_manifest(dir.path(), arch, *key))
        .collect();
    let mut index = json!({"schemaVersion": 2, "manifests": manifests});
    if images.len() > 1 {
        // A multi-platform image: the layout's index names one image index.
        index["mediaType"] = json!("application/vnd.oci.image.index.v1+json");
        let nested = blob(
            dir.path(),
            "application/vnd.oci.image.index.v1+json",
            index.to_string().as_bytes(),
        );
        index = json!({"schemaVersion": 2, "manifests": [nested]});
    }
    std::fs::write(dir.path().join("index.json"), index.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// (rule, path or field, line) of each finding of a JSON report.
fn places(report: &Value) -> BTreeSet<(String, String, i64)> {
    report["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["findings"].as_array().into_iter().flatten())
        .map(|f| {
            let loc = &f["location"];
            let place = loc["path"].as_str().or(loc["field"].as_str()).unwrap_or("");
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                place.to_string(),
                loc["line"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

fn report(args: &[&str]) -> Value {
    let out = shipshape(args, None);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn a_pushed_image_reports_what_its_layout_reports() {
    if !tools() {
        return;
    }
    let registry = Registry::start(None);
    let oci = layout(&[("amd64", true)]);
    registry.push(oci.path(), "planted:1", None);
    let reference = format!("{}/planted:1", registry.host());
    let common = ["--format", "json", "--fail-on", "none", "-q"];
    let pulled = report(
        &[
            &["image", "--source", "registry", "--insecure", &reference][..],
            &common[..],
        ]
        .concat(),
    );
    let layout_path = oci.path().display().to_string();
    let local = report(&[&["image", "--input", &layout_path][..], &common[..]].concat());
    let (a, b) = (places(&pulled), places(&local));
    assert_eq!(a, b, "the same findings from the registry and the layout");
    for rule in ["DF021", "DF030", "IM101", "IM103"] {
        assert!(a.iter().any(|(r, _, _)| r == rule), "{rule} missing: {a:?}");
    }
    // The same packages for `sbom`.
    let sbom = |args: &[&str]| {
        let out = shipshape(args, None);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        doc["packages"].clone()
    };
    let from_registry = sbom(&[
        "sbom",
        "--source",
        "registry",
        "--insecure",
        &reference,
        "--format",
        "json",
    ]);
    let from_layout = sbom(&["sbom", "--input", &layout_path, "--format", "json"]);
    assert_eq!(from_registry, from_layout);
    assert!(
        from_registry.to_string().contains("busybox"),
        "{from_registry}"
    );
}

#[test]
fn the_asked_platform_is_picked_from_an_index() {
    if !tools() {
        return;
    }
    let registry = Registry::start(None);
    let oci = layout(&[("amd64", false), ("arm64", true)]);
    registry.push(oci.path(), "multi:1", None);
    let reference = format!("{}/multi:1", registry.host());
    let key_found = |platform: &str| {
        let r = report(&[
            "image",
            "--source",
            "registry",
            "--insecure",
            "--platform",
            platform,
            &reference,
            "--format",
            "json",
            "--fail-on",
            "none",
        ]);
        places(&r).iter().any(|(rule, _, _)| rule == "IM103")
    };
    assert!(key_found("linux/arm64"));
    assert!(!key_found("linux/amd64"));
    let out = shipshape(
        &[
            "image",
            "--source",
            "registry",
            "--insecure",
            "--platform",
            "linux/s390x",
            &reference,
        ],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no image for linux/s390x") && err.contains("linux/arm64"),
        "{err}"
    );
}

#[test]
fn each_failure_says_what_it_is_and_no_password_shows() {
    if !tools() {
        return;
    }
    let password = "pw-0123456789-s3cr3t";
    let registry = Registry::start(Some(("alice", password)));
    let oci = layout(&[("amd64", false)]);
    registry.push(oci.path(), "private:1", Some(&format!("alice:{password}")));
    let reference = format!("{}/private:1", registry.host());
    let pull = |reference: &str, stdin: Option<&str>, extra: &[&str]| {
        pull_as(
            reference,
            stdin.map(|text| ("alice", text)),
            extra,
            password,
        )
    };
    // No credentials, then wrong ones: 401, said differently.
    let (code, err) = pull(&reference, None, &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("asks for credentials") && err.contains("401"),
        "{err}"
    );
    let (code, err) = pull(&reference, Some("wrong-password\n"), &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("refused the credentials") && err.contains("401"),
        "{err}"
    );
    // The right ones, given or from the Docker client's configuration.
    let (code, err) = pull(
        &reference,
        Some(&format!("{password}\n")),
        &["--fail-on", "none"],
    );
    assert_eq!(code, Some(0), "{err}");
    let docker_config = tmp();
    let auth = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{password}"))
    };
    std::fs::write(
        docker_config.path().join("config.json"),
        json!({"auths": {registry.host(): {"auth": auth}}}).to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = bin()
        .args([
            "image",
            "--source",
            "registry",
            "--insecure",
            &reference,
            "--fail-on",
            "none",
        ])
        .env("DOCKER_CONFIG", docker_config.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 404: a tag or a repository that is not there.
    for missing in ["private:2", "nothing:1"] {
        let (code, err) = pull(
            &format!("{}/{missing}", registry.host()),
            Some(&format!("{password}\n")),
            &[],
        );
        assert_eq!(code, Some(2));
        assert!(err.contains("404 Not Found"), "{err}");
    }
}

#[test]
fn a_tampered_blob_is_refused_by_digest() {
    if !tools() {
        return;
    }
    let registry = Registry::start(None);
    let oci = layout(&[("amd64", false)]);
    registry.push(oci.path(), "tampered:1", None);
    // The layer is the largest blob the registry stores; rewrite its data.
    let blobs = registry.storage.join("docker/registry/v2/blobs/sha256");
    let mut largest: Option<(u64, PathBuf)> = None;
    for prefix in std::fs::read_dir(&blobs)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        for entry in std::fs::read_dir(prefix.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let data = entry.path().join("data");
            let len = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
            if largest.as_ref().is_none_or(|(l, _)| len > *l) {
                largest = Some((len, data));
            }
        }
    }
    let (_, data) = largest.unwrap_or_else(|| panic!("no blob stored"));
    let digest = data
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut bytes = std::fs::read(&data).unwrap_or_else(|e| panic!("{e}"));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&data, bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = shipshape(
        &[
            "image",
            "--source",
            "registry",
            "--insecure",
            &format!("{}/tampered:1", registry.host()),
        ],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&digest), "the error names {digest}: {err}");
}

/// Makes a key pair with `shipshape key generate`; the prefix of its files.
fn key_pair(dir: &Path, name: &str) -> PathBuf {
    let prefix = dir.join(name);
    let out = bin()
        .args(["key", "generate", "--output-key-prefix"])
        .arg(&prefix)
        .env("SHIPSHAPE_PASSWORD", "key-password")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    prefix
}

/// Runs `shipshape verify` (or `sign`) with the key file `key`.
fn with_key(command: &str, key: &Path, reference: &str) -> (Option<i32>, String) {
    let out = bin()
        .args([command, "--insecure", "--key"])
        .arg(key)
        .arg(reference)
        .env("SHIPSHAPE_PASSWORD", "key-password")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (out.status.code(), said(&out))
}

#[test]
fn a_signature_verifies_with_its_key_for_its_digest_only() {
    if !tools() {
        return;
    }
    let registry = Registry::start(None);
    let keys = tmp();
    let (ours, theirs) = (
        key_pair(keys.path(), "ours"),
        key_pair(keys.path(), "theirs"),
    );
    let (ours_pub, theirs_pub) = (ours.with_extension("pub"), theirs.with_extension("pub"));
    let first = layout(&[("amd64", false)]);
    registry.push(first.path(), "app:1", None);
    let reference = format!("{}/app:1", registry.host());

    let (code, text) = with_key("verify", &ours_pub, &reference);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("has no signature"), "{text}");

    let (code, text) = with_key("sign", &ours.with_extension("key"), &reference);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains(".sig"), "{text}");
    let (code, text) = with_key("verify", &ours_pub, &reference);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("verified:"), "{text}");
    let (code, text) = with_key("verify", &theirs_pub, &reference);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("none of the 1 signature"), "{text}");

    // The audit's gate: IM020 when the key did not sign the image.
    let audit = |key: &Path| {
        let out = bin()
            .args(["image", "--source", "registry", "--insecure"])
            .args(["--require-signature", "--key"])
            .arg(key)
            .args([&reference, "--format", "json"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let im020 = places(&doc).iter().any(|(rule, _, _)| rule == "IM020");
        (out.status.code(), im020)
    };
    assert!(!audit(&ours_pub).1);
    assert_eq!(audit(&theirs_pub), (Some(1), true));

    // Other content pushed under the same tag is not what was signed.
    let second = layout(&[("amd64", true)]);
    registry.push(second.path(), "app:1", None);
    let (code, text) = with_key("verify", &ours_pub, &reference);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("has no signature"), "{text}");
}

#[test]
fn a_registry_with_its_own_ca_is_trusted_when_told() {
    if !tools() {
        return;
    }
    let registry = Registry::start_with(Auth::None, true);
    let ca = registry.ca.clone().unwrap_or_else(|| panic!("no CA"));
    let oci = layout(&[("amd64", false)]);
    registry.push(oci.path(), "tls:1", None);
    let reference = format!("{}/tls:1", registry.host());
    let pull = |extra: &[&str], env: Option<&Path>| {
        let mut cmd = bin();
        cmd.args([
            "image",
            "--source",
            "registry",
            &reference,
            "--fail-on",
            "none",
        ])
        .args(extra)
        .env_remove("SSL_CERT_FILE");
        if let Some(path) = env {
            cmd.env("SSL_CERT_FILE", path);
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Not trusted by default.
    let (code, err) = pull(&[], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&registry.host()) && err.contains("--ca-file"),
        "{err}"
    );
    // Trusted with --ca-file, or with SSL_CERT_FILE.
    let ca_arg = ca.display().to_string();
    let (code, err) = pull(&["--ca-file", &ca_arg], None);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = pull(&[], Some(&ca));
    assert_eq!(code, Some(0), "{err}");
}

/// The independent cosign implementation: sigstore-rs behind
/// `compare/cosign-peer` (built by `.ci/run`), or `$SHIPSHAPE_COSIGN_PEER`.
/// `None` (the test skips) when it is not built, unless
/// `SHIPSHAPE_REQUIRE_PEERS=1`.
fn cosign_peer() -> Option<PathBuf> {
    let path = std::env::var_os("SHIPSHAPE_COSIGN_PEER")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("compare/cosign-peer/target/release/cosign-peer"));
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
        panic!(
            "SHIPSHAPE_REQUIRE_PEERS=1 but {} is not built (cargo build --release --manifest-path compare/cosign-peer/Cargo.toml)",
            path.display()
        );
    }
    eprintln!("skipping: {} is not built", path.display());
    None
}

/// Runs the peer: (exit code, standard output and error).
fn peer(program: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(program)
        .args(args)
        .env("COSIGN_PASSWORD", "key-password")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    (out.status.code(), said(&out))
}

#[test]
fn signatures_and_keys_cross_with_sigstore_rs() {
    if !tools() {
        return;
    }
    let Some(cosign) = cosign_peer() else {
        return;
    };
    let registry = Registry::start(None);
    let keys = tmp();
    // Ours made by `shipshape key generate`, theirs by sigstore-rs.
    let ours = key_pair(keys.path(), "ours");
    let theirs = keys.path().join("theirs");
    let theirs_arg = theirs.display().to_string();
    let (code, text) = peer(&cosign, &["generate", &theirs_arg]);
    assert_eq!(code, Some(0), "{text}");
    let key = |prefix: &Path, ext: &str| prefix.with_extension(ext).display().to_string();

    let one = layout(&[("amd64", false)]);
    let two = layout(&[("amd64", true)]);
    registry.push(one.path(), "app:1", None);
    registry.push(two.path(), "app:2", None);
    let (app1, app2) = (
        format!("{}/app:1", registry.host()),
        format!("{}/app:2", registry.host()),
    );

    // sigstore-rs signs with our private key; shipshape verifies.
    let (code, text) = peer(&cosign, &["sign", &key(&ours, "key"), &app1]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = with_key("verify", &ours.with_extension("pub"), &app1);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = with_key("verify", &theirs.with_extension("pub"), &app1);
    assert_eq!(code, Some(1), "{text}");

    // shipshape signs with sigstore-rs's private key; sigstore-rs verifies.
    let (code, text) = with_key("sign", &theirs.with_extension("key"), &app2);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = peer(&cosign, &["verify", &key(&theirs, "pub"), &app2]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = peer(&cosign, &["verify", &key(&ours, "pub"), &app2]);
    assert_eq!(code, Some(1), "{text}");

    // Neither accepts a tag that now names other content.
    registry.push(two.path(), "app:1", None);
    let (code, text) = peer(&cosign, &["verify", &key(&ours, "pub"), &app1]);
    assert_eq!(code, Some(1), "{text}");
    let (code, text) = with_key("verify", &ours.with_extension("pub"), &app1);
    assert_eq!(code, Some(1), "{text}");
}

#[test]
fn the_config_names_trusted_registries_and_their_signers() {
    if !tools() {
        return;
    }
    let registry = Registry::start(None);
    let work = tmp();
    let signer = key_pair(work.path(), "release");
    let oci = layout(&[("amd64", false)]);
    registry.push(oci.path(), "app:1", None);
    let reference = format!("{}/app:1", registry.host());
    let audit = |config: &str| {
        let path = work.path().join(".shipshape.yaml");
        std::fs::write(&path, config).unwrap_or_else(|e| panic!("{e}"));
        let out = bin()
            .args(["image", "--source", "registry", "--insecure", "--config"])
            .arg(&path)
            .args([&reference, "--format", "json", "--fail-on", "critical"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let ids: BTreeSet<String> = places(&doc).into_iter().map(|(id, _, _)| id).collect();
        (out.status.code(), ids)
    };
    let host = registry.host();
    // Not in the trusted list: DF006; signers for another registry: no check.
    let (code, ids) = audit(
        "trustedRegistries: [registry.corp.example]\nsigners:\n  registry.corp.example: [release.pub]\n",
    );
    assert!(ids.contains("DF006") && !ids.contains("IM020"), "{ids:?}");
    assert_eq!(code, Some(0));
    // Trusted, and signers required for it: unsigned is IM020, critical.
    let policy =
        format!("trustedRegistries: [\"{host}\"]\nsigners:\n  \"{host}\": [release.pub]\n");
    let (code, ids) = audit(&policy);
    assert!(!ids.contains("DF006") && ids.contains("IM020"), "{ids:?}");
    assert_eq!(code, Some(1));
    // Signed by the configured key: neither.
    let (code, text) = with_key("sign", &signer.with_extension("key"), &reference);
    assert_eq!(code, Some(0), "{text}");
    let (code, ids) = audit(&policy);
    assert!(!ids.contains("DF006") && !ids.contains("IM020"), "{ids:?}");
    assert_eq!(code, Some(0));
}

#[test]
fn a_registry_with_token_authentication_is_pulled_with_a_token() {
    if !tools() {
        return;
    }
    let password = "tok-pw-9876-s3cr3t";
    let tokens = TokenServer::start(Some(("alice", password)), "private");
    let registry = Registry::start_with(Auth::Token(&tokens), false);
    let oci = layout(&[("amd64", false)]);
    registry.push(oci.path(), "private:1", Some(&format!("alice:{password}")));
    let reference = format!("{}/private:1", registry.host());
    let pull = |user: Option<&str>, stdin: &str| {
        let user = user.map(|name| (name, stdin));
        pull_as(&reference, user, &["--fail-on", "none"], password)
    };
    // The token service's refusals, in its words.
    let (code, err) = pull(None, "");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("without credentials") && err.contains("incorrect username or password"),
        "{err}"
    );
    let (code, err) = pull(Some("alice"), "wrong\n");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("with the credentials given") && err.contains("incorrect username"),
        "{err}"
    );
    let (code, err) = pull(Some("mallory"), "anything\n");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("mallory may not pull"), "{err}");
    // The right credentials get a token, and the token the image.
    let (code, err) = pull(Some("alice"), &format!("{password}\n"));
    assert_eq!(code, Some(0), "{err}");
}
