//! Which files the generator may touch: regular files inside the output folder, reached
//! without a symlink, whose first line is its own header. Reads are bounded, so a device
//! file or a huge file planted where a generated file belongs cannot exhaust memory.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::MARKER;

/// The largest file the generator reads back from its output folder.
const MAX_READ: u64 = 64 * 1024 * 1024;

/// The longest file or folder name written, in bytes (the common file-system limit).
const MAX_NAME: usize = 255;

/// How deep orphan search descends; generated crates are a few levels deep.
pub const MAX_DEPTH: usize = 32;

/// What is at a path the generator wants to write.
pub enum Existing {
    /// Nothing: the file is new.
    Missing,
    /// A file the generator wrote, with its contents.
    Owned(String),
    /// A regular file without the generator's header.
    Foreign,
    /// A symlink, folder, device or other non-regular entry (never written through).
    Refused(String),
}

/// Whether `text` starts with a header the generator writes (`// `, `# ` or `<!-- ` then
/// the marker, a version and a spec hash).
pub fn has_own_header(text: &str) -> bool {
    let Some(first) = text.lines().next() else {
        return false;
    };
    let rest = ["// ", "# ", "<!-- "]
        .iter()
        .find_map(|prefix| first.strip_prefix(prefix));
    rest.is_some_and(|rest| rest.starts_with(MARKER) && super::parse_header(rest).is_some())
}

/// Reads `path` if it is a regular file (not a symlink) of at most [`MAX_READ`] bytes.
pub fn read_regular(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_READ {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_READ)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// Reads a file the generator wrote, or `None` (missing, foreign, symlink, too big).
pub fn read_owned(path: &Path) -> Option<String> {
    read_regular(path).filter(|text| has_own_header(text))
}

/// Checks `relative` is a plain relative path of names that fit the file system, and that
/// no folder between `dir` and it is a symlink or a file; then says what is there.
pub fn inspect(dir: &Path, relative: &Path) -> Existing {
    let mut at = dir.to_path_buf();
    let components: Vec<Component> = relative.components().collect();
    for (index, component) in components.iter().enumerate() {
        let Component::Normal(name) = component else {
            return Existing::Refused(format!(
                "`{}` is not a plain relative path",
                relative.display()
            ));
        };
        if name.len() > MAX_NAME {
            return Existing::Refused(format!(
                "a name in `{}` is longer than {MAX_NAME} bytes",
                relative.display()
            ));
        }
        at.push(name);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return Existing::Missing;
        };
        let last = index + 1 == components.len();
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Existing::Refused(format!("{} is a symlink", at.display()));
        }
        if !last && !kind.is_dir() {
            return Existing::Refused(format!("{} is not a folder", at.display()));
        }
        if last && !kind.is_file() {
            return Existing::Refused(format!("{} is not a regular file", at.display()));
        }
    }
    match read_regular(&at) {
        Some(text) if has_own_header(&text) => Existing::Owned(text),
        Some(_) => Existing::Foreign,
        None => Existing::Refused(format!(
            "{} cannot be read, or is larger than {MAX_READ} bytes",
            at.display()
        )),
    }
}

/// Generated files under `dir` (regular, own header, `.rs`/`.toml`/`.md`) not in
/// `expected`. Symlinks are never followed, hidden folders and `target` never entered.
pub fn generated_files(dir: &Path, expected: &std::collections::HashSet<PathBuf>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((current, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            if kind.is_dir() {
                if !hidden && name != "target" && depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_file()
                && path
                    .extension()
                    .is_some_and(|e| e == "rs" || e == "toml" || e == "md")
                && !expected.contains(&path)
                && first_line_is_header(&path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Reads only the start of `path`: enough for the header line.
fn first_line_is_header(path: &Path) -> bool {
    let mut start = Vec::with_capacity(512);
    let read = std::fs::File::open(path).and_then(|file| file.take(512).read_to_end(&mut start));
    read.is_ok() && has_own_header(&String::from_utf8_lossy(&start))
}
