use super::Checker;
use super::file_support::{contents, is_regular, third_party};

rule! {
    /// ## What it does
    /// Looks inside key-like files of the image (names ending in `.pem`,
    /// `.key`, `.p8` or `_key`, and `id_*` files other than `*.pub`) and
    /// flags those holding a PEM or OpenSSH private key: a
    /// `-----BEGIN ... PRIVATE KEY-----` line followed by key data. The
    /// finding points at the line of that header. Certificates and public
    /// keys are not reported, nor placeholders without key data, nor keys in
    /// third-party trees (`node_modules`, `site-packages`, `vendor`, Go
    /// `testdata`, ...), which are test fixtures of someone else's code.
    ///
    /// ## Why is this bad?
    /// An image is copied to every registry, cache, CI runner and node that
    /// pulls it, and anyone who can pull it can read every file in every
    /// layer, including files a later layer deleted. A TLS key in an image
    /// lets its reader impersonate the service; an SSH key opens whatever
    /// accepts it; SSH host keys (`/etc/ssh/ssh_host_*_key`) baked in are
    /// the same in every container, so one leak unmasks them all. A key
    /// encrypted with a passphrase is still exposed to offline guessing.
    /// Rotating a leaked key means finding every copy of the image.
    ///
    /// ## Example
    /// ```text
    /// 600 0:0 app/certs/server.key = -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n
    /// ```
    ///
    /// ## Use instead
    /// Ship only the certificate; mount the key at run time (a Kubernetes
    /// Secret, `docker run -v`, `--secret` in Compose), and use
    /// `RUN --mount=type=secret` or `--mount=type=ssh` for keys a build step
    /// needs:
    /// ```text
    /// 644 0:0 app/certs/server.pem = -----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - Docker documentation, *Build secrets* (`RUN --mount=type=secret`)
    /// - shipshape IM104 (credential files by name)
    id: "IM103",
    name: "private-key-file",
    title: "Private key in the image",
    severity: High,
    aliases: ["CIS-DI-0010", "CIS-4.10"],
    check: check,
}

/// Whether a file of this name may hold a private key (the reader keeps its
/// contents).
pub fn wants(name: &str) -> bool {
    (name.starts_with("id_") && !name.ends_with(".pub"))
        || name.ends_with(".pem")
        || name.ends_with(".key")
        || name.ends_with(".p8")
        || (name.ends_with("_key") && name.len() > 4)
}

/// The first private key in a text: the 1-based line of its header and its
/// label (`RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, ...). A header counts
/// only when a line of key data (base64, 16 characters or more) follows it
/// before its `-----END` line.
pub fn private_key(text: &[u8]) -> Option<(u32, String)> {
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|rest| rest.strip_suffix(b"-----"))
        else {
            continue;
        };
        if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK")) {
            continue;
        }
        let body = lines
            .iter()
            .skip(i + 1)
            .take_while(|l| !l.starts_with(b"-----END "));
        let has_data = body.clone().any(|l| {
            l.len() >= 16
                && l.iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        });
        if has_data {
            let mut label = String::from_utf8_lossy(label).into_owned();
            let encrypted = body
                .clone()
                .any(|l| l.starts_with(b"Proc-Type: 4,ENCRYPTED"));
            if encrypted && !label.contains("ENCRYPTED") {
                label.push_str(", encrypted");
            }
            return Some((super::file_support::line_number(i), label));
        }
    }
    None
}

fn check(cx: &mut Checker<'_>) {
    let files = &cx.image.files;
    let mut found = Vec::new();
    for (path, entry) in files.iter() {
        if !is_regular(entry) || third_party(path) {
            continue;
        }
        let Some(text) = contents(files, entry) else {
            continue;
        };
        if let Some((line, label)) = private_key(text) {
            found.push((entry.layer, path.to_string(), line, label));
        }
    }
    for (layer, path, line, label) in found {
        let message = if label.contains("ENCRYPTED") || label.ends_with("encrypted") {
            format!(
                "/{path} holds a private key ({label}): encrypted, but anyone who pulls the image can try passphrases offline; mount it at run time instead"
            )
        } else {
            format!(
                "/{path} holds a private key ({label}): anyone who pulls the image can read it; mount it at run time instead"
            )
        };
        cx.report_file(Some(layer), &path, Some(line), message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::{RULE, private_key, wants};
    use crate::image::test_support::{assert_silent, files};
    use shipshape_image::files::{Entry, Kind};

    const BODY: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";

    #[test]
    fn fires_on_pem_and_openssh_keys_at_the_header_line() {
        let listing = format!(
            "600 0:0 app/server.key = -----BEGIN RSA PRIVATE KEY-----\\n{BODY}\\n-----END RSA PRIVATE KEY-----\n\
             600 0:0 root/.ssh/id_ed25519 = -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n-----END OPENSSH PRIVATE KEY-----\n\
             644 0:0 etc/ssl/bundle.pem = -----BEGIN CERTIFICATE-----\\n{BODY}\\n-----END CERTIFICATE-----\\n  -----BEGIN EC PRIVATE KEY-----  \\n{BODY}\\n-----END EC PRIVATE KEY-----\n\
             600 0:0 etc/ssh/ssh_host_ecdsa_key = -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n-----END OPENSSH PRIVATE KEY-----\n"
        );
        assert_eq!(
            places(&RULE, &listing),
            [
                ("app/server.key".to_string(), Some(1)),
                ("etc/ssh/ssh_host_ecdsa_key".to_string(), Some(1)),
                ("etc/ssl/bundle.pem".to_string(), Some(4)),
                ("root/.ssh/id_ed25519".to_string(), Some(1)),
            ]
        );
    }

    #[test]
    fn encrypted_keys_are_reported_as_such() {
        let listing = format!(
            "600 0:0 app/a.pem = -----BEGIN ENCRYPTED PRIVATE KEY-----\\n{BODY}\\n-----END ENCRYPTED PRIVATE KEY-----\n\
             600 0:0 app/b.key = -----BEGIN RSA PRIVATE KEY-----\\nProc-Type: 4,ENCRYPTED\\nDEK-Info: AES-128-CBC,0123\\n\\n{BODY}\\n-----END RSA PRIVATE KEY-----\n"
        );
        let found = crate::image::test_support::findings(&RULE, &listing);
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|f| f.message.contains("passphrases offline"))
        );
        assert!(found[1].message.contains("RSA PRIVATE KEY, encrypted"));
    }

    #[test]
    fn pgp_private_key_blocks_count() {
        let text = format!("x\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{BODY}\n");
        assert_eq!(
            private_key(text.as_bytes()),
            Some((2, "PGP PRIVATE KEY BLOCK".to_string()))
        );
    }

    #[test]
    fn silent_on_certificates_public_keys_placeholders_and_fixtures() {
        assert_silent(
            &RULE,
            &format!(
                "644 0:0 etc/ssl/cert.pem = -----BEGIN CERTIFICATE-----\\n{BODY}\\n-----END CERTIFICATE-----\n\
                 644 0:0 app/pub.pem = -----BEGIN PUBLIC KEY-----\\n{BODY}\\n-----END PUBLIC KEY-----\n\
                 644 0:0 root/.ssh/id_rsa.pub = ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@host\n\
                 600 0:0 app/example.key = -----BEGIN PRIVATE KEY-----\\n<paste your key here>\\n-----END PRIVATE KEY-----\n\
                 600 0:0 app/redacted.key = -----BEGIN PRIVATE KEY-----\\nMIIE...REDACTED...\\n-----END PRIVATE KEY-----\n\
                 600 0:0 app/empty.key = -----BEGIN PRIVATE KEY-----\\n-----END PRIVATE KEY-----\\n{BODY}\n\
                 644 0:0 app/docs.md = Keys start with -----BEGIN PRIVATE KEY----- and then\\n{BODY}\n\
                 600 0:0 app/node_modules/tls/test/key.pem = -----BEGIN PRIVATE KEY-----\\n{BODY}\\n-----END PRIVATE KEY-----\n\
                 600 0:0 usr/local/go/src/crypto/tls/testdata/k.pem = -----BEGIN PRIVATE KEY-----\\n{BODY}\\n-----END PRIVATE KEY-----\n\
                 600 0:0 app/big.key\n\
                 700 0:0 app/keys/\n"
            ),
        );
    }

    #[test]
    fn a_hard_link_is_read_through_its_target() {
        let mut image = files(&format!(
            "600 0:0 app/server.key = -----BEGIN PRIVATE KEY-----\\n{BODY}\\n-----END PRIVATE KEY-----\n"
        ));
        image.files.insert(
            "app/copy.key".to_string(),
            Entry {
                kind: Kind::Hardlink("app/server.key".to_string()),
                mode: 0o600,
                uid: 0,
                gid: 0,
                size: 0,
                layer: 2,
                content: None,
                condensed: None,
                unread: None,
            },
        );
        let found = run(&RULE, &image);
        let got: Vec<_> = found.iter().map(place).collect();
        assert_eq!(
            got,
            [
                ("app/copy.key".to_string(), Some(1)),
                ("app/server.key".to_string(), Some(1))
            ]
        );
        assert_eq!(layer(&found[0]).as_deref(), Some("2"));
    }

    #[test]
    fn wanted_names() {
        for name in [
            "id_rsa",
            "id_work",
            "server.key",
            "tls.pem",
            "AuthKey_X.p8",
            "ssh_host_rsa_key",
        ] {
            assert!(wants(name), "{name}");
        }
        for name in [
            "id_rsa.pub",
            "key",
            "_key",
            "keys.txt",
            "server.crt",
            "monkey",
        ] {
            assert!(!wants(name), "{name}");
        }
    }
}
