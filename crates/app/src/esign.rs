//! e-imza verification (issue 17 §3): a CAdES signature, a detached CMS
//! SignedData (CAdES-BES at least), checked over the content it signs with
//! the RustCrypto crates (`cms`, `x509-cert`, `rsa`); no ASN.1 by hand.
//!
//! The checks, each reported: the structure; the content (the signed
//! `messageDigest` is the content's digest); the signature over the signed
//! attributes with the signer's key; the certificate chain to a trusted
//! root (PEM files in the trust folder, `DATA_DIR/trust` by default, where
//! Kamu SM's public roots go); each certificate's validity at the signing
//! time (`signingTime`, else now); and the signer certificate's key usage,
//! which must allow non-repudiation (a qualified e-imza, Law 5070).
//! RSA (PKCS #1 v1.5) with SHA-1, SHA-256, SHA-384 and SHA-512 is
//! verified, the algorithms Kamu SM's e-imza cards use; any other is
//! reported as unsupported, never as valid.
//!
//! Signing itself happens on the signer's smart card, outside this program.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use domain::code::Code;
use sha2::Digest;
use time::OffsetDateTime;
use x509_cert::Certificate;

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA1_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const SHA256_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const ID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ID_SERIAL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");

/// One check and its result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Check {
    /// `structure`, `content`, `signature`, `chain`, `validity`,
    /// `key_usage`.
    pub check: String,
    pub ok: bool,
    /// Why it failed (a stable code, e.g. `signature_untrusted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Every check passed.
    pub valid: bool,
    /// The signer as the certificate names him (CN).
    pub signer_name: Option<String>,
    /// The TC kimlik number the certificate carries (subject serialNumber).
    pub tckn: Option<String>,
    /// The certificate's serial number, hexadecimal.
    pub serial: Option<String>,
    /// The issuing CA (its CN, else its whole name).
    pub issuer: Option<String>,
    /// The signing time the signature states.
    #[serde(with = "time::serde::rfc3339::option")]
    pub signing_time: Option<OffsetDateTime>,
    pub checks: Vec<Check>,
}

impl Verification {
    /// The code of the first failed check, for a refusal.
    pub fn refusal(&self) -> Option<Code> {
        self.checks.iter().find(|c| !c.ok).map(|c| {
            c.reason
                .as_deref()
                .and_then(Code::parse)
                .unwrap_or(Code::SignatureInvalid)
        })
    }

    fn fail(mut self, check: &str, code: Code) -> Verification {
        self.checks.push(Check {
            check: check.into(),
            ok: false,
            reason: Some(code.as_str().into()),
        });
        self.valid = false;
        self
    }

    fn pass(&mut self, check: &str) {
        self.checks.push(Check {
            check: check.into(),
            ok: true,
            reason: None,
        });
    }
}

/// The trusted roots: every certificate in every PEM (or DER) file of
/// `dir`. A missing folder trusts nothing.
pub fn trust_store(dir: Option<&std::path::Path>) -> Vec<Certificate> {
    let Some(dir) = dir else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.starts_with(b"-----BEGIN") {
            if let Ok(certs) = Certificate::load_pem_chain(&bytes) {
                out.extend(certs);
            }
        } else if let Ok(c) = Certificate::from_der(&bytes) {
            out.push(c);
        }
    }
    out
}

fn digest(alg: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    Some(match *alg {
        ID_SHA1 => sha1::Sha1::digest(data).to_vec(),
        ID_SHA256 => sha2::Sha256::digest(data).to_vec(),
        ID_SHA384 => sha2::Sha384::digest(data).to_vec(),
        ID_SHA512 => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

/// Verifies an RSA PKCS #1 v1.5 signature of `hashed` (made with `hash`)
/// by `cert`'s key.
fn rsa_verify(cert: &Certificate, hash: &ObjectIdentifier, hashed: &[u8], sig: &[u8]) -> bool {
    use rsa::Pkcs1v15Sign;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if spki.algorithm.oid != RSA {
        return false;
    }
    let Ok(der) = spki.to_der() else { return false };
    let Ok(key) = <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&der)
    else {
        return false;
    };
    let scheme = match *hash {
        ID_SHA1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        ID_SHA256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        ID_SHA384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        ID_SHA512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        _ => return false,
    };
    key.verify(scheme, hashed, sig).is_ok()
}

/// The hash of a signature algorithm (`sha256WithRSAEncryption` → SHA-256);
/// plain `rsaEncryption` uses the signer info's digest.
fn hash_of(sig_alg: &ObjectIdentifier, digest_alg: &ObjectIdentifier) -> Option<ObjectIdentifier> {
    match *sig_alg {
        SHA1_RSA => Some(ID_SHA1),
        SHA256_RSA => Some(ID_SHA256),
        SHA384_RSA => Some(ID_SHA384),
        SHA512_RSA => Some(ID_SHA512),
        RSA => Some(*digest_alg),
        _ => None,
    }
}

/// Whether `issuer` signed `cert`.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Some(hash) = hash_of(&cert.signature_algorithm.oid, &ID_SHA256) else {
        return false;
    };
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(hashed) = digest(&hash, &tbs) else {
        return false;
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return false;
    };
    rsa_verify(issuer, &hash, &hashed, sig)
}

fn valid_at(cert: &Certificate, at: OffsetDateTime) -> bool {
    let v = &cert.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
    let at = at.unix_timestamp();
    secs(v.not_before) <= at && at <= secs(v.not_after)
}

/// An attribute of a name, as text.
fn name_attr(name: &x509_cert::name::Name, oid: ObjectIdentifier) -> Option<String> {
    use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid != oid {
                continue;
            }
            let v = &atv.value;
            if let Ok(s) = v.decode_as::<Utf8StringRef>() {
                return Some(s.as_str().to_owned());
            }
            if let Ok(s) = v.decode_as::<PrintableStringRef>() {
                return Some(s.as_str().to_owned());
            }
            if let Ok(s) = v.decode_as::<Ia5StringRef>() {
                return Some(s.as_str().to_owned());
            }
            if let Ok(s) = v.decode_as::<TeletexStringRef>() {
                return Some(s.as_str().to_owned());
            }
        }
    }
    None
}

/// Verifies a CAdES (detached CMS SignedData) signature over one of
/// `contents` (the first whose digest the signature states), at `now`,
/// against `roots`; which content it covers, and the report.
pub fn verify(
    signature: &[u8],
    contents: &[&[u8]],
    roots: &[Certificate],
    now: OffsetDateTime,
) -> (Option<usize>, Verification) {
    let mut v = Verification {
        valid: true,
        signer_name: None,
        tckn: None,
        serial: None,
        issuer: None,
        signing_time: None,
        checks: Vec::new(),
    };
    let sd = match ContentInfo::from_der(signature)
        .ok()
        .filter(|ci| ci.content_type == ID_SIGNED_DATA)
        .and_then(|ci| ci.content.decode_as::<SignedData>().ok())
    {
        Some(sd) => sd,
        None => return (None, v.fail("structure", Code::SignatureMalformed)),
    };
    let Some(si) = sd.signer_infos.0.iter().next().cloned() else {
        return (None, v.fail("structure", Code::SignatureMalformed));
    };
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let signer = certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(i) => {
            c.tbs_certificate.issuer == i.issuer
                && c.tbs_certificate.serial_number == i.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(k) => {
            c.tbs_certificate.extensions.iter().flatten().any(|e| {
                e.extn_id == ObjectIdentifier::new_unwrap("2.5.29.14")
                    && OctetString::from_der(e.extn_value.as_bytes())
                        .is_ok_and(|o| o.as_bytes() == k.0.as_bytes())
            })
        }
    });
    let Some(signer) = signer.cloned() else {
        return (None, v.fail("structure", Code::SignatureMalformed));
    };
    let tbs = &signer.tbs_certificate;
    v.signer_name = name_attr(&tbs.subject, ID_CN);
    v.tckn = name_attr(&tbs.subject, ID_SERIAL_NUMBER)
        .map(|s| {
            s.trim_start_matches("TCKN")
                .trim_start_matches(':')
                .trim()
                .to_owned()
        })
        .filter(|s| domain::tckn::TcKimlikNo::parse(s).is_ok());
    v.serial = Some(hex::encode_upper(tbs.serial_number.as_bytes()));
    v.issuer = name_attr(&tbs.issuer, ID_CN).or_else(|| Some(tbs.issuer.to_string()));
    let attrs = si.signed_attrs.clone().unwrap_or_default();
    let attr = |oid: ObjectIdentifier| {
        attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next().cloned())
    };
    v.signing_time = attr(ID_SIGNING_TIME)
        .and_then(|a| a.to_der().ok())
        .and_then(|d| x509_cert::time::Time::from_der(&d).ok())
        .and_then(|t| {
            OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64).ok()
        });
    v.pass("structure");

    // The content: the stated digest is one content's digest.
    let digest_alg = si.digest_alg.oid;
    let stated = match si.signed_attrs {
        Some(_) => attr(ID_MESSAGE_DIGEST)
            .and_then(|a| a.decode_as::<OctetString>().ok())
            .map(|o| o.as_bytes().to_vec()),
        None => None,
    };
    let embedded = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
        .map(|o| o.as_bytes().to_vec());
    let mut candidates: Vec<&[u8]> = contents.to_vec();
    if let Some(e) = &embedded {
        candidates.push(e);
    }
    let covered = candidates.iter().position(|c| {
        digest(&digest_alg, c).is_some_and(|d| stated.as_deref() == Some(d.as_slice()))
    });
    let Some(covered) = covered else {
        let code = if digest(&digest_alg, b"").is_none() {
            Code::SignatureUnsupported
        } else {
            Code::SignatureContentMismatch
        };
        return (None, v.fail("content", code));
    };
    v.pass("content");

    // The signature over the signed attributes, by the signer's key.
    let Some(hash) = hash_of(&si.signature_algorithm.oid, &digest_alg) else {
        return (
            Some(covered),
            v.fail("signature", Code::SignatureUnsupported),
        );
    };
    let signed = match &si.signed_attrs {
        Some(a) => a.to_der().ok(),
        None => None,
    };
    let ok = signed
        .and_then(|s| digest(&hash, &s))
        .is_some_and(|h| rsa_verify(&signer, &hash, &h, si.signature.as_bytes()));
    if ok {
        v.pass("signature");
    } else {
        v = v.fail("signature", Code::SignatureInvalid);
    }

    // The chain, up to a trusted root; every certificate valid at the
    // signing time.
    let at = v.signing_time.unwrap_or(now);
    let mut chain = vec![signer.clone()];
    let mut trusted = false;
    for _ in 0..8 {
        let last = chain.last().cloned().unwrap_or_else(|| signer.clone());
        if roots.iter().any(|r| r == &last) {
            trusted = true;
            break;
        }
        if let Some(root) = roots.iter().find(|r| issued_by(&last, r)) {
            chain.push(root.clone());
            trusted = true;
            break;
        }
        match certs
            .iter()
            .find(|c| *c != &last && !chain.contains(c) && issued_by(&last, c))
        {
            Some(next) => chain.push(next.clone()),
            None => break,
        }
    }
    if trusted {
        v.pass("chain");
    } else {
        v = v.fail("chain", Code::SignatureUntrusted);
    }
    if chain.iter().all(|c| valid_at(c, at)) {
        v.pass("validity");
    } else {
        v = v.fail("validity", Code::SignatureExpired);
    }

    // Non-repudiation (contentCommitment) on the signer's certificate.
    let non_repudiation = tbs
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_KEY_USAGE)
        .and_then(|e| x509_cert::ext::pkix::KeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|k| k.non_repudiation());
    if non_repudiation {
        v.pass("key_usage");
    } else {
        v = v.fail("key_usage", Code::SignatureKeyUsage);
    }
    (Some(covered), v)
}
