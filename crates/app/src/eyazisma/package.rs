//! The e-Yazışma package (`.eyp`, an OPC zip) itself: reading one we
//! receive, version 1.x or 2.x, and writing a 2.x one for a signed letter.
//! Pure: bytes in, bytes or a [`Package`] out.
//!
//! Reading refuses, naming the part at fault, anything but a whole and
//! honest package: not a zip, an encrypted `.eyps`, no Üstveri or package
//! summary, a part whose digest does not match the summary, a path that
//! leaves the package, two parts of one name, a zip bomb (the expanded
//! size, the number of parts and each part's compression ratio are
//! bounded on the bytes actually inflated, not on what the zip declares),
//! and XML with a DTD (so no external entity and no billion laughs:
//! `roxmltree` refuses DTDs unless told otherwise).
//!
//! Writing follows the element order and cardinality of the official
//! 2.x XSDs (`EY-Ustveri-2`, `EY-NihaiUstveri-2`, `EY-PaketOzeti-2`,
//! `EY-NihaiOzet-2`), which the tests check with a schema validator.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use base64::Engine;
use domain::code::Code;
use sha2::{Digest, Sha256, Sha384, Sha512};
use time::OffsetDateTime;

/// Namespaces of the 2.x parts.
const NS_USTVERI: &str = "urn:dpt:eyazisma:schema:xsd:Ustveri-2";
const NS_TIPLER: &str = "urn:dpt:eyazisma:schema:xsd:Tipler-2";
const NS_NIHAI_USTVERI: &str = "urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2";
const NS_PAKET_OZETI: &str = "urn:dpt:eyazisma:schema:xsd:PaketOzeti-2";
const NS_NIHAI_OZET: &str = "urn:dpt:eyazisma:schema:xsd:NihaiOzet-2";
const NS_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const NS_TYPES: &str = "http://schemas.openxmlformats.org/package/2006/content-types";
/// Relationship types (`http://eyazisma.dpt/iliskiler/...`).
const REL: &str = "http://eyazisma.dpt/iliskiler/";
const INTERNAL: &str = "http://eyazisma.dpt/bilesen#dahili";
const SHA256_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const SHA384_URI: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
const SHA512_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha512";

/// What reading a package may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Parts (zip entries) at most.
    pub max_parts: usize,
    /// Bytes, all parts inflated together.
    pub max_expanded: u64,
    /// A part inflating to more than this many times its compressed size
    /// (past the first MiB) is a bomb.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_parts: 500,
            max_expanded: 256 << 20,
            max_ratio: 100,
        }
    }
}

/// Why a package is refused, and the part at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageError {
    pub code: Code,
    pub part: Option<String>,
}

fn refuse<T>(code: Code, part: Option<&str>) -> Result<T, PackageError> {
    Err(PackageError {
        code,
        part: part.map(str::to_owned),
    })
}

/// A sender or recipient of a package.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Party {
    /// `institution` (KurumKurulus, by its DETSİS number), `person`
    /// (GercekSahis) or `company` (TuzelSahis).
    pub kind: String,
    pub name: String,
    /// The DETSİS number, TC kimlik number or the company's identifier.
    pub id: String,
    /// The identifier's scheme for a company (`VKN`, `MERSIS`).
    pub scheme: Option<String>,
    pub kep: Option<String>,
}

/// One line of the distribution list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Distribution {
    pub party: Party,
    /// `NRM`, `ACL` or `GNL`.
    pub urgency: String,
    /// `GRG` (gereği) or `BLG` (bilgi).
    pub purpose: String,
    /// For a dated (GNL) letter: the period, an xsd:duration such as `P5D`.
    pub miat: Option<String>,
}

/// An attachment the Üstveri lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PackageAttachment {
    pub id: String,
    /// `DED` (a file in the package), `HRF` (a reference), `FZK` (physical).
    pub kind: String,
    pub name: String,
    pub file_name: Option<String>,
    /// The part holding it (`Ekler/ek1.pdf`), for a `DED`.
    pub part: Option<String>,
    pub order: i64,
    pub description: Option<String>,
    pub reference: Option<String>,
    pub number: Option<String>,
}

/// An İlgi.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PackageRef {
    pub label: String,
    pub number: Option<String>,
    pub date: Option<String>,
    pub name: Option<String>,
}

/// A signature file the package carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureFile {
    pub part: String,
    /// `imza` (the signer's), `muhur` (the institution's seal), `paraf`.
    pub role: String,
    /// The part it signs: the part whose relationships point at it
    /// (PaketOzeti for the signature, NihaiOzet for the seal, ParafOzeti
    /// for an initial).
    pub covers: Option<String>,
    pub bytes: Vec<u8>,
}

/// A package as read.
#[derive(Debug, Clone)]
pub struct Package {
    /// 1 or 2.
    pub version: u8,
    pub belge_id: String,
    pub subject: String,
    /// The sender's number (BelgeNo) and date (Tarih): in NihaiUstveri in
    /// 2.x, in the Üstveri in 1.x.
    pub number: String,
    pub date: Option<OffsetDateTime>,
    /// `YOK`, `HZO`, `OZL`, `GZL`, `CGZ`.
    pub confidentiality: String,
    pub sender: Party,
    pub distribution: Vec<Distribution>,
    pub attachments: Vec<PackageAttachment>,
    pub refs: Vec<PackageRef>,
    /// The Standard File Plan codes (SdpBilgisi), main first.
    pub file_codes: Vec<String>,
    /// Whether the İlgili list names a natural person.
    pub names_persons: bool,
    /// The signers as NihaiUstveri or BelgeImza name them.
    pub signers: Vec<String>,
    pub verification_url: Option<String>,
    /// The part holding the üst yazı, and its file name.
    pub main_part: String,
    pub main_name: String,
    pub signatures: Vec<SignatureFile>,
    /// Every part, by its path inside the package (no leading slash).
    pub parts: BTreeMap<String, Vec<u8>>,
}

impl Package {
    pub fn part(&self, path: &str) -> Option<&[u8]> {
        self.parts.get(path).map(Vec::as_slice)
    }
}

/// A part's path as the zip names it, if it stays inside the package.
fn safe_path(name: &str) -> Option<String> {
    if name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.chars().any(char::is_control)
    {
        return None;
    }
    let mut out = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." if out.is_empty() && c.is_empty() => return None,
            "" => {}
            "." => {}
            ".." => return None,
            c if c.contains(':') => return None,
            c => out.push(c),
        }
    }
    (!out.is_empty()).then(|| out.join("/"))
}

/// A relationship's or reference's target, resolved against the folder
/// of the part naming it (`""` for the package root).
fn resolve(base: &str, target: &str) -> Result<String, PackageError> {
    let target = target.trim();
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for c in target.trim_start_matches('/').split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return refuse(Code::PackageUnsafePath, Some(target));
                }
            }
            c if c.contains(':') || c.contains('\\') => {
                return refuse(Code::PackageUnsafePath, Some(target))
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return refuse(Code::PackageUnsafePath, Some(target));
    }
    Ok(parts.join("/"))
}

/// The number of entries the zip's end of central directory record
/// declares (none for a ZIP64 archive, which says 0xFFFF there).
fn central_directory_entries(bytes: &[u8]) -> Option<usize> {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let n = tail.get(at + 10..at + 12)?;
    let n = u16::from_le_bytes([n[0], n[1]]);
    (n != 0xFFFF).then_some(usize::from(n))
}

/// Inflates every part, within `limits`.
fn unzip(bytes: &[u8], limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>, PackageError> {
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => return refuse(Code::PackageNotZip, None),
    };
    if zip.len() > limits.max_parts {
        return refuse(Code::PackageTooLarge, None);
    }
    // The zip reader keeps one entry per name: two entries of one name
    // show as fewer entries than the central directory counts.
    if let Some(declared) = central_directory_entries(bytes) {
        if declared != zip.len() {
            return refuse(Code::PackageDuplicatePart, None);
        }
    }
    let mut parts = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return refuse(Code::PackageEncrypted, None)
            }
            Err(_) => return refuse(Code::PackageNotZip, None),
        };
        let raw = f.name().to_owned();
        if f.is_dir() {
            continue;
        }
        if f.encrypted() {
            return refuse(Code::PackageEncrypted, Some(&raw));
        }
        let Some(path) = safe_path(&raw) else {
            return refuse(Code::PackageUnsafePath, Some(&raw));
        };
        // OPC part names are case-insensitive.
        if !seen.insert(path.to_lowercase()) {
            return refuse(Code::PackageDuplicatePart, Some(&path));
        }
        // Counted on what inflates, chunk by chunk: a bomb is stopped at
        // its limit, never held whole.
        let compressed = f.compressed_size().max(1);
        let room = limits.max_expanded - total;
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let got = match f.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return refuse(Code::PackageNotZip, Some(&path)),
            };
            buf.extend_from_slice(&chunk[..got]);
            let n = buf.len() as u64;
            if n > room || (n > 1 << 20 && n / compressed > limits.max_ratio) {
                return refuse(Code::PackageTooLarge, Some(&path));
            }
        }
        total += buf.len() as u64;
        parts.insert(path, buf);
    }
    Ok(parts)
}

/// How deep elements may nest in a part (the official parts need fewer
/// than ten levels).
const MAX_DEPTH: usize = 256;

/// Whether elements nest deeper than `max`, found by a scan of the tags
/// (comments, CDATA, processing instructions and quoted attribute values
/// skipped) before any parser builds a tree: the parser recurses, and a
/// hundred thousand nested elements would overflow its stack.
fn nests_deeper(b: &[u8], max: usize) -> bool {
    let find = |from: usize, pat: &[u8]| {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            i = find(i + 2, b">");
        } else {
            let closing = rest.get(1) == Some(&b'/');
            let (mut j, mut quote) = (i + 1, 0u8);
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            let self_closing = b[j - 1] == b'/';
            if closing {
                depth = depth.saturating_sub(1);
            } else if !self_closing {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            i = j + 1;
        }
    }
    false
}

/// An XML part, parsed with DTDs refused and its nesting bounded.
fn parse_xml<'a>(path: &str, bytes: &'a [u8]) -> Result<roxmltree::Document<'a>, PackageError> {
    let text = std::str::from_utf8(bytes).map_err(|_| PackageError {
        code: Code::PackageBadXml,
        part: Some(path.to_owned()),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if nests_deeper(text.as_bytes(), MAX_DEPTH) {
        return refuse(Code::PackageBadXml, Some(path));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 200_000,
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| PackageError {
        code: match e {
            roxmltree::Error::DtdDetected | roxmltree::Error::EntityReferenceLoop(_) => {
                Code::PackageDtd
            }
            _ => Code::PackageBadXml,
        },
        part: Some(path.to_owned()),
    })
}

/// Whether `bytes` are an XML signature (XAdES): well-formed XML, no DTD,
/// with an XML-DSig `Signature` element.
pub fn is_xml_signature(bytes: &[u8]) -> bool {
    const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
    parse_xml("imza.xml", bytes).is_ok_and(|d| {
        d.descendants()
            .filter(|n| {
                n.tag_name().name() == "Signature" && n.tag_name().namespace() == Some(DSIG)
            })
            .any(|sig| {
                let has = |name: &str| {
                    sig.descendants().any(|n| {
                        n.tag_name().name() == name
                            && n.tag_name().namespace() == Some(DSIG)
                            && (name != "SignatureValue"
                                || n.text().is_some_and(|t| !t.trim().is_empty()))
                    })
                };
                has("SignedInfo") && has("SignatureValue") && has("X509Certificate")
            })
    })
}

/// The children of `n` of a local name, whatever their namespace (1.x and
/// 2.x name the same elements in different namespaces).
fn kids<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn kid<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &'static str) -> Option<roxmltree::Node<'a, 'i>> {
    kids(n, name).next()
}

/// A child's text, trimmed; `None` when absent or empty.
fn text_of(n: roxmltree::Node, name: &'static str) -> Option<String> {
    kid(n, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// An xsd:dateTime; one without an offset is Turkey's time.
pub fn parse_datetime(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // No offset: Turkey's time. Fractions beyond nine digits are cut.
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) if f.chars().all(|c| c.is_ascii_digit()) => (m, &f[..f.len().min(9)]),
        Some(_) => return None,
        None => (s, ""),
    };
    let with = if frac.is_empty() {
        format!("{main}+03:00")
    } else {
        format!("{main}.{frac}+03:00")
    };
    OffsetDateTime::parse(&with, &Rfc3339).ok()
}

fn person_name(kisi: roxmltree::Node) -> String {
    [
        text_of(kisi, "OnEk"),
        text_of(kisi, "IlkAdi"),
        text_of(kisi, "IkinciAdi"),
        text_of(kisi, "Soyadi"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

/// A KurumKurulus, GercekSahis or TuzelSahis under `n`.
fn party(n: roxmltree::Node) -> Option<Party> {
    let kep = |p: roxmltree::Node| kid(p, "IletisimBilgisi").and_then(|i| text_of(i, "KepAdresi"));
    if let Some(k) = kid(n, "KurumKurulus") {
        return Some(Party {
            kind: "institution".into(),
            name: text_of(k, "Adi").unwrap_or_default(),
            id: text_of(k, "KKK").unwrap_or_default(),
            scheme: None,
            kep: kep(k),
        });
    }
    if let Some(g) = kid(n, "GercekSahis") {
        return Some(Party {
            kind: "person".into(),
            name: kid(g, "Kisi").map(person_name).unwrap_or_default(),
            id: text_of(g, "TCKN").unwrap_or_default(),
            scheme: None,
            kep: kep(g),
        });
    }
    if let Some(t) = kid(n, "TuzelSahis") {
        return Some(Party {
            kind: "company".into(),
            name: text_of(t, "Adi").unwrap_or_default(),
            id: text_of(t, "Id").unwrap_or_default(),
            scheme: kid(t, "Id")
                .and_then(|i| i.attribute("schemeID"))
                .map(str::to_owned),
            kep: kep(t),
        });
    }
    None
}

/// The package's relationships: (type's last segment, lower case; target).
fn relationships(
    parts: &BTreeMap<String, Vec<u8>>,
    rels_path: &str,
    base: &str,
) -> Result<Vec<(String, String, String)>, PackageError> {
    let Some(bytes) = parts.get(rels_path) else {
        return Ok(Vec::new());
    };
    let doc = parse_xml(rels_path, bytes)?;
    let mut out = Vec::new();
    for r in kids(doc.root_element(), "Relationship") {
        if r.attribute("TargetMode") == Some("External") {
            continue;
        }
        let (Some(ty), Some(target)) = (r.attribute("Type"), r.attribute("Target")) else {
            continue;
        };
        let kind = ty.rsplit('/').next().unwrap_or("").to_lowercase();
        let id = r.attribute("Id").unwrap_or("").to_owned();
        out.push((kind, resolve(base, target)?, id));
    }
    Ok(out)
}

/// Checks every reference of a summary (PaketOzeti or NihaiOzet) against
/// its part; the parts it covers.
fn check_summary(
    parts: &BTreeMap<String, Vec<u8>>,
    path: &str,
    cache: &mut std::collections::HashMap<(String, &'static str), Vec<u8>>,
) -> Result<Vec<String>, PackageError> {
    let doc = parse_xml(path, &parts[path])?;
    let mut covered = Vec::new();
    for r in kids(doc.root_element(), "Reference") {
        let uri = r.attribute("URI").unwrap_or("");
        if r.attribute("Type").is_some_and(|t| t != INTERNAL) && !uri.starts_with('/') {
            continue;
        }
        let target = resolve("", uri)?;
        let Some(bytes) = parts.get(&target) else {
            return refuse(Code::PackageMissingPart, Some(&target));
        };
        // 2.x: two DigestItems; 1.x: the method and value directly.
        let mut items: Vec<roxmltree::Node> = kids(r, "DigestItem").collect();
        if items.is_empty() {
            items.push(r);
        }
        let mut checked = false;
        for item in items {
            let algorithm = kid(item, "DigestMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .unwrap_or("");
            let Some(value) = text_of(item, "DigestValue") else {
                continue;
            };
            // Both summaries name most parts: each digest is made once.
            let known: &'static str = match algorithm {
                SHA256_URI => SHA256_URI,
                SHA384_URI => SHA384_URI,
                SHA512_URI => SHA512_URI,
                _ => continue,
            };
            let actual = cache
                .entry((target.clone(), known))
                .or_insert_with(|| match known {
                    SHA256_URI => Sha256::digest(bytes).to_vec(),
                    SHA384_URI => Sha384::digest(bytes).to_vec(),
                    _ => Sha512::digest(bytes).to_vec(),
                })
                .clone();
            let expected = base64::engine::general_purpose::STANDARD
                .decode(value.split_whitespace().collect::<String>())
                .map_err(|_| PackageError {
                    code: Code::PackageBadXml,
                    part: Some(path.to_owned()),
                })?;
            if expected != actual {
                return refuse(Code::PackageDigestMismatch, Some(&target));
            }
            checked = true;
        }
        if !checked {
            return refuse(Code::PackageUnknownDigest, Some(&target));
        }
        covered.push(target);
    }
    Ok(covered)
}

/// Reads and checks a received package.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Package, PackageError> {
    let parts = unzip(bytes, limits)?;
    if parts
        .keys()
        .any(|p| p.starts_with("SifreliIcerik/") || p.starts_with("SifreliIcerikBilgisi/"))
    {
        return refuse(Code::PackageEncrypted, None);
    }
    // Every XML part is parsed first, so that a DTD anywhere refuses the
    // package before anything reads it.
    for (path, bytes) in &parts {
        if path.ends_with(".xml") || path.ends_with(".rels") {
            parse_xml(path, bytes)?;
        }
    }
    let rels = relationships(&parts, "_rels/.rels", "")?;
    let find = |kind: &str, default: &str| -> Option<String> {
        rels.iter()
            .find(|(k, _, _)| k == kind)
            .map(|(_, t, _)| t.clone())
            .or_else(|| parts.contains_key(default).then(|| default.to_owned()))
    };
    let ustveri_path = find("ustveri", "Ustveri/Ustveri.xml")
        .filter(|p| parts.contains_key(p))
        .ok_or(PackageError {
            code: Code::PackageNoUstveri,
            part: None,
        })?;
    let summary = find("paketozeti", "PaketOzeti/PaketOzeti.xml")
        .filter(|p| parts.contains_key(p))
        .ok_or(PackageError {
            code: Code::PackageNoSummary,
            part: None,
        })?;
    let mut cache = std::collections::HashMap::new();
    let mut covered: std::collections::HashSet<String> =
        check_summary(&parts, &summary, &mut cache)?
            .into_iter()
            .collect();
    if let Some(last) = find("nihaiozet", "NihaiOzet/NihaiOzet.xml") {
        if parts.contains_key(&last) {
            covered.extend(check_summary(&parts, &last, &mut cache)?);
        }
    }
    // What is read from the package must be what its summaries vouch for:
    // the Üstveri, the NihaiÜstveri (the number and date), the üst yazı
    // and the signed attachments. Unsigned attachments (ImzasizEkler) are
    // outside the summaries by design.
    let must_cover = |part: &str| -> Result<(), PackageError> {
        if covered.contains(part) {
            Ok(())
        } else {
            refuse(Code::PackageUncovered, Some(part))
        }
    };
    must_cover(&ustveri_path)?;
    for p in parts.keys() {
        if p.starts_with("Ekler/") || p.starts_with("UstYazi/") {
            must_cover(p)?;
        }
    }
    if let Some(p) = find("nihaiustveri", "NihaiUstveri/NihaiUstveri.xml") {
        if parts.contains_key(&p) {
            must_cover(&p)?;
        }
    }
    let doc = parse_xml(&ustveri_path, &parts[&ustveri_path])?;
    let root = doc.root_element();
    let version = if root
        .tag_name()
        .namespace()
        .is_some_and(|n| n.ends_with("-1"))
    {
        1
    } else {
        2
    };
    let missing = |element: &str| PackageError {
        code: Code::PackageMissingElement,
        part: Some(format!("{ustveri_path} ({element})")),
    };
    let belge_id = text_of(root, "BelgeId").ok_or_else(|| missing("BelgeId"))?;
    let subject = text_of(root, "Konu").ok_or_else(|| missing("Konu"))?;
    let confidentiality = text_of(root, "GuvenlikKodu").unwrap_or_else(|| "YOK".into());
    let sender = kid(root, "Olusturan")
        .and_then(party)
        .ok_or_else(|| missing("Olusturan"))?;
    let mut distribution = Vec::new();
    if let Some(list) = kid(root, "DagitimListesi") {
        for d in kids(list, "Dagitim") {
            distribution.push(Distribution {
                party: party(d).unwrap_or_default(),
                urgency: text_of(d, "Ivedilik").unwrap_or_else(|| "NRM".into()),
                purpose: text_of(d, "DagitimTuru").unwrap_or_else(|| "GRG".into()),
                miat: text_of(d, "Miat"),
            });
        }
    }
    let ek_targets: Vec<(String, String)> = rels
        .iter()
        .filter(|(k, _, _)| k == "ek" || k == "imzasizek")
        .map(|(_, t, id)| (id.clone(), t.clone()))
        .collect();
    let mut attachments = Vec::new();
    if let Some(list) = kid(root, "Ekler") {
        for e in kids(list, "Ek") {
            let id = kid(e, "Id")
                .and_then(|i| i.attribute("Value"))
                .unwrap_or("")
                .to_owned();
            let kind = text_of(e, "Tur").unwrap_or_else(|| "DED".into());
            let file_name = text_of(e, "DosyaAdi");
            let part = if kind == "DED" {
                let by_rel = ek_targets
                    .iter()
                    .find(|(rid, _)| {
                        !id.is_empty() && rid.to_lowercase().ends_with(&id.to_lowercase())
                    })
                    .map(|(_, t)| t.clone());
                let by_name = file_name.as_ref().and_then(|f| {
                    ["Ekler", "ImzasizEkler"]
                        .iter()
                        .map(|d| format!("{d}/{f}"))
                        .find(|p| parts.contains_key(p))
                });
                let Some(p) = by_rel.or(by_name) else {
                    return refuse(
                        Code::PackageMissingPart,
                        Some(&format!("Ekler/{}", file_name.unwrap_or(id))),
                    );
                };
                if !parts.contains_key(&p) {
                    return refuse(Code::PackageMissingPart, Some(&p));
                }
                Some(p)
            } else {
                None
            };
            attachments.push(PackageAttachment {
                id,
                name: text_of(e, "Ad")
                    .or_else(|| file_name.clone())
                    .unwrap_or_else(|| kind.clone()),
                kind,
                file_name,
                part,
                order: text_of(e, "SiraNo")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                description: text_of(e, "Aciklama"),
                reference: text_of(e, "Referans"),
                number: text_of(e, "BelgeNo"),
            });
        }
    }
    attachments.sort_by_key(|a| a.order);
    let mut refs = Vec::new();
    if let Some(list) = kid(root, "Ilgiler") {
        for i in kids(list, "Ilgi") {
            refs.push(PackageRef {
                label: text_of(i, "Etiket").unwrap_or_default(),
                number: text_of(i, "BelgeNo"),
                date: text_of(i, "Tarih"),
                name: text_of(i, "Ad"),
            });
        }
    }
    let mut file_codes = Vec::new();
    if let Some(sdp) = kid(root, "SdpBilgisi") {
        if let Some(c) = kid(sdp, "AnaSdp").and_then(|a| text_of(a, "Kod")) {
            file_codes.push(c);
        }
        if let Some(others) = kid(sdp, "DigerSdpler") {
            file_codes.extend(kids(others, "SdpListesi").filter_map(|s| text_of(s, "Kod")));
        }
    }
    let names_persons = kid(root, "IlgiliListesi").is_some_and(|l| {
        l.descendants()
            .any(|d| d.tag_name().name() == "GercekSahis")
    });
    let main_name = text_of(root, "DosyaAdi").unwrap_or_default();
    let main_part = find("ustyazi", &format!("UstYazi/{main_name}"))
        .filter(|p| parts.contains_key(p))
        .ok_or(PackageError {
            code: Code::PackageNoUstYazi,
            part: None,
        })?;
    let main_name = if main_name.is_empty() {
        main_part
            .rsplit('/')
            .next()
            .unwrap_or("ustyazi.pdf")
            .to_owned()
    } else {
        main_name
    };
    // The number, date and signers: NihaiUstveri (2.x), else the
    // Üstveri and BelgeImza (1.x).
    let mut number = text_of(root, "BelgeNo").unwrap_or_default();
    let mut date = text_of(root, "Tarih").and_then(|t| parse_datetime(&t));
    let mut signers = Vec::new();
    let signer_names = |n: roxmltree::Node| -> Vec<String> {
        n.descendants()
            .filter(|d| d.tag_name().name() == "Imzalayan")
            .filter_map(|i| kid(i, "Kisi").map(person_name))
            .collect()
    };
    if let Some(p) = find("nihaiustveri", "NihaiUstveri/NihaiUstveri.xml") {
        if let Some(bytes) = parts.get(&p) {
            let d = parse_xml(&p, bytes)?;
            let r = d.root_element();
            if let Some(n) = text_of(r, "BelgeNo") {
                number = n;
            }
            if let Some(t) = text_of(r, "Tarih").and_then(|t| parse_datetime(&t)) {
                date = Some(t);
            }
            signers = signer_names(r);
        }
    }
    if signers.is_empty() {
        if let Some(p) = find("belgeimza", "Imzalar/BelgeImza.xml") {
            if let Some(bytes) = parts.get(&p) {
                signers = signer_names(parse_xml(&p, bytes)?.root_element());
            }
        }
    }
    // Which part each signature signs: the part whose `_rels` names it.
    let mut covers: BTreeMap<String, String> = BTreeMap::new();
    for rels_path in parts
        .keys()
        .filter(|p| p.contains("/_rels/") && p.ends_with(".rels"))
    {
        let (folder, file) = rels_path.split_once("/_rels/").unwrap_or(("", ""));
        let source = format!("{folder}/{}", file.trim_end_matches(".rels"));
        for (_, target, _) in relationships(&parts, rels_path, folder)? {
            covers.insert(target, source.clone());
        }
    }
    let signatures = parts
        .iter()
        .filter(|(p, _)| p.ends_with(".imz"))
        .map(|(p, b)| SignatureFile {
            covers: covers.get(p).cloned(),
            part: p.clone(),
            role: match p.split('/').next().unwrap_or("") {
                "Muhur" | "Muhurler" => "muhur",
                "Paraflar" => "paraf",
                _ => "imza",
            }
            .into(),
            bytes: b.clone(),
        })
        .collect();
    let verification_url =
        kid(root, "DogrulamaBilgisi").and_then(|d| text_of(d, "DogrulamaAdresi"));
    Ok(Package {
        version,
        belge_id,
        subject,
        number,
        date,
        confidentiality,
        sender,
        distribution,
        attachments,
        refs,
        file_codes,
        names_persons,
        signers,
        verification_url,
        main_part,
        main_name,
        signatures,
        parts,
    })
}

/// A small XML writer: elements in order, text escaped.
struct Xml(String);

impl Xml {
    fn new() -> Xml {
        Xml("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".into())
    }
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (k, v) in attrs {
            self.0.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        self.0.push('>');
        self
    }
    fn close(&mut self, tag: &str) -> &mut Self {
        self.0.push_str(&format!("</{tag}>"));
        self
    }
    fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.open(tag, attrs);
        self.0.pop();
        self.0.push_str(" />");
        self
    }
    fn leaf(&mut self, tag: &str, text: &str) -> &mut Self {
        self.0.push_str(&format!("<{tag}>{}</{tag}>", escape(text)));
        self
    }
    fn leaf_opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
            self.leaf(tag, t);
        }
        self
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A GUID made from a digest (stable: the same letter always gets the same
/// BelgeId), in the 8-4-4-4-12 form, marked as version 4 / RFC 4122.
pub fn guid(seed: &[u8]) -> String {
    let mut b: [u8; 16] = Sha256::digest(seed)[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode_upper(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A recipient of a letter we send.
#[derive(Debug, Clone)]
pub struct OutRecipient {
    pub party: Party,
    /// `GRG` or `BLG`.
    pub purpose: String,
}

/// An attachment of a letter we send, with its bytes.
#[derive(Debug, Clone)]
pub struct OutAttachment {
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Everything a 2.x package of a signed letter holds.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub belge_id: String,
    pub subject: String,
    pub number: String,
    pub date: OffsetDateTime,
    pub confidentiality: String,
    pub urgency: String,
    /// For a dated letter: the days from the letter's date to its date.
    pub miat_days: Option<i64>,
    pub sender: Party,
    pub recipients: Vec<OutRecipient>,
    pub refs: Vec<PackageRef>,
    pub file_code: String,
    pub file_code_name: String,
    /// The signer: first names, surname, title.
    pub signer_first: String,
    pub signer_last: String,
    pub signer_title: Option<String>,
    pub verification_url: String,
    pub main_name: String,
    pub main_pdf: Vec<u8>,
    pub attachments: Vec<OutAttachment>,
    /// A CAdES signature over the letter, when one is on file.
    pub cades: Option<Vec<u8>>,
}

fn party_xml(x: &mut Xml, p: &Party, t: &str) {
    match p.kind.as_str() {
        "person" => {
            let (first, last) = split_name(&p.name);
            x.open(&format!("{t}GercekSahis"), &[])
                .open(&format!("{t}Kisi"), &[]);
            x.leaf(&format!("{t}IlkAdi"), &first)
                .leaf(&format!("{t}Soyadi"), &last);
            x.close(&format!("{t}Kisi"));
            x.leaf_opt(&format!("{t}TCKN"), Some(p.id.as_str()));
            x.close(&format!("{t}GercekSahis"));
        }
        "company" => {
            x.open(&format!("{t}TuzelSahis"), &[]);
            let scheme = p.scheme.clone().unwrap_or_else(|| "VKN".into());
            x.open(&format!("{t}Id"), &[("schemeID", &scheme)]);
            x.0.push_str(&escape(if p.id.is_empty() { &p.name } else { &p.id }));
            x.close(&format!("{t}Id"));
            x.leaf(&format!("{t}Adi"), &p.name);
            x.close(&format!("{t}TuzelSahis"));
        }
        _ => {
            x.open(&format!("{t}KurumKurulus"), &[]);
            x.leaf(&format!("{t}KKK"), &p.id)
                .leaf(&format!("{t}Adi"), &p.name);
            if let Some(kep) = &p.kep {
                x.open(&format!("{t}IletisimBilgisi"), &[]);
                x.leaf(&format!("{t}KepAdresi"), kep);
                x.close(&format!("{t}IletisimBilgisi"));
            }
            x.close(&format!("{t}KurumKurulus"));
        }
    }
}

/// "Ayşe Nur Yılmaz" → ("Ayşe Nur", "Yılmaz").
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.to_owned()),
        None => (name.to_owned(), name.to_owned()),
    }
}

/// The package's date and times: Turkey's offset, whole seconds.
fn xsd_datetime(t: OffsetDateTime) -> String {
    let t = t
        .checked_to_offset(domain::local::OFFSET)
        .unwrap_or(t)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A file name safe inside the package: no folders, no control characters.
fn part_name(name: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == ':' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    let clean = if clean.is_empty() {
        "ek".to_owned()
    } else {
        clean
    };
    let (stem, ext) = match clean.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (clean.clone(), String::new()),
    };
    let mut candidate = clean;
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{stem}-{n}{ext}");
        n += 1;
    }
    candidate
}

/// A package summary. Its optional `Id` (an `xs:ID`, which a GUID
/// starting with a digit is not) is left out.
/// A part's SHA-256 and SHA-512, computed once per package.
fn digests(bytes: &[u8]) -> [Vec<u8>; 2] {
    [
        Sha256::digest(bytes).to_vec(),
        Sha512::digest(bytes).to_vec(),
    ]
}

fn summary_xml(root: &str, ns: &str, parts: &[(String, [Vec<u8>; 2])], inner_ns: bool) -> String {
    let mut x = Xml::new();
    x.open(root, &[("xmlns", ns)]);
    for (path, [sha256, sha512]) in parts {
        let uri = format!("/{path}");
        let mut attrs = vec![("URI", uri.as_str()), ("Type", INTERNAL)];
        if inner_ns {
            attrs.push(("xmlns", NS_PAKET_OZETI));
        }
        x.open("Reference", &attrs);
        for (algorithm, digest) in [(SHA256_URI, sha256), (SHA512_URI, sha512)] {
            x.open("DigestItem", &[]);
            x.empty("DigestMethod", &[("Algorithm", algorithm)]);
            x.leaf(
                "DigestValue",
                &base64::engine::general_purpose::STANDARD.encode(digest),
            );
            x.close("DigestItem");
        }
        x.close("Reference");
    }
    x.close(root);
    x.0
}

fn rels_xml(rels: &[(String, String, String)]) -> String {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", NS_RELS)]);
    for (ty, target, id) in rels {
        x.empty(
            "Relationship",
            &[
                ("Type", &format!("{REL}{ty}")),
                ("Target", target),
                ("Id", id),
            ],
        );
    }
    x.close("Relationships");
    x.0
}

/// The parts of a package before its signature: what the signer's
/// PaketOzeti covers.
struct Built<'a> {
    ustveri: String,
    main_path: String,
    ekler: Vec<(String, String, &'a OutAttachment)>,
    ek_paths: Vec<String>,
    nihai_ustveri: String,
    paket_ozeti: String,
    /// The summarised parts with their digests (NihaiOzet reuses them).
    summed: Vec<(String, [Vec<u8>; 2])>,
}

/// The package summary (PaketOzeti) of a letter's package: the content an
/// e-imza over the package signs.
pub fn summary(o: &Outgoing) -> Vec<u8> {
    build(o).paket_ozeti.into_bytes()
}

fn build(o: &Outgoing) -> Built<'_> {
    let t = "tipler:";
    let mut taken = std::collections::HashSet::new();
    let main_name = part_name(&o.main_name, &mut taken);
    let main_path = format!("UstYazi/{main_name}");
    let mut taken = std::collections::HashSet::new();
    let ekler: Vec<(String, String, &OutAttachment)> = o
        .attachments
        .iter()
        .map(|a| {
            let file = part_name(&a.file_name, &mut taken);
            let id = guid(format!("{}/ek/{}", o.belge_id, file).as_bytes());
            (id, file, a)
        })
        .collect();

    // Üstveri, in the order of CT_Ustveri.
    let mut x = Xml::new();
    x.open(
        "UstVeri",
        &[("xmlns", NS_USTVERI), ("xmlns:tipler", NS_TIPLER)],
    );
    x.leaf(&format!("{t}BelgeId"), &o.belge_id)
        .leaf(&format!("{t}Konu"), &o.subject)
        .leaf(&format!("{t}GuvenlikKodu"), &o.confidentiality)
        .leaf(&format!("{t}MimeTuru"), "application/pdf");
    x.open(&format!("{t}DagitimListesi"), &[]);
    for r in &o.recipients {
        x.open(&format!("{t}Dagitim"), &[]);
        party_xml(&mut x, &r.party, t);
        x.leaf(&format!("{t}Ivedilik"), &o.urgency)
            .leaf(&format!("{t}DagitimTuru"), &r.purpose);
        if let Some(days) = o.miat_days.filter(|_| o.urgency == "GNL") {
            x.leaf(&format!("{t}Miat"), &format!("P{}D", days.max(0)));
        }
        x.close(&format!("{t}Dagitim"));
    }
    x.close(&format!("{t}DagitimListesi"));
    if !ekler.is_empty() {
        x.open(&format!("{t}Ekler"), &[]);
        for (i, (id, file, a)) in ekler.iter().enumerate() {
            x.open(&format!("{t}Ek"), &[]);
            x.empty(
                &format!("{t}Id"),
                &[("Value", id), ("EYazismaIdMi", "false")],
            );
            x.leaf(&format!("{t}Tur"), "DED")
                .leaf(&format!("{t}DosyaAdi"), file)
                .leaf(&format!("{t}MimeTuru"), &a.content_type)
                .leaf(&format!("{t}Ad"), &a.name)
                .leaf(&format!("{t}SiraNo"), &(i + 1).to_string())
                .leaf(&format!("{t}ImzaliMi"), "false");
            x.close(&format!("{t}Ek"));
        }
        x.close(&format!("{t}Ekler"));
    }
    if !o.refs.is_empty() {
        x.open(&format!("{t}Ilgiler"), &[]);
        for (i, r) in o.refs.iter().enumerate() {
            x.open(&format!("{t}Ilgi"), &[]);
            x.empty(
                &format!("{t}Id"),
                &[(
                    "Value",
                    &guid(format!("{}/ilgi/{i}", o.belge_id).as_bytes()),
                )],
            );
            x.leaf_opt(&format!("{t}BelgeNo"), r.number.as_deref())
                .leaf_opt(&format!("{t}Tarih"), r.date.as_deref())
                .leaf(&format!("{t}Etiket"), &r.label)
                .leaf_opt(&format!("{t}Ad"), r.name.as_deref());
            x.close(&format!("{t}Ilgi"));
        }
        x.close(&format!("{t}Ilgiler"));
    }
    x.leaf(&format!("{t}Dil"), "tur");
    x.open(&format!("{t}Olusturan"), &[]);
    party_xml(&mut x, &o.sender, t);
    x.close(&format!("{t}Olusturan"));
    x.leaf(&format!("{t}DosyaAdi"), &main_name);
    x.open(&format!("{t}SdpBilgisi"), &[])
        .open(&format!("{t}AnaSdp"), &[]);
    x.leaf(&format!("{t}Kod"), &o.file_code)
        .leaf(&format!("{t}Ad"), &o.file_code_name);
    x.close(&format!("{t}AnaSdp"))
        .close(&format!("{t}SdpBilgisi"));
    x.open(&format!("{t}DogrulamaBilgisi"), &[]);
    x.leaf(&format!("{t}DogrulamaAdresi"), &o.verification_url);
    x.close(&format!("{t}DogrulamaBilgisi"));
    x.close("UstVeri");
    let ustveri = x.0;

    // NihaiÜstveri: the number, the date and the signature.
    let mut x = Xml::new();
    x.open(
        "NihaiUstVeri",
        &[("xmlns", NS_NIHAI_USTVERI), ("xmlns:tipler", NS_TIPLER)],
    );
    x.leaf(&format!("{t}Tarih"), &xsd_datetime(o.date))
        .leaf(&format!("{t}BelgeNo"), &o.number);
    x.open(&format!("{t}BelgeImzalar"), &[])
        .open(&format!("{t}Imza"), &[]);
    x.open(&format!("{t}Imzalayan"), &[])
        .open(&format!("{t}Kisi"), &[]);
    x.leaf(&format!("{t}IlkAdi"), &o.signer_first)
        .leaf(&format!("{t}Soyadi"), &o.signer_last);
    x.close(&format!("{t}Kisi"));
    x.leaf_opt(&format!("{t}Gorev"), o.signer_title.as_deref());
    x.close(&format!("{t}Imzalayan"));
    x.leaf(&format!("{t}Amac"), "İmza")
        .leaf(&format!("{t}Tarih"), &xsd_datetime(o.date));
    x.close(&format!("{t}Imza"))
        .close(&format!("{t}BelgeImzalar"));
    x.close("NihaiUstVeri");
    let nihai_ustveri = x.0;

    let ek_paths: Vec<String> = ekler.iter().map(|(_, f, _)| format!("Ekler/{f}")).collect();
    let mut summed = vec![
        (
            "Ustveri/Ustveri.xml".to_owned(),
            digests(ustveri.as_bytes()),
        ),
        (main_path.clone(), digests(&o.main_pdf)),
    ];
    for ((_, _, a), p) in ekler.iter().zip(&ek_paths) {
        summed.push((p.clone(), digests(&a.bytes)));
    }
    let paket_ozeti = summary_xml("PaketOzeti", NS_PAKET_OZETI, &summed, false);
    Built {
        ustveri,
        main_path,
        ekler,
        ek_paths,
        nihai_ustveri,
        paket_ozeti,
        summed,
    }
}

/// Writes the 2.x package of a signed letter.
pub fn write(o: &Outgoing) -> std::io::Result<Vec<u8>> {
    let Built {
        ustveri,
        main_path,
        ekler,
        ek_paths,
        nihai_ustveri,
        paket_ozeti,
        summed,
    } = build(o);
    let mut final_parts = summed;
    final_parts.push((
        "PaketOzeti/PaketOzeti.xml".into(),
        digests(paket_ozeti.as_bytes()),
    ));
    final_parts.push((
        "NihaiUstveri/NihaiUstveri.xml".into(),
        digests(nihai_ustveri.as_bytes()),
    ));
    if let Some(c) = &o.cades {
        final_parts.push(("Imzalar/ImzaCades.imz".into(), digests(c)));
    }
    let nihai_ozet = summary_xml("NihaiOzet", NS_NIHAI_OZET, &final_parts, true);

    let mut rels = vec![
        (
            "ustveri".to_owned(),
            "/Ustveri/Ustveri.xml".to_owned(),
            "IdUstveri".to_owned(),
        ),
        (
            "ustyazi".to_owned(),
            format!("/{main_path}"),
            "IdUstYazi".to_owned(),
        ),
    ];
    for ((id, _, _), p) in ekler.iter().zip(&ek_paths) {
        rels.push(("ek".into(), format!("/{p}"), format!("IdEk_{id}")));
    }
    rels.push((
        "paketozeti".into(),
        "/PaketOzeti/PaketOzeti.xml".into(),
        "IdPaketOzeti".into(),
    ));
    rels.push((
        "nihaiustveri".into(),
        "/NihaiUstveri/NihaiUstveri.xml".into(),
        "IdNihaiUstveri".into(),
    ));
    rels.push((
        "nihaiozet".into(),
        "/NihaiOzet/NihaiOzet.xml".into(),
        "IdNihaiOzet".into(),
    ));

    let mut types = Xml::new();
    types.open("Types", &[("xmlns", NS_TYPES)]);
    let mut exts: BTreeMap<String, String> = BTreeMap::new();
    exts.insert("xml".into(), "application/xml".into());
    exts.insert(
        "rels".into(),
        "application/vnd.openxmlformats-package.relationships+xml".into(),
    );
    exts.insert("imz".into(), "application/octet-stream".into());
    exts.insert("pdf".into(), "application/pdf".into());
    let mut overrides = Vec::new();
    for (_, file, a) in &ekler {
        match file.rsplit_once('.') {
            Some((_, ext)) if !ext.is_empty() => {
                let ext = ext.to_lowercase();
                if exts.get(&ext).is_some_and(|c| *c != a.content_type) {
                    overrides.push((format!("/Ekler/{file}"), a.content_type.clone()));
                } else {
                    exts.insert(ext, a.content_type.clone());
                }
            }
            _ => overrides.push((format!("/Ekler/{file}"), a.content_type.clone())),
        }
    }
    for (ext, ct) in &exts {
        types.empty("Default", &[("Extension", ext), ("ContentType", ct)]);
    }
    for (part, ct) in &overrides {
        types.empty("Override", &[("PartName", part), ("ContentType", ct)]);
    }
    types.close("Types");

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The XML parts are deflated; the documents (PDF, images, office
    // files, signatures) are stored as they are: they do not shrink, and
    // deflating megabytes for nothing would cost more than the rest.
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |path: &str, bytes: &[u8]| -> std::io::Result<()> {
        let opts = if path.ends_with(".xml") || path.ends_with(".rels") {
            deflated
        } else {
            stored
        };
        zip.start_file(path, opts).map_err(std::io::Error::other)?;
        zip.write_all(bytes)
    };
    put("[Content_Types].xml", types.0.as_bytes())?;
    put("_rels/.rels", rels_xml(&rels).as_bytes())?;
    put("Ustveri/Ustveri.xml", ustveri.as_bytes())?;
    put(&main_path, &o.main_pdf)?;
    for ((_, _, a), p) in ekler.iter().zip(&ek_paths) {
        put(p, &a.bytes)?;
    }
    put("PaketOzeti/PaketOzeti.xml", paket_ozeti.as_bytes())?;
    if o.cades.is_some() {
        put(
            "PaketOzeti/_rels/PaketOzeti.xml.rels",
            rels_xml(&[(
                "imzacades".into(),
                "../Imzalar/ImzaCades.imz".into(),
                "IdImzaCades".into(),
            )])
            .as_bytes(),
        )?;
    }
    if let Some(c) = &o.cades {
        put("Imzalar/ImzaCades.imz", c)?;
    }
    put("NihaiUstveri/NihaiUstveri.xml", nihai_ustveri.as_bytes())?;
    put("NihaiOzet/NihaiOzet.xml", nihai_ozet.as_bytes())?;
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_package() {
        assert_eq!(safe_path("Ekler/ek1.pdf").as_deref(), Some("Ekler/ek1.pdf"));
        assert_eq!(safe_path("../etc/passwd"), None);
        assert_eq!(safe_path("Ekler/../../x"), None);
        assert_eq!(safe_path("/abs"), None);
        assert_eq!(safe_path("C:/x"), None);
        assert_eq!(safe_path("a\\b"), None);
        assert_eq!(
            resolve("PaketOzeti", "../Imzalar/ImzaCades.imz").unwrap(),
            "Imzalar/ImzaCades.imz"
        );
        assert_eq!(resolve("", "/UstYazi/u.pdf").unwrap(), "UstYazi/u.pdf");
        assert_eq!(
            resolve("", "../../x").unwrap_err().code,
            Code::PackageUnsafePath
        );
    }

    #[test]
    fn dates_with_and_without_an_offset() {
        let t = parse_datetime("2025-05-12T14:23:13.3515207+03:00").unwrap();
        assert_eq!(t.offset().whole_hours(), 3);
        let t = parse_datetime("2009-11-05T00:00:00").unwrap();
        assert_eq!((t.year(), t.offset().whole_hours()), (2009, 3));
        assert!(parse_datetime("dün").is_none());
    }

    #[test]
    fn guids_are_stable_and_well_formed() {
        let g = guid(b"x");
        assert_eq!(g, guid(b"x"));
        assert_ne!(g, guid(b"y"));
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
    }

    /// A hundred thousand nested elements are refused before the parser
    /// sees them, on a thread with a small stack.
    #[test]
    fn a_deep_nesting_is_refused_without_overflow() {
        let t = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let deep = format!("<a>{}{}</a>", "<b>".repeat(100_000), "</b>".repeat(100_000));
                parse_xml("Ustveri/Ustveri.xml", deep.as_bytes())
                    .map(|_| ())
                    .unwrap_err()
            })
            .unwrap();
        assert_eq!(t.join().unwrap().code, Code::PackageBadXml);
        let fine = r#"<a x="1>2"><!-- <b><b> --><b/><c><![CDATA[<d><d>]]></c></a>"#;
        assert!(!nests_deeper(fine.as_bytes(), 2));
        assert!(nests_deeper(b"<a><b><c/></b></a>", 1));
    }

    #[test]
    fn a_dtd_is_refused() {
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>"#;
        assert_eq!(parse_xml("x.xml", bomb).unwrap_err().code, Code::PackageDtd);
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        assert_eq!(parse_xml("x.xml", xxe).unwrap_err().code, Code::PackageDtd);
    }
}
