//! Fails the build, with the command to run, when `generated/` is stale against `specs/`;
//! generates the security-scheme fixture client the root tests include.

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
    generate_test_clients();
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

/// The fixture clients the root tests run against wiremock, in module mode (the `build.rs`
/// use the README shows), written to `OUT_DIR` and `include!`d by the tests; nothing of them
/// is part of this crate's library: `receiving` for `tests/receiving.rs`, `secured` (every
/// kind of security scheme) for `tests/security_schemes.rs`.
fn generate_test_clients() {
    for (fixture, module) in [
        (
            "generator/tests/fixtures/constructs/receiving.yaml",
            "receiving",
        ),
        (
            "generator/tests/fixtures/constructs/security_schemes.yaml",
            "secured",
        ),
    ] {
        println!("cargo:rerun-if-changed={fixture}");
        let Some(out) = std::env::var_os("OUT_DIR") else {
            panic!("cargo sets OUT_DIR for build scripts");
        };
        // A folder each: writing a crate's files removes the generator's other files there.
        if let Err(err) = oapigen::Config::new(fixture, Path::new(&out).join(module))
            .module(module)
            .generate()
        {
            panic!("{fixture}: {err}");
        }
    }
}
