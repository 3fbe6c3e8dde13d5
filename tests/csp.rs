//! The Content-Security-Policy of both built pages (dist/index.html and the single-file edition
//! dist/r2p-annotator.html): present before anything it governs, strict, and listing the hash of
//! every inline script and style (scripts/post-build.sh writes those at build time).
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use e2e_support::dist_dir;

use base64::Engine;
use sha2::{Digest, Sha256};

fn page(name: &str) -> String {
    let path = dist_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value of the page's single CSP meta tag, and where the tag starts.
fn meta_csp(html: &str) -> (usize, String) {
    let tag = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let at = html
        .find(tag)
        .unwrap_or_else(|| panic!("no Content-Security-Policy meta tag"));
    assert_eq!(html.matches(tag).count(), 1, "one CSP meta tag");
    let rest = &html[at + tag.len()..];
    (
        at,
        rest[..rest.find('"').expect("end of content")].to_string(),
    )
}

/// The policy's directives, by name, each with its sources.
fn directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(String::from).collect()))
        })
        .collect()
}

fn sources<'a>(ds: &'a [(String, Vec<String>)], name: &str) -> &'a [String] {
    &ds.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} directive in {ds:?}"))
        .1
}

/// The text of every inline `<tag>` element (a script with src is not inline), with where it starts.
fn inline_bodies<'a>(html: &'a str, tag: &str) -> Vec<(usize, &'a str)> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&open).map(|i| i + from) {
        let head_end = i + html[i..].find('>').expect("end of the start tag");
        let head = &html[i..head_end];
        if !(head.len() == open.len() || head[open.len()..].starts_with([' ', '\t', '\n'])) {
            from = i + open.len(); // <scripts>, not <script>
            continue;
        }
        let body_end = head_end + html[head_end..].find(&close).expect("end tag");
        if !head.contains(" src=") {
            out.push((i, &html[head_end + 1..body_end]));
        }
        from = body_end + close.len();
    }
    out
}

/// The CSP hash source of an inline element's text, as the browser computes it (UTF-8; the HTML
/// parser reads CR LF and CR as LF).
fn hash_source(body: &str) -> String {
    let text = body.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Checks what both pages share and returns the directives.
fn check_page(name: &str) -> Vec<(String, Vec<String>)> {
    let html = page(name);
    let (at, csp) = meta_csp(&html);
    let ds = directives(&csp);
    let all: Vec<&String> = ds.iter().flat_map(|(_, s)| s).collect();
    assert!(
        !all.iter().any(|s| *s == "'unsafe-eval'"),
        "{name}: 'unsafe-eval' in {csp}"
    );
    assert!(
        !csp.contains("{{"),
        "{name}: a placeholder is left in {csp}"
    );
    for d in ["script-src", "default-src"] {
        assert!(
            !sources(&ds, d).iter().any(|s| s == "'unsafe-inline'"),
            "{name}: {d} allows 'unsafe-inline': {csp}"
        );
    }
    assert_eq!(sources(&ds, "object-src"), ["'none'"], "{name}: {csp}");
    assert_eq!(sources(&ds, "base-uri"), ["'none'"], "{name}: {csp}");
    assert_eq!(sources(&ds, "form-action"), ["'none'"], "{name}: {csp}");

    // A meta policy governs only what follows it.
    let first = |needle: &str| html.find(needle).unwrap_or(usize::MAX);
    for needle in [
        "<script",
        "<style",
        "<link rel=\"stylesheet\"",
        "<link rel=\"modulepreload\"",
    ] {
        assert!(
            at < first(needle),
            "{name}: the CSP meta tag comes after {needle}"
        );
    }

    let scripts = inline_bodies(&html, "script");
    assert!(!scripts.is_empty(), "{name}: no inline script found");
    for (i, body) in scripts {
        let hash = hash_source(body);
        assert!(
            sources(&ds, "script-src").contains(&hash),
            "{name}: the inline script at byte {i} (hash {hash}) is not allowed by {csp}"
        );
    }
    for (i, body) in inline_bodies(&html, "style") {
        let hash = hash_source(body);
        assert!(
            sources(&ds, "style-src").contains(&hash),
            "{name}: the inline style at byte {i} (hash {hash}) is not allowed by {csp}"
        );
    }
    ds
}

#[test]
fn served_page_has_a_strict_csp_allowing_its_inline_loader_by_hash() {
    let ds = check_page("index.html");
    assert_eq!(sources(&ds, "default-src"), ["'self'"]);
    assert_eq!(sources(&ds, "style-src"), ["'self'"]);
}

#[test]
fn single_file_edition_has_a_strict_csp_allowing_its_inline_code_by_hash() {
    let ds = check_page("r2p-annotator.html");
    assert_eq!(sources(&ds, "default-src"), ["'none'"]);
    assert_eq!(sources(&ds, "connect-src"), ["'none'"]);
    assert!(
        sources(&ds, "style-src")
            .iter()
            .all(|s| s.starts_with("'sha256-")),
        "only hashed styles: {ds:?}"
    );
    assert_eq!(inline_bodies(&page("r2p-annotator.html"), "style").len(), 1);
}

#[test]
fn inline_bodies_and_hashes_are_read_like_a_browser() {
    let html = "<script src=\"a.js\"></script><script type=\"module\">x\r\ny</script><scripts>";
    assert_eq!(inline_bodies(html, "script"), [(28, "x\r\ny")]);
    // Hash of "x\ny", computed independently (printf 'x\ny' | openssl dgst -sha256 -binary | base64).
    assert_eq!(
        hash_source("x\r\ny"),
        "'sha256-mrneJXaKwXIjXhGbdjYuzdrTOHj+mneSzd2+RyNvmoc='"
    );
}
