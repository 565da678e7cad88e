//! A Prism mock server (`@stoplight/prism-cli`, pinned in `package-lock.json`) serving one
//! spec on a free loopback port, killed when its guard is dropped (also when a test panics).

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::root;

const INSTALL: &str = "install Node.js 20 (>= 20.19, see package.json `engines`) and run \
                       `npm ci` in the repository root; it installs Prism as pinned in \
                       package-lock.json (bash scripts/test.sh does this when node_modules \
                       is missing)";

/// Fails, saying what to install, unless Node.js and the pinned Prism are installed.
pub fn require_prism() {
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "`node --version` failed ({}): {INSTALL}",
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(err) => panic!("Node.js is not installed (`node`: {err}): {INSTALL}"),
    }
    let bin = root().join("node_modules/.bin/prism");
    assert!(bin.exists(), "{} is missing: {INSTALL}", bin.display());
    let pinned = read_json("package.json")["devDependencies"]["@stoplight/prism-cli"].clone();
    let installed = read_json("node_modules/@stoplight/prism-cli/package.json")["version"].clone();
    assert_eq!(
        installed, pinned,
        "installed Prism {installed} is not the pinned {pinned}: run `npm ci`"
    );
}

fn read_json(relative: &str) -> Value {
    let path = root().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}: {INSTALL}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A running `prism mock`; dropping it kills and reaps the process.
pub struct Prism {
    spec: String,
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts `prism mock specs/<spec_file>` on a free loopback port; does not wait.
    pub fn spawn(spec_file: &str) -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let mut child = Command::new(root().join("node_modules/.bin/prism"))
            .current_dir(root())
            .args(["mock", &format!("specs/{spec_file}")])
            .args(["--port", &port.to_string(), "-h", "127.0.0.1"])
            // The defaults, spelled out: answer with the spec's examples (not generated
            // data), report request violations in `sl-violations` instead of replacing the
            // documented response, one process (so the guard's kill stops it all).
            .args(["--dynamic=false", "--errors=false", "--multiprocess=false"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start Prism: {err}: {INSTALL}"));
        let log = Arc::new(Mutex::new(String::new()));
        // Prism logs every request; drain both pipes so it never blocks on a full pipe.
        drain(child.stdout.take().expect("piped stdout"), log.clone());
        drain(child.stderr.take().expect("piped stderr"), log.clone());
        Prism {
            spec: spec_file.to_owned(),
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            log,
        }
    }

    /// Starts Prism and waits until it answers HTTP; retries on another port if it exits
    /// early (the port was taken between choosing and binding it).
    pub async fn start(spec_file: &str) -> Prism {
        let mut last = String::new();
        for _ in 0..3 {
            let mut prism = Prism::spawn(spec_file);
            match prism.wait_ready(Duration::from_secs(45)).await {
                Ok(()) => return prism,
                Err(why) => last = why,
            }
        }
        panic!("{last}")
    }

    async fn wait_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let started = Instant::now();
        let http = alexa_apis::runtime::reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("HTTP client");
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism for {} exited with {status} before answering:\n{}",
                    self.spec,
                    self.log()
                ));
            }
            // Only this Prism's own word that it listens counts: when another test's server
            // took the port between choosing and binding it, that server answers too, and
            // this one exits (`start` then retries on another port).
            let listening = format!("Prism is listening on {}", self.base_url());
            if self.log().contains(&listening)
                && TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok()
            {
                // Any HTTP answer (Prism says 404 for `/`) means the spec is loaded.
                if http.get(self.base_url()).send().await.is_ok() {
                    return Ok(());
                }
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "Prism for {} did not answer within {timeout:?}:\n{}",
                    self.spec,
                    self.log()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything Prism printed so far (its request log and validation messages).
    pub fn log(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The last `lines` lines Prism printed.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(pipe: impl Read + Send + 'static, log: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            log.push_str(&line);
            log.push('\n');
        }
    });
}
