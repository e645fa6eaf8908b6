//! End to end in real headless Chromium (Debian's chromium + chromedriver):
//! the Turkish home page, keyboard access, the language switch, the setup
//! form, and a phone-sized screen.

mod common;

use fantoccini::{ClientBuilder, Locator};

async fn browser(driver: &testkit::ChromeDriver) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    let mut args = driver.chrome_args();
    args.push("--lang=tr-TR".into());
    caps.insert(
        "goog:chromeOptions".into(),
        // A Turkish office PC: the browser asks for Turkish.
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": args,
            "prefs": { "intl.accept_languages": "tr-TR,tr" },
        }),
    );
    // chromedriver is on loopback: plain HTTP, no TLS stack needed.
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("cannot start headless Chromium through chromedriver")
}

fn screenshot_path(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test]
async fn a_person_opens_the_home_page_switches_language_and_completes_setup() {
    let app = common::spawn(common::Db::Sqlite).await;
    let driver = testkit::ChromeDriver::start();
    let b = browser(&driver).await;

    b.goto(&app.url("/")).await.unwrap();
    assert_eq!(b.title().await.unwrap(), "Ana sayfa · Mudurluk");
    let h1 = b.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.contains("T.C. Örnek Belediyesi") && h1.contains("Bilgi İşlem Müdürlüğü"), "{h1}");
    let lang = b.execute("return document.documentElement.lang", vec![]).await.unwrap();
    assert_eq!(lang, "tr");
    std::fs::write(screenshot_path("home-tr.png"), b.screenshot().await.unwrap()).unwrap();

    // The first Tab lands on the skip link, and it is visible then.
    b.find(Locator::Css("body")).await.unwrap().send_keys("\u{E004}").await.unwrap();
    let focused = b.execute("return document.activeElement.textContent", vec![]).await.unwrap();
    assert_eq!(focused, "Ana içeriğe geç");

    // The language switch works without typing a URL.
    // Clicks that navigate don't wait for the next page: wait for a mark of it.
    b.find(Locator::LinkText("English")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    assert_eq!(b.title().await.unwrap(), "Home · Mudurluk");
    let lead = b.find(Locator::Css(".lead")).await.unwrap().text().await.unwrap();
    assert!(lead.starts_with("Mudurluk runs the duties"), "{lead}");
    b.find(Locator::LinkText("Türkçe")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("html[lang=tr]")).await.unwrap();
    assert_eq!(b.title().await.unwrap(), "Ana sayfa · Mudurluk");

    // Setup through the form, as the person who started the server would.
    b.goto(&app.url(&format!("/kurulum?token={}", app.setup_token.as_deref().unwrap()))).await.unwrap();
    // The small script adds a show-password toggle (CSP allows our own script).
    let toggles = b.find_all(Locator::Css("button.toggle")).await.unwrap();
    assert_eq!(toggles.len(), 2);
    b.find(Locator::Id("f-username")).await.unwrap().send_keys("ayse.yilmaz").await.unwrap();
    b.find(Locator::Id("f-display_name")).await.unwrap().send_keys("Ayşe Yılmaz").await.unwrap();
    b.find(Locator::Id("f-password")).await.unwrap().send_keys("kısa").await.unwrap();
    b.find(Locator::Id("f-password_confirm")).await.unwrap().send_keys("kısa").await.unwrap();
    b.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    let err = b.wait().for_element(Locator::Css(".field-error")).await.unwrap().text().await.unwrap();
    assert_eq!(err, "Parola en az 12 karakter olmalı.");
    let typed = b.find(Locator::Id("f-display_name")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("Ayşe Yılmaz"));
    std::fs::write(screenshot_path("setup-error.png"), b.screenshot().await.unwrap()).unwrap();
    b.find(Locator::Id("f-password")).await.unwrap().send_keys("güçlü bir parola 2026").await.unwrap();
    b.find(Locator::Id("f-password_confirm")).await.unwrap().send_keys("güçlü bir parola 2026").await.unwrap();
    b.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    let status = b.wait().for_element(Locator::Css("[role=status]")).await.unwrap().text().await.unwrap();
    assert!(status.contains("Hoş geldiniz, Ayşe Yılmaz") && status.contains("Kurulum tamamlandı"), "{status}");

    // Sign out from the header, and back in through the form.
    b.find(Locator::Css("button.linklike")).await.unwrap().click().await.unwrap();
    // The home page has a status line too: wait for the sign-in form first.
    b.wait().for_element(Locator::Id("f-username")).await.unwrap();
    let status = b.find(Locator::Css("[role=status]")).await.unwrap().text().await.unwrap();
    assert_eq!(status, "Oturumunuz kapatıldı.");
    b.find(Locator::Id("f-username")).await.unwrap().send_keys("ayse.yilmaz").await.unwrap();
    b.find(Locator::Id("f-password")).await.unwrap().send_keys("güçlü bir parola 2026").await.unwrap();
    b.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    let who = b.wait().for_element(Locator::Css("a.who")).await.unwrap().text().await.unwrap();
    assert_eq!(who, "Ayşe Yılmaz");

    // A phone-sized screen: no sideways scrolling.
    b.set_window_size(375, 800).await.unwrap();
    b.goto(&app.url("/")).await.unwrap();
    let fits = b.execute("return document.documentElement.scrollWidth <= window.innerWidth", vec![]).await.unwrap();
    assert_eq!(fits, true);
    std::fs::write(screenshot_path("home-phone.png"), b.screenshot().await.unwrap()).unwrap();
    b.close().await.unwrap();
}
