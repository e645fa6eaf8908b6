//! `mudurluk import scans`: a folder tree of scanned paper documents into
//! the digital archive (m.8/19), with a progress bar and a summary of what
//! failed and why. Files are keyed on their content, so an interrupted
//! import run again adds nothing twice.

use std::path::{Path, PathBuf};

use app::search::ScanOutcome;
use app::App;

/// The files under `dir`, in a stable order (so a resumed import goes the
/// same way); unreadable folders are reported, not fatal.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push((dir.to_owned(), format!("klasör okunamadı: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, out, problems);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The warning `import scans` gives before it starts when this machine
/// cannot read the scans' text: they are archived, but stay unsearchable
/// until the tools are installed (then the server reads them at once).
pub fn missing_tools_warning(missing: &[String]) -> Option<String> {
    (!missing.is_empty()).then(|| {
        format!(
            "UYARI / WARNING: metin okuma araçları eksik / text extraction tools missing: {}.\n  \
             Taramalar arşive alınır ama araçlar kurulana kadar içlerinde arama yapılamaz; kurulunca sunucu hemen okur.\n  \
             The scans are archived but stay unsearchable until the tools are installed; the server then reads them at once.\n  \
             sudo apt-get install poppler-utils tesseract-ocr tesseract-ocr-tur",
            missing.join(", ")
        )
    })
}

pub async fn scans(
    app: &App,
    dir: &Path,
    sdp: &str,
    year: i64,
    unit: Option<&str>,
    languages: &str,
) -> anyhow::Result<()> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", dir.display());
    }
    let unit = app
        .check_scan_import(sdp, year, unit)
        .map_err(|e| match e {
            app::AppError::Invalid { field: "sdp", code } => {
                anyhow::anyhow!("--sdp {sdp}: not a usable file-plan code ({code})")
            }
            app::AppError::Invalid { field: "year", .. } => {
                anyhow::anyhow!("--year {year}: not a year from 1900 to this year")
            }
            app::AppError::Invalid { field: "unit", .. } => {
                anyhow::anyhow!("--unit: no such unit in the regulation profile")
            }
            e => anyhow::anyhow!("{e}"),
        })?;
    let missing = app::extract::missing_tools(languages);
    if let Some(w) = missing_tools_warning(&missing) {
        eprintln!("{w}");
    }
    let mut files = Vec::new();
    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    files_under(dir, &mut files, &mut failed);
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} dosya ({eta}) {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (mut imported, mut already) = (0u64, 0u64);
    for path in &files {
        let shown = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        bar.set_message(shown.clone());
        let outcome = match std::fs::read(path) {
            Ok(bytes) => app
                .import_scan(app::Actor::Operator, &shown, bytes, sdp, year, &unit)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(format!("okunamadı: {e}")),
        };
        match outcome {
            Ok(ScanOutcome::Imported(_)) => imported += 1,
            Ok(ScanOutcome::AlreadyThere(_)) => already += 1,
            Ok(ScanOutcome::Refused { message, .. }) => failed.push((path.clone(), message)),
            Err(why) => failed.push((path.clone(), why)),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!("aktarılan / imported: {imported}, zaten arşivde olan / already there: {already}, aktarılamayan / failed: {}", failed.len());
    for (path, why) in &failed {
        eprintln!("  {}: {why}", path.display());
    }
    if imported > 0 && missing.is_empty() {
        eprintln!("metinleri sunucu arka planda okuyacak (OCR) / the server reads their text in the background");
    } else if imported > 0 {
        eprintln!("metinler araçlar kurulunca okunacak / their text is read once the tools are installed ({})", missing.join(", "));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "{} file(s) could not be imported (listed above)",
            failed.len()
        )
    }
}
