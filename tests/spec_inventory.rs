//! Inventory and house rules of the hand-written specs in `specs/`.
//!
//! * Every spec file holds exactly the operations listed in [`EXPECTED`] (method, path and
//!   operationId), so an operation that disappears or moves fails here, not in a user's build.
//! * Every operation is secured by the Login with Amazon OAuth 2.0 client-credentials scheme.
//! * Every response carries the shared `X-Amzn-RequestId` header (a `$ref` to
//!   `#/components/headers/X-Amzn-RequestId`); the SDNS 201s carry `Location`, 429s and 503s
//!   carry `Retry-After`, 204s have no body.
//! * Every JSON request body and every JSON response has at least one inline example.
//! * Discriminated `oneOf`s map every variant, and each variant pins its tag with a one-value
//!   `enum` listed in `required`.
//! * `x-pagination` hints point at parameters and fields that exist.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "spec_inventory/expected.rs"]
mod expected;
use expected::*;

struct Spec {
    file: String,
    root: Value,
}

impl Spec {
    /// Follows local `$ref`s until it reaches a node without one.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                panic!(
                    "{}: only local $refs are allowed, found {reference}",
                    self.file
                )
            });
            node = self
                .root
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.file));
        }
        panic!("{}: $ref chain too long", self.file)
    }

    fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        let paths = self.root["paths"].as_object().expect("paths is a map");
        for (path, item) in paths {
            let item = self.resolve(item);
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    let id = op["operationId"].as_str().unwrap_or_else(|| {
                        panic!("{}: {method} {path} has no operationId", self.file)
                    });
                    out.push(Operation {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        id: id.to_owned(),
                        item,
                        op,
                    });
                }
            }
        }
        out
    }
}

struct Operation<'a> {
    method: String,
    path: String,
    id: String,
    item: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    fn name(&self) -> String {
        format!("{} {} ({})", self.method, self.path, self.id)
    }

    /// Path-item and operation parameters, resolved.
    fn parameters<'s>(&'s self, spec: &'s Spec) -> Vec<&'s Value> {
        let from = |v: &'s Value| v.as_array().into_iter().flatten().map(|p| spec.resolve(p));
        from(&self.item["parameters"])
            .chain(from(&self.op["parameters"]))
            .collect()
    }
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")
}

fn load(file: &str) -> Spec {
    let path = specs_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    let root = serde_json::to_value(yaml)
        .unwrap_or_else(|e| panic!("{} does not map to JSON: {e}", path.display()));
    Spec {
        file: file.to_owned(),
        root,
    }
}

fn all_specs() -> Vec<Spec> {
    EXPECTED.iter().map(|(file, _)| load(file)).collect()
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Asserts that a JSON media type has at least one inline example.
fn assert_has_example(media: &Value, what: &str) {
    let named = media
        .get("examples")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    let single = usize::from(media.get("example").is_some());
    assert!(named + single > 0, "{what}: JSON body without an example");
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        assert!(
            example.get("value").is_some(),
            "{what}: example `{name}` has no inline `value`"
        );
        assert!(
            example.get("externalValue").is_none(),
            "{what}: example `{name}` uses externalValue"
        );
    }
}

#[test]
fn spec_directory_holds_exactly_the_expected_files() {
    let found: BTreeSet<String> = std::fs::read_dir(specs_dir())
        .expect("specs/ exists")
        .map(|entry| {
            entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
        .collect();
    let expected: BTreeSet<String> = EXPECTED
        .iter()
        .map(|(file, _)| (*file).to_owned())
        .collect();
    assert_eq!(
        found, expected,
        "specs/ must hold exactly the four service specs"
    );
}

#[test]
fn every_expected_operation_exists_and_no_other() {
    let mut total = 0;
    for (file, expected) in EXPECTED {
        let spec = load(file);
        assert_eq!(
            spec.root["openapi"], "3.0.3",
            "{file}: must be OpenAPI 3.0.3"
        );
        let found: BTreeSet<(String, String, String)> = spec
            .operations()
            .into_iter()
            .map(|op| (op.method, op.path, op.id))
            .collect();
        let wanted: BTreeSet<(String, String, String)> = expected
            .iter()
            .map(|(m, p, id)| ((*m).to_owned(), (*p).to_owned(), (*id).to_owned()))
            .collect();
        let missing: Vec<_> = wanted.difference(&found).collect();
        let extra: Vec<_> = found.difference(&wanted).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{file}: missing {missing:?}, unexpected {extra:?}"
        );
        total += found.len();
    }
    assert_eq!(total, TOTAL_OPERATIONS);
}

#[test]
fn operation_ids_are_unique_camel_case() {
    for spec in all_specs() {
        let mut seen = BTreeSet::new();
        for op in spec.operations() {
            let mut chars = op.id.chars();
            let camel = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_alphanumeric());
            assert!(
                camel,
                "{}: operationId `{}` is not camelCase",
                spec.file, op.id
            );
            assert!(
                seen.insert(op.id.clone()),
                "{}: duplicate operationId `{}`",
                spec.file,
                op.id
            );
        }
    }
}

#[test]
fn every_spec_lists_the_documented_regions() {
    for spec in all_specs() {
        let servers: Vec<(String, String)> = spec.root["servers"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no servers", spec.file))
            .iter()
            .map(|s| {
                let url = s["url"].as_str().unwrap_or_default().to_owned();
                let description = s["description"].as_str().unwrap_or_default().to_owned();
                (url, description)
            })
            .collect();
        let documented = DOCUMENTED_REGIONS
            .iter()
            .find(|(file, _)| *file == spec.file)
            .map(|(_, count)| *count)
            .unwrap_or_else(|| panic!("{}: no row in DOCUMENTED_REGIONS", spec.file));
        let expected: Vec<(String, String)> = SERVERS[..documented]
            .iter()
            .map(|(u, d)| ((*u).to_owned(), (*d).to_owned()))
            .collect();
        assert_eq!(servers, expected, "{}: servers", spec.file);
    }
}

#[test]
fn every_operation_is_secured_by_lwa_client_credentials() {
    for spec in all_specs() {
        let schemes = spec.root["components"]["securitySchemes"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no components.securitySchemes", spec.file));
        for (name, scheme) in schemes {
            let flow = &scheme["flows"]["clientCredentials"];
            assert_eq!(
                scheme["type"], "oauth2",
                "{}: scheme {name} must be oauth2",
                spec.file
            );
            assert_eq!(
                flow["tokenUrl"], TOKEN_URL,
                "{}: scheme {name} tokenUrl",
                spec.file
            );
        }
        for op in spec.operations() {
            let security = op.op.get("security").or_else(|| spec.root.get("security"));
            let requirements = security
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            assert!(
                !requirements.is_empty(),
                "{}: {} has no security",
                spec.file,
                op.name()
            );
            for requirement in requirements {
                let requirement = requirement
                    .as_object()
                    .expect("security requirement is a map");
                assert!(
                    !requirement.is_empty(),
                    "{}: {} allows anonymous access",
                    spec.file,
                    op.name()
                );
                for (scheme, scopes) in requirement {
                    let declared = &schemes.get(scheme).unwrap_or_else(|| {
                        panic!(
                            "{}: {} uses undeclared scheme {scheme}",
                            spec.file,
                            op.name()
                        )
                    })["flows"]["clientCredentials"]["scopes"];
                    let scopes = scopes.as_array().expect("scopes is a list");
                    // A scheme declares only the scopes the documents name; an operation of a
                    // scheme that declares some names one, and one whose documents name none
                    // names none (the user chooses, `ClientBuilder::scopes`).
                    let documented = declared.as_object().is_some_and(|map| !map.is_empty());
                    assert_eq!(
                        !scopes.is_empty(),
                        documented,
                        "{}: {} names scopes {scopes:?}, its scheme declares {declared}",
                        spec.file,
                        op.name()
                    );
                    for scope in scopes {
                        let scope = scope.as_str().expect("scope is a string");
                        assert!(
                            declared.get(scope).is_some(),
                            "{}: {} uses undeclared scope {scope}",
                            spec.file,
                            op.name()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_response_carries_the_request_id_and_the_documented_headers() {
    for spec in all_specs() {
        let shared = &spec.root["components"]["headers"]["X-Amzn-RequestId"];
        assert!(
            shared.is_object(),
            "{}: components.headers.X-Amzn-RequestId is missing",
            spec.file
        );
        for op in spec.operations() {
            let responses = op.op["responses"].as_object().expect("responses is a map");
            assert!(
                !responses.is_empty(),
                "{}: {} has no responses",
                spec.file,
                op.name()
            );
            for (status, response) in responses {
                let response = spec.resolve(response);
                let what = format!("{}: {} response {status}", spec.file, op.name());
                let headers = &response["headers"];
                assert_eq!(
                    headers["X-Amzn-RequestId"]["$ref"], REQUEST_ID_REF,
                    "{what}: X-Amzn-RequestId must $ref the shared header"
                );
                match status.as_str() {
                    // The documents promise `Location` on the SDNS creations only.
                    "201"
                        if matches!(op.id.as_str(), "createSubscriber" | "createSubscription") =>
                    {
                        assert!(
                            headers.get("Location").is_some(),
                            "{what}: 201 without Location"
                        )
                    }
                    "429" | "503" => assert!(
                        headers.get("Retry-After").is_some(),
                        "{what}: no Retry-After"
                    ),
                    "204" => assert!(response.get("content").is_none(), "{what}: 204 with a body"),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn every_json_body_has_an_example() {
    for spec in all_specs() {
        for op in spec.operations() {
            if let Some(body) = op.op.get("requestBody") {
                let body = spec.resolve(body);
                let content = body["content"]
                    .as_object()
                    .expect("request body has content");
                for (media_type, media) in content.iter().filter(|(m, _)| is_json(m)) {
                    assert_has_example(
                        media,
                        &format!("{}: {} request {media_type}", spec.file, op.name()),
                    );
                }
            }
            for (status, response) in op.op["responses"].as_object().expect("responses is a map") {
                let response = spec.resolve(response);
                for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                    if is_json(media_type) {
                        let what = format!(
                            "{}: {} response {status} {media_type}",
                            spec.file,
                            op.name()
                        );
                        assert_has_example(media, &what);
                    }
                }
            }
        }
    }
}

#[test]
fn discriminated_unions_are_closed_and_tagged() {
    for spec in all_specs() {
        let schemas = spec.root["components"]["schemas"]
            .as_object()
            .expect("components.schemas");
        for (name, schema) in schemas {
            let Some(discriminator) = schema.get("discriminator") else {
                continue;
            };
            let what = format!("{}: schema {name}", spec.file);
            let property = discriminator["propertyName"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: no propertyName"));
            let mapping = discriminator["mapping"]
                .as_object()
                .unwrap_or_else(|| panic!("{what}: no mapping"));
            let variants: BTreeSet<&str> = schema["oneOf"]
                .as_array()
                .unwrap_or_else(|| panic!("{what}: discriminator without oneOf"))
                .iter()
                .map(|v| {
                    v["$ref"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{what}: inline oneOf variant"))
                })
                .collect();
            let mapped: BTreeSet<&str> = mapping.values().filter_map(Value::as_str).collect();
            assert_eq!(
                variants, mapped,
                "{what}: mapping must list every oneOf variant"
            );
            for (tag, target) in mapping {
                let target = target.as_str().expect("mapping target is a $ref string");
                let reference = serde_json::json!({ "$ref": target });
                let variant = spec.resolve(&reference);
                let required: Vec<&str> = variant["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                assert!(
                    required.contains(&property),
                    "{what}: {target} must require `{property}`"
                );
                let tag_schema = spec.resolve(&variant["properties"][property]);
                assert_eq!(
                    tag_schema["type"], "string",
                    "{what}: {target}.{property} must be a string"
                );
                assert_eq!(
                    tag_schema["enum"],
                    serde_json::json!([tag]),
                    "{what}: {target}.{property} enum"
                );
            }
        }
    }
}

/// Follows a dotted field path through object schemas (resolving `$ref`s).
fn schema_at<'a>(spec: &'a Spec, mut schema: &'a Value, dotted: &str) -> Option<&'a Value> {
    for field in dotted.split('.') {
        schema = spec.resolve(schema).get("properties")?.get(field)?;
    }
    Some(spec.resolve(schema))
}

#[test]
fn pagination_hints_point_at_real_fields() {
    let mut paginated = BTreeMap::new();
    for spec in all_specs() {
        for op in spec.operations() {
            let Some(hint) = op.op.get("x-pagination") else {
                continue;
            };
            let what = format!("{}: {} x-pagination", spec.file, op.name());
            let parameters = op.parameters(&spec);
            let query_param = |name: &str| {
                parameters
                    .iter()
                    .any(|p| p["in"] == "query" && p["name"] == name)
            };
            let request_schema = op
                .op
                .get("requestBody")
                .map(|body| &spec.resolve(body)["content"]["application/json"]["schema"]);
            match (hint.get("tokenParameter"), hint.get("tokenBodyField")) {
                (Some(param), None) => {
                    let param = param.as_str().expect("tokenParameter is a string");
                    assert!(query_param(param), "{what}: no query parameter `{param}`");
                }
                (None, Some(field)) => {
                    let field = field.as_str().expect("tokenBodyField is a string");
                    let schema = request_schema
                        .unwrap_or_else(|| panic!("{what}: tokenBodyField without a body"));
                    assert!(
                        schema_at(&spec, schema, field).is_some(),
                        "{what}: no request field `{field}`"
                    );
                }
                _ => panic!("{what}: exactly one of tokenParameter and tokenBodyField is required"),
            }
            if let Some(param) = hint.get("pageSizeParameter").and_then(Value::as_str) {
                assert!(query_param(param), "{what}: no query parameter `{param}`");
            }
            if let Some(field) = hint.get("pageSizeBodyField").and_then(Value::as_str) {
                let schema = request_schema
                    .unwrap_or_else(|| panic!("{what}: pageSizeBodyField without a body"));
                assert!(
                    schema_at(&spec, schema, field).is_some(),
                    "{what}: no request field `{field}`"
                );
            }
            let responses = op.op["responses"].as_object().expect("responses is a map");
            let success = responses
                .iter()
                .find(|(status, _)| status.starts_with('2'))
                .map(|(_, r)| &spec.resolve(r)["content"]["application/json"]["schema"])
                .unwrap_or_else(|| panic!("{what}: no 2xx JSON response"));
            for key in ["nextTokenField", "itemsField"] {
                let field = hint[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{what}: `{key}` is required"));
                let target = schema_at(&spec, success, field)
                    .unwrap_or_else(|| panic!("{what}: no response field `{field}` for {key}"));
                if key == "itemsField" {
                    assert_eq!(
                        target["type"], "array",
                        "{what}: `{field}` must be an array"
                    );
                }
            }
            paginated.insert(op.id.clone(), spec.file.clone());
        }
    }
    let expected = [
        "queryNotifications",
        "listSubscribers",
        "listSubscriptions",
        "listCampaigns",
        "queryCampaigns",
    ];
    let found: BTreeSet<&str> = paginated.keys().map(String::as_str).collect();
    assert_eq!(
        found,
        expected.into_iter().collect(),
        "operations with x-pagination"
    );
}
