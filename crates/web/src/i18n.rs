//! The interface's words in Turkish (first) and English. The language comes
//! from the `lang` cookie set by the switch, else from `Accept-Language`,
//! else Turkish. The words themselves are in Project Fluent files,
//! `crates/web/locales/{tr,en}/<capability>.ftl`, read once (`Catalogue` below).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource};
use fluent_syntax::ast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Tr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Tr => "tr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Tr => Lang::En,
            Lang::En => Lang::Tr,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header,
    /// honouring q-values.
    pub fn from_accept_language(h: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Lang::parse(primary) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn t(self) -> Tr {
        Tr(self)
    }
}

pub fn cookie<'a>(parts: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(negotiate(&parts.headers))
    }
}

pub fn negotiate(headers: &axum::http::HeaderMap) -> Lang {
    cookie(headers, "lang")
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Tr)
}

/// Whether the request being answered reads English (`app::english`,
/// set for every request by [`language_scope`]).
pub fn english() -> bool {
    app::english()
}

/// Runs the request knowing its language (see [`english`]).
pub async fn language_scope(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let en = negotiate(req.headers()) == Lang::En;
    app::ENGLISH.scope(en, next.run(req)).await
}

/// A translator handed to templates: `{{ t.s("home.title") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The text of a message without arguments. It was formatted once, when
    /// the catalogue was loaded: no work but one hash look-up, no allocation.
    /// An unknown key (or one whose message needs arguments) gives
    /// [`UNKNOWN`], logged once at debug level.
    pub fn s(&self, key: &str) -> &'static str {
        let c = catalogue();
        match with_id(key, |id| c.plain.get(id)) {
            Some(texts) => &texts[slot(self.0)],
            None => unknown(key),
        }
    }

    /// The label of an e-Yazışma or registry code in the reader's language
    /// (`code("confidentiality", "HZO")` is "Hizmete Özel" or "Official
    /// use only"): pages show labels, never codes.
    /// The text of `{prefix}_{value}` (`sec.state` and `applied` give
    /// `sec.state_applied`): a value's name in a template.
    pub fn key(&self, prefix: &str, value: &str) -> &'static str {
        self.s(&format!("{prefix}_{value}"))
    }

    pub fn code(&self, kind: &str, code: &str) -> &'static str {
        self.s(&format!("code.{kind}.{}", code.to_ascii_lowercase()))
    }

    /// The text of a message with arguments, e.g. for
    /// `letter-signed-by = { $name } imzaladı`:
    /// `t.f("letter.signed_by", &[("name", who.as_str())])`. Formatted on each call;
    /// a plain message comes out as from [`Tr::s`]. An unknown key gives
    /// [`UNKNOWN`]; a missing argument shows as `{$name}` (and is logged).
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        format(&catalogue().bundles[slot(self.0)], key, args)
            .unwrap_or_else(|| unknown(key).to_owned())
    }

    /// A form field's label for an error message (`field.sender_name`);
    /// empty when the field has none, so a page never shows the input's
    /// internal name.
    /// A field's label as a page of `scope` names it (`kvkk.field_items`),
    /// else its common label ([`Tr::field`]).
    pub fn field_in(&self, scope: &str, name: &str) -> &'static str {
        let c = catalogue();
        match with_id(&format!("{scope}.field_{name}"), |id| c.plain.get(id)) {
            Some(texts) => &texts[slot(self.0)],
            None => self.field(name),
        }
    }

    pub fn field(&self, name: &str) -> &'static str {
        let c = catalogue();
        match with_id(&format!("field.{name}"), |id| c.plain.get(id)) {
            Some(texts) => &texts[slot(self.0)],
            None => "",
        }
    }
}

fn format(
    bundle: &FluentBundle<FluentResource>,
    key: &str,
    args: &[(&str, &str)],
) -> Option<String> {
    let pattern = with_id(key, |id| bundle.get_message(id))?.value()?;
    let mut fa = FluentArgs::with_capacity(args.len());
    for &(name, value) in args {
        fa.set(name, value);
    }
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(pattern, Some(&fa), &mut errors)
        .into_owned();
    if !errors.is_empty() {
        tracing::debug!(key, ?errors, "message formatted with errors");
    }
    Some(text)
}

/// What an unknown key shows: visible on the page and in tests, never blank.
pub const UNKNOWN: &str = "?";

fn slot(l: Lang) -> usize {
    match l {
        Lang::Tr => 0,
        Lang::En => 1,
    }
}

const LANGS: [Lang; 2] = [Lang::Tr, Lang::En];

/// Logs an unknown key at debug level, once per key (for the first 1,000).
#[cold]
fn unknown(key: &str) -> &'static str {
    static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    if seen.len() < 1000 && seen.insert(key.to_owned()) {
        tracing::debug!(key, "unknown message key");
    }
    UNKNOWN
}

/// Calls `f` with the Fluent id of a key: the code and templates write
/// `home.title`, Fluent identifiers cannot hold a dot, so the files say
/// `home-title`. The id is built on the stack: a look-up allocates nothing.
fn with_id<R>(key: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 96];
    match buf.get_mut(..key.len()) {
        Some(b) => {
            for (d, s) in b.iter_mut().zip(key.bytes()) {
                *d = if s == b'.' { b'-' } else { s };
            }
            // Swapping one ASCII byte for another keeps UTF-8 valid.
            f(std::str::from_utf8(b).expect("UTF-8"))
        }
        None => f(&key.replace('.', "-")),
    }
}

// The compiled-in message files: `static LOCALE_FILES: &[(lang, name, text)]`,
// one entry per `locales/<lang>/<name>.ftl`, listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// The interface's texts, read from Project Fluent files: one file per
/// capability and language under `crates/web/locales/{tr,en}/`.
///
/// Read with `fluent-bundle`, the low-level crate of the Fluent project,
/// and its parser `fluent-syntax`, rather than `fluent-templates` (a
/// loader with macros, file watching and more dependencies) or
/// `fluent` (a re-export of `fluent-bundle`): nothing is generated at
/// build time but the list of files, and every check is plain code in
/// this module, where an error names the file and line.
struct Catalogue {
    /// Every message without arguments, formatted once: id → [tr, en].
    plain: HashMap<Box<str>, [Box<str>; 2]>,
    /// The bundles, for the messages with arguments ([`Tr::f`]).
    bundles: [FluentBundle<FluentResource>; 2],
}

/// The catalogue, parsed at first use. The files are compiled in and the
/// tests load them, so a broken file fails `cargo test` before it can
/// fail here; here it stops the server, naming the file and line.
fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        load(LOCALE_FILES)
            .unwrap_or_else(|errors| panic!("the message files are broken:\n{}", errors.join("\n")))
    })
}

/// Loads the catalogue now rather than at the first page, so that a broken
/// message file stops the server at start.
pub fn preload() {
    catalogue();
}

/// Parses and checks the message files: no syntax error, only `tr` and
/// `en`, the same files with the same message ids in both languages, no
/// id twice, every message with a non-empty value. Each error reads
/// `locales/<lang>/<file>:<line>: …`.
fn load(files: &[(&str, &str, &str)]) -> Result<Catalogue, Vec<String>> {
    let mut errors = Vec::new();
    let mut bundles = LANGS.map(|l| {
        let mut b =
            FluentBundle::new_concurrent(vec![l.code().parse().expect("a valid language tag")]);
        // No Unicode isolation marks around arguments: both languages run
        // left to right, and the marks would end up in HTML attributes.
        b.set_use_isolating(false);
        b
    });
    /// A file's messages: id → (line, whether it takes arguments).
    type Ids = BTreeMap<String, (usize, bool)>;
    // file name → per language, its messages
    let mut ids: BTreeMap<&str, [Option<Ids>; 2]> = BTreeMap::new();
    for &(lang, name, text) in files {
        let at = |line: usize| format!("locales/{lang}/{name}:{line}");
        let Some(l) = Lang::parse(lang) else {
            errors.push(format!(
                "{}: the folder {lang:?} is no language of the interface (tr, en)",
                at(1)
            ));
            continue;
        };
        let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(r, errs)| {
            for e in errs {
                // The line of the broken entry, where the parser gave up.
                let entry = e.slice.as_ref().map_or(e.pos.start, |s| {
                    s.start
                        + text
                            .get(s.clone())
                            .map_or(0, |j| j.len() - j.trim_start().len())
                });
                errors.push(format!(
                    "{}: {e} (at line {})",
                    at(line_of(text, entry)),
                    line_of(text, e.pos.start)
                ));
            }
            r
        });
        let mut here = BTreeMap::new();
        for entry in resource.entries() {
            let ast::Entry::Message(m) = entry else {
                continue;
            };
            let id = m.id.name;
            let line = line_of_id(text, id);
            match &m.value {
                None => errors.push(format!("{}: {id} has no value", at(line))),
                Some(p) => {
                    here.insert(id.to_owned(), (line, has_variables(p)));
                }
            }
        }
        if let Err(errs) = bundles[slot(l)].add_resource(resource) {
            for e in errs {
                match e {
                    FluentError::Overriding { id, .. } => errors.push(format!(
                        "{}: {id} is defined already in another file or above",
                        at(line_of_id(text, &id))
                    )),
                    e => errors.push(format!("{}: {e}", at(1))),
                }
            }
        }
        ids.entry(name).or_default()[slot(l)] = Some(here);
    }
    let mut plain = HashMap::new();
    for (name, [tr, en]) in &ids {
        let (Some(tr), Some(en)) = (tr, en) else {
            let (has, lacks) = if tr.is_some() {
                ("tr", "en")
            } else {
                ("en", "tr")
            };
            errors.push(format!(
                "locales/{has}/{name}:1: there is no locales/{lacks}/{name}"
            ));
            continue;
        };
        for (lang, this, other, that) in [("tr", tr, "en", en), ("en", en, "tr", tr)] {
            for (id, (line, _)) in this {
                if !that.contains_key(id) {
                    errors.push(format!(
                        "locales/{lang}/{name}:{line}: {id} is missing from locales/{other}/{name}"
                    ));
                }
            }
        }
        for (id, &(line, variables)) in tr {
            if variables || en.get(id).is_none_or(|&(_, v)| v) {
                continue; // formatted per call by `Tr::f`
            }
            let mut texts = [Box::<str>::default(), Box::<str>::default()];
            for l in LANGS {
                let b = &bundles[slot(l)];
                let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
                    continue;
                };
                let mut errs = Vec::new();
                let text = b.format_pattern(pattern, None, &mut errs);
                let line = if l == Lang::Tr { line } else { en[id].0 };
                let at = format!("locales/{}/{name}:{line}", l.code());
                for e in errs {
                    errors.push(format!("{at}: {id}: {e}"));
                }
                if text.trim().is_empty() {
                    errors.push(format!("{at}: {id} is empty"));
                }
                texts[slot(l)] = text.into();
            }
            plain.insert(id.as_str().into(), texts);
        }
    }
    if errors.is_empty() {
        Ok(Catalogue { plain, bundles })
    } else {
        Err(errors)
    }
}

/// The line (from 1) of a byte offset.
fn line_of(text: &str, pos: usize) -> usize {
    text.get(..pos).unwrap_or(text).matches('\n').count() + 1
}

/// The line where message `id` is defined (`id =` at a line's start).
fn line_of_id(text: &str, id: &str) -> usize {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line
            .strip_prefix(id)
            .is_some_and(|r| r.trim_start().starts_with('='))
        {
            return line_of(text, pos);
        }
        pos += line.len();
    }
    1
}

/// Whether a pattern takes arguments (`{ $name }`), anywhere inside.
fn has_variables(p: &ast::Pattern<&str>) -> bool {
    fn expr(e: &ast::Expression<&str>) -> bool {
        match e {
            ast::Expression::Inline(i) => inline(i),
            ast::Expression::Select { selector, variants } => {
                inline(selector) || variants.iter().any(|v| has_variables(&v.value))
            }
        }
    }
    fn args(a: &ast::CallArguments<&str>) -> bool {
        a.positional.iter().any(inline) || a.named.iter().any(|n| inline(&n.value))
    }
    fn inline(i: &ast::InlineExpression<&str>) -> bool {
        match i {
            ast::InlineExpression::VariableReference { .. } => true,
            ast::InlineExpression::FunctionReference { arguments, .. } => args(arguments),
            ast::InlineExpression::TermReference { arguments, .. } => {
                arguments.as_ref().is_some_and(args)
            }
            ast::InlineExpression::Placeable { expression } => expr(expression),
            _ => false,
        }
    }
    p.elements.iter().any(|e| match e {
        ast::PatternElement::Placeable { expression } => expr(expression),
        ast::PatternElement::TextElement { .. } => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("de-DE, tr;q=0.8, en;q=0.5"),
            Some(Lang::Tr)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.3, tr-TR"),
            Some(Lang::Tr)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0"), None);
    }

    /// The message files parse, both languages have the same files with the
    /// same ids, and no value is empty; each fault is named by file and line.
    #[test]
    fn the_message_files_are_whole_in_both_languages() {
        assert!(LOCALE_FILES.len() >= 2, "build.rs found no locales/*/*.ftl");
        if let Err(errors) = load(LOCALE_FILES) {
            panic!(
                "{} problem(s) in the message files:\n{}",
                errors.len(),
                errors.join("\n")
            );
        }
        let c = catalogue();
        assert!(c.plain.len() > 400, "only {} messages", c.plain.len());
        assert_eq!(Tr(Lang::Tr).s("home.title"), "Ana sayfa");
        assert_eq!(Tr(Lang::En).s("home.title"), "Home");
        assert_eq!(
            Tr(Lang::En).s("authority.done.geri-alindi"),
            "Revoked; it grants nothing from now on."
        );
        assert_eq!(Tr(Lang::Tr).s("no.such.key"), UNKNOWN);
        assert_eq!(Tr(Lang::En).f("home.title", &[]), "Home");
        assert_eq!(Tr(Lang::En).f("no.such.key", &[]), UNKNOWN);
    }

    /// Every refusal code the program gives (`domain::code::Code`) has its
    /// text in both languages: a user never sees a bare code.
    #[test]
    fn every_code_has_a_message_in_both_languages() {
        let missing: Vec<String> = domain::code::Code::ALL
            .iter()
            .flat_map(|c| [Lang::Tr, Lang::En].map(|l| (c.as_str(), l)))
            .filter(|(c, l)| Tr(*l).s(c) == UNKNOWN)
            .map(|(c, l)| format!("{c} ({l:?})"))
            .collect();
        assert!(missing.is_empty(), "codes without a message: {missing:?}");
        for rule in [
            "administrator",
            "incoming_recipient",
            "writer",
            "signer",
            "member",
        ] {
            for lang in [Lang::Tr, Lang::En] {
                assert_ne!(
                    crate::error::missing_rule(lang, rule),
                    rule,
                    "{rule} ({lang:?}) has no text"
                );
            }
        }
        assert_eq!(
            Tr(Lang::En)
                .s(domain::code::Code::LegalHold.as_str())
                .split(';')
                .next(),
            Some("The file is under a legal hold (litigation, investigation or audit)")
        );
    }

    /// What the checks say about broken files, and how Fluent's escapes come out.
    #[test]
    fn broken_files_are_refused_with_file_and_line() {
        let errors =
            |files: &[(&str, &str, &str)]| load(files).err().unwrap_or_default().join("\n");
        let e = errors(&[
            ("tr", "a.ftl", "x = bir\n\ny = {\nz = üç\n"),
            ("en", "a.ftl", "x = one\ny = two\nz = three\n"),
        ]);
        assert!(e.contains("locales/tr/a.ftl:3: "), "{e}");
        let e = errors(&[
            ("tr", "a.ftl", "x = bir\ny = iki\n"),
            ("en", "a.ftl", "x = one\n"),
        ]);
        assert!(
            e.contains("locales/tr/a.ftl:2: y is missing from locales/en/a.ftl"),
            "{e}"
        );
        let e = errors(&[
            ("tr", "a.ftl", "x = bir\n"),
            ("en", "a.ftl", "x = one\n"),
            ("tr", "b.ftl", "x = yine\n"),
        ]);
        assert!(
            e.contains("locales/tr/b.ftl:1: x is defined already")
                && e.contains("no locales/en/b.ftl"),
            "{e}"
        );
        let e = errors(&[
            ("tr", "a.ftl", "x = {\"\"}\n"),
            ("en", "a.ftl", "x = one\n"),
            ("de", "a.ftl", "x = eins\n"),
        ]);
        assert!(
            e.contains("locales/tr/a.ftl:1: x is empty") && e.contains("\"de\" is no language"),
            "{e}"
        );
        let e = errors(&[("tr", "a.ftl", "x = { y }\n"), ("en", "a.ftl", "x = one\n")]);
        assert!(e.contains("locales/tr/a.ftl:1: x: "), "{e}");

        let ftl = "braces = a {\"{\"}b{\"}\"} c\nspaces = {\"  \"}in{\" \"}\nlines =\n    one\n    {\"[\"}two\n        three\nquote = \"q\" \\ x\nwith = { $n } belge\n";
        let c =
            load(&[("tr", "a.ftl", ftl), ("en", "a.ftl", ftl)]).unwrap_or_else(|e| panic!("{e:?}"));
        let plain = |id: &str| c.plain.get(id).map(|t| t[0].to_string());
        assert_eq!(plain("braces").as_deref(), Some("a {b} c"));
        assert_eq!(plain("spaces").as_deref(), Some("  in "));
        assert_eq!(plain("lines").as_deref(), Some("one\n[two\n    three"));
        assert_eq!(plain("quote").as_deref(), Some("\"q\" \\ x"));
        assert_eq!(
            plain("with"),
            None,
            "a message with arguments is formatted per call"
        );
        assert_eq!(
            format(&c.bundles[1], "with", &[("n", "3")]).as_deref(),
            Some("3 belge")
        );
        assert_eq!(
            format(&c.bundles[1], "braces", &[]).as_deref(),
            Some("a {b} c")
        );
        assert_eq!(format(&c.bundles[1], "nothing", &[]), None);
    }

    /// A file of the project's sources, read at test time.
    struct Source {
        path: PathBuf,
        text: String,
        /// Under `crates/web`: its dotted literals are catalogue keys.
        web: bool,
    }

    impl Source {
        fn at(&self, pos: usize) -> String {
            format!("{}:{}", self.path.display(), line_of(&self.text, pos))
        }
    }

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// Every template and every Rust file of the web, app, store and domain
    /// crates, found by walking their folders (this file excepted: it holds
    /// the patterns below as text).
    fn sources() -> Vec<Source> {
        let web = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for (dir, is_web) in [
            ("templates", true),
            ("src", true),
            ("../app/src", false),
            ("../store/src", false),
            ("../domain/src", false),
        ] {
            let mut files = Vec::new();
            walk(&web.join(dir), &mut files);
            for path in files {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !(ext == "rs" || dir == "templates") || path.ends_with("src/i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                let path = path
                    .strip_prefix(web)
                    .map(Path::to_path_buf)
                    .unwrap_or(path);
                out.push(Source {
                    path,
                    text,
                    web: is_web,
                });
            }
        }
        out
    }

    /// The string literal starting at `text[start]` (a `"`): its content and
    /// the offset after its closing quote.
    fn literal_at(text: &str, start: usize) -> Option<(&str, usize)> {
        let b = text.as_bytes();
        if b.get(start) != Some(&b'"') {
            return None;
        }
        let mut i = start + 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return Some((&text[start + 1..i], i + 1)),
                _ => i += 1,
            }
        }
        None
    }

    /// The top-level arguments of the call whose `(` is at `open`.
    fn call_args(text: &str, open: usize) -> Vec<(usize, &str)> {
        let b = text.as_bytes();
        let (mut depth, mut i, mut from, mut args) = (0usize, open, open + 1, Vec::new());
        while i < b.len() {
            match b[i] {
                b'"' => {
                    i = literal_at(text, i).map_or(b.len(), |(_, end)| end);
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push((from, &text[from..i]));
                        return args;
                    }
                }
                b',' if depth == 1 => {
                    args.push((from, &text[from..i]));
                    from = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        args
    }

    fn is_code(s: &str) -> bool {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    }

    /// The codes an argument can evaluate to: its snake_case literals, as
    /// the whole argument or as branches (`if … { "a" } else { "b" }`),
    /// leaving out those compared with `==`/`!=` in a condition.
    fn codes_in(arg: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for (i, _) in arg.match_indices('"') {
            let Some((lit, end)) = literal_at(arg, i) else {
                continue;
            };
            let before = arg[..i].trim_end();
            let after = arg[end..].trim_start();
            let compared = before.ends_with("==")
                || before.ends_with("!=")
                || after.starts_with("==")
                || after.starts_with("!=");
            if is_code(lit) && !compared {
                out.push((i, lit));
            }
        }
        out
    }

    /// A key in use, and where.
    struct Use {
        key: String,
        at: String,
    }

    /// What the sources ask of the catalogue, read out of them:
    /// (a) `.s("key")` in templates and code;
    /// (b) in the web crate, every literal `"section.rest"` whose section is
    ///     one of the catalogue's (`home`, `tray`, `error`, …), the names of
    ///     template files aside; (the app and store crates also write dotted
    ///     literals, but those are audit actions such as `setup.completed`);
    /// (c) every error code produced: `invalid(field, "code")`,
    ///     `err(field, "code")`, `Conflict("code")`,
    ///     `WebError::new(status, "code")`, `StatusCode::X, "code"`,
    ///     `StatusCode::X => "code"`, `code: "code"`, `SomeError::X => "code"`
    ///     and `error = Some((field, "code"))`, with `if … { "a" } else { "b" }`
    ///     counting both branches.
    /// Also returned: the prefixes of keys built at run time
    /// (`format!("text.{}", …)`).
    fn used_keys(sections: &BTreeSet<String>) -> (Vec<Use>, Vec<Use>) {
        let sources = sources();
        assert!(
            sources
                .iter()
                .filter(|s| s.path.starts_with("templates"))
                .count()
                > 20,
            "templates not found"
        );
        assert!(
            sources.iter().filter(|s| !s.web).count() > 20,
            "app, store and domain sources not found"
        );
        // The constants' names of the statuses that are no errors: `OK`, `SEE_OTHER`, …
        let not_errors: BTreeSet<String> = (100..400u16)
            .filter_map(|n| axum::http::StatusCode::from_u16(n).ok()?.canonical_reason())
            .map(|r| {
                r.to_ascii_uppercase()
                    .replace([' ', '-'], "_")
                    .replace('\'', "")
            })
            .collect();
        let not_errors: BTreeSet<&str> = not_errors.iter().map(String::as_str).collect();
        let file_names: BTreeSet<&str> = sources
            .iter()
            .filter_map(|s| s.path.file_name()?.to_str())
            .collect();
        let (mut keys, mut prefixes) = (Vec::new(), Vec::new());
        for src in &sources {
            let t = src.text.as_str();
            let mut push = |key: &str, pos: usize| {
                keys.push(Use {
                    key: key.to_owned(),
                    at: src.at(pos),
                })
            };
            // (a)
            for (i, _) in t.match_indices(".s(\"") {
                if let Some((key, _)) = literal_at(t, i + 3) {
                    push(key, i);
                }
            }
            // (b)
            if src.web {
                for (i, _) in t.match_indices('"') {
                    let Some((lit, _)) = literal_at(t, i) else {
                        continue;
                    };
                    let Some((section, _)) = lit.split_once('.') else {
                        continue;
                    };
                    if !sections.contains(section) || file_names.contains(lit) {
                        continue;
                    }
                    let keyish = |s: &str| {
                        s.bytes().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || b"_.-".contains(&c)
                        })
                    };
                    if keyish(lit) {
                        push(lit, i);
                    } else if let Some((prefix, _)) = lit.split_once('{').filter(|(p, _)| keyish(p))
                    {
                        prefixes.push(Use {
                            key: prefix.to_owned(),
                            at: src.at(i),
                        });
                    }
                }
            }
            // (c)
            if src.path.extension().is_some_and(|e| e == "rs") {
                let word_start =
                    |i: usize| !t[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                for (name, nth) in [
                    ("invalid(", 1),
                    ("err(", 1),
                    ("Conflict(", 0),
                    ("WebError::new(", 1),
                    ("error = Some((", 1),
                    ("error: Some((", 1),
                ] {
                    for (i, _) in t.match_indices(name) {
                        if !word_start(i) {
                            continue;
                        }
                        let open = i + name.len() - 1;
                        if let Some(&(from, arg)) = call_args(t, open).get(nth) {
                            for (j, code) in codes_in(arg) {
                                push(code, from + j);
                            }
                        }
                    }
                }
                for (i, _) in t.match_indices("code: \"") {
                    if let Some((code, _)) = literal_at(t, i + 6).filter(|(c, _)| is_code(c)) {
                        push(code, i);
                    }
                }
                // `StatusCode::X, "code"`, `StatusCode::X => "code"` (X not
                // a 1xx–3xx status, whose literal is a body), `FooError::X => "code"`
                for (i, m) in t
                    .match_indices("StatusCode::")
                    .chain(t.match_indices("Error::"))
                {
                    let rest = &t[i + m.len()..];
                    let ident = rest
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    if m == "StatusCode::" && not_errors.contains(&rest[..ident]) {
                        continue;
                    }
                    let after = &rest[ident..];
                    let lit_at = if m == "StatusCode::" && after.starts_with(", \"") {
                        Some(2)
                    } else if after.starts_with(" => \"") {
                        Some(4)
                    } else {
                        None
                    };
                    if let Some(off) = lit_at {
                        let start = i + m.len() + ident + off;
                        if let Some((code, _)) = literal_at(t, start).filter(|(c, _)| is_code(c)) {
                            push(code, start);
                        }
                    }
                }
            }
        }
        (keys, prefixes)
    }

    /// The catalogue's sections: `home` of `home-title`.
    fn sections() -> BTreeSet<String> {
        catalogue()
            .plain
            .keys()
            .filter_map(|id| id.split_once('-'))
            .map(|(s, _)| s.to_owned())
            .collect()
    }

    /// Every key the templates and the code ask for, and every error code
    /// the app, store, domain and web layers produce, has a text in both
    /// languages. The keys are read out of the sources, found by walking.
    #[test]
    fn every_used_key_is_in_the_catalogue() {
        let sections = sections();
        let (keys, prefixes) = used_keys(&sections);
        assert!(keys.len() > 1000, "found only {} uses of keys", keys.len());
        let plain = &catalogue().plain;
        let bundles = &catalogue().bundles;
        // A message with arguments (`Tr::f`) is in both bundles instead.
        let known = |id: &str| plain.contains_key(id) || bundles.iter().all(|b| b.has_message(id));
        let mut missing = BTreeSet::new();
        for u in &keys {
            if with_id(&u.key, |id| !known(id)) {
                missing.insert(format!("{}: {:?}", u.at, u.key));
            }
        }
        for p in &prefixes {
            let prefix = p.key.replace('.', "-");
            if !plain.keys().any(|id| id.starts_with(&prefix)) {
                missing.insert(format!("{}: no message starts with {:?}", p.at, p.key));
            }
        }
        assert!(
            missing.is_empty(),
            "{} key(s) without a text in tr and en:\n{}",
            missing.len(),
            Vec::from_iter(missing).join("\n")
        );
        // Two spellings of one id (`a.b-c`, `a-b.c`) would share a text.
        let mut by_id: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for u in &keys {
            by_id
                .entry(u.key.replace('.', "-"))
                .or_default()
                .insert(&u.key);
        }
        let clashes: Vec<_> = by_id.values().filter(|k| k.len() > 1).collect();
        assert!(
            clashes.is_empty(),
            "keys that map to one Fluent id: {clashes:?}"
        );
    }

    /// The codes error.rs maps statuses and `AppError`s to have texts: every
    /// 4xx and 5xx status, rendered by `render_errors` as JSON and as a page.
    #[tokio::test]
    async fn every_error_status_has_a_message() {
        use axum::body::{to_bytes, Body};
        use axum::http::{Request, StatusCode};
        use tower::ServiceExt;
        let profile =
            std::sync::Arc::new(domain::profile::Profile::builtin().expect("the built-in profile"));
        for code in 400..600u16 {
            let status = StatusCode::from_u16(code).expect("a status");
            let app = axum::Router::new()
                .fallback(move || async move { status })
                .layer(axum::middleware::from_fn_with_state(
                    crate::error::ErrorPages {
                        profile: profile.clone(),
                        app: None,
                    },
                    crate::error::render_errors,
                ));
            for (path, lang) in [
                ("/api/v1/x", "tr"),
                ("/api/v1/x", "en"),
                ("/x", "tr"),
                ("/x", "en"),
            ] {
                let req = Request::get(path)
                    .header("cookie", format!("lang={lang}"))
                    .body(Body::empty())
                    .expect("request");
                let resp = app.clone().oneshot(req).await.expect("infallible");
                let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
                let body = String::from_utf8_lossy(&body);
                if path.starts_with("/api/") {
                    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                    let m = v["error"]["message"].as_str().unwrap_or(UNKNOWN);
                    assert!(
                        m != UNKNOWN,
                        "{code} ({lang}) has no message for {}",
                        v["error"]["code"]
                    );
                } else {
                    assert!(
                        !body.contains(">?<"),
                        "{code} ({lang}) shows an unknown key:\n{body}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod code_labels {
    use super::*;
    use domain::correspondence::{Channel, Confidentiality, Purpose, Register, Urgency};

    /// Every code a page may show has its label in both languages.
    #[test]
    fn every_code_has_a_label_in_both_languages() {
        let all: Vec<(&str, &str)> = Channel::ALL
            .iter()
            .map(|c| ("channel", c.code()))
            .chain(
                Confidentiality::ALL
                    .iter()
                    .map(|c| ("confidentiality", c.code())),
            )
            .chain(Urgency::ALL.iter().map(|c| ("urgency", c.code())))
            .chain(Purpose::ALL.iter().map(|c| ("purpose", c.code())))
            .chain(Register::ALL.iter().map(|c| ("register", c.code())))
            .collect();
        for (kind, code) in all {
            for lang in [Lang::Tr, Lang::En] {
                let label = lang.t().code(kind, code);
                assert!(
                    label != UNKNOWN && !label.is_empty(),
                    "{kind} {code} in {lang:?}"
                );
            }
            assert_ne!(Lang::Tr.t().code(kind, code), "", "{kind} {code}");
        }
        assert_eq!(
            Lang::En.t().code("confidentiality", "HZO"),
            "Official use only"
        );
        // The legal bases of deadlines, every kind, in both languages.
        use domain::calendar::{LegalBasis, RequestKind};
        let bases = [
            LegalBasis::Petition,
            LegalBasis::InformationRequest,
            LegalBasis::InformationRequestExtended,
            LegalBasis::Kvkk,
            LegalBasis::InterAgency(RequestKind::Documents),
            LegalBasis::InterAgency(RequestKind::Information),
            LegalBasis::InterAgency(RequestKind::Opinion),
            LegalBasis::Days(30),
            LegalBasis::WorkDays(10),
            LegalBasis::Fixed(time::macros::date!(2026 - 12 - 03)),
        ];
        for b in bases {
            for lang in [Lang::Tr, Lang::En] {
                let label = crate::incoming::pages::basis_label(lang.t(), &b);
                assert!(
                    !label.contains(UNKNOWN) && !label.contains('{'),
                    "{b:?} in {lang:?}: {label}"
                );
            }
        }
        assert_eq!(
            crate::incoming::pages::basis_label(
                Lang::En.t(),
                &LegalBasis::Fixed(time::macros::date!(2026 - 12 - 03))
            ),
            "dated: 03.12.2026"
        );
        assert_eq!(Lang::Tr.t().code("urgency", "ACL"), "Acele");
    }
}
