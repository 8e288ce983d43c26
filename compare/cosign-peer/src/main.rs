//! `cosign-peer generate PREFIX` writes PREFIX.key (encrypted with
//! `COSIGN_PASSWORD`) and PREFIX.pub; `cosign-peer sign KEY REF` pushes a
//! signature of REF's digest under its `.sig` tag; `cosign-peer verify
//! PUB REF` exits 0 when a signature there verifies with PUB, 1 when none
//! does, 2 on any other error. Registries are reached over plain HTTP, as
//! the tests run them.

use std::process::ExitCode;

use sigstore::cosign::constraint::PrivateKeySigner;
use sigstore::cosign::verification_constraint::{PublicKeyVerifier, VerificationConstraintVec};
use sigstore::cosign::{Constraint, CosignCapabilities, SignatureLayer};
use sigstore::crypto::SigningScheme;
use sigstore::registry::{Auth, ClientConfig, ClientProtocol, OciReference};
use zeroize::Zeroizing;

type Failure = Box<dyn std::error::Error>;

fn client() -> Result<sigstore::cosign::Client, Failure> {
    let config = ClientConfig {
        protocol: ClientProtocol::Http,
        ..ClientConfig::default()
    };
    Ok(sigstore::cosign::ClientBuilder::default()
        .with_oci_client_config(config)
        .build()?)
}

fn password() -> Zeroizing<Vec<u8>> {
    Zeroizing::new(
        std::env::var("COSIGN_PASSWORD")
            .unwrap_or_default()
            .into_bytes(),
    )
}

fn generate(prefix: &str) -> Result<bool, Failure> {
    let signer = SigningScheme::ECDSA_P256_SHA256_ASN1.create_signer()?;
    let pair = signer.to_sigstore_keypair()?;
    std::fs::write(
        format!("{prefix}.key"),
        pair.private_key_to_encrypted_pem(&password())?.as_bytes(),
    )?;
    std::fs::write(format!("{prefix}.pub"), pair.public_key_to_pem()?)?;
    Ok(true)
}

async fn sign(key: &str, image: &str) -> Result<bool, Failure> {
    let image: OciReference = image.parse()?;
    let mut client = client()?;
    let (signature_image, digest) = client.triangulate(&image, &Auth::Anonymous).await?;
    let mut layer = SignatureLayer::new_unsigned(&image, &digest)?;
    let signer = PrivateKeySigner::new_with_raw(
        Zeroizing::new(std::fs::read(key)?),
        password(),
        &SigningScheme::ECDSA_P256_SHA256_ASN1,
    )?;
    signer.add_constraint(&mut layer)?;
    client
        .push_signature(None, &Auth::Anonymous, &signature_image, vec![layer])
        .await?;
    println!("signed {digest} as {signature_image}");
    Ok(true)
}

async fn verify(public: &str, image: &str) -> Result<bool, Failure> {
    let image: OciReference = image.parse()?;
    let mut client = client()?;
    let layers = match client
        .trusted_signature_layers(&Auth::Anonymous, &image)
        .await
    {
        Ok(layers) => layers,
        Err(e) => {
            println!("no signature: {e}");
            return Ok(false);
        }
    };
    let constraints: VerificationConstraintVec = vec![Box::new(PublicKeyVerifier::new(
        &std::fs::read(public)?,
        &SigningScheme::ECDSA_P256_SHA256_ASN1,
    )?)];
    match sigstore::cosign::verify_constraints(&layers, constraints.iter()) {
        Ok(()) => {
            println!("verified {} signature layer(s)", layers.len());
            Ok(true)
        }
        Err(e) => {
            println!(
                "not verified: {} constraint(s) unmet",
                e.unsatisfied_constraints.len()
            );
            Ok(false)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["generate", prefix] => generate(prefix),
        ["sign", key, image] => sign(key, image).await,
        ["verify", public, image] => verify(public, image).await,
        _ => Err("usage: cosign-peer generate PREFIX | sign KEY REF | verify PUB REF".into()),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("cosign-peer: {e}");
            ExitCode::from(2)
        }
    }
}
