//! Lines of generated Rust in one crate: in total, in its operations and in its types, so
//! the report shows what a change to the emitted code does across the corpus.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Lines of the `.rs` files under a crate's `src/`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines {
    /// Every `.rs` file.
    pub total: usize,
    /// Files under an `operations` directory (or `operations.rs`).
    pub operations: usize,
    /// Files under a `types` directory (or `types.rs`).
    pub types: usize,
}

impl Lines {
    /// Counts the lines of the `.rs` files under `src` (at most `MAX_DEPTH` directories
    /// deep; unreadable files count nothing).
    pub fn of_sources(src: &Path) -> Self {
        let mut lines = Lines::default();
        lines.walk(src, Part::Other, 0);
        lines
    }

    fn walk(&mut self, dir: &Path, part: Part, depth: usize) {
        const MAX_DEPTH: usize = 8;
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let here = match (part, stem) {
                (Part::Other, "operations") => Part::Operations,
                (Part::Other, "types") => Part::Types,
                _ => part,
            };
            if path.is_dir() {
                if depth < MAX_DEPTH {
                    self.walk(&path, here, depth + 1);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let count = text.lines().count();
            self.total += count;
            match here {
                Part::Operations => self.operations += count,
                Part::Types => self.types += count,
                Part::Other => {}
            }
        }
    }

    /// Lines of operations code per operation (`-` without operations).
    pub fn per_operation(&self, operations: usize) -> String {
        ratio(self.operations, operations)
    }

    /// Lines of types code per type (`-` without types).
    pub fn per_type(&self, types: usize) -> String {
        ratio(self.types, types)
    }
}

fn ratio(lines: usize, count: usize) -> String {
    if count == 0 {
        return "-".to_owned();
    }
    format!("{:.0}", lines as f64 / count as f64)
}

#[derive(Clone, Copy)]
enum Part {
    Operations,
    Types,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_types_and_the_rest() {
        let dir = std::env::temp_dir().join(format!("oapigen-lines-{}", std::process::id()));
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("operations")).expect("dir");
        std::fs::create_dir_all(src.join("types")).expect("dir");
        std::fs::write(src.join("lib.rs"), "a\nb\n").expect("write");
        std::fs::write(src.join("operations/pets.rs"), "1\n2\n3\n").expect("write");
        std::fs::write(src.join("operations/mod.rs"), "m\n").expect("write");
        std::fs::write(src.join("types/mod.rs"), "t\nt\nt\nt\nt\n").expect("write");
        std::fs::write(src.join("types/notes.txt"), "not rust\n").expect("write");
        std::fs::write(src.join("client.rs"), "c\n").expect("write");
        let lines = Lines::of_sources(&src);
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!(
            lines,
            Lines {
                total: 12,
                operations: 4,
                types: 5
            }
        );
        assert_eq!(lines.per_operation(2), "2");
        assert_eq!(lines.per_type(0), "-");
    }

    #[test]
    fn single_files_count_as_their_part() {
        let dir = std::env::temp_dir().join(format!("oapigen-lines-single-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("operations.rs"), "1\n2\n").expect("write");
        std::fs::write(dir.join("types.rs"), "1\n").expect("write");
        let lines = Lines::of_sources(&dir);
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!((lines.total, lines.operations, lines.types), (3, 2, 1));
        assert_eq!(Lines::of_sources(&dir.join("missing")), Lines::default());
    }
}
