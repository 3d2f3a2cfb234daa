//! The public items of the hand-written files, found by walking the module tree from the
//! crate root through public modules and `pub use` re-exports.

use std::collections::{BTreeMap, BTreeSet};

use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::{Fields, FnArg, ImplItem, ReturnType, Token, TraitItem, Type, Visibility};

use super::super::digest::digest;
use super::attrs::{self, text};
use super::modules::{Target, Tree, item_attrs, item_name, test_only, use_leaves};
use super::{Field, Impls, Item, ItemKind, MacroEntry, Origin, Signature, TraitMethod, Variant};

/// A definition: its module and name.
type DefKey = (Vec<String>, String);

/// Every public item of a hand-written file, at each path the crate exports it under.
pub(super) fn public_items(tree: &Tree) -> Vec<Item> {
    let mut walker = Walker { tree, impls: impls(tree), items: Vec::new(), visited: BTreeSet::new() };
    walker.module(&[], &[], &[]);
    walker.items
}

struct Walker<'a> {
    tree: &'a Tree,
    impls: BTreeMap<DefKey, Impls>,
    items: Vec<Item>,
    /// (module, the path it is exported at): a cycle of re-exports stops.
    visited: BTreeSet<(Vec<String>, Vec<String>)>,
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn joined(path: &[String], name: &str) -> Vec<String> {
    path.iter().cloned().chain([name.to_owned()]).collect()
}

/// `cfg` predicates: the outer ones, then the item's own that are new.
fn with_cfgs(outer: &[String], own: Vec<String>) -> Vec<String> {
    let mut all = outer.to_vec();
    all.extend(own.into_iter().filter(|cfg| !outer.contains(cfg)));
    all
}

impl Walker<'_> {
    /// The public items of `module`, exported at `public` under the `cfg` predicates `cfg`.
    fn module(&mut self, module: &[String], public: &[String], cfg: &[String]) {
        if !self.visited.insert((module.to_vec(), public.to_vec())) {
            return;
        }
        let tree = self.tree;
        let Some(m) = tree.modules.get(module) else { return };
        for item in &m.items {
            if test_only(item) {
                continue;
            }
            match item {
                syn::Item::Mod(decl) if is_pub(&decl.vis) => {
                    let child = joined(module, &decl.ident.to_string());
                    let at = joined(public, &decl.ident.to_string());
                    let child_cfg = with_cfgs(cfg, attrs::cfgs(&decl.attrs));
                    self.module_item(&child, &at, &child_cfg, &decl.attrs);
                    self.module(&child, &at, &child_cfg);
                }
                syn::Item::Use(decl) if is_pub(&decl.vis) => {
                    let use_cfg = with_cfgs(cfg, attrs::cfgs(&decl.attrs));
                    for leaf in use_leaves(item) {
                        let target = if leaf.external { None } else { tree.resolve(module, &leaf.segments, 0) };
                        let lead = if leaf.external { "::" } else { "" };
                        let written = format!("{lead}{}", leaf.segments.join("::"));
                        match (leaf.name, target) {
                            (Some(name), Some(Target::Def { module: home, name: defined })) => {
                                let at = joined(public, &name);
                                if !self.definition(&home, &defined, &at, &use_cfg) {
                                    // A generated item: its own surface has it, the re-export is this file's.
                                    self.reexport(m.origin, &at, &use_cfg, decl, written);
                                }
                            }
                            (Some(name), Some(Target::Module(inner))) => {
                                let at = joined(public, &name);
                                self.module_item(&inner, &at, &use_cfg, &[]);
                                self.module(&inner, &at, &use_cfg);
                            }
                            // A glob exports the module's public items here.
                            (None, Some(Target::Module(inner))) => self.module(&inner, public, &use_cfg),
                            (Some(name), None) => {
                                self.reexport(m.origin, &joined(public, &name), &use_cfg, decl, written)
                            }
                            (None, _) => {}
                        }
                    }
                }
                _ => {
                    if let Some(name) = item_name(item)
                        && item_vis(item).is_some_and(is_pub)
                    {
                        self.definition(module, &name, &joined(public, &name), cfg);
                    }
                }
            }
        }
    }

    /// Records a hand-written module at `at` (declared with `decl_attrs`, none for a
    /// re-export).
    fn module_item(&mut self, module: &[String], at: &[String], cfg: &[String], decl_attrs: &[syn::Attribute]) {
        let Some(m) = self.tree.modules.get(module) else { return };
        let Some(origin) = m.origin.label() else { return };
        self.items.push(Item {
            path: at.join("::"),
            origin: origin.to_owned(),
            cfg: cfg.to_vec(),
            kind: ItemKind::Module,
            deprecated: attrs::deprecated(decl_attrs.iter().chain(&m.inner_attrs)),
            docs: attrs::docs(decl_attrs.iter().chain(&m.inner_attrs)),
        });
    }

    /// Records a re-export, by a hand-written file (`origin`), of something no hand-written
    /// file defines, at `at`: its target as written.
    fn reexport(&mut self, origin: Origin, at: &[String], cfg: &[String], decl: &syn::ItemUse, target: String) {
        let Some(origin) = origin.label() else { return };
        self.items.push(Item {
            path: at.join("::"),
            origin: origin.to_owned(),
            cfg: cfg.to_vec(),
            kind: ItemKind::Reexport { target },
            deprecated: attrs::deprecated(&decl.attrs),
            docs: attrs::docs(&decl.attrs),
        });
    }

    /// Records the item `name` of `module`, when a hand-written file defines it, at `at`;
    /// whether it did.
    fn definition(&mut self, module: &[String], name: &str, at: &[String], cfg: &[String]) -> bool {
        let tree = self.tree;
        let Some(origin) = tree.modules.get(module).and_then(|m| m.origin.label()) else { return false };
        let Some(item) = tree.definition(module, name) else { return false };
        let impls = self.impls.get(&(module.to_vec(), name.to_owned())).cloned().unwrap_or_default();
        let Some(kind) = kind(item, impls) else { return false };
        let own = item_attrs(item);
        self.items.push(Item {
            path: at.join("::"),
            origin: origin.to_owned(),
            cfg: with_cfgs(cfg, attrs::cfgs(own)),
            kind,
            deprecated: attrs::deprecated(own),
            docs: attrs::docs(own),
        });
        true
    }
}

fn item_vis(item: &syn::Item) -> Option<&Visibility> {
    Some(match item {
        syn::Item::Const(i) => &i.vis,
        syn::Item::Enum(i) => &i.vis,
        syn::Item::Fn(i) => &i.vis,
        syn::Item::Static(i) => &i.vis,
        syn::Item::Struct(i) => &i.vis,
        syn::Item::Trait(i) => &i.vis,
        syn::Item::Type(i) => &i.vis,
        _ => return None,
    })
}

/// `<T: Bound>` and its `where` clause.
fn generics(generics: &syn::Generics) -> String {
    let mut out = text(&generics.to_token_stream());
    if let Some(clause) = &generics.where_clause {
        out.push(' ');
        out.push_str(&text(&clause.to_token_stream()));
    }
    out
}

fn fields(fields: &Fields, only_public: bool) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, field)| !only_public || is_pub(&field.vis))
        .map(|(index, field)| Field {
            name: field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string),
            ty: text(&field.ty.to_token_stream()),
            deprecated: attrs::deprecated(&field.attrs),
            docs: attrs::docs(&field.attrs),
        })
        .collect()
}

/// The impls' traits with the derived ones, sorted.
fn with_derives(mut impls: Impls, item_attrs: &[syn::Attribute]) -> Impls {
    impls.traits.extend(attrs::derives(item_attrs));
    impls.traits.sort();
    impls.traits.dedup();
    impls.methods.sort_by(|a, b| a.name.cmp(&b.name));
    impls
}

fn kind(item: &syn::Item, impls: Impls) -> Option<ItemKind> {
    Some(match item {
        syn::Item::Struct(s) => ItemKind::Struct {
            generics: generics(&s.generics),
            non_exhaustive: attrs::non_exhaustive(&s.attrs),
            private_fields: s.fields.iter().any(|field| !is_pub(&field.vis)),
            fields: fields(&s.fields, true),
            impls: with_derives(impls, &s.attrs),
        },
        syn::Item::Enum(e) => ItemKind::Enum {
            generics: generics(&e.generics),
            non_exhaustive: attrs::non_exhaustive(&e.attrs),
            variants: e
                .variants
                .iter()
                .map(|v| Variant {
                    name: v.ident.to_string(),
                    style: match v.fields {
                        Fields::Named(_) => "struct",
                        Fields::Unnamed(_) => "tuple",
                        Fields::Unit => "unit",
                    }
                    .to_owned(),
                    non_exhaustive: attrs::non_exhaustive(&v.attrs),
                    fields: fields(&v.fields, false),
                    deprecated: attrs::deprecated(&v.attrs),
                    docs: attrs::docs(&v.attrs),
                })
                .collect(),
            impls: with_derives(impls, &e.attrs),
        },
        // A free function's `cfg` is its item's.
        syn::Item::Fn(f) => ItemKind::Fn(signature(&f.sig, &f.attrs, Vec::new())),
        syn::Item::Trait(t) => ItemKind::Trait {
            generics: generics(&t.generics),
            supertraits: text(&t.supertraits.to_token_stream()),
            methods: t
                .items
                .iter()
                .filter_map(|item| match item {
                    TraitItem::Fn(f) => Some(TraitMethod {
                        signature: signature(&f.sig, &f.attrs, attrs::cfgs(&f.attrs)),
                        provided: f.default.is_some(),
                    }),
                    _ => None,
                })
                .collect(),
            associated: t
                .items
                .iter()
                .filter_map(|item| match item {
                    TraitItem::Type(ty) => Some(format!("type {}", ty.ident)),
                    TraitItem::Const(c) => Some(format!("const {}", c.ident)),
                    _ => None,
                })
                .collect(),
        },
        syn::Item::Const(c) => {
            ItemKind::Const { ty: text(&c.ty.to_token_stream()), value: digest(&text(&c.expr.to_token_stream())) }
        }
        syn::Item::Static(s) => ItemKind::Static { ty: text(&s.ty.to_token_stream()) },
        syn::Item::Type(t) => {
            ItemKind::TypeAlias { generics: generics(&t.generics), ty: text(&t.ty.to_token_stream()) }
        }
        _ => return None,
    })
}

/// A function's signature, with the `cfg` predicates it has of its own (a method's and its
/// impl's).
fn signature(sig: &syn::Signature, attrs: &[syn::Attribute], cfg: Vec<String>) -> Signature {
    let (constness, asyncness, safety, abi) = (&sig.constness, &sig.asyncness, &sig.safety, &sig.abi);
    Signature {
        name: sig.ident.to_string(),
        qualifiers: text(&quote!(#constness #asyncness #safety #abi)),
        generics: text(&sig.generics.to_token_stream()),
        where_clause: sig
            .generics
            .where_clause
            .as_ref()
            .map(|clause| text(&clause.to_token_stream()))
            .unwrap_or_default(),
        inputs: sig
            .inputs
            .iter()
            .map(|input| match input {
                FnArg::Receiver(receiver) => text(&receiver.to_token_stream()),
                FnArg::Typed(typed) => text(&typed.ty.to_token_stream()),
            })
            .collect(),
        output: match &sig.output {
            ReturnType::Default => String::new(),
            ReturnType::Type(_, ty) => text(&ty.to_token_stream()),
        },
        cfg,
        deprecated: attrs::deprecated(attrs),
        docs: attrs::docs(attrs),
    }
}

/// What the hand-written `impl` blocks add to each type they are for.
fn impls(tree: &Tree) -> BTreeMap<DefKey, Impls> {
    let mut found: BTreeMap<DefKey, Impls> = BTreeMap::new();
    for (module, m) in &tree.modules {
        if m.origin.label().is_none() {
            continue;
        }
        for item in &m.items {
            let syn::Item::Impl(block) = item else { continue };
            if test_only(item) {
                continue;
            }
            let Type::Path(self_ty) = &*block.self_ty else { continue };
            let segments: Vec<String> = self_ty.path.segments.iter().map(|s| s.ident.to_string()).collect();
            let Some(Target::Def { module: home, name }) = tree.resolve(module, &segments, 0) else { continue };
            let entry = found.entry((home, name)).or_default();
            let impl_cfg = attrs::cfgs(&block.attrs);
            match &block.trait_ {
                Some((path, _)) => {
                    if let Some(last) = path.segments.last() {
                        entry.traits.push(text(&last.to_token_stream()));
                    }
                }
                None => {
                    for member in &block.items {
                        match member {
                            ImplItem::Fn(f) if is_pub(&f.vis) && !attrs::test_only(&f.attrs) => {
                                entry.methods.push(signature(
                                    &f.sig,
                                    &f.attrs,
                                    with_cfgs(&impl_cfg, attrs::cfgs(&f.attrs)),
                                ));
                            }
                            ImplItem::Macro(call) => entry.macro_entries.extend(macro_entries(&call.mac)),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    found
}

/// The entries of a macro call in an impl: `name: Type;` each, with doc comments. A call
/// of another form is one entry whose type is the digest of its tokens, so that any change
/// to it shows.
fn macro_entries(call: &syn::Macro) -> Vec<MacroEntry> {
    let macro_name = call.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    let parser = |input: ParseStream<'_>| -> syn::Result<Vec<MacroEntry>> {
        let mut entries = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(syn::Attribute::parse_outer)?;
            let name: syn::Ident = input.parse()?;
            input.parse::<Token![:]>()?;
            let ty: Type = input.parse()?;
            input.parse::<Token![;]>()?;
            entries.push(MacroEntry {
                macro_name: macro_name.clone(),
                name: name.to_string(),
                ty: text(&ty.to_token_stream()),
                docs: attrs::docs(&attrs),
            });
        }
        Ok(entries)
    };
    parser.parse2(call.tokens.clone()).unwrap_or_else(|_| {
        vec![MacroEntry {
            macro_name: macro_name.clone(),
            name: "(tokens)".to_owned(),
            ty: digest(&text(&call.tokens)),
            docs: String::new(),
        }]
    })
}
