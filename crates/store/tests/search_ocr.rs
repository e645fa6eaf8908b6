//! Searching real OCR output in correct Turkish: the regulation's scanned
//! text says `Miidiirliigii`, `Giivenligi`, `i¢in`, `yiiriitmek`; people
//! type Müdürlüğü, güvenliği, için, yürütmek (or MÜDÜRLÜĞÜNÜN, or no
//! Turkish letters at all).

use mudurluk_store::index::{SearchDoc, SearchFilters, SearchIndex, Sort, Visibility};

const OCR: &str = include_str!("data/yonetmelik-ocr.txt");

fn regulation_index() -> SearchIndex {
    let ix = SearchIndex::in_memory().unwrap();
    // One document per article, as an archive would hold its pages.
    let docs: Vec<SearchDoc> = OCR
        .split("MADDE")
        .enumerate()
        .map(|(i, text)| SearchDoc {
            key: format!("archive:{}", i + 1),
            kind: "archive".into(),
            title: format!("Yönetmelik, bölüm {}", i + 1),
            file_codes: vec!["010.01".into()],
            year: 2019,
            confidentiality: "YOK".into(),
            text: text.to_owned(),
            ..Default::default()
        })
        .collect();
    ix.apply(&docs, &[], Some(1)).unwrap();
    ix
}

#[test]
fn correctly_spelt_words_find_their_ocr_forms() {
    let ix = regulation_index();
    // (query, a form the OCR text has instead)
    let cases = [
        ("Müdürlüğü", "Miidiirliigii"),
        ("müdürlüğünün", "Miidiirliigii"),
        ("MÜDÜRLÜK", "Miidiirliik"),
        ("güvenliği", "Giivenligi"),
        ("için", "i¢in"),
        ("yürütmek", "yiiriitmek"),
        ("hükümleri", "hiikiimleri"),
        ("Şefliği", "Sefligi"),
        ("Küçükçekmece", "Kiigiikgekmece"),
        ("yurutmek", "yiiriitmek"),
    ];
    for (query, ocr_form) in cases {
        let lower_query = domain::turkish::to_lower(query);
        assert!(
            !domain::turkish::to_lower(OCR)
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == lower_query),
            "`{query}` must appear in the text only in OCR form for this case to mean anything"
        );
        assert!(OCR.contains(ocr_form), "the text has `{ocr_form}`");
        let r = ix
            .search(
                query,
                &SearchFilters::default(),
                &Visibility::All,
                Sort::Relevance,
                0,
                50,
            )
            .unwrap();
        assert!(r.total > 0, "`{query}` finds nothing");
        let marked: Vec<String> = r
            .hits
            .iter()
            .flat_map(|h| h.snippet.iter().filter(|(_, m)| *m).map(|(t, _)| t.clone()))
            .collect();
        assert!(
            !marked.is_empty(),
            "`{query}`: snippets mark the OCR'd word"
        );
        assert!(
            r.hits.iter().any(|h| h
                .snippet
                .iter()
                .any(|(t, m)| *m && t.contains(&ocr_form[..3]))),
            "`{query}`: a snippet marks an OCR form like `{ocr_form}`; marked: {marked:?}"
        );
    }
}

#[test]
fn a_phrase_in_correct_turkish_finds_the_ocr_passage() {
    let ix = regulation_index();
    let r = ix
        .search(
            "\"bilgi işlem müdürlüğü\"",
            &SearchFilters::default(),
            &Visibility::All,
            Sort::Relevance,
            0,
            5,
        )
        .unwrap();
    assert!(r.total > 0);
    // Words that are nowhere in it find nothing, however they are spelt.
    let none = ix
        .search(
            "ihale sözleşmesi bütçesi",
            &SearchFilters::default(),
            &Visibility::All,
            Sort::Relevance,
            0,
            5,
        )
        .unwrap();
    assert_eq!(none.total, 0);
}
