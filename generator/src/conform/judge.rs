//! The judge: Prism (`@stoplight/prism-cli`, pinned in the project's `package-lock.json`)
//! serving a spec on a free loopback port; where Prism cannot start within the bounded
//! start-up time (Stripe's circular schemas), the second judge: `scripts/judge.cjs`, a small
//! mock on openapi-backend (also pinned), whose validation is openapi-backend's and Ajv's,
//! not ours. Either is stopped whatever happens: the guard kills and reaps the process when
//! dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How the judge answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// With the spec's examples.
    Static,
    /// With schema-random bodies from a fixed seed.
    Dynamic,
}

impl Mode {
    /// The name used in the report.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

/// Which judge serves a spec.
#[derive(Clone, Debug)]
pub enum Judge {
    /// `prism mock`, at this executable.
    Prism(PathBuf),
    /// `node scripts/judge.cjs`, at this script.
    OpenapiBackend(PathBuf),
}

impl Judge {
    /// The name the report gives it.
    pub fn label(&self) -> &'static str {
        match self {
            Judge::Prism(_) => "prism",
            Judge::OpenapiBackend(_) => "openapi-backend",
        }
    }

    fn command(&self, spec: &Path, port: u16, mode: Mode) -> Command {
        let port = port.to_string();
        match self {
            Judge::Prism(prism) => {
                let mut command = Command::new(prism);
                command
                    .arg("mock")
                    .arg(spec)
                    .args(["--port", &port, "-h", "127.0.0.1"])
                    // Violations go into `sl-violations` rather than replacing the response,
                    // and one process, so that killing it stops everything.
                    .args(["--errors=false", "--multiprocess=false"]);
                match mode {
                    Mode::Static => command.arg("--dynamic=false"),
                    Mode::Dynamic => command.args(["--dynamic=true", "--seed", "oapigen"]),
                };
                command
            }
            Judge::OpenapiBackend(script) => {
                let mut command = Command::new("node");
                command
                    .arg(script)
                    .arg(spec)
                    .args(["--port", &port, "--host", "127.0.0.1"]);
                if mode == Mode::Dynamic {
                    command.args(["--dynamic", "--seed", "oapigen"]);
                }
                command
            }
        }
    }
}

/// The second judge beside a `prism` executable: `scripts/judge.cjs` of the project whose
/// `node_modules/.bin` holds it.
pub fn second_judge(prism: &Path) -> Option<PathBuf> {
    let root = prism.parent()?.parent()?.parent()?;
    Some(root.join("scripts/judge.cjs")).filter(|script| script.is_file())
}

/// A running judge.
pub struct Prism {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
    /// The threads reading its output, which end when it has all been read.
    drains: Vec<JoinHandle<()>>,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    /// Starts `judge` serving `spec` and waits until it answers HTTP, at most `startup`.
    pub fn start(
        judge: &Judge,
        spec: &Path,
        mode: Mode,
        startup: Duration,
    ) -> Result<Prism, String> {
        let mut last = String::new();
        // A port taken between choosing and binding it makes the judge exit: try another.
        // A judge that is merely slow is not retried (Stripe would cost three start-up bounds).
        for _ in 0..3 {
            let mut server = Self::spawn(judge, spec, mode)?;
            match server.wait_ready(startup) {
                Ok(()) => return Ok(server),
                Err(NotReady::Exited(why)) => last = why,
                Err(NotReady::Slow(why)) => return Err(why),
            }
        }
        Err(last)
    }

    fn spawn(judge: &Judge, spec: &Path, mode: Mode) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|err| format!("no free loopback port: {err}"))?
            .port();
        let mut child = judge
            .command(spec, port, mode)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", judge.label()))?;
        let log = Arc::new(Mutex::new(String::new()));
        // Drain both pipes so the judge never blocks on a full one; keep the start for errors.
        let drains = [
            child.stdout.take().map(|out| drain(out, log.clone())),
            child.stderr.take().map(|err| drain(err, log.clone())),
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(Prism {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            log,
            drains,
        })
    }

    fn wait_ready(&mut self, timeout: Duration) -> Result<(), NotReady> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Its last words are what says why: read them before quoting (bounded, as a
                // process it started may still hold the pipes open).
                let read = Instant::now();
                while !self.drains.iter().all(JoinHandle::is_finished)
                    && read.elapsed() < Duration::from_secs(1)
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return Err(NotReady::Exited(format!(
                    "the judge exited with {status} before answering: {}",
                    self.log_excerpt()
                )));
            }
            // Whoever answers must be our judge: one that lost the port to another server
            // exits, so it is asked again after the answer.
            if answers_http(self.addr) && matches!(self.child.try_wait(), Ok(None)) {
                return Ok(());
            }
            if started.elapsed() > timeout {
                return Err(NotReady::Slow(format!(
                    "the judge did not answer within {} s: {}",
                    timeout.as_secs(),
                    self.log_excerpt()
                )));
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// The base URL it serves.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The last lines Prism printed, for a row note.
    pub fn log_excerpt(&self) -> String {
        let log = self.log.lock().map(|log| log.clone()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().filter(|line| !line.trim().is_empty()).collect();
        let tail = &lines[lines.len().saturating_sub(3)..];
        tail.join(" | ").chars().take(400).collect()
    }
}

/// Why a started judge is not serving.
enum NotReady {
    /// It exited (a port taken meanwhile, or a spec it refuses).
    Exited(String),
    /// It still runs but did not answer within the bound.
    Slow(String),
}

/// Whether an HTTP server answers on `addr` (any status: Prism says 404 for `/`).
fn answers_http(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut first = [0u8; 5];
    stream.read_exact(&mut first).is_ok() && &first == b"HTTP/"
}

fn drain(pipe: impl Read + Send + 'static, log: Arc<Mutex<String>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Ok(mut log) = log.lock() {
                // Start-up problems are all that is read; keep memory bounded.
                if log.len() < 64 * 1024 {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        }
    })
}

/// The `prism` executable of the project in `start` or a folder above it
/// (`node_modules/.bin/prism`, installed by `npm ci`).
pub fn find_prism(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("node_modules/.bin/prism"))
        .find(|candidate| candidate.is_file())
}

/// What preparing a spec for the judge changed.
#[derive(Debug, Default)]
pub struct Prepared {
    /// External `$ref`s replaced by an empty schema: the judge runs offline.
    pub external_refs: usize,
}

/// Writes the copy of `text` (the spec as the user wrote it) that Prism serves: the same
/// document with references to other files or URLs replaced by `{}`, since Prism would try
/// to fetch them and the machine is offline.
pub fn prepare_spec(text: &str, is_json: bool, out: &Path) -> Result<Prepared, String> {
    let mut document: Value = if is_json {
        serde_json::from_str(text).map_err(|err| err.to_string())?
    } else {
        crate::load::parse_yaml(text).map_err(|err| err.to_string())?
    };
    let mut prepared = Prepared::default();
    strip_external_refs(&mut document, &mut prepared.external_refs);
    let json = serde_json::to_string(&document).map_err(|err| err.to_string())?;
    std::fs::write(out, json).map_err(|err| format!("{}: {err}", out.display()))?;
    Ok(prepared)
}

/// Writes a copy of the judge's spec (`from`) holding only the operations `routes` names
/// (path template as written, method), each under its template without a `#fragment`:
/// served alone, a URL that another template also matches (Xero's `/Contacts/{ContactNumber}`
/// beside `/Contacts/{ContactID}`, mistral's `…#stream`) reaches the operation under test.
/// Returns the routes left out because another kept one took their place.
pub fn prune_to_routes(
    from: &Path,
    routes: &[(String, String)],
    out: &Path,
) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(from).map_err(|err| format!("{}: {err}", from.display()))?;
    let mut document: Value = serde_json::from_str(&text).map_err(|err| err.to_string())?;
    let paths = document
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let mut kept = serde_json::Map::new();
    let mut left_out = Vec::new();
    for (path, method) in routes {
        let Some(Value::Object(item)) = paths.get(path) else {
            left_out.push((path.clone(), method.clone()));
            continue;
        };
        let key = without_fragment(path).to_owned();
        let entry = kept.entry(key).or_insert_with(|| {
            // The path item without its operations: its parameters, servers, summary.
            let shared = item
                .iter()
                .filter(|(field, _)| !HTTP_METHODS.contains(&field.as_str()))
                .map(|(field, value)| (field.clone(), value.clone()))
                .collect();
            Value::Object(shared)
        });
        let (Some(operation), Value::Object(entry)) = (item.get(method.as_str()), entry) else {
            left_out.push((path.clone(), method.clone()));
            continue;
        };
        if entry.contains_key(method.as_str()) {
            left_out.push((path.clone(), method.clone()));
        } else {
            entry.insert(method.clone(), operation.clone());
        }
    }
    document["paths"] = Value::Object(kept);
    let json = serde_json::to_string(&document).map_err(|err| err.to_string())?;
    std::fs::write(out, json).map_err(|err| format!("{}: {err}", out.display()))?;
    Ok(left_out)
}

/// A path template without its `#fragment` or `?query`: the path judges route by.
pub fn without_fragment(path: &str) -> &str {
    path.split(['#', '?']).next().unwrap_or(path)
}

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn strip_external_refs(value: &mut Value, count: &mut usize) {
    // Iterative: a hostile document may nest deeper than the stack allows.
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                let external = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|reference| !reference.starts_with('#'));
                if external {
                    *count += 1;
                    map.clear();
                } else {
                    stack.extend(map.values_mut());
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pruned_copy_holds_only_the_routes_under_test_without_fragments() {
        let dir = std::env::temp_dir().join(format!("oapigen-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let from = dir.join("judge-spec.json");
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"A": {"type": "string"}}},
            "paths": {
                "/c/{id}": {"get": {"operationId": "byId"}, "delete": {"operationId": "rm"}},
                "/c/{number}": {"parameters": [{"name": "number", "in": "path"}],
                                "get": {"operationId": "byNumber"}, "put": {"operationId": "p"}},
                "/s/{id}": {"get": {"operationId": "json"}},
                "/s/{id}#stream": {"get": {"operationId": "stream"}}
            }
        });
        std::fs::write(&from, document.to_string()).expect("written");
        let out = dir.join("own-paths.json");
        let routes = [
            ("/c/{number}".to_owned(), "get".to_owned()),
            ("/s/{id}#stream".to_owned(), "get".to_owned()),
            ("/missing".to_owned(), "get".to_owned()),
        ];
        let left_out = prune_to_routes(&from, &routes, &out).expect("pruned");
        assert_eq!(left_out, [("/missing".to_owned(), "get".to_owned())]);
        let pruned: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("JSON");
        assert_eq!(
            pruned["paths"],
            serde_json::json!({
                "/c/{number}": {"parameters": [{"name": "number", "in": "path"}],
                                "get": {"operationId": "byNumber"}},
                "/s/{id}": {"get": {"operationId": "stream"}}
            })
        );
        assert_eq!(pruned["components"], document["components"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A fake judge: a shell script that records each start in `starts` and then `body`.
    #[cfg(unix)]
    fn fake_judge(dir: &Path, body: &str) -> (Judge, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(dir).expect("temp dir");
        let starts = dir.join("starts");
        let script = dir.join("judge.sh");
        let text = format!(
            "#!/bin/sh\necho started >> '{}'\n{body}\n",
            starts.display()
        );
        std::fs::write(&script, text).expect("script");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("mode");
        (Judge::Prism(script), starts)
    }

    #[cfg(unix)]
    #[test]
    fn a_slow_judge_is_given_one_start_up_bound_and_an_exiting_one_three_tries() {
        let dir = std::env::temp_dir().join(format!("oapigen-judge-{}", std::process::id()));
        let bound = Duration::from_millis(600);
        let spec = dir.join("spec.json");

        let (slow, starts) = fake_judge(&dir.join("slow"), "exec sleep 30");
        let why = Prism::start(&slow, &spec, Mode::Static, bound)
            .err()
            .expect("not ready");
        assert!(why.contains("did not answer within"), "{why}");
        let count = std::fs::read_to_string(&starts)
            .expect("starts")
            .lines()
            .count();
        assert_eq!(count, 1, "a slow judge is not started again");

        let (exiting, starts) = fake_judge(&dir.join("exiting"), "echo port taken; exit 3");
        let why = Prism::start(&exiting, &spec, Mode::Static, bound)
            .err()
            .expect("exited");
        assert!(
            why.contains("exited") && why.contains("port taken"),
            "{why}"
        );
        let count = std::fs::read_to_string(&starts)
            .expect("starts")
            .lines()
            .count();
        assert_eq!(count, 3, "an exiting judge is tried on another port");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn external_refs_are_emptied_and_local_ones_kept() {
        let mut document = serde_json::json!({
            "a": {"$ref": "#/components/schemas/A"},
            "b": [{"$ref": "https://example.com/x.json", "summary": "s"}],
            "c": {"d": {"$ref": "other.yaml#/X"}}
        });
        let mut count = 0;
        strip_external_refs(&mut document, &mut count);
        assert_eq!(count, 2);
        assert_eq!(
            document,
            serde_json::json!({"a": {"$ref": "#/components/schemas/A"}, "b": [{}], "c": {"d": {}}})
        );
    }
}
