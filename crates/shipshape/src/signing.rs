//! `shipshape key generate`, `shipshape sign` and `shipshape verify`:
//! cosign-compatible signatures of images in a registry.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use shipshape_registry::{Verification, keys};

use crate::cli::{KeyArgs, KeyCommand, SignArgs};

/// The password of a private key: `$SHIPSHAPE_PASSWORD`, else
/// `$COSIGN_PASSWORD` (cosign's), else asked on the terminal (twice for a
/// new key).
fn password(new: bool) -> Result<String> {
    for var in ["SHIPSHAPE_PASSWORD", "COSIGN_PASSWORD"] {
        if let Ok(p) = std::env::var(var) {
            return Ok(p);
        }
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("set SHIPSHAPE_PASSWORD to the key's password (no terminal to ask on)");
    }
    let first = rpassword::prompt_password("Password for the private key: ")
        .context("cannot read the password")?;
    if new {
        let again = rpassword::prompt_password("Again: ").context("cannot read the password")?;
        if again != first {
            anyhow::bail!("the two passwords differ");
        }
    }
    Ok(first)
}

pub fn key(args: &KeyArgs) -> Result<ExitCode> {
    match &args.command {
        KeyCommand::Generate { output_key_prefix } => {
            let private_path = output_key_prefix.with_extension("key");
            let public_path = output_key_prefix.with_extension("pub");
            for path in [&private_path, &public_path] {
                if path.exists() {
                    anyhow::bail!("{} exists; not overwritten", path.display());
                }
            }
            let password = password(true)?;
            let (private, public) = keys::generate(password.as_bytes())?;
            write_private(&private_path, &private)?;
            std::fs::write(&public_path, public)
                .with_context(|| format!("cannot write {}", public_path.display()))?;
            eprintln!(
                "wrote {} (private, sealed with the password) and {}",
                private_path.display(),
                public_path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a private key readable by its owner alone.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn sign(args: &SignArgs) -> Result<ExitCode> {
    let text = read(&args.key)?;
    let key = keys::private_key(&text, password(false)?.as_bytes())
        .with_context(|| format!("{}", args.key.display()))?;
    let (digest, tag) = shipshape_registry::sign(
        &args.reference,
        &key,
        &crate::image::registry_options(&args.access, None)?,
    )?;
    eprintln!(
        "signed {} ({digest}); the signature is tag {tag}",
        args.reference
    );
    Ok(ExitCode::SUCCESS)
}

pub fn verify(args: &SignArgs) -> Result<ExitCode> {
    let key = public_key(&args.key)?;
    let outcome = shipshape_registry::verify(
        &args.reference,
        &key,
        &crate::image::registry_options(&args.access, None)?,
    )?;
    let (ok, text) = describe(&args.reference, &args.key, &outcome);
    if ok {
        println!("{text}");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{text}");
        Ok(ExitCode::from(1))
    }
}

/// Whether `reference` is signed by one of `keys` (public key files), as
/// the audit's IM020 reads it.
pub fn check(
    reference: &str,
    keys: &[std::path::PathBuf],
    registry: &shipshape_registry::PullOptions,
) -> Result<shipshape_core::image_spec::SignatureCheck> {
    let mut details = Vec::new();
    for key in keys {
        let public = public_key(key)?;
        let outcome = shipshape_registry::verify(reference, &public, registry)?;
        let (verified, detail) = describe(reference, key, &outcome);
        if verified {
            return Ok(shipshape_core::image_spec::SignatureCheck { verified, detail });
        }
        details.push(detail);
    }
    Ok(shipshape_core::image_spec::SignatureCheck {
        verified: false,
        detail: details.join("; "),
    })
}

/// Reads a public key file.
pub fn public_key(path: &Path) -> Result<p256::ecdsa::VerifyingKey> {
    keys::public_key(&read(path)?).with_context(|| format!("{}", path.display()))
}

/// Whether `outcome` is a pass, and what to say of it.
pub fn describe(reference: &str, key: &Path, outcome: &Verification) -> (bool, String) {
    let key = key.display();
    match outcome {
        Verification::Verified { digest } => (
            true,
            format!("verified: {reference} ({digest}) is signed by {key}"),
        ),
        Verification::Unsigned { digest } => (
            false,
            format!(
                "not verified: {reference} ({digest}) has no signature (never signed, or the tag now names other content)"
            ),
        ),
        Verification::NotByKey { digest, signatures } => (
            false,
            format!(
                "not verified: none of the {signatures} signature(s) of {reference} ({digest}) is by {key}"
            ),
        ),
    }
}
