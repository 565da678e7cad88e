//! One judge pass of one spec: the harness against Prism, then the operations whose outcome
//! was a limit of Prism (it could not serialise a response, defined none, did not answer)
//! once more against the second judge, whose verdict then stands for them. Each operation
//! keeps the name of the judge that served its verdict.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::judge::{self, Judge, Mode};
use super::report::{self, Line, Party};
use super::{Options, Prepared};

/// The environment variable the harness reads: the operation ids to call, one a line
/// (unset: every operation).
pub const ONLY_VAR: &str = "OAPIGEN_CONFORM_ONLY";

/// What one pass produced.
#[derive(Debug, Default)]
pub struct Pass {
    /// Every line the harness printed, the re-judged operations' from the second judge.
    pub lines: Vec<Line>,
    /// The judge of the pass.
    pub judge: &'static str,
    /// Operations whose lines came from the second judge instead.
    pub rejudged: BTreeSet<String>,
    /// The second judge's name, when it re-judged any.
    pub second: &'static str,
    /// Why the second judge could not re-judge, when it could not.
    pub note: Option<String>,
    /// Operations re-judged by a judge serving only their own path (see [`own_path_routed`]).
    pub own_path: BTreeSet<String>,
}

impl Pass {
    /// The judge whose verdict stands for `operation`.
    pub fn judge_of(&self, operation: &str) -> &'static str {
        if self.rejudged.contains(operation) {
            self.second
        } else {
            self.judge
        }
    }
}

/// Runs one pass: Prism wherever it starts (otherwise the second judge for everything),
/// then the second judge for the operations Prism could not judge. `prism_refused` carries
/// why Prism did not start in an earlier pass of the same spec: it is not waited for again.
pub fn run_pass(
    options: &Options,
    spec: &Path,
    binary: &Path,
    mode: Mode,
    prepared: &Prepared,
    prism_refused: &mut Option<String>,
) -> Result<Pass, String> {
    let prism = Judge::Prism(options.prism.clone());
    let second = judge::second_judge(&options.prism).map(Judge::OpenapiBackend);
    let first_try = match prism_refused {
        Some(why) => Err(Failure::Start(why.clone())),
        None => run_against(options, &prism, spec, binary, mode, None),
    };
    let (judge, lines) = match first_try {
        Ok(lines) => (prism.label(), lines),
        Err(Failure::Start(why)) => {
            *prism_refused = Some(why.clone());
            let second = second
                .as_ref()
                .ok_or_else(|| format!("Prism: {why}; no second judge (scripts/judge.cjs)"))?;
            let lines =
                run_against(options, second, spec, binary, mode, None).map_err(|failure| {
                    format!("Prism: {why}; {}: {}", second.label(), failure.text())
                })?;
            (second.label(), lines)
        }
        Err(Failure::Run(why)) => return Err(why),
    };
    let mut pass = Pass {
        lines,
        judge,
        ..Pass::default()
    };
    let limited = judge_limited(&prepared.operations, &pass.lines, &|op, verdict| {
        prepared.adjust(op, verdict)
    });
    // The judge that served the pass, and the one that re-judges beside it (none when the
    // second judge served everything because Prism did not start).
    let first = if judge == prism.label() {
        Some(&prism)
    } else {
        second.as_ref()
    };
    let second = second.as_ref().filter(|_| judge == prism.label());
    if let Some(second) = second.filter(|_| !limited.is_empty()) {
        match run_against(options, second, spec, binary, mode, Some(&limited)) {
            Ok(more) => {
                pass.rejudged = merge(&mut pass.lines, &limited, more);
                pass.second = second.label();
            }
            Err(failure) => {
                pass.note = Some(format!(
                    "{} pass: {} could not re-judge the {} operation(s) Prism could not judge: {}",
                    mode.label(),
                    second.label(),
                    limited.len(),
                    failure.text()
                ));
            }
        }
    }
    let routed = own_path_routed(&prepared.operations, &pass.lines, &|op, verdict| {
        prepared.adjust(op, verdict)
    });
    // Each by the judge whose lines it has now.
    let (by_second, by_first): (Vec<String>, Vec<String>) = routed
        .into_iter()
        .partition(|op| pass.rejudged.contains(op));
    for (judge, ops) in [(first, by_first), (second, by_second)] {
        if let Some(judge) = judge.filter(|_| !ops.is_empty()) {
            rejudge_on_own_paths(
                options, judge, spec, binary, mode, prepared, &ops, &mut pass,
            );
        }
    }
    Ok(pass)
}

/// Runs `routed`, operations that failed because the judge routed their URL to another path
/// template (ambiguous templates, a `#fragment` that is never sent), once more against
/// `judge` serving copies of the spec pruned to their own paths (one copy per set of routes
/// that do not collide once fragments are dropped), and takes its lines for them.
#[allow(clippy::too_many_arguments)]
fn rejudge_on_own_paths(
    options: &Options,
    judge: &Judge,
    spec: &Path,
    binary: &Path,
    mode: Mode,
    prepared: &Prepared,
    routed: &[String],
    pass: &mut Pass,
) {
    let mut failures = Vec::new();
    for (index, group) in route_groups(routed, &prepared.routes).iter().enumerate() {
        let (ops, routes): (Vec<String>, Vec<(String, String)>) = group.iter().cloned().unzip();
        let pruned = spec.with_file_name(format!(
            "judge-spec-own-paths-{}-{index}.json",
            mode.label()
        ));
        let result = judge::prune_to_routes(spec, &routes, &pruned)
            .map_err(|why| format!("pruned copy: {why}"))
            .and_then(|_| {
                run_against(options, judge, &pruned, binary, mode, Some(&ops))
                    .map_err(|failure| failure.text().to_owned())
            });
        match result {
            Ok(more) => pass.own_path.extend(merge(&mut pass.lines, &ops, more)),
            Err(why) => failures.push((ops.len(), why)),
        }
    }
    if let Some((_, why)) = failures.first() {
        let note = format!(
            "{} pass: {} could not re-judge {} of the operation(s) routed to another path \
             template on their own paths: {why}",
            mode.label(),
            judge.label(),
            failures.iter().map(|(count, _)| count).sum::<usize>()
        );
        pass.note = Some(match pass.note.take() {
            Some(old) => format!("{old}; {note}"),
            None => note,
        });
    }
}

/// `routed` with their routes, in groups whose routes stay apart once `#fragment`s are
/// dropped (AWS's `POST /#X-Amz-Target=…` operations all share `/`: one group each).
pub fn route_groups(
    routed: &[String],
    routes: &BTreeMap<String, (String, String)>,
) -> Vec<Vec<(String, (String, String))>> {
    let mut groups: Vec<Vec<(String, (String, String))>> = Vec::new();
    let key = |(path, method): &(String, String)| {
        (judge::without_fragment(path).to_owned(), method.clone())
    };
    for op in routed {
        let Some(route) = routes.get(op) else {
            continue;
        };
        let free = groups
            .iter_mut()
            .find(|group| group.iter().all(|(_, other)| key(other) != key(route)));
        let entry = (op.clone(), route.clone());
        match free {
            Some(group) => group.push(entry),
            None => groups.push(vec![entry]),
        }
    }
    groups
}

/// The operations among `operations` whose verdict from `lines` (after `adjust`) is a
/// limit of the judge.
pub fn judge_limited(
    operations: &[String],
    lines: &[Line],
    adjust: &dyn Fn(&str, &mut report::Verdict),
) -> Vec<String> {
    failing_with(operations, lines, adjust, &|cause| {
        cause.party == Party::Judge
    })
}

/// The operations whose verdict says the judge routed their URL to another operation's
/// path template: `spec: ambiguous path templates` or `spec: path with a fragment`.
pub fn own_path_routed(
    operations: &[String],
    lines: &[Line],
    adjust: &dyn Fn(&str, &mut report::Verdict),
) -> Vec<String> {
    failing_with(operations, lines, adjust, &|cause| {
        cause.party == Party::Spec
            && matches!(
                cause.kind.as_str(),
                "ambiguous path templates" | "path with a fragment" | "path with a query"
            )
    })
}

fn failing_with(
    operations: &[String],
    lines: &[Line],
    adjust: &dyn Fn(&str, &mut report::Verdict),
    cause_is: &dyn Fn(&report::Cause) -> bool,
) -> Vec<String> {
    operations
        .iter()
        .filter(|operation| {
            let mine: Vec<&Line> = lines.iter().filter(|l| &l.op == *operation).collect();
            let mut verdict = report::verdict(&mine);
            adjust(operation, &mut verdict);
            !verdict.conforms && verdict.cause.as_ref().is_some_and(cause_is)
        })
        .cloned()
        .collect()
}

/// Replaces the lines of each operation of `operations` that `second` has lines for with
/// those; returns the operations replaced (one the second judge printed nothing for keeps
/// the first judge's lines and verdict).
pub fn merge(lines: &mut Vec<Line>, operations: &[String], second: Vec<Line>) -> BTreeSet<String> {
    let replaced: BTreeSet<String> = second
        .iter()
        .filter(|line| operations.contains(&line.op))
        .map(|line| line.op.clone())
        .collect();
    lines.retain(|line| !replaced.contains(&line.op));
    lines.extend(
        second
            .into_iter()
            .filter(|line| replaced.contains(&line.op)),
    );
    replaced
}

/// Why a run against a judge gave no lines.
enum Failure {
    /// The judge did not start.
    Start(String),
    /// The harness did not run to the end.
    Run(String),
}

impl Failure {
    fn text(&self) -> &str {
        match self {
            Failure::Start(why) | Failure::Run(why) => why,
        }
    }
}

/// Starts `judge`, runs the harness against it (only `only` when given), and stops the
/// judge (also on failure).
fn run_against(
    options: &Options,
    judge: &Judge,
    spec: &Path,
    binary: &Path,
    mode: Mode,
    only: Option<&[String]>,
) -> Result<Vec<Line>, Failure> {
    let server = judge::Prism::start(judge, spec, mode, options.startup).map_err(Failure::Start)?;
    let mut command = Command::new(binary);
    command
        .arg(server.base_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(only) = only {
        command.env(ONLY_VAR, only.join("\n"));
    }
    let mut child = command
        .spawn()
        .map_err(|err| Failure::Run(format!("cannot run {}: {err}", binary.display())))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        if let Some(stdout) = stdout {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(parsed) = serde_json::from_str::<Line>(&line) {
                    lines.push(parsed);
                }
            }
        }
        lines
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stderr) = stderr {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > options.run_limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(err) => return Err(Failure::Run(format!("waiting for the harness: {err}"))),
        }
    };
    let lines = reader.join().unwrap_or_default();
    let stderr = errors.join().unwrap_or_default();
    drop(server);
    match status {
        None => Err(Failure::Run(format!(
            "the harness ran past {} s and was stopped",
            options.run_limit.as_secs()
        ))),
        Some(status) if !status.success() && lines.is_empty() => Err(Failure::Run(format!(
            "the harness failed ({status}): {}",
            stderr.lines().last().unwrap_or_default()
        ))),
        Some(_) => Ok(lines),
    }
}

#[cfg(test)]
#[path = "passes_tests.rs"]
mod tests;
