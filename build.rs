//! Fails the build, with the command to run, when `generated/` is stale against `specs/`.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=generated");
    println!("cargo:rerun-if-changed=oapigen.toml");
    // The same project file `cargo run -p oapigen-cli` reads, so the two cannot disagree.
    let configs = match oapigen::project::configs(Path::new("oapigen.toml")) {
        Ok(configs) => configs,
        Err(err) => panic!("oapigen.toml: {err}"),
    };
    let mut stale = Vec::new();
    for config in configs {
        match config.check() {
            Ok(files) => stale.extend(files.into_iter().map(|f| f.to_string())),
            Err(err) => stale.push(format!("{}: {err}", config.spec().display())),
        }
    }
    if !stale.is_empty() {
        for line in &stale {
            println!("cargo:warning=stale: {line}");
        }
        panic!(
            "generated/ is stale against specs/ ({} file(s)); regenerate with: cargo run -p oapigen-cli",
            stale.len()
        );
    }
}
