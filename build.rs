//! Fails the build, with the command to run, when `generated/` is stale against `specs/`.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=generated");
    println!("cargo:rerun-if-changed=oapigen.toml");
    let specs = Path::new("specs");
    let Ok(entries) = std::fs::read_dir(specs) else {
        return;
    };
    let mut stale = Vec::new();
    let mut specs: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("alexa-{stem}");
        let config = oapigen::Config::new(&spec, Path::new("generated").join(&name))
            .crate_name(name)
            .runtime_dependency(oapigen::RuntimeDependency::Path("../../runtime".into()));
        match config.check() {
            Ok(files) => stale.extend(files.into_iter().map(|f| f.to_string())),
            Err(err) => stale.push(format!("{}: {err}", spec.display())),
        }
    }
    if !stale.is_empty() {
        for line in &stale {
            println!("cargo:warning=stale: {line}");
        }
        panic!("generated/ is stale against specs/ ({} file(s)); regenerate with: cargo run -p oapigen", stale.len());
    }
}
