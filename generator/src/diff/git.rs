//! Reading files as they were at a git revision, through the `git` command line.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::DiffError;

/// The nearest existing directory above `path`, and `path` relative to it (`/`-separated).
fn locate(path: &Path) -> (PathBuf, String) {
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut rest: Vec<String> = path
        .file_name()
        .map(|n| vec![n.to_string_lossy().into_owned()])
        .unwrap_or_default();
    while !(dir.as_os_str().is_empty() || dir.is_dir()) {
        match dir.components().next_back() {
            Some(Component::Normal(name)) => rest.insert(0, name.to_string_lossy().into_owned()),
            _ => break,
        }
        dir.pop();
    }
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    (dir, rest.join("/"))
}

fn git(dir: &Path, args: &[&str]) -> Result<Output, DiffError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| DiffError::Git(format!("cannot run `git`: {err}")))
}

/// Fails with a clear message unless `rev` names a commit of the repository holding `path`.
pub fn verify_revision(path: &Path, rev: &str) -> Result<(), DiffError> {
    let (dir, _) = locate(path);
    let spec = format!("{rev}^{{commit}}");
    let output = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let why = if stderr.trim().is_empty() {
        "no such commit".to_owned()
    } else {
        stderr.trim().to_owned()
    };
    Err(DiffError::Git(format!(
        "unknown revision `{rev}` in {}: {why}",
        dir.display()
    )))
}

/// The contents of `path` at `rev`, or `None` when the file does not exist there.
pub fn show(path: &Path, rev: &str) -> Result<Option<String>, DiffError> {
    let (dir, relative) = locate(path);
    let object = format!("{rev}:./{relative}");
    let exists = git(&dir, &["cat-file", "-e", "--end-of-options", &object])?;
    if !exists.status.success() {
        return Ok(None);
    }
    let output = git(&dir, &["show", "--end-of-options", &object])?;
    if !output.status.success() {
        return Err(DiffError::Git(format!(
            "git show {object} (in {}): {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout)
        .map(Some)
        .map_err(|_| DiffError::Git(format!("{object} is not UTF-8 text")))
}

/// A copy of a file at some revision, in a temporary directory removed on drop.
pub struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    /// Where the copy is (same file name as the original).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `path` as it was at `rev`, written to a temporary file; `None` when it did not exist.
pub fn show_to_temp(path: &Path, rev: &str) -> Result<Option<TempFile>, DiffError> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let Some(text) = show(path, rev)? else {
        return Ok(None);
    };
    let dir = std::env::temp_dir().join(format!(
        "oapigen-diff-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let name = path.file_name().unwrap_or_else(|| "spec.yaml".as_ref());
    let file = TempFile {
        path: dir.join(name),
        dir,
    };
    let io = |source| DiffError::Io {
        path: file.path.clone(),
        source,
    };
    std::fs::create_dir_all(&file.dir).map_err(io)?;
    std::fs::write(&file.path, text).map_err(io)?;
    Ok(Some(file))
}
