//! Property tests: real specs, randomly damaged (keys dropped, values of the wrong type,
//! broken `$ref`s, odd names injected), must give either generated code or located errors.
//! Never a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

const SPECS: &[&str] = &[
    "../../shared/corpus/OAI__petstore.yaml",
    "../../shared/corpus/OAI__petstore-expanded.yaml",
    "../../shared/corpus/OAI__uspto.yaml",
    "../../shared/corpus/OAI__callback-example.yaml",
    "../../shared/corpus/oxidecomputer__keeper.json",
    "../../shared/corpus/zijianhuang__xkcd.yaml",
    "../specs/notifications.yaml",
    "../specs/skill-development-notifications.yaml",
];

/// Names that have broken generators: keywords, digits first, punctuation, non-ASCII,
/// names that collide after case conversion, prelude types.
const ODD_NAMES: &[&str] = &[
    "type",
    "Self",
    "self",
    "super",
    "crate",
    "1st",
    "123",
    "a-b",
    "a.b",
    "a/b",
    "@id",
    "$ref",
    "ünïcödé",
    "名前",
    "",
    "_",
    "__",
    "fooBar",
    "foo_bar",
    "FooBar",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Error",
    "Client",
    "mod",
    "async",
    "r#type",
    " spaced name ",
    "end\n",
];

/// Values of every JSON type, to put where another type belongs.
fn wrong_values() -> Vec<Value> {
    vec![
        Value::Null,
        Value::from(42),
        Value::from(-1.5),
        Value::from(u64::MAX),
        Value::from("text"),
        Value::from(true),
        Value::Array(vec![]),
        serde_json::json!({}),
        serde_json::json!({"$ref": "#/components/schemas/Nowhere"}),
    ]
}

const BROKEN_REFS: &[&str] = &[
    "#/components/schemas/DoesNotExist",
    "#/components/parameters/",
    "#/",
    "#",
    "",
    "other.yaml#/components/schemas/Pet",
    "#/paths/~1pets/get",
    "#/components/schemas/Pet/properties/id",
    "https://example.com/schema.json",
];

#[derive(Debug, Clone)]
enum Mutation {
    DropKey {
        node: usize,
        key: usize,
    },
    WrongType {
        node: usize,
        value: usize,
    },
    BreakRef {
        nth: usize,
        target: usize,
    },
    RenameKey {
        node: usize,
        key: usize,
        name: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(node, key)| Mutation::DropKey { node, key }),
        (any::<usize>(), any::<usize>())
            .prop_map(|(node, value)| Mutation::WrongType { node, value }),
        (any::<usize>(), any::<usize>())
            .prop_map(|(nth, target)| Mutation::BreakRef { nth, target }),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(node, key, name)| Mutation::RenameKey { node, key, name }),
    ]
}

fn load(spec: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("{}: {err} (is ../shared beside the repo?)", path.display()));
    serde_yaml::from_str(&text).expect("corpus spec parses")
}

/// JSON pointers of every node, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn ref_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let child_at = format!("{at}/{escaped}");
                if key == "$ref" && child.is_string() {
                    out.push(child_at);
                } else {
                    ref_pointers(child, child_at, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                ref_pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn apply(document: &mut Value, mutation: &Mutation) {
    let mut nodes = Vec::new();
    pointers(document, String::new(), &mut nodes);
    let pick = |index: usize| nodes[index % nodes.len()].clone();
    match *mutation {
        Mutation::DropKey { node, key } => {
            if let Some(Value::Object(map)) = document.pointer_mut(&pick(node)) {
                if let Some(name) = map.keys().nth(key % map.len().max(1)).cloned() {
                    map.shift_remove(&name);
                }
            }
        }
        Mutation::WrongType { node, value } => {
            let values = wrong_values();
            if let Some(slot) = document.pointer_mut(&pick(node)) {
                *slot = values[value % values.len()].clone();
            }
        }
        Mutation::BreakRef { nth, target } => {
            let mut refs = Vec::new();
            ref_pointers(document, String::new(), &mut refs);
            if refs.is_empty() {
                return;
            }
            let at = refs[nth % refs.len()].clone();
            if let Some(slot) = document.pointer_mut(&at) {
                *slot = Value::from(BROKEN_REFS[target % BROKEN_REFS.len()]);
            }
        }
        Mutation::RenameKey { node, key, name } => {
            if let Some(Value::Object(map)) = document.pointer_mut(&pick(node)) {
                if let Some(old) = map.keys().nth(key % map.len().max(1)).cloned() {
                    if let Some(value) = map.shift_remove(&old) {
                        map.insert(ODD_NAMES[name % ODD_NAMES.len()].to_owned(), value);
                    }
                }
            }
        }
    }
}

fn scratch_file(case: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutations");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(format!("mutated-{}-{case}.json", std::process::id()))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn damaged_specs_never_panic(
        spec in 0..SPECS.len(),
        mutations in proptest::collection::vec(mutation(), 1..4),
        case in any::<u64>(),
    ) {
        let mut document = load(SPECS[spec]);
        for mutation in &mutations {
            apply(&mut document, mutation);
        }
        let path = scratch_file(case);
        std::fs::write(&path, serde_json::to_string_pretty(&document).expect("serialize"))
            .expect("write mutated spec");
        let out = path.with_extension("out");
        let result = catch_unwind(AssertUnwindSafe(|| {
            oapigen::Config::new(&path, &out).crate_name("mutated").lenient(case % 2 == 0).render()
        }));
        let _ = std::fs::remove_file(&path);
        let rendered = match result {
            Ok(rendered) => rendered,
            Err(_) => return Err(TestCaseError::fail(format!(
                "panic on {} after {mutations:?}", SPECS[spec]
            ))),
        };
        if let Err(err) = rendered {
            let text = err.to_string();
            prop_assert!(
                text.contains(&path.display().to_string()),
                "error does not name the file: {text}"
            );
            if let oapigen::GenerateError::Invalid { diagnostics } = &err {
                prop_assert!(!diagnostics.is_empty(), "invalid with no diagnostics");
                for diagnostic in diagnostics {
                    prop_assert!(
                        diagnostic.pointer.is_empty() || diagnostic.pointer.starts_with('/'),
                        "not a JSON pointer: {diagnostic}"
                    );
                }
            }
        }
    }
}
