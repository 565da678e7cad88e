//! The floor of generation time: read one spec file and parse it into a
//! `serde_json::Value` (JSON with `serde_json`, YAML with `serde_yaml`), then exit.
//!
//! `bench/compare.sh` times this beside `oapigen`: no generator can be faster than reading
//! and parsing its input. Same allocator as the `oapigen` CLI, so the ratio measures the
//! generator's own work.
//!
//! ```text
//! cargo run --release -p oapigen --example parse_floor -- SPEC
//! ```

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_floor SPEC");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: {}: {err}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let yaml = matches!(
        std::path::Path::new(&path)
            .extension()
            .and_then(|ext| ext.to_str()),
        Some("yaml" | "yml")
    );
    let parsed: Result<serde_json::Value, String> = if yaml {
        serde_yaml::from_slice(&bytes).map_err(|err| err.to_string())
    } else {
        serde_json::from_slice(&bytes).map_err(|err| err.to_string())
    };
    match parsed {
        Ok(value) => {
            // Keep the parse from being optimised away.
            std::hint::black_box(&value);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}: {err}", path.to_string_lossy());
            ExitCode::from(1)
        }
    }
}
