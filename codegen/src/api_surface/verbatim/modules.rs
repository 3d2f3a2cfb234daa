//! The crate's modules, parsed, and what a path names in them: enough of Rust's name
//! resolution to follow `pub use` re-exports and `impl` blocks to the items they are about.
//!
//! Not handled: items made by macro calls outside impls (the one such call, `described!` in
//! the chat's errors, implements a crate-private trait), `#[path]` attributes, items named
//! through `extern crate` aliases (the runtime and chat files use neither).

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::{Attribute, Item, UseTree};

use super::attrs;
use super::{Origin, Source, SourceFile};

/// A module: a file, or a `mod name { ... }` inside one.
pub(super) struct Module {
    pub origin: Origin,
    /// Its inner attributes (`//!` docs): a file's, or an inline module's.
    pub inner_attrs: Vec<Attribute>,
    pub items: Vec<Item>,
}

/// Every module of the crate, by path under the crate root.
pub(super) struct Tree {
    pub modules: BTreeMap<Vec<String>, Module>,
}

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// An item defined in a module of the crate (not a module itself).
    Def {
        module: Vec<String>,
        name: String,
    },
    Module(Vec<String>),
}

/// One name a `use` item brings in (`use a::{b, c as d, e::*}` is three).
pub(super) struct UseLeaf {
    /// The path, as written (`super`, `crate` and `self` included).
    pub segments: Vec<String>,
    /// The name it is known by here; `None` for a glob.
    pub name: Option<String>,
    /// `use ::name...`: another crate, whatever this crate's modules are called.
    pub external: bool,
}

/// Deeper than any chain of re-exports in real code: a cycle of globs stops here.
const MAX_DEPTH: usize = 16;

impl Tree {
    /// Parses the crate's Rust files under `src/` into modules: every hand-written one, and the
    /// generated ones that contain one (the root, `endpoint`, `types`), which place them and
    /// re-export their items. Other generated modules (a shape's, an operation's) re-export
    /// nothing hand-written and are not parsed: that keeps the cost of a surface to the files
    /// that matter (a re-export added there would go unrecorded).
    pub fn parse(files: &[SourceFile<'_>]) -> Result<Tree, String> {
        let mut modules = BTreeMap::new();
        for (file, path) in read(files) {
            let tokens = match file.source {
                Source::Text(text) => text.parse().map_err(|e| format!("{}: does not parse: {e}", file.path))?,
                Source::Tokens(tokens) => tokens.clone(),
            };
            let parsed = syn::parse2::<syn::File>(without_bodies(tokens))
                .map_err(|e| format!("{}: does not parse: {e}", file.path))?;
            add(&mut modules, path, file.origin, parsed.attrs, parsed.items);
        }
        Ok(Tree { modules })
    }

    /// What `name` means in `module`: an item defined there, a child module, or what a `use`
    /// there (glob included) names; `None` for anything outside the crate.
    pub fn lookup(&self, module: &[String], name: &str, depth: usize) -> Option<Target> {
        let m = self.modules.get(module)?;
        if depth > MAX_DEPTH {
            return None;
        }
        if m.items.iter().any(|item| !test_only(item) && item_name(item).is_some_and(|n| n == name)) {
            return Some(Target::Def { module: module.to_vec(), name: name.to_owned() });
        }
        let child: Vec<String> = module.iter().cloned().chain([name.to_owned()]).collect();
        if self.modules.contains_key(&child) {
            return Some(Target::Module(child));
        }
        let leaves: Vec<UseLeaf> = m.items.iter().flat_map(use_leaves).collect();
        if let Some(leaf) = leaves.iter().find(|leaf| leaf.name.as_deref() == Some(name)) {
            return if leaf.external { None } else { self.resolve(module, &leaf.segments, depth + 1) };
        }
        leaves.iter().filter(|leaf| leaf.name.is_none() && !leaf.external).find_map(|glob| {
            match self.resolve(module, &glob.segments, depth + 1)? {
                Target::Module(inner) => self.lookup(&inner, name, depth + 1),
                Target::Def { .. } => None,
            }
        })
    }

    /// What the path `segments`, written in `from`, names.
    pub fn resolve(&self, from: &[String], segments: &[String], depth: usize) -> Option<Target> {
        let mut current = from.to_vec();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                current.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            _ => {}
        }
        while rest.first().is_some_and(|s| s == "super") {
            current.pop()?;
            rest = &rest[1..];
        }
        let mut target = Target::Module(current);
        for segment in rest {
            target = match target {
                Target::Module(module) => self.lookup(&module, segment, depth + 1)?,
                // A variant or an associated item: not something a path here exports.
                Target::Def { .. } => return None,
            };
        }
        Some(target)
    }

    /// The item `name` defined in `module`.
    pub fn definition(&self, module: &[String], name: &str) -> Option<&Item> {
        self.modules
            .get(module)?
            .items
            .iter()
            .find(|item| !test_only(item) && item_name(item).is_some_and(|n| n == name))
    }
}

/// `tokens` with every function's body emptied (`fn f() -> T { ... }` becomes
/// `fn f() -> T {}`): the API is in the signatures, and bodies are most of the text, so the
/// parser reads a few times less. A function is `fn` followed by its name (a pointer type,
/// `fn(u8)`, has none); its body is the first braces after it, unless a `;` comes first.
fn without_bodies(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    // 0: outside a function; 1: after `fn`; 2: after `fn name`, before its body.
    let mut state = 0;
    for token in tokens {
        let token = match token {
            TokenTree::Ident(ident) => {
                state = match state {
                    _ if ident == "fn" => 1,
                    1 | 2 => 2,
                    _ => 0,
                };
                TokenTree::Ident(ident)
            }
            TokenTree::Group(group) if state == 2 && group.delimiter() == Delimiter::Brace => {
                state = 0;
                let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                empty.set_span(group.span());
                TokenTree::Group(empty)
            }
            TokenTree::Group(group) => {
                if state == 1 {
                    state = 0;
                }
                let mut inner = Group::new(group.delimiter(), without_bodies(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            TokenTree::Punct(punct) => {
                if state == 1 || punct.as_char() == ';' {
                    state = 0;
                }
                TokenTree::Punct(punct)
            }
            literal => literal,
        };
        out.push(token);
    }
    out.into_iter().collect()
}

/// The module a file is (`src/lib.rs` the root, `src/a/mod.rs` and `src/a.rs` `a`).
/// The files [`Tree::parse`] reads, with their module paths: everything a surface depends on.
pub(super) fn read<'f, 'a>(files: &'f [SourceFile<'a>]) -> impl Iterator<Item = (&'f SourceFile<'a>, Vec<String>)> {
    let verbatim: Vec<Vec<String>> = files
        .iter()
        .filter(|file| file.origin != Origin::Generated)
        .filter_map(|file| module_path(file.path))
        .collect();
    files.iter().filter_map(move |file| {
        let path = module_path(file.path)?;
        let contains_verbatim = || verbatim.iter().any(|inner| inner.len() > path.len() && inner.starts_with(&path));
        (file.origin != Origin::Generated || contains_verbatim()).then_some((file, path))
    })
}

fn module_path(file: &str) -> Option<Vec<String>> {
    let inner = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut path: Vec<String> = inner.split('/').map(str::to_owned).collect();
    if path.last().is_some_and(|last| last == "mod" || (path.len() == 1 && last == "lib")) {
        path.pop();
    }
    Some(path)
}

/// Adds a module and the inline modules in it (their items move to their own module; the
/// declaration keeps its attributes, inner ones included).
fn add(
    modules: &mut BTreeMap<Vec<String>, Module>,
    path: Vec<String>,
    origin: Origin,
    inner_attrs: Vec<Attribute>,
    mut items: Vec<Item>,
) {
    for item in &mut items {
        if let Item::Mod(inline) = item
            && !attrs::test_only(&inline.attrs)
            && let Some((_, content)) = &mut inline.content
        {
            let child = path.iter().cloned().chain([inline.ident.to_string()]).collect();
            add(modules, child, origin, Vec::new(), std::mem::take(content));
        }
    }
    modules.insert(path, Module { origin, inner_attrs, items });
}

/// The attributes of an item that has them in the same place (the ones this module reads).
pub(super) fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]` on the item.
pub(super) fn test_only(item: &Item) -> bool {
    attrs::test_only(item_attrs(item))
}

/// The name an item defines (modules and `use` aside).
pub(super) fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Fn(i) => &i.sig.ident,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The names a `use` item brings in; nothing for any other item or a test-only one.
pub(super) fn use_leaves(item: &Item) -> Vec<UseLeaf> {
    let mut leaves = Vec::new();
    if let Item::Use(item) = item
        && !attrs::test_only(&item.attrs)
    {
        walk(&item.tree, Vec::new(), item.leading_colon.is_some(), &mut leaves);
    }
    leaves
}

fn walk(tree: &UseTree, prefix: Vec<String>, external: bool, out: &mut Vec<UseLeaf>) {
    let with = |name: String| prefix.iter().cloned().chain([name]).collect::<Vec<_>>();
    match tree {
        UseTree::Path(path) => walk(&path.tree, with(path.ident.to_string()), external, out),
        // `use a::{self}` names `a` itself.
        UseTree::Name(name) if name.ident == "self" => {
            let name = prefix.last().cloned();
            out.push(UseLeaf { segments: prefix, name, external });
        }
        UseTree::Name(name) => {
            let segments = with(name.ident.to_string());
            out.push(UseLeaf { name: segments.last().cloned(), segments, external });
        }
        UseTree::Rename(rename) => {
            let segments = if rename.ident == "self" { prefix.clone() } else { with(rename.ident.to_string()) };
            out.push(UseLeaf { segments, name: Some(rename.rename.to_string()), external });
        }
        UseTree::Glob(_) => out.push(UseLeaf { segments: prefix, name: None, external }),
        UseTree::Group(group) => {
            for tree in &group.items {
                walk(tree, prefix.clone(), external, out);
            }
        }
    }
}
