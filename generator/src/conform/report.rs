//! What the harness saw, judged: per operation whether the request was accepted by the
//! judge and the response decoded, otherwise why not, with the first line of evidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::judge::Mode;

/// One call of the harness, as it printed it.
#[derive(Clone, Debug, Deserialize)]
pub struct Line {
    /// The operation id.
    pub op: String,
    /// `required` or `everything`.
    pub fill: String,
    /// Whether the spec's examples were used.
    pub examples: bool,
    /// What the values were made from (`example+synthesized`).
    #[serde(default)]
    pub sources: String,
    /// `ok`, `api`, `unexpected`, `validation`, `harness`, `auth`, `transport`, `timeout`.
    pub outcome: String,
    /// The status the judge answered with.
    #[serde(default)]
    pub status: Option<u16>,
    /// The judge's `sl-violations` header: a JSON array.
    #[serde(default)]
    pub violations: Option<String>,
    /// The error, when there is one.
    #[serde(default)]
    pub detail: Option<String>,
    /// How many received bodies decoded only by the runtime's liberal reading.
    #[serde(default)]
    pub lenient: u32,
}

/// Whose fault a failure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The generator or the runtime.
    Ours,
    /// The spec contradicts itself (its example violates its schema).
    Spec,
    /// The judge could not judge.
    Judge,
}

/// Why an operation did not conform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// Whose fault.
    pub party: Party,
    /// A short kind, for counting: `request rejected`, `decode`, `value type`…
    pub kind: String,
    /// The first line of evidence.
    pub evidence: String,
    /// The fill whose calls were all refused (`required`, `everything`), when one was.
    #[serde(skip)]
    pub fill: Option<String>,
}

impl Cause {
    fn new(party: Party, kind: &str, evidence: impl Into<String>) -> Self {
        let evidence: String = evidence.into();
        let first = evidence.lines().next().unwrap_or_default();
        Self {
            party,
            kind: kind.to_owned(),
            evidence: first.chars().take(300).collect(),
            fill: None,
        }
    }

    /// A limit of the judge (a test helper of the re-judging rules).
    #[cfg(test)]
    pub fn judge_limit(evidence: &str) -> Self {
        Self::new(Party::Judge, "judge error", evidence)
    }

    /// `ours: decode`.
    pub fn label(&self) -> String {
        let party = match self.party {
            Party::Ours => "ours",
            Party::Spec => "spec",
            Party::Judge => "judge",
        };
        format!("{party}: {}", self.kind)
    }
}

/// The verdict on one call: `Ok` with the judge's complaints about its own response (the
/// spec's response example breaking the spec's schema), or why the call failed.
fn judge_line(line: &Line) -> Result<Vec<String>, Cause> {
    let detail = line.detail.as_deref().unwrap_or_default();
    let (request, response) = violation_errors(line.violations.as_deref());
    let status = line.status.unwrap_or(0);
    match line.outcome.as_str() {
        "harness" => return Err(Cause::new(Party::Ours, "value type", detail)),
        "unsupported" => return Err(Cause::new(Party::Ours, "harness limit", detail)),
        "validation" => return Err(Cause::new(Party::Ours, "client validation", detail)),
        "auth" => return Err(Cause::new(Party::Ours, "credentials", detail)),
        "transport" | "timeout" => return Err(Cause::new(Party::Judge, "no answer", detail)),
        _ => {}
    }
    if let Some(first) = request.first() {
        let kind = if first.contains("security") || status == 401 || status == 403 {
            "credentials"
        } else {
            "request rejected"
        };
        return Err(Cause::new(Party::Ours, kind, first.clone()));
    }
    match line.outcome.as_str() {
        // A documented status decoded into its typed error. A 401 or 403 is one too: a
        // judge refusing credentials says so in `sl-violations` (handled above); without
        // that it served what the spec documents (an operation with no success response).
        "ok" | "api" => Ok(response),
        "unexpected" => Err(unexpected_cause(status, detail, &response)),
        // A success whose body did not decode: the call succeeded, the body was kept raw;
        // it conforms only when the body decoded.
        "undecoded" => Err(unexpected_cause(status, detail, &response)),
        other => Err(Cause::new(Party::Ours, "unknown outcome", other)),
    }
}

/// Why a response did not decode: the judge's own error (Prism answers with a problem
/// document naming it), a body the judge itself says breaks the spec's schema, or ours.
fn unexpected_cause(status: u16, detail: &str, response_violations: &[String]) -> Cause {
    if let Some(kind) = detail.split("prism/errors#").nth(1).map(|rest| {
        rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("")
    }) {
        let (party, what) = match kind {
            "NO_PATH_MATCHED_ERROR" | "NO_METHOD_MATCHED_ERROR" => (Party::Ours, "wrong path"),
            "INVALID_CONTENT_TYPE" => (Party::Ours, "media type"),
            "UNAUTHORIZED" => (Party::Ours, "credentials"),
            "UNPROCESSABLE_ENTITY" => (Party::Ours, "request rejected"),
            "NOT_ACCEPTABLE" => (Party::Ours, "accept header"),
            _ => (Party::Judge, "judge error"),
        };
        // Prism's own 422 lists the violations in its body.
        let evidence = judge_validation_messages(detail)
            .unwrap_or_else(|| format!("{status} {kind}: {detail}"));
        return Cause::new(party, what, evidence);
    }
    if let Some(first) = response_violations.first() {
        // The second judge's random bodies come from a generator simpler than the schemas.
        let (party, what) = if is_random_body(first) {
            (Party::Judge, "random body breaks the schema")
        } else {
            (Party::Spec, "response breaks its schema")
        };
        return Cause::new(party, what, format!("{first}; {detail}"));
    }
    // The served body is a JSON string holding a JSON document (the spec's example written
    // as text, `example: '{ "Name": … }'`): no typed client decodes that as the object.
    let quoted_document = ["invalid type: string \"{", "invalid type: string \"["]
        .iter()
        .any(|start| detail.contains(start));
    if quoted_document && detail.contains(", expected") && !detail.contains("expected a string") {
        return Cause::new(
            Party::Spec,
            "example is JSON text in a string",
            format!("{status}: {detail}"),
        );
    }
    if detail.starts_with("undocumented status") {
        return Cause::new(
            Party::Judge,
            "undocumented status",
            format!("{status}: {detail}"),
        );
    }
    Cause::new(Party::Ours, "decode", format!("{status}: {detail}"))
}

/// The `validation` messages of a problem document Prism wrote (after `body: ` in the
/// harness's detail), joined.
fn judge_validation_messages(detail: &str) -> Option<String> {
    let body = detail.split_once("body: ")?.1;
    let document: serde_json::Value = serde_json::from_str(body).ok()?;
    let messages: Vec<String> = document["validation"]
        .as_array()?
        .iter()
        .map(|entry| {
            let location: Vec<&str> = entry["location"]
                .as_array()
                .map(|parts| parts.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            format!(
                "{} ({})",
                entry["message"].as_str().unwrap_or("violation"),
                location.join(".")
            )
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

/// A violation `scripts/judge.cjs` reports of a body it drew at random (dynamic pass).
fn is_random_body(violation: &str) -> bool {
    violation.starts_with("Random response body")
}

/// The messages of the `Error` entries of an `sl-violations` header, split into those about
/// the request and those about the judge's own response.
fn violation_errors(header: Option<&str>) -> (Vec<String>, Vec<String>) {
    let (mut request, mut response) = (Vec::new(), Vec::new());
    let Some(header) = header else {
        return (request, response);
    };
    // Prism cuts a long list short behind this prefix; what is left may not parse.
    let header = header
        .strip_prefix("Too many violations!")
        .unwrap_or(header)
        .trim_start();
    let Ok(serde_json::Value::Array(entries)) = serde_json::from_str(header) else {
        let excerpt: String = header.chars().take(300).collect();
        if header.contains(r#"["request""#) {
            request.push(format!("(list cut short by the judge) {excerpt}"));
        } else {
            response.push(format!("(list cut short by the judge) {excerpt}"));
        }
        return (request, response);
    };
    for entry in entries
        .iter()
        .filter(|entry| entry["severity"].as_str() == Some("Error"))
    {
        let location: Vec<&str> = entry["location"]
            .as_array()
            .map(|parts| parts.iter().filter_map(|p| p.as_str()).collect())
            .unwrap_or_default();
        let message = format!(
            "{} ({})",
            entry["message"].as_str().unwrap_or("violation"),
            location.join(".")
        );
        if location.first() == Some(&"response") {
            response.push(message);
        } else {
            request.push(message);
        }
    }
    (request, response)
}

/// The verdict on one operation in one mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Conforms: for each fill, some call was accepted and its response decoded.
    pub conforms: bool,
    /// Why not (the synthesized-values call's failure, which is ours to fix).
    pub cause: Option<Cause>,
    /// The spec contradicts itself: its request example was rejected where synthesized
    /// values passed, or the judge found the response it served (the spec's example, in the
    /// static pass) breaking the spec's schema. Not a failure of the client.
    pub spec_defect: Option<Cause>,
    /// The judge whose answers this verdict is made of (`prism`, `openapi-backend`).
    #[serde(default)]
    pub judge: String,
    /// It conforms because a received body that differs from its documented type in a way
    /// that loses nothing (`"42"` for `42`…) decoded by the runtime's liberal reading.
    #[serde(default)]
    pub lenient: bool,
}

/// Folds the calls of one operation into its verdict.
pub fn verdict(lines: &[&Line]) -> Verdict {
    let mut fills: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
    for line in lines {
        fills.entry(line.fill.as_str()).or_default().push(line);
    }
    let mut verdict = Verdict {
        conforms: !fills.is_empty(),
        cause: None,
        spec_defect: None,
        judge: String::new(),
        lenient: false,
    };
    if fills.is_empty() {
        verdict.cause = Some(Cause::new(
            Party::Ours,
            "not called",
            "the harness printed nothing for it",
        ));
    }
    for calls in fills.values() {
        let judged: Vec<(&Line, Result<Vec<String>, Cause>)> =
            calls.iter().map(|line| (*line, judge_line(line))).collect();
        if judged.iter().any(|(_, result)| result.is_ok()) {
            // Leniency mattered when no passing call decoded strictly.
            verdict.lenient |= judged
                .iter()
                .filter(|(_, result)| result.is_ok())
                .all(|(line, _)| line.lenient > 0);
            if verdict.spec_defect.is_none() {
                verdict.spec_defect = spec_defect(&judged);
            }
            continue;
        }
        verdict.conforms = false;
        if verdict.cause.is_none() {
            // The synthesized call is the pure test of the client; fall back to the first.
            let chosen = judged
                .iter()
                .find(|(line, _)| !line.examples)
                .or(judged.first());
            if let Some((line, Err(cause))) = chosen {
                let mut cause = unsatisfiable(line, cause);
                cause.fill = Some(line.fill.clone());
                verdict.cause = Some(cause);
            }
        }
    }
    verdict
}

/// A request the judge rejected whose values came from a schema that contradicts itself (an
/// integer `enum` of strings, a `oneOf` whose variants overlap, a `required` name no
/// property declares) is the spec's defect.
fn unsatisfiable(line: &Line, cause: &Cause) -> Cause {
    if cause.party == Party::Ours
        && cause.kind == "request rejected"
        && line.sources.contains("unsatisfiable")
    {
        return Cause::new(Party::Spec, "schema defect", cause.evidence.clone());
    }
    cause.clone()
}

/// What a passing group of calls says about the spec: a request example rejected where
/// synthesized values passed, or a served response breaking the spec's schema.
fn spec_defect(judged: &[(&Line, Result<Vec<String>, Cause>)]) -> Option<Cause> {
    let rejected_example = judged.iter().find_map(|(line, result)| match result {
        Err(cause) if line.examples && line.sources.contains("example") => Some(Cause::new(
            Party::Spec,
            "example rejected",
            cause.evidence.clone(),
        )),
        _ => None,
    });
    rejected_example.or_else(|| {
        judged.iter().find_map(|(_, result)| match result {
            Ok(response) => response
                .iter()
                .find(|violation| !is_random_body(violation))
                .map(|first| Cause::new(Party::Spec, "response breaks its schema", first.clone())),
            Err(_) => None,
        })
    })
}

/// A request rejected over a path parameter the operation does not have: the judge routed
/// the URL to another path template that matches it too (Xero's `/Contacts/{ContactNumber}`
/// beside `/Contacts/{ContactID}`), which a spec must not declare. The spec's defect.
pub fn ambiguous_path(verdict: &mut Verdict, own: &[String]) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party != Party::Ours || cause.kind != "request rejected" {
        return;
    }
    let Some(name) = ["(path.", "(request.path."].iter().find_map(|start| {
        let rest = &cause.evidence[cause.evidence.find(start)? + start.len()..];
        rest.split(')').next()
    }) else {
        return;
    };
    if own.iter().any(|param| param.eq_ignore_ascii_case(name)) {
        return;
    }
    *cause = Cause::new(
        Party::Spec,
        "ambiguous path templates",
        format!(
            "`{name}` is no path parameter of this operation: {}",
            cause.evidence
        ),
    );
}

/// A query parameter that is a list of objects, rejected for an item that is no object
/// (box's `mdfilters`): OpenAPI defines how a query sends lists of scalars and objects, not
/// lists of objects, so no client's spelling is the documented one. The spec's defect.
pub fn query_object_list(verdict: &mut Verdict) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party != Party::Ours || cause.kind != "request rejected" {
        return;
    }
    // Located by the judge after the message, in both judges' wording: Prism's `Request
    // query parameter lines.0 must be object (request.query.lines.0)`, openapi-backend's
    // `must be object (request.query.lines.0)`.
    let item_of_list = cause
        .evidence
        .rsplit_once(" (request.query.")
        .filter(|(message, _)| message.ends_with("must be object"))
        .and_then(|(_, place)| place.strip_suffix(')'))
        .and_then(|place| place.rsplit_once('.'))
        .is_some_and(|(_, index)| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()));
    if item_of_list {
        *cause = Cause::new(
            Party::Spec,
            "query list of objects",
            format!(
                "OpenAPI defines no query spelling of a list of objects: {}",
                cause.evidence
            ),
        );
    }
}

/// A form body of no fields (the `required` fill of a form whose fields are all optional,
/// KittyCAD's `AuthCallback`) that the judge called missing: an empty
/// `application/x-www-form-urlencoded` body is the empty form, but Prism reads it as no body
/// (and so does the second judge, which re-judges it). A limit of the judges.
pub fn empty_form(verdict: &mut Verdict) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party == Party::Ours
        && cause.kind == "request rejected"
        && cause.fill.as_deref() == Some("required")
        && (cause.evidence.starts_with("Body parameter is required")
            || cause
                .evidence
                .starts_with("must have required property 'requestBody'"))
    {
        *cause = Cause::new(
            Party::Judge,
            "empty form read as no body",
            cause.evidence.clone(),
        );
    }
}

/// A request of an operation whose `multipart/form-data` schema is no object of parts
/// (KittyCAD's `type: string, format: binary`) that the judge rejected: a form is parts, so
/// the judge calls every form "not a string", and bytes without a boundary are no form. The
/// spec's defect.
pub fn undescribed_parts(verdict: &mut Verdict) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party == Party::Ours
        && matches!(cause.kind.as_str(), "request rejected" | "media type")
    {
        *cause = Cause::new(
            Party::Spec,
            "multipart schema is no object",
            format!(
                "the form's parts are undescribed, and no form is what the schema says: {}",
                cause.evidence
            ),
        );
    }
}

/// A request rejected for lacking a path parameter its path template does not name
/// (Radarr's `GET /` with a required path parameter `path`): no client can put it anywhere,
/// so the generated client drops it. The spec's defect.
pub fn unplaced_path_parameter(verdict: &mut Verdict, template: &str) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party != Party::Ours || cause.kind != "request rejected" {
        return;
    }
    const MISSING: &str = "must have required property '";
    let Some((name, _)) = cause.evidence.find(MISSING).and_then(|at| {
        let rest = &cause.evidence[at + MISSING.len()..];
        rest.split_once("' (path)")
            .filter(|(name, _)| !name.contains('\''))
    }) else {
        return;
    };
    if template.contains(&format!("{{{name}}}")) {
        return;
    }
    *cause = Cause::new(
        Party::Spec,
        "path parameter outside its template",
        format!(
            "the path template does not name `{{{name}}}`: {}",
            cause.evidence
        ),
    );
}

/// A request of an operation whose path template carries a `#fragment` (mistral's
/// `/v1/conversations/{conversation_id}#stream` beside the same path without it) that the
/// judge rejected or did not route: a fragment is never sent, so the URL is another
/// operation's, and no judge can tell the two apart. The spec's defect.
pub fn fragment_path(verdict: &mut Verdict) {
    mark_path(
        verdict,
        "path with a fragment",
        "the path template names a `#fragment`, which is not sent",
    );
}

/// A request of an operation whose path template carries a query (OpenAI's
/// `/responses?beta=true` beside `/responses`) that the judge did not route or rejected: the
/// client sends the query, but judges route by the path, which another operation has too.
/// The spec's defect.
pub fn query_path(verdict: &mut Verdict) {
    mark_path(
        verdict,
        "path with a query",
        "the path template holds a `?query`, which judges do not route by",
    );
}

fn mark_path(verdict: &mut Verdict, kind: &str, why: &str) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party == Party::Ours
        && matches!(cause.kind.as_str(), "request rejected" | "wrong path")
    {
        *cause = Cause::new(Party::Spec, kind, format!("{why}: {}", cause.evidence));
    }
}

/// A request without an optional query parameter whose value is an object sent as its
/// properties (`style: form, explode: true`), rejected for a property that object requires
/// (typesense's `deleteDocumentsParameters` needs `filter_by`): Prism reads the absent
/// parameter as an empty object. A limit of the judge, which the second judge re-judges.
pub fn absent_object_parameter(verdict: &mut Verdict, optional_objects: &[String]) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party != Party::Ours
        || cause.kind != "request rejected"
        || cause.fill.as_deref() != Some("required")
    {
        return;
    }
    let absent = optional_objects.iter().any(|name| {
        let named = format!(
            "Request query parameter {} must have required property",
            name
        );
        cause
            .evidence
            .to_ascii_lowercase()
            .starts_with(&named.to_ascii_lowercase())
    });
    if absent {
        *cause = Cause::new(
            Party::Judge,
            "absent object parameter read as empty",
            cause.evidence.clone(),
        );
    }
}

/// A multipart body property the judge rejected as no array or no object: Prism reads only
/// `name[]` parts as a list, not a name sent more than once, which is how a form sends one
/// (RFC 7578, section 4.3), and reads every part as text, also one whose own Content-Type is
/// `application/json` (how OpenAPI sends an object property of a form; box's upload
/// `attributes`). A limit of the judge, which the second judge re-judges.
pub fn multipart_list(verdict: &mut Verdict) {
    let Some(cause) = verdict.cause.as_mut() else {
        return;
    };
    if cause.party != Party::Ours || cause.kind != "request rejected" {
        return;
    }
    let part_of = |shape: &str| {
        ["(body.", "(request.body."]
            .iter()
            .any(|at| cause.evidence.contains(&format!(" must be {shape} {at}")))
    };
    let kind = if part_of("array") {
        "multipart list read as a scalar"
    } else if part_of("object") {
        "multipart JSON part read as text"
    } else {
        return;
    };
    *cause = Cause::new(Party::Judge, kind, cause.evidence.clone());
}

/// One operation's verdicts, by mode.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OperationReport {
    /// The operation id.
    pub operation: String,
    /// `static` / `dynamic` → verdict.
    pub modes: BTreeMap<String, Verdict>,
}

impl OperationReport {
    /// Conforms in every mode that ran.
    pub fn conforms(&self) -> bool {
        !self.modes.is_empty() && self.modes.values().all(|v| v.conforms)
    }
}

/// One spec's row.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SpecReport {
    /// The spec's file name.
    pub spec: String,
    /// Who judged: `prism`, or why no one could.
    pub judge: String,
    /// Every operation the IR has.
    pub operations: Vec<OperationReport>,
    /// Operations in the IR (also when no harness ran).
    pub operation_count: usize,
    /// The generator panicked on it.
    pub panicked: bool,
    /// Problems of the row as a whole (generation refused, crate did not compile, judge
    /// did not start…).
    pub notes: Vec<String>,
}

impl SpecReport {
    /// Operations that conform in every mode.
    pub fn conforming(&self) -> usize {
        self.operations.iter().filter(|op| op.conforms()).count()
    }

    /// Operations conforming in `mode`.
    pub fn conforming_in(&self, mode: Mode) -> usize {
        self.operations
            .iter()
            .filter(|op| op.modes.get(mode.label()).is_some_and(|v| v.conforms))
            .count()
    }

    /// Failures by cause label, over every mode.
    pub fn causes(&self) -> BTreeMap<String, usize> {
        let mut causes = BTreeMap::new();
        for op in &self.operations {
            let mut seen = Vec::new();
            for verdict in op.modes.values() {
                if let Some(cause) = &verdict.cause {
                    let label = cause.label();
                    if !seen.contains(&label) {
                        *causes.entry(label.clone()).or_insert(0) += 1;
                        seen.push(label);
                    }
                }
            }
        }
        causes
    }

    /// The judges that served the verdicts, in order of first use, joined with `+`
    /// (`prism+openapi-backend` when the second judge re-judged some operations).
    pub fn judge_label(&self) -> Option<String> {
        let judges: Vec<&str> = self.judges().into_iter().map(|(judge, _)| judge).collect();
        (!judges.is_empty()).then(|| judges.join("+"))
    }

    /// How many operations each judge served a verdict of, in order of first use.
    pub fn judges(&self) -> Vec<(&str, usize)> {
        let mut judges: Vec<(&str, usize)> = Vec::new();
        for op in &self.operations {
            let mut mine: Vec<&str> = op
                .modes
                .values()
                .map(|verdict| verdict.judge.as_str())
                .filter(|judge| !judge.is_empty())
                .collect();
            mine.dedup();
            for judge in mine {
                match judges.iter_mut().find(|(known, _)| *known == judge) {
                    Some((_, count)) => *count += 1,
                    None => judges.push((judge, 1)),
                }
            }
        }
        // Prism, the judge of every pass, first; a second judge after it.
        judges.sort_by_key(|(judge, _)| *judge != "prism");
        judges
    }

    /// Operations that conform thanks to the liberal reading (see [`Verdict::lenient`]).
    pub fn lenient(&self) -> usize {
        self.operations
            .iter()
            .filter(|op| op.conforms() && op.modes.values().any(|v| v.lenient))
            .count()
    }

    /// Operations where the spec contradicts itself (see [`Verdict::spec_defect`]).
    pub fn spec_defects(&self) -> usize {
        self.operations
            .iter()
            .filter(|op| op.modes.values().any(|v| v.spec_defect.is_some()))
            .count()
    }
}

pub use super::table::{format, summary};

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
