//! The public API of a Rust crate as a deterministic text listing, read from its sources.
//!
//! [`public_api`] parses `src/lib.rs` with `syn`, follows `mod x;` declarations to their
//! files, resolves `pub use` re-exports (globs included) and lists every item reachable from
//! the crate root by a public path, one line each: modules, structs and their public fields,
//! enums and their variants, functions and methods with full signatures, traits and their
//! items, constants, statics, type aliases, re-exports of other crates, and trait
//! implementations, derived or written. Lines are grouped by item path and sorted, so two
//! listings of a crate differ exactly where its public API does: fit for snapshots and for a
//! semver report between two versions of a spec.
//!
//! It reads source, not rustdoc JSON (no nightly toolchain needed). Macros are not expanded,
//! `#[cfg]` is ignored except that `#[cfg(test)]` items are skipped, auto traits (`Send`,
//! `Sync`) are not inferred, and types are shown as written in the source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use render::Listing;

mod render;

/// Why a crate's public API could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum SurfaceError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A source file is not valid Rust.
    #[error("{}: not valid Rust: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A `mod name;` declaration whose file does not exist.
    #[error("{}: module `{name}` has no file (looked for {})", declared_in.display(), list(looked_for))]
    MissingModule {
        /// The module's name.
        name: String,
        /// The file that declares it.
        declared_in: PathBuf,
        /// Where its file could have been.
        looked_for: Vec<PathBuf>,
    },
    /// `Cargo.toml` has no readable package name.
    #[error("{}: {message}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(" and ")
}

/// The public API of the crate in `crate_dir` (which holds `Cargo.toml` and `src/lib.rs`),
/// one item per line, ending with a newline.
///
/// ```text
/// #[non_exhaustive] pub struct my_crate::types::Pet
/// pub my_crate::types::Pet::name: String
/// pub fn my_crate::types::Pet::new(name: String) -> Self
/// impl Clone for my_crate::types::Pet
/// ```
pub fn public_api(crate_dir: &Path) -> Result<String, SurfaceError> {
    let crate_name = package_name(&crate_dir.join("Cargo.toml"))?.replace('-', "_");
    let root_file = crate_dir.join("src").join("lib.rs");
    let mut tree = Tree::default();
    let items = parse_file(&root_file)?.items;
    let root_dir = crate_dir.join("src");
    tree.load(None, items, &root_dir, &root_file)?;
    Ok(Listing::new(&tree, &crate_name).finish())
}

fn package_name(manifest: &Path) -> Result<String, SurfaceError> {
    let text = read(manifest)?;
    let bad = |message: String| SurfaceError::Manifest {
        path: manifest.to_path_buf(),
        message,
    };
    let value: toml::Value = toml::from_str(&text).map_err(|err| bad(err.to_string()))?;
    value
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| bad("no [package] name".to_owned()))
}

fn read(path: &Path) -> Result<String, SurfaceError> {
    std::fs::read_to_string(path).map_err(|source| SurfaceError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_file(path: &Path) -> Result<syn::File, SurfaceError> {
    syn::parse_file(&read(path)?).map_err(|err| SurfaceError::Parse {
        path: path.to_path_buf(),
        message: err.to_string(),
    })
}

type ModId = usize;

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Module(ModId),
    /// Item `1` of module `0`'s items.
    Item(ModId, usize),
    /// Something in another crate, as written.
    External(String),
}

/// One name a `use` brings in, or a glob.
struct Import {
    public: bool,
    /// `None` for a glob.
    name: Option<String>,
    leading_colon: bool,
    path: Vec<String>,
}

#[derive(Default)]
struct Module {
    parent: Option<ModId>,
    items: Vec<syn::Item>,
    /// Child modules: name → (public, id).
    children: BTreeMap<String, (bool, ModId)>,
    /// Named items (not modules or uses): name → index in `items`.
    defs: BTreeMap<String, usize>,
    imports: Vec<Import>,
}

#[derive(Default)]
struct Tree {
    modules: Vec<Module>,
}

impl Tree {
    /// Adds a module with `items`; its child modules' files are looked for in `dir`.
    fn load(
        &mut self,
        parent: Option<ModId>,
        items: Vec<syn::Item>,
        dir: &Path,
        file: &Path,
    ) -> Result<ModId, SurfaceError> {
        let id = self.modules.len();
        self.modules.push(Module {
            parent,
            ..Module::default()
        });
        for item in items {
            if is_cfg_test(item_attrs(&item)) {
                continue;
            }
            match item {
                syn::Item::Mod(module) => {
                    let name = module.ident.to_string();
                    let child_dir = dir.join(&name);
                    let child = match module.content {
                        Some((_, items)) => self.load(Some(id), items, &child_dir, file)?,
                        None => {
                            let found = module_file(&module, dir, file)?;
                            let items = parse_file(&found)?.items;
                            let below = if found.file_name().is_some_and(|f| f == "mod.rs") {
                                found
                                    .parent()
                                    .map_or_else(|| child_dir.clone(), Path::to_path_buf)
                            } else {
                                found.with_extension("")
                            };
                            self.load(Some(id), items, &below, &found)?
                        }
                    };
                    let public = is_public(&module.vis);
                    self.modules[id].children.insert(name, (public, child));
                }
                syn::Item::Use(item_use) => {
                    let public = is_public(&item_use.vis);
                    let leading = item_use.leading_colon.is_some();
                    let imports = &mut self.modules[id].imports;
                    flatten_use(&item_use.tree, public, leading, &mut Vec::new(), imports);
                }
                item => {
                    let module = &mut self.modules[id];
                    if let Some(name) = item_name(&item) {
                        module.defs.entry(name).or_insert(module.items.len());
                    }
                    module.items.push(item);
                }
            }
        }
        Ok(id)
    }

    /// A one-segment path as the module's `use` declarations spell it in full (`Serialize`
    /// under `use ::serde::{Deserialize, Serialize};` is `::serde::Serialize`), so listings do
    /// not depend on how a file imports what it implements.
    fn imported_text(&self, module: ModId, path: &syn::Path) -> Option<String> {
        let [segment] = path.segments.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        if path.leading_colon.is_some() || !segment.arguments.is_none() {
            return None;
        }
        let name = segment.ident.to_string();
        let import = self.modules[module]
            .imports
            .iter()
            .find(|import| import.name.as_deref() == Some(name.as_str()))?;
        let lead = if import.leading_colon { "::" } else { "" };
        Some(format!("{lead}{}", import.path.join("::")))
    }

    fn item(&self, module: ModId, index: usize) -> Option<&syn::Item> {
        self.modules.get(module)?.items.get(index)
    }

    /// What `path` names when written in `module`.
    fn resolve(
        &self,
        module: ModId,
        leading_colon: bool,
        path: &[String],
        depth: u32,
    ) -> Option<Target> {
        if depth > 32 {
            return None;
        }
        let (first, rest) = path.split_first()?;
        if leading_colon {
            return Some(Target::External(format!("::{}", path.join("::"))));
        }
        let mut current = match first.as_str() {
            "crate" => Target::Module(0),
            "self" => Target::Module(module),
            "super" => Target::Module(self.modules.get(module)?.parent?),
            name => match self.lookup(module, name, depth + 1) {
                Some(found) => found,
                // Not defined here: another crate, or the prelude.
                None => return Some(Target::External(path.join("::"))),
            },
        };
        for segment in rest {
            current = match current {
                Target::Module(id) if segment == "super" => {
                    Target::Module(self.modules.get(id)?.parent?)
                }
                Target::Module(id) => self.lookup(id, segment, depth + 1)?,
                // An enum variant or associated item: the item itself is what matters here.
                Target::Item(..) => return Some(current),
                Target::External(text) => Target::External(format!("{text}::{segment}")),
            };
        }
        Some(current)
    }

    /// What `name` means inside `module`: a child module, an item, or an import.
    fn lookup(&self, module: ModId, name: &str, depth: u32) -> Option<Target> {
        let found = self.modules.get(module)?;
        if let Some((_, child)) = found.children.get(name) {
            return Some(Target::Module(*child));
        }
        if let Some(index) = found.defs.get(name) {
            return Some(Target::Item(module, *index));
        }
        let named = found
            .imports
            .iter()
            .find(|i| i.name.as_deref() == Some(name));
        if let Some(import) = named {
            return self.resolve(module, import.leading_colon, &import.path, depth);
        }
        found
            .imports
            .iter()
            .filter(|import| import.name.is_none())
            .find_map(
                |glob| match self.resolve(module, glob.leading_colon, &glob.path, depth)? {
                    Target::Module(id) if id != module => self.lookup(id, name, depth + 1),
                    _ => None,
                },
            )
    }

    /// The public names of `module`: `pub` modules and items, and what `pub use` brings in.
    fn exports(&self, module: ModId, depth: u32) -> BTreeMap<String, Target> {
        let mut out = BTreeMap::new();
        let Some(found) = self.modules.get(module) else {
            return out;
        };
        for (name, (public, child)) in &found.children {
            if *public {
                out.insert(name.clone(), Target::Module(*child));
            }
        }
        for (name, index) in &found.defs {
            if found.items.get(*index).is_some_and(item_is_public) {
                out.insert(name.clone(), Target::Item(module, *index));
            }
        }
        for import in found.imports.iter().filter(|import| import.public) {
            let Some(target) = self.resolve(module, import.leading_colon, &import.path, 0) else {
                continue;
            };
            match (&import.name, target) {
                (Some(name), target) => {
                    out.entry(name.clone()).or_insert(target);
                }
                (None, Target::Module(id)) if id != module && depth < 32 => {
                    for (name, target) in self.exports(id, depth + 1) {
                        out.entry(name).or_insert(target);
                    }
                }
                (None, Target::External(text)) => {
                    out.entry("*".to_owned())
                        .or_insert(Target::External(format!("{text}::*")));
                }
                (None, _) => {}
            }
        }
        out
    }
}

/// Where the file of `mod name;` (declared in `file`, children in `dir`) is.
fn module_file(module: &syn::ItemMod, dir: &Path, file: &Path) -> Result<PathBuf, SurfaceError> {
    let name = module.ident.to_string();
    let explicit = module
        .attrs
        .iter()
        .find(|attr| attr.path().is_ident("path"));
    let candidates = match explicit.map(|attr| &attr.meta) {
        Some(syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(path),
                    ..
                }),
            ..
        })) => vec![file.parent().unwrap_or(dir).join(path.value())],
        _ => vec![
            dir.join(format!("{name}.rs")),
            dir.join(&name).join("mod.rs"),
        ],
    };
    match candidates.iter().find(|candidate| candidate.is_file()) {
        Some(found) => Ok(found.clone()),
        None => Err(SurfaceError::MissingModule {
            name,
            declared_in: file.to_path_buf(),
            looked_for: candidates,
        }),
    }
}

fn flatten_use(
    tree: &syn::UseTree,
    public: bool,
    leading_colon: bool,
    prefix: &mut Vec<String>,
    out: &mut Vec<Import>,
) {
    let mut push = |name: Option<String>, path: Vec<String>| {
        out.push(Import {
            public,
            name,
            leading_colon,
            path,
        });
    };
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            flatten_use(&path.tree, public, leading_colon, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(name) if name.ident == "self" => {
            if let Some(last) = prefix.last() {
                push(Some(last.clone()), prefix.clone());
            }
        }
        syn::UseTree::Name(name) => {
            let mut path = prefix.clone();
            path.push(name.ident.to_string());
            push(Some(name.ident.to_string()), path);
        }
        syn::UseTree::Rename(rename) if rename.rename == "_" => {}
        syn::UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            if rename.ident != "self" {
                path.push(rename.ident.to_string());
            }
            push(Some(rename.rename.to_string()), path);
        }
        syn::UseTree::Glob(_) => push(None, prefix.clone()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                flatten_use(tree, public, leading_colon, prefix, out);
            }
        }
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

fn item_is_public(item: &syn::Item) -> bool {
    match item {
        syn::Item::Const(i) => is_public(&i.vis),
        syn::Item::Enum(i) => is_public(&i.vis),
        syn::Item::Fn(i) => is_public(&i.vis),
        syn::Item::Static(i) => is_public(&i.vis),
        syn::Item::Struct(i) => is_public(&i.vis),
        syn::Item::Trait(i) => is_public(&i.vis),
        syn::Item::Type(i) => is_public(&i.vis),
        syn::Item::Union(i) => is_public(&i.vis),
        syn::Item::Macro(i) => i.attrs.iter().any(|a| a.path().is_ident("macro_export")),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
