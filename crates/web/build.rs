//! Lists the message files `locales/<lang>/<name>.ftl` for `src/i18n.rs`,
//! so that a new file is compiled in without a code change. It writes one
//! array of `include_str!`s, nothing else: parsing and every check happen
//! in `i18n.rs` (and its tests), where an error names the file and line.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("locales");
    // A directory is scanned whole: an added, removed or edited file reruns this.
    println!("cargo:rerun-if-changed=locales");
    let mut files = Vec::new();
    for lang in sorted(&root) {
        if !lang.is_dir() {
            continue;
        }
        for file in sorted(&lang) {
            if file.extension().is_some_and(|e| e == "ftl") {
                files.push(file);
            }
        }
    }
    let mut out = String::from(
        "/// Every `locales/<lang>/<name>.ftl`, as (lang, name, text); listed by build.rs.\n",
    );
    out.push_str("static LOCALE_FILES: &[(&str, &str, &str)] = &[\n");
    for f in &files {
        let lang = f
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .expect("UTF-8 folder name");
        let name = f
            .file_name()
            .and_then(|s| s.to_str())
            .expect("UTF-8 file name");
        let path = f.to_str().expect("UTF-8 path");
        writeln!(out, "    ({lang:?}, {name:?}, include_str!({path:?})),")
            .expect("write to a String");
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("set by cargo")).join("locales.rs");
    fs::write(dest, out).expect("write OUT_DIR/locales.rs");
}

fn sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    v.sort();
    v
}
