//! Getting the text out of a stored file, by its (sniffed) type:
//!
//! - plain text as it is;
//! - DOCX and ODT from their XML (read with a size cap: a zip bomb stops
//!   at the cap);
//! - PDF: the text layer with poppler's `pdftotext`; a PDF without one
//!   (a scan) is rendered page by page with `pdftoppm` and read by
//!   Tesseract's Turkish model, up to a page limit (the rest is a
//!   `partial` with its reason);
//! - PNG, JPEG and TIFF by Tesseract, after their declared pixel size is
//!   checked (an image bomb is refused before anything decodes it).
//!
//! The tools are Debian's `poppler-utils`, `tesseract-ocr` and
//! `tesseract-ocr-tur`. Each runs with a time limit, on one thread, and is
//! killed if it overruns. What cannot change by trying again (corrupt,
//! encrypted, empty, too large) is a failure with its reason; a tool that
//! is missing or fails is tried again later with backoff.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use store::search::TextOutcome;
use tokio::process::Command;

/// Limits of one extraction.
#[derive(Debug, Clone)]
pub struct ExtractLimits {
    /// Pages of a scanned PDF read by OCR; the rest is left (partial).
    pub ocr_pages: u32,
    /// The largest image (in pixels) given to OCR: about A3 at 400 dpi.
    pub max_pixels: u64,
    /// Time allowed per tool run (a page's OCR, a PDF's text layer).
    pub timeout: Duration,
    /// Tesseract's language models.
    pub languages: String,
    /// How many times a transient failure is retried before it stays failed.
    pub max_attempts: i64,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        Self {
            ocr_pages: 200,
            max_pixels: 40_000_000,
            timeout: Duration::from_secs(120),
            languages: "tur".into(),
            max_attempts: 5,
        }
    }
}

/// The extraction tools (and Tesseract language models) this machine
/// lacks, for a warning at start.
pub fn missing_tools(languages: &str) -> Vec<String> {
    let on_path = |tool: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
    };
    let mut missing: Vec<String> = ["pdfinfo", "pdftotext", "pdftoppm", "tesseract"]
        .iter()
        .filter(|t| !on_path(t))
        .map(|t| t.to_string())
        .collect();
    if on_path("tesseract") {
        let listed = std::process::Command::new("tesseract")
            .arg("--list-langs")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        for lang in languages.split('+') {
            if !listed.lines().any(|l| l.trim() == lang) {
                missing.push(format!("tesseract language `{lang}`"));
            }
        }
    }
    missing
}

/// What went wrong with a tool: it is missing, or failed (with its
/// message), or ran out of time.
enum ToolError {
    Missing(&'static str),
    Failed(String),
    TimedOut,
}

async fn run(
    tool: &'static str,
    args: &[&std::ffi::OsStr],
    timeout: Duration,
) -> Result<Vec<u8>, ToolError> {
    let child = Command::new(tool)
        .args(args)
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ToolError::Missing(tool)
            } else {
                ToolError::Failed(e.to_string())
            }
        })?;
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => Err(ToolError::TimedOut),
        Ok(Err(e)) => Err(ToolError::Failed(e.to_string())),
        Ok(Ok(out)) if out.status.success() => Ok(out.stdout),
        Ok(Ok(out)) => Err(ToolError::Failed(
            String::from_utf8_lossy(&out.stderr)
                .trim()
                .chars()
                .take(300)
                .collect(),
        )),
    }
}

fn retry(attempts: i64, limits: &ExtractLimits, reason: String) -> TextOutcome {
    if attempts >= limits.max_attempts {
        return TextOutcome::Failed { reason };
    }
    // 30 s, 2 min, 8 min, 32 min…, at most 6 hours.
    let secs = 30u64
        .saturating_mul(4u64.saturating_pow(attempts.saturating_sub(1).clamp(0, 10) as u32))
        .min(6 * 3600);
    TextOutcome::Retry {
        reason,
        after: Duration::from_secs(secs),
    }
}

fn tool_outcome(e: ToolError, attempts: i64, limits: &ExtractLimits) -> TextOutcome {
    match e {
        // A missing tool is no fault of the file: it waits, however many
        // times it was tried, and is taken again as soon as the tool is
        // installed (`store::search::retry_missing_tools`).
        ToolError::Missing(tool) => TextOutcome::Retry {
            reason: format!("{}:{tool}", store::search::TOOL_MISSING),
            after: Duration::from_secs(3600),
        },
        ToolError::TimedOut => retry(attempts, limits, "timed_out".into()),
        ToolError::Failed(msg) => retry(attempts, limits, format!("tool_failed:{msg}")),
    }
}

/// Whether extracted text says something (a scan's text layer is often
/// empty or a few stray characters per page).
fn meaningful(text: &str, pages: u32) -> bool {
    text.chars().filter(|c| c.is_alphanumeric()).count() >= 16 * pages.max(1) as usize
}

/// Extracts the text of `bytes`, sniffed as `content_type`; `attempts`
/// counts this try (for the backoff of transient failures).
pub async fn extract(
    bytes: &[u8],
    content_type: &str,
    attempts: i64,
    limits: &ExtractLimits,
) -> TextOutcome {
    if bytes.is_empty() {
        return TextOutcome::Failed {
            reason: "empty".into(),
        };
    }
    let work = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return retry(attempts, limits, format!("tool_failed:{e}")),
    };
    match content_type {
        "text/plain" => TextOutcome::Done {
            method: "text".into(),
            pages: None,
            text: String::from_utf8_lossy(bytes).into_owned(),
        },
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            office_text(bytes, "word/document.xml", "docx")
        }
        "application/vnd.oasis.opendocument.text" => office_text(bytes, "content.xml", "odt"),
        "application/pdf" => pdf(bytes, work.path(), attempts, limits).await,
        "image/png" | "image/jpeg" | "image/tiff" => {
            image(bytes, work.path(), attempts, limits).await
        }
        _ => TextOutcome::Failed {
            reason: "unsupported".into(),
        },
    }
}

async fn pdf(bytes: &[u8], work: &Path, attempts: i64, limits: &ExtractLimits) -> TextOutcome {
    let file = work.join("in.pdf");
    if let Err(e) = std::fs::write(&file, bytes) {
        return retry(attempts, limits, format!("tool_failed:{e}"));
    }
    let info = match run("pdfinfo", &[file.as_os_str()], limits.timeout).await {
        Ok(out) => String::from_utf8_lossy(&out).into_owned(),
        Err(ToolError::Failed(msg)) if msg.contains("password") => {
            return TextOutcome::Failed {
                reason: "encrypted".into(),
            }
        }
        Err(ToolError::Failed(_)) => {
            return TextOutcome::Failed {
                reason: "corrupt".into(),
            }
        }
        Err(e) => return tool_outcome(e, attempts, limits),
    };
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    if pages == 0 {
        return TextOutcome::Failed {
            reason: "corrupt".into(),
        };
    }
    let text = match run(
        "pdftotext",
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            file.as_os_str(),
            "-".as_ref(),
        ],
        limits.timeout * 4,
    )
    .await
    {
        Ok(out) => String::from_utf8_lossy(&out).into_owned(),
        Err(ToolError::Failed(msg)) if msg.contains("password") => {
            return TextOutcome::Failed {
                reason: "encrypted".into(),
            }
        }
        Err(ToolError::Failed(_)) => {
            return TextOutcome::Failed {
                reason: "corrupt".into(),
            }
        }
        Err(e) => return tool_outcome(e, attempts, limits),
    };
    if meaningful(&text, pages) {
        return TextOutcome::Done {
            method: "pdf-text".into(),
            pages: Some(pages.into()),
            text,
        };
    }
    // A scan: render each page and read it.
    let last = pages.min(limits.ocr_pages);
    let mut out = String::new();
    for page in 1..=last {
        let n = page.to_string();
        let prefix = work.join("page");
        let args: [&std::ffi::OsStr; 10] = [
            "-r".as_ref(),
            "300".as_ref(),
            "-gray".as_ref(),
            "-png".as_ref(),
            "-f".as_ref(),
            n.as_ref(),
            "-l".as_ref(),
            n.as_ref(),
            "-singlefile".as_ref(),
            file.as_os_str(),
        ];
        let mut all: Vec<&std::ffi::OsStr> = args.to_vec();
        all.push(prefix.as_os_str());
        if let Err(e) = run("pdftoppm", &all, limits.timeout).await {
            return match e {
                ToolError::Failed(_) => TextOutcome::Failed {
                    reason: "corrupt".into(),
                },
                e => tool_outcome(e, attempts, limits),
            };
        }
        match ocr(&work.join("page.png"), limits).await {
            Ok(t) => {
                out.push_str(&t);
                out.push('\n');
            }
            Err(e) => return tool_outcome(e, attempts, limits),
        }
    }
    if pages > last {
        TextOutcome::Partial {
            method: "ocr".into(),
            pages: Some(pages.into()),
            text: out,
            reason: format!("ocr_page_limit:{last}"),
        }
    } else {
        TextOutcome::Done {
            method: "ocr".into(),
            pages: Some(pages.into()),
            text: out,
        }
    }
}

async fn ocr(image: &Path, limits: &ExtractLimits) -> Result<String, ToolError> {
    let out = run(
        "tesseract",
        &[
            image.as_os_str(),
            "stdout".as_ref(),
            "-l".as_ref(),
            limits.languages.as_ref(),
        ],
        limits.timeout,
    )
    .await?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

async fn image(bytes: &[u8], work: &Path, attempts: i64, limits: &ExtractLimits) -> TextOutcome {
    let Some((w, h)) = domain::filetype::image_size(bytes) else {
        return TextOutcome::Failed {
            reason: "corrupt".into(),
        };
    };
    if w == 0 || h == 0 {
        return TextOutcome::Failed {
            reason: "corrupt".into(),
        };
    }
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return TextOutcome::Failed {
            reason: format!("image_too_large:{w}x{h}"),
        };
    }
    let file = work.join("in.img");
    if let Err(e) = std::fs::write(&file, bytes) {
        return retry(attempts, limits, format!("tool_failed:{e}"));
    }
    match ocr(&file, limits).await {
        Ok(text) => TextOutcome::Done {
            method: "ocr".into(),
            pages: Some(1),
            text,
        },
        // Tesseract (leptonica) cannot read it: a broken image.
        Err(ToolError::Failed(_)) => TextOutcome::Failed {
            reason: "corrupt".into(),
        },
        Err(e) => tool_outcome(e, attempts, limits),
    }
}

/// The text of an office document's main XML part: paragraphs on lines,
/// tags dropped, entities decoded. At most 20 MB of XML is read.
fn office_text(bytes: &[u8], part: &str, method: &str) -> TextOutcome {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return TextOutcome::Failed {
            reason: "corrupt".into(),
        };
    };
    let mut xml = String::new();
    match zip.by_name(part) {
        Ok(f) => {
            if f.encrypted() {
                return TextOutcome::Failed {
                    reason: "encrypted".into(),
                };
            }
            if f.take(20 << 20).read_to_string(&mut xml).is_err() {
                return TextOutcome::Failed {
                    reason: "corrupt".into(),
                };
            }
        }
        Err(_) => {
            return TextOutcome::Failed {
                reason: "corrupt".into(),
            }
        }
    }
    TextOutcome::Done {
        method: method.into(),
        pages: None,
        text: xml_text(&xml),
    }
}

/// Text of WordprocessingML / ODF XML: a paragraph or line break ends a
/// line, a tab is a space, other tags are dropped.
fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        match name {
            "w:p" | "text:p" | "text:h" if tag.starts_with('/') => out.push('\n'),
            "w:br" | "text:line-break" => out.push('\n'),
            "w:tab" | "text:tab" | "text:s" => out.push(' '),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode_entities(rest));
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_xml_to_text() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Bilgi İşlem</w:t></w:r><w:r><w:tab/><w:t>Müdürlüğü &amp; Kalem</w:t></w:r></w:p><w:p><w:r><w:t>&#351;ifre &#x15F;</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(xml_text(xml), "Bilgi İşlem Müdürlüğü & Kalem\nşifre ş\n");
        assert_eq!(decode_entities("a &unknown; b & c"), "a &unknown; b & c");
    }

    #[test]
    fn backoff_grows_then_gives_up() {
        let l = ExtractLimits::default();
        assert_eq!(
            retry(1, &l, "x".into()),
            TextOutcome::Retry {
                reason: "x".into(),
                after: Duration::from_secs(30)
            }
        );
        assert_eq!(
            retry(3, &l, "x".into()),
            TextOutcome::Retry {
                reason: "x".into(),
                after: Duration::from_secs(480)
            }
        );
        assert_eq!(
            retry(5, &l, "x".into()),
            TextOutcome::Failed { reason: "x".into() }
        );
    }

    #[test]
    fn refuses_without_tools() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let l = ExtractLimits::default();
        assert_eq!(
            rt.block_on(extract(b"", "text/plain", 1, &l)),
            TextOutcome::Failed {
                reason: "empty".into()
            }
        );
        assert_eq!(
            rt.block_on(extract(
                b"PK\x03\x04broken",
                "application/vnd.oasis.opendocument.text",
                1,
                &l
            )),
            TextOutcome::Failed {
                reason: "corrupt".into()
            }
        );
        let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bomb.extend(100_000u32.to_be_bytes());
        bomb.extend(100_000u32.to_be_bytes());
        assert_eq!(
            rt.block_on(extract(&bomb, "image/png", 1, &l)),
            TextOutcome::Failed {
                reason: "image_too_large:100000x100000".into()
            }
        );
    }
}
