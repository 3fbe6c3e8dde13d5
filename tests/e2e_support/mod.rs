//! End-to-end harness: serves the built app, drives headless Chromium through chromedriver, cleans up.
//!
//! Each test calls [`run`], which takes a global lock (the machine has two cores: one browser at a
//! time keeps timings honest), starts a static file server for `dist/` (or `$R2P_DIST`) and a
//! chromedriver on ephemeral ports, opens a WebDriver session on a fresh profile, runs the test
//! body with an [`App`] handle, and tears everything down — also when the body panics.
//!
//! Shared by several test crates (`e2e`, `e2e_sharing`, `e2e_offline`), each using a part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, TouchActions,
    MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// How long any awaited condition may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long one whole test may take.
const TEST_TIMEOUT: Duration = Duration::from_secs(120);
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const AXE_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

/// axe-core's script, installed by scripts/bootstrap.sh (which exports its path as `R2P_AXE`).
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var_os("R2P_AXE").map(PathBuf::from).unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"));
            cache.join("r2p-annotator/node_modules/axe-core/axe.min.js")
        });
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read axe-core at {} ({e}): run `bash scripts/bootstrap.sh` (scripts/test.sh does)",
                path.display()
            )
        })
    })
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// One browser at a time: the suite runs on two cores, and drags and clicks must not starve.
static SERIAL: Mutex<()> = Mutex::new(());

/// The canonical text of the default document (what the article's `textContent` must equal).
pub fn canonical_text() -> String {
    r2p_annotator::core::document::Document::default_summary().text
}

/// The summary's W3C source IRI: `ni:///sha-256;` and the base64url digest of the canonical text
/// (RFC 6920, no padding).
pub fn document_iri() -> String {
    use base64::Engine;
    let digest = Sha256::digest(canonical_text().as_bytes());
    format!(
        "ni:///sha-256;{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// SHA-256 hex of the canonical text, computed here independently of the app's own code.
pub fn document_id() -> String {
    Sha256::digest(canonical_text().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The localStorage key that holds the default document's annotations.
pub fn storage_key() -> String {
    format!("r2p-annotator:v1:annotations:{}", document_id())
}

/// The canonical text's code points `[start, end)`.
pub fn slice(start: usize, end: usize) -> String {
    canonical_text()
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Code-point range `[start, end)` of the numbered paragraph `number` of the default document.
pub fn numbered_paragraph(number: u32) -> (usize, usize) {
    use r2p_annotator::core::document::{BlockKind, Document};
    let doc = Document::default_summary();
    let block = doc
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Numbered { number })
        .unwrap_or_else(|| panic!("the default document has no numbered paragraph {number}"));
    (block.start, block.end)
}

/// Code-point range of the `first`..=`last` words (0-based, split on whitespace) inside
/// `[from, to)` of the canonical text: starts on a word's first letter, ends after a word's last.
pub fn words(from: usize, to: usize, first: usize, last: usize) -> (usize, usize) {
    word_range(&canonical_text(), from, to, first, last)
}

/// Code-point range of the `first`..=`last` words (split on whitespace) inside `[from, to)` of `text`.
pub fn word_range(text: &str, from: usize, to: usize, first: usize, last: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut i = from;
    while i < to {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        while i < to && !chars[i].is_whitespace() {
            i += 1;
        }
        spans.push((s, i));
    }
    assert!(
        last < spans.len(),
        "only {} words in [{from}, {to})",
        spans.len()
    );
    (spans[first].0, spans[last].1)
}

/// The built app's directory (`dist/`, or `$R2P_DIST`).
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("R2P_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "dist/ is missing: run `bash scripts/build.sh` first (scripts/test.sh does it) \
         (looked for {})",
        dir.join("index.html").display()
    );
    dir
}

/// The screen a test runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Screen {
    /// A 1280 × 900 window with a mouse.
    Desktop,
    /// A phone: 360 × 640 CSS pixels, touch, emulated by Chromium.
    Phone,
    /// A tablet held upright: 768 × 1024 CSS pixels, touch.
    Tablet,
    /// A 1280 × 1024 window zoomed to 400 %: 320 × 256 CSS pixels, a mouse (WCAG 1.4.10).
    Zoomed,
}

impl Screen {
    /// Chromium's device emulation for this screen (None: the plain window).
    fn emulation(self) -> Option<Value> {
        let (width, height, ratio, touch) = match self {
            Screen::Desktop => return None,
            Screen::Phone => (360, 640, 2, true),
            Screen::Tablet => (768, 1024, 2, true),
            Screen::Zoomed => {
                return Some(json!({
                    "deviceMetrics": { "width": 320, "height": 256, "pixelRatio": 4, "touch": false },
                }))
            }
        };
        Some(json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": ratio, "touch": touch },
            "userAgent": "Mozilla/5.0 (Linux; Android 14; R2P test device) AppleWebKit/537.36 \
                          (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
        }))
    }
}

/// Runs one end-to-end test body against a fresh browser profile and a fresh server.
pub fn run<F, Fut>(name: &'static str, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    run_on(name, Screen::Desktop, body);
}

/// [`run`] on a given screen.
pub fn run_on<F, Fut>(name: &'static str, screen: Screen, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let started = Instant::now();
    let dist = dist_dir();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let server = StaticServer::start(dist);
    let base = server.url();
    let server = Arc::new(Mutex::new(Some(server)));
    let driver = Driver::spawn();
    rt.block_on(async {
        let client = driver.connect(screen).await;
        let app = App {
            client: client.clone(),
            base,
            name,
            server: Arc::clone(&server),
            downloads: driver.downloads.clone(),
        };
        if tokio::time::timeout(TEST_TIMEOUT, body(app)).await.is_err() {
            panic!("{name}: the test did not finish within {TEST_TIMEOUT:?}");
        }
        // A clean close lets chromedriver quit Chromium itself; Drop is the fallback.
        if client.close().await.is_ok() {
            driver.session_closed();
        }
    });
    drop(driver);
    drop(server.lock().unwrap_or_else(PoisonError::into_inner).take());
    eprintln!("[e2e] {name}: {:.1} s", started.elapsed().as_secs_f64());
}

// ---------------------------------------------------------------------------------------------
// Static file server
//
// A small HTTP/1.1 server on std (one thread per connection, keep-alive) rather than a library
// one, because a test must be able to take it down completely: stopping it closes the listening
// socket *and* cuts every open connection, so that even a socket the browser keeps alive fails
// (as it would offline) instead of hanging on a server that no longer answers.

struct StaticServer {
    addr: SocketAddr,
    stopped: Arc<AtomicBool>,
    /// Open connections (clones of their sockets, by connection number), to cut them on stop.
    conns: Arc<Mutex<HashMap<u64, TcpStream>>>,
    thread: Option<JoinHandle<()>>,
}

/// A same-origin page with no app on it, to seed or inspect localStorage while the app is not
/// running (so that nothing it does on unload can interfere).
pub const BLANK_PAGE: &str = "/__e2e__/blank.html";

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Removes a connection from the registry when its thread ends, however it ends.
struct Registered(Arc<Mutex<HashMap<u64, TcpStream>>>, u64);

impl Drop for Registered {
    fn drop(&mut self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.1);
    }
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind static server");
        let addr = listener.local_addr().expect("static server address");
        let stopped = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<HashMap<u64, TcpStream>>> = Arc::default();
        let (stop, registry) = (Arc::clone(&stopped), Arc::clone(&conns));
        let thread = std::thread::spawn(move || {
            // The listener lives in this thread: it closes when the loop ends.
            for (n, stream) in (0u64..).zip(listener.incoming()) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let Ok(clone) = stream.try_clone() else {
                    continue;
                };
                registry
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(n, clone);
                let guard = Registered(Arc::clone(&registry), n);
                let (root, stop) = (root.clone(), Arc::clone(&stop));
                std::thread::spawn(move || {
                    let _guard = guard;
                    // The browser may go away mid-request or mid-response; nothing to do then.
                    let _ = Self::serve_connection(stream, &root, &stop);
                });
            }
        });
        StaticServer {
            addr,
            stopped,
            conns,
            thread: Some(thread),
        }
    }

    /// Answers the requests of one connection until it closes (or the server stops).
    fn serve_connection(stream: TcpStream, root: &Path, stop: &AtomicBool) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(120)))?;
        stream.set_nodelay(true)?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut writer = stream;
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line)? == 0 {
                return Ok(());
            }
            let (mut body_len, mut close) = (0u64, false);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        body_len = value.trim().parse().unwrap_or(0);
                    } else if name.eq_ignore_ascii_case("connection") {
                        close = value.to_ascii_lowercase().contains("close");
                    }
                }
            }
            std::io::copy(&mut (&mut reader).take(body_len), &mut std::io::sink())?;
            if stop.load(Ordering::SeqCst) {
                // Taken down: drop the connection without an answer.
                return Ok(());
            }
            let mut parts = request_line.split_whitespace();
            let method = parts.next().unwrap_or("");
            let target = parts.next().unwrap_or("/");
            let (status, content_type, body) = Self::respond(root, target);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                 Cache-Control: no-store\r\n{}\r\n",
                body.len(),
                if close { "Connection: close\r\n" } else { "" }
            );
            // One write per response: a separate small write for the head would meet Nagle's
            // algorithm and the client's delayed ACK (tens of milliseconds per response).
            let mut response = head.into_bytes();
            if method != "HEAD" {
                response.extend_from_slice(&body);
            }
            writer.write_all(&response)?;
            if close {
                return Ok(());
            }
        }
    }

    /// Status line, content type and body for a request target.
    fn respond(root: &Path, url: &str) -> (&'static str, &'static str, Vec<u8>) {
        let path = url.split(['?', '#']).next().unwrap_or("/");
        if path == BLANK_PAGE {
            return (
                "200 OK",
                "text/html; charset=utf-8",
                b"<!doctype html><title>blank</title>".to_vec(),
            );
        }
        let rel = path.trim_start_matches('/');
        let rel = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        let rel = Path::new(&rel);
        let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
        let file = root.join(rel);
        match fs::read(&file) {
            Ok(bytes) if safe => ("200 OK", content_type(&file), bytes),
            _ => (
                "404 Not Found",
                "text/plain; charset=utf-8",
                format!("not found: {path}").into_bytes(),
            ),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes the listening socket and cuts every open connection.
    fn stop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            // Wake the accept loop so that it sees the flag and drops the listener.
            let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
            let _ = t.join();
        }
        for (_, conn) in self
            .conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
        {
            let _ = conn.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// chromedriver + Chromium

struct Driver {
    child: Child,
    port: u16,
    profile: Option<tempfile::TempDir>,
    /// Where Chromium saves downloads (inside the profile's temp dir).
    downloads: PathBuf,
    log: PathBuf,
    session: Mutex<Option<String>>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("pick a free port")
        .port()
}

impl Driver {
    fn spawn() -> Driver {
        let profile = tempfile::Builder::new()
            .prefix("r2p-e2e-")
            .tempdir()
            .expect("temp dir");
        let log = profile.path().join("chromedriver.log");
        let downloads = profile.path().join("downloads");
        fs::create_dir(&downloads).expect("downloads dir");
        let port = free_port();
        let out = fs::File::create(&log).expect("chromedriver log file");
        let err = out.try_clone().expect("chromedriver log file");
        let mut cmd = Command::new(CHROMEDRIVER);
        cmd.arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        // Its own process group, so that Chromium and its helpers can be ended with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        Driver {
            child,
            port,
            profile: Some(profile),
            downloads,
            log,
            session: Mutex::new(None),
        }
    }

    fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    async fn connect(&self, screen: Screen) -> Client {
        let deadline = Instant::now() + Duration::from_secs(10);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {} within 10 s; its log:\n{}",
                self.port,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = self.profile.as_ref().expect("profile dir").path();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.join("chromium").display()),
                ],
                // Downloads land in a known directory, without a prompt.
                "prefs": {
                    "download.default_directory": self.downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            },
        });
        let mut caps = caps;
        if let Some(emulation) = screen.emulation() {
            caps["goog:chromeOptions"]["mobileEmulation"] = emulation;
        }
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{}", self.port);
        let client = tokio::time::timeout(
            Duration::from_secs(30),
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&url),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "no WebDriver session within 30 s; chromedriver log:\n{}",
                self.log_tail()
            )
        })
        .unwrap_or_else(|e| {
            panic!(
                "cannot open a WebDriver session: {e}; chromedriver log:\n{}",
                self.log_tail()
            )
        });
        if let Ok(Some(id)) = client.session_id().await {
            *self.session.lock().unwrap_or_else(PoisonError::into_inner) = Some(id);
        }
        client
    }

    fn session_closed(&self) {
        self.session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    /// Best effort `DELETE /session/<id>` with plain blocking I/O (no runtime needed in Drop).
    fn delete_session(&self, id: &str) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
            return;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
        let req = format!(
            "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        if s.write_all(req.as_bytes()).is_ok() {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let session = self
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(id) = session {
            self.delete_session(&id);
        }
        // End chromedriver's process group (chromedriver, and Chromium if it is still there).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Chromium may take a moment to let go of its profile; TempDir removal is best effort.
        if let Some(dir) = self.profile.take() {
            let path = dir.path().to_path_buf();
            if dir.close().is_err() {
                std::thread::sleep(Duration::from_millis(300));
                let _ = fs::remove_dir_all(path);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The page under test

/// A handle on the browser session with helpers that speak the app's DOM contract.
#[derive(Clone)]
pub struct App {
    /// The WebDriver client.
    pub client: Client,
    base: String,
    name: &'static str,
    /// The static server, until a test stops it ([`App::stop_server`]).
    server: Arc<Mutex<Option<StaticServer>>>,
    downloads: PathBuf,
}

/// JavaScript defining `covers(mark)`: the ids of the annotations in the list "Annotations" whose
/// span (`data-start`/`data-end`) holds the mark's run (`data-s`/`data-e`).
const MARK_COVERS: &str = "const listed = [...document.querySelectorAll('[aria-label=\"Annotations\"] [data-annotation-id][data-start]')]\
     .map(li => [li.getAttribute('data-annotation-id'), +li.getAttribute('data-start'), +li.getAttribute('data-end')]);\
     const covers = m => { const s = +m.getAttribute('data-s'), e = +m.getAttribute('data-e');\
     return listed.filter(([, a, b]) => a <= s && e <= b).map(([id]) => id); };";

/// Installed before helper scripts: maps code-point offsets of the article's text to DOM points.
const JS_LOCATE: &str = r#"
const article = document.querySelector('article[aria-label="Document"]');
function locate(offset) {
  if (!article) throw new Error('no <article aria-label="Document">');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let acc = 0, node;
  while ((node = walker.nextNode())) {
    const cps = [...node.data];
    if (offset < acc + cps.length) {
      const pre = cps.slice(0, offset - acc).join('').length;
      return { node, from: pre, to: pre + cps[offset - acc].length };
    }
    acc += cps.length;
  }
  throw new Error('offset ' + offset + ' is past the end of the article text (' + acc + ')');
}
function charRect(offset) {
  const p = locate(offset);
  const r = document.createRange();
  r.setStart(p.node, p.from);
  r.setEnd(p.node, p.to);
  const rects = [...r.getClientRects()].filter(x => x.width > 0 && x.height > 0);
  if (!rects.length) throw new Error('character at ' + offset + ' has no box');
  return rects[0];
}
function reveal(offset) {
  const p = locate(offset);
  p.node.parentElement.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
}
function inViewport(x, y) { return x >= 0 && y >= 0 && x < innerWidth && y < innerHeight; }
"#;

impl App {
    /// Runs a script (the body of a function; `arguments` holds `args`) and returns its value.
    /// Waits until a polite `role=status` region says exactly `want`.
    pub async fn wait_status(&self, want: &str) {
        self.wait_js(
            &format!("a role=status saying {want:?}"),
            "return [...document.querySelectorAll('[role=\"status\"]')]\
             .some(e => e.textContent.replace(/\\s+/g, ' ').trim() === arguments[0]);",
            vec![serde_json::json!(want)],
        )
        .await;
    }

    /// Waits for a displayed `role=alert` whose message (its buttons left out) starts with
    /// `start` (any message when empty), and returns that message.
    pub async fn wait_alert(&self, start: &str) -> String {
        self.wait_js(
            &format!("a displayed role=alert starting {start:?}"),
            "return [...document.querySelectorAll('[role=\"alert\"]')]\
             .filter(a => a.getClientRects().length)\
             .map(a => { const c = a.cloneNode(true); c.querySelectorAll('button').forEach(b => b.remove());\
                         return c.textContent.replace(/\\s+/g, ' ').trim(); })\
             .find(t => t && t.startsWith(arguments[0])) || null;",
            vec![serde_json::json!(start)],
        )
        .await
        .as_str()
        .expect("alert text")
        .to_string()
    }

    /// The text of all `<mark>`s inside the span of annotation `id` (as the list's item gives it
    /// by `data-start`/`data-end`), in document order.
    pub async fn marked_text(&self, id: &str) -> String {
        self.js(
            &format!(
                "{MARK_COVERS} return [...document.querySelectorAll('article[aria-label=\"Document\"] mark')]\
                 .filter(m => covers(m).includes(arguments[0])).map(m => m.textContent).join('');"
            ),
            vec![serde_json::json!(id)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n--- script ---\n{script}"))
    }

    /// Polls `script` (a function body) until it returns something truthy; returns that value.
    pub async fn wait_js(&self, what: &str, script: &str, args: Vec<Value>) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let last = match self.client.execute(script, args.clone()).await {
                Ok(v) if truthy(&v) => return v,
                Ok(v) => v,
                Err(e) => Value::String(format!("script error: {e}")),
            };
            if Instant::now() > deadline {
                self.screenshot("timeout").await;
                panic!("timed out after {WAIT:?} waiting for {what} (last value: {last})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls an async check until it yields `Some`; `describe` explains the last failure.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            let last = match check().await {
                Ok(v) => return v,
                Err(why) => why,
            };
            if Instant::now() > deadline {
                self.screenshot("timeout").await;
                panic!("timed out after {WAIT:?} waiting for {what}: {last}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The absolute URL of `path` on the test server (e.g. `/`, [`BLANK_PAGE`]).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Takes the static server down for the rest of the test: its port refuses connections
    /// (checked here with a fresh one) and the connections the browser keeps open are cut.
    pub fn stop_server(&self) {
        let server = self
            .server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .expect("the static server was already stopped");
        let addr = server.addr;
        drop(server);
        assert!(
            TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err(),
            "{addr} still accepts connections after the server was stopped"
        );
    }

    /// Waits until the browser has finished downloading a file called `name` (no `.crdownload`
    /// left in this session's download directory) and returns its bytes.
    pub async fn wait_download(&self, name: &str) -> Vec<u8> {
        let dir = self.downloads.clone();
        self.wait_for(&format!("the download of {name}"), || async {
            let entries: Vec<String> = fs::read_dir(&dir)
                .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect();
            let busy = entries.iter().any(|e| e.ends_with(".crdownload"));
            if !busy && entries.iter().any(|e| e == name) {
                fs::read(dir.join(name)).map_err(|e| format!("cannot read it: {e}"))
            } else {
                Err(format!("the download directory holds {entries:?}"))
            }
        })
        .await
    }

    /// Opens `path` on the test server.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Opens the app and waits until the article holds the whole canonical text.
    pub async fn open_app(&self) {
        self.goto("/").await;
        self.wait_until_rendered().await;
    }

    /// Waits until the article's `textContent` equals the canonical text.
    pub async fn wait_until_rendered(&self) {
        let want = canonical_text();
        let got = self
            .wait_for("the article to render the canonical text", || async {
                let v = self
                    .client
                    .execute(
                        "const a = document.querySelector('article[aria-label=\"Document\"]');\
                         return a ? a.textContent : null;",
                        vec![],
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                match v {
                    Value::String(s) if s.chars().count() >= want.chars().count() => Ok(s),
                    Value::String(s) => {
                        Err(format!("textContent has {} code points", s.chars().count()))
                    }
                    _ => Err("no <article aria-label=\"Document\"> yet".into()),
                }
            })
            .await;
        if got != want {
            let at = got
                .chars()
                .zip(want.chars())
                .position(|(a, b)| a != b)
                .unwrap_or(want.chars().count().min(got.chars().count()));
            panic!(
                "article textContent differs from the canonical text at code point {at}: \
                 page has {:?}, canonical has {:?}",
                got.chars()
                    .skip(at.saturating_sub(20))
                    .take(60)
                    .collect::<String>(),
                want.chars()
                    .skip(at.saturating_sub(20))
                    .take(60)
                    .collect::<String>()
            );
        }
    }

    /// Reloads the page and waits for the app to render again.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
        self.wait_until_rendered().await;
    }

    /// All localStorage entries of the current origin.
    pub async fn local_storage(&self) -> HashMap<String, String> {
        let v = self
            .js(
                "const o = {}; for (let i = 0; i < localStorage.length; i++) { \
                 const k = localStorage.key(i); o[k] = localStorage.getItem(k); } return o;",
                vec![],
            )
            .await;
        serde_json::from_value(v).expect("localStorage as a string map")
    }

    /// Writes one localStorage entry of the current origin.
    pub async fn set_local_storage(&self, key: &str, value: &str) {
        self.js(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![json!(key), json!(value)],
        )
        .await;
    }

    /// The raw value under the default document's key, if any.
    pub async fn stored_raw(&self) -> Option<String> {
        self.local_storage().await.remove(&storage_key())
    }

    /// The stored annotations (empty if nothing or something unreadable is stored).
    pub async fn stored_annotations(&self) -> Vec<Value> {
        self.stored_raw()
            .await
            .and_then(|raw| serde_json::from_str::<Value>(&raw).ok())
            .and_then(|v| v.get("annotations").and_then(Value::as_array).cloned())
            .unwrap_or_default()
    }

    /// Waits until storage holds exactly `n` annotations and returns them.
    pub async fn wait_stored_count(&self, n: usize) -> Vec<Value> {
        self.wait_for(&format!("{n} stored annotation(s)"), || async {
            let list = self.stored_annotations().await;
            if list.len() == n {
                Ok(list)
            } else {
                Err(format!(
                    "storage has {} annotation(s); keys: {:?}",
                    list.len(),
                    self.local_storage().await.keys().collect::<Vec<_>>()
                ))
            }
        })
        .await
    }

    /// Waits until an annotation with an id not in `known` is stored, and returns it.
    pub async fn wait_new_annotation(&self, known: &[String]) -> Value {
        self.wait_for("a new annotation in localStorage", || async {
            let list = self.stored_annotations().await;
            let ids: Vec<&str> = list.iter().filter_map(|a| a["id"].as_str()).collect();
            let fresh = ids.iter().position(|id| !known.iter().any(|k| k == id));
            match fresh {
                Some(i) => Ok(list[i].clone()),
                None => Err(format!("stored ids are {ids:?}, known before: {known:?}")),
            }
        })
        .await
    }

    /// Ids of the stored annotations, in stored order.
    pub async fn stored_ids(&self) -> Vec<String> {
        self.stored_annotations()
            .await
            .iter()
            .filter_map(|a| a.get("id").and_then(Value::as_str).map(String::from))
            .collect()
    }

    /// For every `<mark>` in the article, the ids of the listed annotations covering it.
    pub async fn marks(&self) -> Vec<Vec<String>> {
        let v = self
            .js(
                &format!(
                    "{MARK_COVERS} return [...document.querySelectorAll('article[aria-label=\"Document\"] mark')]\
                     .map(m => covers(m).join(' '));"
                ),
                vec![],
            )
            .await;
        v.as_array()
            .expect("array")
            .iter()
            .map(|s| {
                s.as_str()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(String::from)
                    .collect()
            })
            .collect()
    }

    /// Waits until some `<mark>` is covered by every annotation in `ids`.
    pub async fn wait_mark_with(&self, ids: &[&str]) {
        self.wait_for(&format!("a <mark> covered by {ids:?}"), || async {
            let marks = self.marks().await;
            if marks
                .iter()
                .any(|m| ids.iter().all(|id| m.iter().any(|x| x == id)))
            {
                Ok(())
            } else {
                Err(format!("marks: {marks:?}"))
            }
        })
        .await
    }

    /// Waits until no `<mark>` mentions `id`.
    pub async fn wait_no_mark_with(&self, id: &str) {
        self.wait_for(&format!("no <mark> to mention {id}"), || async {
            let marks = self.marks().await;
            if marks.iter().any(|m| m.iter().any(|x| x == id)) {
                Err(format!("marks: {marks:?}"))
            } else {
                Ok(())
            }
        })
        .await
    }

    /// The side panel's `data-annotation-id`s in order, and which one has `aria-current="true"`.
    pub async fn panel(&self) -> (Vec<String>, Option<String>) {
        let v = self
            .js(
                "const ul = document.querySelector('ul[role=\"list\"][aria-label=\"Annotations\"]');\
                 if (!ul) return null;\
                 const lis = [...ul.querySelectorAll('li[data-annotation-id]')];\
                 const cur = lis.find(li => li.getAttribute('aria-current') === 'true');\
                 return [lis.map(li => li.getAttribute('data-annotation-id')),\
                         cur ? cur.getAttribute('data-annotation-id') : null];",
                vec![],
            )
            .await;
        assert!(
            !v.is_null(),
            "no <ul role=\"list\" aria-label=\"Annotations\"> in the page"
        );
        let ids = v[0]
            .as_array()
            .expect("ids")
            .iter()
            .map(|s| s.as_str().unwrap_or("").to_string())
            .collect();
        (ids, v[1].as_str().map(String::from))
    }

    /// Waits until the side panel lists exactly `ids` (in this order).
    pub async fn wait_panel_ids(&self, ids: &[&str]) {
        self.wait_for(&format!("the side panel to list {ids:?}"), || async {
            let (got, _) = self.panel().await;
            if got == ids {
                Ok(())
            } else {
                Err(format!("it lists {got:?}"))
            }
        })
        .await
    }

    /// Waits until the li of `id` is the one with `aria-current="true"`.
    pub async fn wait_current(&self, id: &str) {
        self.wait_for(
            &format!("li[data-annotation-id={id}] to have aria-current=true"),
            || async {
                match self.panel().await {
                    (_, Some(cur)) if cur == id => Ok(()),
                    (_, cur) => Err(format!("aria-current is on {cur:?}")),
                }
            },
        )
        .await
    }

    /// Scrolls the page until the character at `offset` stands `fraction` of the way down the
    /// view, and returns the view point of its middle.
    pub async fn char_at_height(&self, offset: usize, fraction: f64) -> (f64, f64) {
        let v = self
            .js(
                &format!(
                    "{JS_LOCATE}\nlet r = charRect(arguments[0]);\
                     scrollBy(0, r.top + r.height / 2 - innerHeight * arguments[1]);\
                     r = charRect(arguments[0]);\
                     return [r.left + r.width / 2, r.top + r.height / 2];"
                ),
                vec![json!(offset), json!(fraction)],
            )
            .await;
        (v[0].as_f64().expect("x"), v[1].as_f64().expect("y"))
    }

    /// A long press of a finger at a view point, held one second. Chromium's synthetic gesture
    /// (WebDriver's touch actions become a tap, with a click, however long they are held): like a
    /// phone's long press it sends touchstart and touchend and no mouse event or click.
    pub async fn long_press(&self, x: f64, y: f64) {
        self.cdp(
            "Input.synthesizeTapGesture",
            json!({ "x": x, "y": y, "duration": 1000, "tapCount": 1, "gestureSourceType": "touch" }),
        )
        .await;
    }

    /// A tap of a finger at the middle of `el` (which must be in view): touch events, then the
    /// compatibility mouse events and the click.
    pub async fn tap(&self, el: &Element) {
        let finger = TouchActions::new("finger".into())
            .then(PointerAction::MoveToElement {
                element: el.clone(),
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client.perform_actions(finger).await.expect("tap");
        self.client.release_actions().await.expect("release");
    }

    /// Moves the document's selection to `[start, end)` as a phone's selection handles do: the
    /// selection changes, and no mouse or key event is sent.
    pub async fn drag_handles_to(&self, start: usize, end: usize) {
        self.js(
            &format!(
                "{JS_LOCATE}\nconst a = locate(arguments[0]), b = locate(arguments[1] - 1);\
                 getSelection().setBaseAndExtent(a.node, a.from, b.node, b.to);"
            ),
            vec![json!(start), json!(end)],
        )
        .await;
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver (e.g. to emulate forced
    /// colours) and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp(json!({ "cmd": cmd, "params": params })))
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
    }

    /// Runs axe-core's WCAG 2.0–2.2 level A and AA rules on the page as it is now and fails,
    /// listing them, on any violation. `view` names the state of the page in the message.
    pub async fn check_axe(&self, view: &str) {
        let script = format!(
            "{}\n;return axe.run(document, {{ runOnly: {{ type: 'tag', values: {AXE_TAGS} }},\
                                              resultTypes: ['violations'] }})\
               .then(r => r.violations.map(v => ({{ rule: v.id, impact: v.impact, help: v.help,\
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary) }})));",
            axe_source()
        );
        let found = self.js(&script, vec![]).await;
        let found = found.as_array().expect("axe's violations");
        assert!(
            found.is_empty(),
            "axe-core finds {} WCAG A/AA violation(s) on {view}:\n{}",
            found.len(),
            serde_json::to_string_pretty(found).unwrap_or_default()
        );
        eprintln!("[e2e] axe-core: no WCAG A/AA violation on {view}");
    }

    /// The viewport point of the middle of the character at code-point `offset` (scrolled into view).
    pub async fn char_center(&self, offset: usize) -> (f64, f64) {
        let v = self
            .js(
                &format!(
                    "{JS_LOCATE}\nreveal(arguments[0]); const r = charRect(arguments[0]);\
                     return [r.left + r.width / 2, r.top + r.height / 2];"
                ),
                vec![json!(offset)],
            )
            .await;
        (v[0].as_f64().expect("x"), v[1].as_f64().expect("y"))
    }

    /// Viewport points for a drag that selects `[start, end)`: inside the left part of the first
    /// character and inside the right part of the last one (the view is scrolled to the start).
    pub async fn drag_points(&self, start: usize, end: usize) -> ((f64, f64), (f64, f64)) {
        assert!(start < end, "empty range {start}..{end}");
        let v = self
            .js(
                &format!(
                    "{JS_LOCATE}\nreveal(arguments[0]);\
                     const a = charRect(arguments[0]), b = charRect(arguments[1] - 1);\
                     const p = [a.left + a.width * 0.25, a.top + a.height / 2,\
                                b.right - b.width * 0.25, b.top + b.height / 2];\
                     if (!inViewport(p[0], p[1]) || !inViewport(p[2], p[3]))\
                       throw new Error('drag points out of the viewport: ' + p);\
                     return p;"
                ),
                vec![json!(start), json!(end)],
            )
            .await;
        let f = |i: usize| v[i].as_f64().expect("coordinate");
        ((f(0), f(1)), (f(2), f(3)))
    }

    /// A real mouse drag (pointer down, moves, up) over the text `[start, end)`. Returns the
    /// text the browser had selected when the button went up (seen before any app handler).
    pub async fn drag_select(&self, start: usize, end: usize) -> String {
        let ((x0, y0), (x1, y1)) = self.drag_points(start, end).await;
        self.js(
            "window.__e2eSelection = null;\
             window.addEventListener('mouseup', () => { window.__e2eSelection = String(getSelection()); },\
                                     { capture: true, once: true });",
            vec![],
        )
        .await;
        let step = Some(Duration::from_millis(60));
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x0.round(),
                y: y0.round(),
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveTo {
                duration: step,
                x: ((x0 + x1) / 2.0).round(),
                y: ((y0 + y1) / 2.0).round(),
            })
            .then(PointerAction::MoveTo {
                duration: step,
                x: x1.round(),
                y: y1.round(),
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(mouse)
            .await
            .expect("mouse drag");
        let seen = self.js("return window.__e2eSelection;", vec![]).await;
        seen.as_str()
            .unwrap_or_else(|| panic!("the drag's mouseup did not reach the page (got {seen})"))
            .to_string()
    }

    /// A real mouse click at the middle of the character at `offset`.
    pub async fn click_char(&self, offset: usize) {
        let (x, y) = self.char_center(offset).await;
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x.round(),
                y: y.round(),
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(mouse)
            .await
            .expect("mouse click");
    }

    /// Presses keys one after the other on the focused element (each: down, then up).
    pub async fn press(&self, keys: &[char]) {
        let mut k = KeyActions::new("keyboard".into());
        for &c in keys {
            k = k
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(k).await.expect("key presses");
    }

    /// Presses `keys` one after the other while holding `modifiers` (e.g. Control + Shift, z).
    pub async fn press_with(&self, modifiers: &[Key], keys: &[char]) {
        let mut k = KeyActions::new("keyboard".into());
        for &m in modifiers {
            k = k.then(KeyAction::Down { value: m.into() });
        }
        for &c in keys {
            k = k
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        for &m in modifiers.iter().rev() {
            k = k.then(KeyAction::Up { value: m.into() });
        }
        self.client.perform_actions(k).await.expect("key presses");
    }

    /// The tag picker, once it is displayed.
    pub async fn wait_picker(&self) -> Element {
        self.wait_for(
            "the tag picker (role=dialog, aria-label=\"Tag selection\")",
            || async {
                let el = self
                    .client
                    .find(Locator::Css(
                        "[role=\"dialog\"][aria-label=\"Tag selection\"]",
                    ))
                    .await
                    .map_err(|_| "not in the DOM".to_string())?;
                if el.is_displayed().await.unwrap_or(false) {
                    Ok(el)
                } else {
                    Err("in the DOM but not displayed".into())
                }
            },
        )
        .await
    }

    /// Waits until the tag picker is gone (absent or hidden).
    pub async fn wait_picker_closed(&self) {
        self.wait_for("the tag picker to close", || async {
            match self
                .client
                .find(Locator::Css(
                    "[role=\"dialog\"][aria-label=\"Tag selection\"]",
                ))
                .await
            {
                Err(_) => Ok(()),
                Ok(el) if !el.is_displayed().await.unwrap_or(false) => Ok(()),
                Ok(_) => Err("still displayed".into()),
            }
        })
        .await
    }

    /// Clicks the picker's button with this aria-label (e.g. "Pillar II").
    pub async fn click_picker_tag(&self, label: &str) {
        let picker = self.wait_picker().await;
        let button = picker
            .find(Locator::Css(&format!("button[aria-label=\"{label}\"]")))
            .await
            .unwrap_or_else(|_| panic!("the tag picker has no button[aria-label=\"{label}\"]"));
        button
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {label}: {e}"));
    }

    /// Waits until the picker's button `label` has `aria-pressed` = `pressed`.
    pub async fn wait_pressed(&self, label: &str, pressed: bool) {
        let want = if pressed { "true" } else { "false" };
        self.wait_for(
            &format!("the picker's {label:?} button to have aria-pressed=\"{want}\""),
            || async {
                let picker = self.wait_picker().await;
                let button = picker
                    .find(Locator::Css(&format!("button[aria-label=\"{label}\"]")))
                    .await
                    .map_err(|_| format!("no button[aria-label={label:?}] in the picker"))?;
                let got = button
                    .attr("aria-pressed")
                    .await
                    .map_err(|e| e.to_string())?;
                if got.as_deref() == Some(want) {
                    Ok(())
                } else {
                    Err(format!("aria-pressed is {got:?}"))
                }
            },
        )
        .await
    }

    /// Waits until the stored annotation `id` has exactly these tags (in any order).
    pub async fn wait_stored_tags(&self, id: &str, tags: &[&str]) {
        let mut want: Vec<&str> = tags.to_vec();
        want.sort_unstable();
        self.wait_for(&format!("{id} to be stored with tags {want:?}"), || async {
            let list = self.stored_annotations().await;
            let ann = list
                .iter()
                .find(|a| a["id"] == id)
                .ok_or_else(|| format!("{id} is not stored"))?;
            let mut got: Vec<&str> = ann["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            got.sort_unstable();
            if got == want {
                Ok(())
            } else {
                Err(format!("stored tags are {got:?}"))
            }
        })
        .await
    }

    /// Drags over `[start, end)`, clicks `label` in the picker, and returns the new stored
    /// annotation (after checking that a `<mark>` lists it).
    pub async fn annotate_by_drag(&self, start: usize, end: usize, label: &str) -> Value {
        let known = self.stored_ids().await;
        let selected = self.drag_select(start, end).await;
        assert_eq!(selected, slice(start, end), "what the drag selected");
        self.click_picker_tag(label).await;
        let ann = self.wait_new_annotation(&known).await;
        let id = ann["id"].as_str().expect("id").to_string();
        self.wait_mark_with(&[&id]).await;
        ann
    }

    /// Closes the picker with Escape (sent to whatever has focus).
    pub async fn escape(&self) {
        self.press(&[Key::Escape.into()]).await;
        self.wait_picker_closed().await;
    }

    /// A button by accessible name (its aria-label or its text).
    pub async fn button(&self, name: &str) -> Element {
        let xpath = format!(
            "//button[@aria-label='{name}' or (not(@aria-label) and normalize-space(.)='{name}')]"
        );
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|_| panic!("no button named {name:?}"))
    }

    /// Saves a PNG into `$R2P_SCREENSHOTS/<test>-<label>.png` when that variable is set.
    pub async fn screenshot(&self, label: &str) {
        let Some(dir) = std::env::var_os("R2P_SCREENSHOTS") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let _ = fs::create_dir_all(&dir);
        match self.client.screenshot().await {
            Ok(png) => {
                let path = dir.join(format!("{}-{label}.png", self.name));
                if let Err(e) = fs::write(&path, png) {
                    eprintln!("[e2e] cannot write {}: {e}", path.display());
                }
            }
            Err(e) => eprintln!("[e2e] screenshot failed: {e}"),
        }
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Documents menu and Import JSON, shared by the crates that switch documents or import files.

/// Opens the Documents dialog (if it is not open) and checks its button's aria-expanded.
pub async fn open_documents(app: &App) {
    let button = app.button("Documents").await;
    let expanded = button.attr("aria-expanded").await.expect("aria-expanded");
    if expanded.as_deref() != Some("true") {
        assert_eq!(
            expanded.as_deref(),
            Some("false"),
            "the Documents button's aria-expanded while closed"
        );
        button.click().await.expect("click Documents");
    }
    app.wait_js(
        "a displayed role=dialog named Documents and aria-expanded=true",
        "const d = document.querySelector('[role=\"dialog\"][aria-label=\"Documents\"]');\
         const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Documents');\
         return !!(d && d.getClientRects().length && b && b.getAttribute('aria-expanded') === 'true');",
        vec![],
    )
    .await;
}

/// Clicks the listed document (or the summary) called `title` in the Documents dialog.
pub async fn open_listed(app: &App, title: &str) {
    open_documents(app).await;
    app.client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog'][@aria-label='Documents']//li[contains(@class,'doc')]\
             //button[contains(@class,'open')][normalize-space(.)=\"{title}\"]"
        )))
        .await
        .unwrap_or_else(|_| panic!("the Documents dialog lists no {title:?}"))
        .click()
        .await
        .expect("click the document");
}

/// Adds a plain-text document through Documents → Paste text and waits until the article shows
/// `text` with its trailing newlines left out (the app opens what was pasted).
pub async fn paste_document(app: &App, text: &str) {
    open_documents(app).await;
    app.button("Paste text")
        .await
        .click()
        .await
        .expect("click Paste text");
    app.client
        .wait()
        .for_element(Locator::Css("textarea[aria-label=\"Document text\"]"))
        .await
        .expect("<textarea aria-label=\"Document text\">")
        .send_keys(text)
        .await
        .expect("type the text");
    app.button("Open pasted text")
        .await
        .click()
        .await
        .expect("submit");
    app.wait_js(
        "the article to show the pasted text",
        "const a = document.querySelector('article[aria-label=\"Document\"]');\
         return !!a && a.textContent === arguments[0];",
        vec![json!(text.trim_end_matches('\n'))],
    )
    .await;
}

/// Picks `path` in the toolbar's Import JSON file input.
pub async fn import_file(app: &App, path: &Path) {
    let input = app
        .client
        .find(Locator::Css(
            "input[type=\"file\"][aria-label=\"Import JSON\"]",
        ))
        .await
        .expect("an <input type=file aria-label=\"Import JSON\"> in the page");
    input
        .send_keys(path.to_str().expect("UTF-8 path"))
        .await
        .unwrap_or_else(|e| panic!("cannot pick {}: {e}", path.display()));
}

/// The import dialog headed "Import from <name>", once displayed: its text, its list items and
/// its buttons (label, enabled).
pub async fn wait_dialog(app: &App, name: &str) -> Value {
    app.wait_js(
        &format!("a displayed role=dialog headed \"Import from {name}\""),
        "const norm = s => s.replace(/\\s+/g, ' ').trim();\
         const d = [...document.querySelectorAll('[role=\"dialog\"]')].find(e => {\
           const h = e.querySelector('h2'); return h && norm(h.textContent) === arguments[0]; });\
         if (!d || !d.getClientRects().length) return null;\
         return { text: norm(d.textContent),\
                  items: [...d.querySelectorAll('li')].map(li => norm(li.textContent)),\
                  buttons: [...d.querySelectorAll('button')].map(b => [norm(b.textContent), !b.disabled]) };",
        vec![json!(format!("Import from {name}"))],
    )
    .await
}

/// Drops a file called `name` holding `contents` on the article, as a drag from the desktop
/// would; true when the app took it (prevented the browser's default).
pub async fn drop_file(app: &App, name: &str, mime: &str, contents: &str) -> bool {
    app.js(
        "const dt = new DataTransfer();\
         dt.items.add(new File([arguments[0]], arguments[1], { type: arguments[2] }));\
         const ev = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt });\
         document.querySelector('article[aria-label=\"Document\"]').dispatchEvent(ev);\
         return ev.defaultPrevented;",
        vec![json!(contents), json!(name), json!(mime)],
    )
    .await
        == json!(true)
}
