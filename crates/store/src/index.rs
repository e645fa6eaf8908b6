//! The search index: a tantivy index in the data folder, a derived copy of
//! the database (`mudurluk index rebuild` makes it again). Words are
//! analysed by `domain::analysis`: the `stem` field holds stem keys (with
//! positions, for phrases), the `fold` field skeletons (fuzzy and prefix
//! matches). Visibility is part of every query: a restricted document
//! carries the terms of who may see it, and a searcher without the
//! directorate-wide view only matches what he may see, so totals, hits and
//! snippets leak nothing.
//!
//! The index remembers, in its commit, the last `search_changes` id it
//! applied; `catch up` reads on from there.

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use domain::analysis::{self, Clause, QueryWord};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};
use time::Date;

use crate::{Result, StoreError};

/// Bumped when the schema or the analysis changes: an index of another
/// version is rebuilt.
const VERSION: &str = "v2";

/// What the index holds of one document.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// `incoming:42`, `archive:7`.
    pub key: String,
    pub kind: String,
    pub title: String,
    pub number: String,
    pub register: String,
    pub file_codes: Vec<String>,
    pub date: Option<Date>,
    pub year: i64,
    pub units: Vec<String>,
    pub sender: String,
    pub confidentiality: String,
    pub restricted: bool,
    /// Who may see a restricted document: `user:ID`, `unit:CODE`.
    pub viewers: Vec<String>,
    /// The text of its files, as extracted.
    pub text: String,
}

/// Who is searching: everything (the acting Müdür), or what is not
/// restricted plus what names him or a unit he heads.
#[derive(Debug, Clone)]
pub enum Visibility {
    All,
    Only { user_id: i64, units: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone, Default)]
pub struct SearchFilters {
    pub kind: Option<String>,
    pub register: Option<String>,
    /// A file-plan code or one of its groups (`010` finds `010.06`).
    pub file_code: Option<String>,
    pub year: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub unit: Option<String>,
    pub sender: Option<String>,
    pub confidentiality: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchHit {
    pub key: String,
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub number: String,
    pub file_code: String,
    pub date: Option<String>,
    pub sender: String,
    /// The passage around the matches: (text, is a match).
    pub snippet: Vec<(String, bool)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

struct Fields {
    key: Field,
    kind: Field,
    title: Field,
    number: Field,
    register: Field,
    file_code: Field,
    file_path: Field,
    date: Field,
    year: Field,
    unit: Field,
    sender: Field,
    sender_stem: Field,
    confidentiality: Field,
    restricted: Field,
    viewer: Field,
    text: Field,
    stem: Field,
    fold: Field,
    root: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        title: b.add_text_field("title", STORED),
        number: b.add_text_field("number", STRING | STORED),
        register: b.add_text_field("register", STRING),
        file_code: b.add_text_field("file_code", STORED),
        file_path: b.add_text_field("file_path", STRING),
        date: b.add_i64_field("date", INDEXED | FAST | STORED),
        year: b.add_i64_field("year", INDEXED),
        unit: b.add_text_field("unit", STRING),
        sender: b.add_text_field("sender", STORED),
        sender_stem: b.add_text_field("sender_stem", analysed("tr_stem", false)),
        confidentiality: b.add_text_field("confidentiality", STRING),
        restricted: b.add_u64_field("restricted", INDEXED),
        viewer: b.add_text_field("viewer", STRING),
        text: b.add_text_field("text", STORED),
        stem: b.add_text_field("stem", analysed("tr_stem", true)),
        fold: b.add_text_field("fold", analysed("tr_fold", false)),
        root: b.add_text_field("root", analysed("tr_root", false)),
    };
    (b.build(), f)
}

/// Tokenizers over `domain::analysis::words`: one gives stem keys, the
/// other skeletons, each with the word's place in the text.
#[derive(Clone, Copy)]
enum TurkishTokenizer {
    Stem,
    Fold,
    /// Every root a word may have (`analysis::root_terms`), at its place.
    Root,
}

struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for TurkishTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let kind = *self;
        let tokens = analysis::words(text)
            .into_iter()
            .enumerate()
            .flat_map(|(i, w)| {
                let texts = match kind {
                    TurkishTokenizer::Stem => vec![analysis::stem_key(w.text)],
                    TurkishTokenizer::Fold => vec![analysis::skeleton(w.text)],
                    TurkishTokenizer::Root => analysis::root_terms(w.text),
                };
                texts.into_iter().map(move |text| Token {
                    offset_from: w.start,
                    offset_to: w.end,
                    position: i,
                    text,
                    position_length: 1,
                })
            })
            .filter(|t| !t.text.is_empty() && t.text.len() < 200)
            .collect();
        Tokens { tokens, at: 0 }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(anyhow::anyhow!("search index: {e}"))
}

/// Days since 1970-01-01, the index's date.
fn day_number(d: Date) -> i64 {
    (d - time::macros::date!(1970 - 01 - 01)).whole_days()
}

fn from_day_number(n: i64) -> Option<Date> {
    time::macros::date!(1970 - 01 - 01).checked_add(time::Duration::days(n))
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes an empty one (also when the one
    /// there is of another version or unreadable: it is derived data).
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(err)?;
        let (schema, f) = schema();
        let opened = Index::open_in_dir(dir).ok().filter(|i| {
            i.schema() == schema
                && i.load_metas()
                    .ok()
                    .and_then(|m| m.payload)
                    .is_some_and(|p| p.starts_with(VERSION))
        });
        let index = match opened {
            Some(i) => i,
            None => {
                for entry in std::fs::read_dir(dir).map_err(err)? {
                    let p = entry.map_err(err)?.path();
                    if p.is_dir() {
                        std::fs::remove_dir_all(&p)
                    } else {
                        std::fs::remove_file(&p)
                    }
                    .map_err(err)?;
                }
                Index::create_in_dir(dir, schema).map_err(err)?
            }
        };
        Self::with_index(index, f)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self> {
        let (schema, f) = schema();
        Self::with_index(Index::create_in_ram(schema), f)
    }

    fn with_index(index: Index, f: Fields) -> Result<Self> {
        index
            .tokenizers()
            .register("tr_stem", TurkishTokenizer::Stem);
        index
            .tokenizers()
            .register("tr_fold", TurkishTokenizer::Fold);
        index
            .tokenizers()
            .register("tr_root", TurkishTokenizer::Root);
        let writer = index.writer_with_num_threads(1, 50_000_000).map_err(err)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            f,
        })
    }

    /// The last change applied, or `None` for an index never filled (it
    /// needs a full pass).
    pub fn applied(&self) -> Option<i64> {
        let payload = self.index.load_metas().ok()?.payload?;
        payload
            .strip_prefix(VERSION)?
            .strip_prefix(':')?
            .parse()
            .ok()
    }

    /// Replaces these documents (and removes the keys in `gone`), then
    /// commits, remembering `applied` as the last change applied (`None`
    /// in the middle of a full pass: until it ends, the index counts as
    /// never filled).
    pub fn apply(&self, docs: &[SearchDoc], gone: &[String], applied: Option<i64>) -> Result<()> {
        let f = &self.f;
        let mut w = self.writer.lock().map_err(|_| err("writer poisoned"))?;
        for key in gone.iter().chain(docs.iter().map(|d| &d.key)) {
            w.delete_term(Term::from_field_text(f.key, key));
        }
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.key, &d.key);
            doc.add_text(f.kind, &d.kind);
            doc.add_text(f.title, &d.title);
            doc.add_text(f.number, &d.number);
            doc.add_text(f.register, &d.register);
            doc.add_text(f.file_code, d.file_codes.first().map_or("", String::as_str));
            let mut paths: Vec<String> = Vec::new();
            for code in &d.file_codes {
                let mut p = String::new();
                for part in code.split('.') {
                    if !p.is_empty() {
                        p.push('.');
                    }
                    p.push_str(part);
                    if !paths.contains(&p) {
                        paths.push(p.clone());
                    }
                }
            }
            for p in &paths {
                doc.add_text(f.file_path, p);
            }
            if let Some(day) = d.date {
                doc.add_i64(f.date, day_number(day));
            }
            doc.add_i64(f.year, d.year);
            for u in &d.units {
                doc.add_text(f.unit, u);
            }
            doc.add_text(f.sender, &d.sender);
            doc.add_text(f.sender_stem, &d.sender);
            doc.add_text(f.confidentiality, &d.confidentiality);
            doc.add_u64(f.restricted, u64::from(d.restricted));
            for v in &d.viewers {
                doc.add_text(f.viewer, v);
            }
            doc.add_text(f.text, &d.text);
            // What a word query looks at: the title, number, sender and text.
            for searchable in [&d.title, &d.number, &d.sender, &d.text] {
                doc.add_text(f.stem, searchable);
                doc.add_text(f.fold, searchable);
                doc.add_text(f.root, searchable);
            }
            w.add_document(doc).map_err(err)?;
        }
        let mut commit = w.prepare_commit().map_err(err)?;
        commit.set_payload(&match applied {
            Some(id) => format!("{VERSION}:{id}"),
            None => format!("{VERSION}:pass"),
        });
        commit.commit().map_err(err)?;
        drop(w);
        self.reader.reload().map_err(err)?;
        Ok(())
    }

    /// Empties the index (before a full pass).
    pub fn clear(&self) -> Result<()> {
        let mut w = self.writer.lock().map_err(|_| err("writer poisoned"))?;
        w.delete_all_documents().map_err(err)?;
        let mut commit = w.prepare_commit().map_err(err)?;
        commit.set_payload("");
        commit.commit().map_err(err)?;
        drop(w);
        self.reader.reload().map_err(err)?;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn word_query(&self, q: &QueryWord, prefix: bool) -> Box<dyn Query> {
        let f = &self.f;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // The stem key decides for the lexicon's words; any word is found
        // by its roots (`bağlantı` finds `bağlantısı` and the reverse).
        if q.lexicon {
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.stem, &q.key),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
        for r in &q.roots {
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.root, r),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
        let skel = Term::from_field_text(f.fold, &q.skeleton);
        let fuzz = analysis::fuzziness(&q.skeleton);
        any.push((
            Occur::Should,
            if prefix {
                Box::new(FuzzyTermQuery::new_prefix(skel, 0, true))
            } else if fuzz == 0 {
                Box::new(TermQuery::new(skel, IndexRecordOption::WithFreqs))
            } else {
                Box::new(FuzzyTermQuery::new(skel, fuzz, true))
            },
        ));
        Box::new(BooleanQuery::new(any))
    }

    fn term(&self, field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    /// Searches: every clause of the query must match (an empty query
    /// lists what the filters let through), within what `who` may see.
    pub fn search(
        &self,
        q: &str,
        filters: &SearchFilters,
        who: &Visibility,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<SearchResults> {
        let f = &self.f;
        let clauses = analysis::parse_query(q);
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for c in &clauses {
            must.push((
                Occur::Must,
                match c {
                    Clause::Word(w) => self.word_query(w, false),
                    Clause::Prefix(w) => self.word_query(w, true),
                    Clause::Phrase(ws) => Box::new(PhraseQuery::new(
                        ws.iter()
                            .map(|w| Term::from_field_text(f.stem, &w.key))
                            .collect(),
                    )),
                },
            ));
        }
        let mut filter = |field: Field, v: &Option<String>| {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                must.push((Occur::Must, self.term(field, v)));
            }
        };
        filter(f.kind, &filters.kind);
        filter(f.register, &filters.register);
        filter(f.file_path, &filters.file_code);
        filter(f.unit, &filters.unit);
        filter(f.confidentiality, &filters.confidentiality);
        if let Some(y) = filters.year {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.year, y),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if filters.from.is_some() || filters.to.is_some() {
            let bound = |d: Option<Date>| {
                d.map_or(Bound::Unbounded, |d| {
                    Bound::Included(Term::from_field_i64(f.date, day_number(d)))
                })
            };
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(filters.from), bound(filters.to))),
            ));
        }
        if let Some(sender) = filters.sender.as_deref() {
            for w in analysis::words(sender) {
                must.push((
                    Occur::Must,
                    self.term(f.sender_stem, &analysis::stem_key(w.text)),
                ));
            }
        }
        if let Visibility::Only { user_id, units } = who {
            let mut may: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.restricted, 0),
                    IndexRecordOption::Basic,
                )),
            )];
            may.push((
                Occur::Should,
                self.term(f.viewer, &format!("user:{user_id}")),
            ));
            for u in units {
                may.push((Occur::Should, self.term(f.viewer, &format!("unit:{u}"))));
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(may))));
        }
        let query: Box<dyn Query> = if must.is_empty() {
            Box::new(AllQuery)
        } else {
            // A filter-only query still needs something to score.
            if clauses.is_empty() {
                must.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(must))
        };
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(offset);
        // One pass counts and ranks.
        let (total, addresses): (usize, Vec<DocAddress>) = match sort {
            Sort::Relevance if !clauses.is_empty() => {
                let (n, top) = searcher
                    .search(&query, &(Count, top.order_by_score()))
                    .map_err(err)?;
                (n, top.into_iter().map(|(_, a)| a).collect())
            }
            _ => {
                let (n, top) = searcher
                    .search(
                        &query,
                        &(Count, top.order_by_fast_field::<i64>("date", Order::Desc)),
                    )
                    .map_err(err)?;
                (n, top.into_iter().map(|(_, a)| a).collect())
            }
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for a in addresses {
            let doc: TantivyDocument = searcher.doc(a).map_err(err)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let key = text(f.key);
            let body = text(f.text);
            let title = text(f.title);
            let mut snippet = analysis::snippet(&body, &clauses, 240);
            if snippet.is_empty() {
                snippet = analysis::snippet(&title, &clauses, 240);
            }
            if snippet.is_empty() && !body.is_empty() {
                let start: String = body.chars().take(200).collect();
                snippet = vec![(
                    start.split_whitespace().collect::<Vec<_>>().join(" "),
                    false,
                )];
            }
            hits.push(SearchHit {
                id: key
                    .rsplit(':')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                kind: text(f.kind),
                key,
                title,
                number: text(f.number),
                file_code: text(f.file_code),
                date: doc
                    .get_first(f.date)
                    .and_then(|v| v.as_i64())
                    .and_then(from_day_number)
                    .map(|d| d.to_string()),
                sender: text(f.sender),
                snippet,
            });
        }
        Ok(SearchResults { total, hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(key: &str, title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            key: key.into(),
            kind: "archive".into(),
            title: title.into(),
            file_codes: vec!["010.06".into()],
            date: Some(time::macros::date!(2024 - 03 - 01)),
            year: 2024,
            confidentiality: "YOK".into(),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn turkish_words_meet_their_ocr_and_ascii_forms() {
        let ix = SearchIndex::in_memory().unwrap();
        ix.apply(
            &[
                doc(
                    "archive:1",
                    "Tarama 1",
                    "Bilgi İşlem Miidiirliigii $efligi tarafından yapılır.",
                ),
                doc(
                    "archive:2",
                    "Tarama 2",
                    "YAZICI arızası ve Şifre sıfırlama talebi",
                ),
            ],
            &[],
            Some(2),
        )
        .unwrap();
        assert_eq!(ix.applied(), Some(2));
        let find = |q: &str| -> Vec<String> {
            ix.search(
                q,
                &SearchFilters::default(),
                &Visibility::All,
                Sort::Relevance,
                0,
                10,
            )
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.key)
            .collect()
        };
        for q in [
            "müdürlüğünün",
            "MÜDÜRLÜK",
            "mudurlugu",
            "şefliği",
            "işlem",
            "İŞLEM",
            "\"bilgi işlem\"",
        ] {
            assert_eq!(find(q), ["archive:1"], "{q}");
        }
        for q in ["yazıcı", "şifre", "sifre", "YAZICI", "yazı*"] {
            assert_eq!(find(q), ["archive:2"], "{q}");
        }
        assert!(find("bütçe").is_empty());
        // Syntax that a query parser would refuse is read as words.
        assert_eq!(find("\"bilgi (işlem:"), ["archive:1"]);
        assert!(
            find("AND OR NOT * ~ \\").is_empty(),
            "operators are words no document has"
        );
    }
}
