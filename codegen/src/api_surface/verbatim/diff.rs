//! Two hand-written surfaces compared item by item, with Cargo's semver rules: what a user's
//! code may have written against each item (a literal, an exhaustive match or pattern, a
//! call, a trait impl) decides whether a change breaks it. Every line names the Rust item and
//! says it is hand-written (runtime or the customization's feature) rather than from a shape.

use crate::api_surface::diff::{deprecation, pair_up};
use crate::api_surface::{Impact, Report};

use super::{Field, Impls, Item, ItemKind, MacroEntry, Signature, TraitMethod, Variant, VerbatimSurface};

/// Adds what changes from `old` to `new` to `report`.
pub fn diff(report: &mut Report, old: &VerbatimSurface, new: &VerbatimSurface) {
    let (removed, added, common) = pair_up(&old.items, &new.items, |item| &item.path);
    for item in removed {
        report.push(Impact::Breaking, format!("`{}` ({}) removed ({})", item.path, item.kind.describe(), source(item)));
    }
    for item in added {
        report.push(Impact::Addition, format!("`{}` ({}) added ({})", item.path, item.kind.describe(), source(item)));
    }
    for (old, new) in common {
        Compare { report: &mut *report, source: source(new) }.item(old, new);
    }
}

/// `hand-written: chat`.
fn source(item: &Item) -> String {
    format!("hand-written: {}", item.origin)
}

struct Compare<'a> {
    report: &'a mut Report,
    source: String,
}

impl Compare<'_> {
    fn push(&mut self, impact: Impact, text: String) {
        let line = format!("{text} ({})", self.source);
        self.report.push(impact, line);
    }

    fn item(&mut self, old: &Item, new: &Item) {
        let name = format!("`{}`", new.path);
        self.cfg(&name, &old.cfg, &new.cfg);
        match (&old.kind, &new.kind) {
            (
                ItemKind::Struct { generics: og, non_exhaustive: one, private_fields: op, fields: of, impls: oi },
                ItemKind::Struct { generics: ng, non_exhaustive: nne, private_fields: np, fields: nf, impls: ni },
            ) => {
                self.text_change(&name, "generics", og, ng);
                self.non_exhaustive(&name, *one, *nne);
                // A struct literal outside the crate needs every field public and no #[non_exhaustive].
                let literal = !*one && !*op;
                if literal && *np {
                    self.push(
                        Impact::Breaking,
                        format!("{name} now has private fields: struct literals outside the crate no longer compile"),
                    );
                }
                self.fields(
                    &new.path,
                    literal && !*nne,
                    of,
                    nf,
                    "a struct literal naming every field no longer compiles",
                );
                self.impls(&new.path, oi, ni);
            }
            (
                ItemKind::Enum { generics: og, non_exhaustive: one, variants: ov, impls: oi },
                ItemKind::Enum { generics: ng, non_exhaustive: nne, variants: nv, impls: ni },
            ) => {
                self.text_change(&name, "generics", og, ng);
                self.non_exhaustive(&name, *one, *nne);
                self.variants(&new.path, *one && *nne, ov, nv);
                self.impls(&new.path, oi, ni);
            }
            (ItemKind::Fn(o), ItemKind::Fn(n)) => self.signature(&name, o, n),
            (
                ItemKind::Trait { generics: og, supertraits: os, methods: om, associated: oa },
                ItemKind::Trait { generics: ng, supertraits: ns, methods: nm, associated: na },
            ) => {
                self.text_change(&name, "generics", og, ng);
                self.text_change(&name, "supertraits", os, ns);
                self.trait_methods(&new.path, om, nm);
                for a in oa.iter().filter(|a| !na.contains(a)) {
                    self.push(Impact::Breaking, format!("{name}: `{a}` removed"));
                }
                for a in na.iter().filter(|a| !oa.contains(a)) {
                    self.push(Impact::Breaking, format!("{name}: `{a}` added: every implementation must give it"));
                }
            }
            (ItemKind::Const { ty: ot, value: ov }, ItemKind::Const { ty: nt, value: nv }) => {
                self.text_change(&name, "type", ot, nt);
                if ov != nv {
                    self.push(Impact::NoApiChange, format!("{name}: value changed"));
                }
            }
            (ItemKind::Static { ty: o }, ItemKind::Static { ty: n }) => self.text_change(&name, "type", o, n),
            (ItemKind::TypeAlias { generics: og, ty: ot }, ItemKind::TypeAlias { generics: ng, ty: nt }) => {
                self.text_change(&name, "generics", og, ng);
                self.text_change(&name, "type", ot, nt);
            }
            (ItemKind::Reexport { target: o }, ItemKind::Reexport { target: n }) => {
                self.text_change(&name, "re-exported item", o, n);
            }
            (ItemKind::Module, ItemKind::Module) => {}
            (o, n) => self.push(Impact::Breaking, format!("{name} was a {}, is now a {}", o.describe(), n.describe())),
        }
        self.deprecation(&name, &old.deprecated, &new.deprecated);
        self.docs(&name, &old.docs, &new.docs);
    }

    fn deprecation(&mut self, name: &str, old: &Option<String>, new: &Option<String>) {
        deprecation(self.report, name, &self.source, old, new);
    }

    fn docs(&mut self, name: &str, old: &str, new: &str) {
        if old != new {
            self.push(Impact::NoApiChange, format!("{name}: documentation changed"));
        }
    }

    /// A part of an item's API that any change breaks (a type, generics, a re-export's target).
    fn text_change(&mut self, name: &str, what: &str, old: &str, new: &str) {
        if old != new {
            self.push(Impact::Breaking, format!("{name}: {what} `{old}` -> `{new}`"));
        }
    }

    /// `cfg` predicates: a new one takes the item away from builds without it.
    fn cfg(&mut self, name: &str, old: &[String], new: &[String]) {
        for cfg in new.iter().filter(|cfg| !old.contains(cfg)) {
            self.push(Impact::Breaking, format!("{name} now needs `cfg({cfg})`"));
        }
        for cfg in old.iter().filter(|cfg| !new.contains(cfg)) {
            self.push(Impact::Addition, format!("{name} no longer needs `cfg({cfg})`"));
        }
    }

    fn non_exhaustive(&mut self, name: &str, old: bool, new: bool) {
        if old && !new {
            self.push(Impact::Addition, format!("{name} is no longer #[non_exhaustive]"));
        } else if !old && new {
            self.push(Impact::Breaking, format!("{name} is now #[non_exhaustive]"));
        }
    }

    /// Fields of `owner`; a new one breaks literals (and patterns naming every field) when
    /// `exhaustive`, with `why`.
    fn fields(&mut self, owner: &str, exhaustive: bool, old: &[Field], new: &[Field], why: &str) {
        let (removed, added, common) = pair_up(old, new, |f| &f.name);
        for f in removed {
            self.push(Impact::Breaking, format!("field `{owner}::{}` removed", f.name));
        }
        for f in added {
            let line = format!("field `{owner}::{}: {}` added", f.name, f.ty);
            if exhaustive {
                self.push(Impact::Breaking, format!("{line}: {why}"));
            } else {
                self.push(Impact::Addition, line);
            }
        }
        for (o, n) in common {
            let name = format!("field `{owner}::{}`", n.name);
            if o.ty != n.ty {
                self.push(Impact::Breaking, format!("{name} changes type `{}` -> `{}`", o.ty, n.ty));
            }
            self.deprecation(&name, &o.deprecated, &n.deprecated);
            self.docs(&name, &o.docs, &n.docs);
        }
    }

    /// Variants of `owner`; a new one breaks exhaustive matches unless the enum stays `open`
    /// (#[non_exhaustive] before and after).
    fn variants(&mut self, owner: &str, open: bool, old: &[Variant], new: &[Variant]) {
        let (removed, added, common) = pair_up(old, new, |v| &v.name);
        for v in removed {
            self.push(Impact::Breaking, format!("variant `{owner}::{}` removed", v.name));
        }
        for v in added {
            if open {
                self.push(Impact::Addition, format!("variant `{owner}::{}` added", v.name));
            } else {
                self.push(
                    Impact::Breaking,
                    format!(
                        "variant `{owner}::{}` added to an enum that is not #[non_exhaustive]: a match naming every variant no longer compiles",
                        v.name
                    ),
                );
            }
        }
        for (o, n) in common {
            let path = format!("{owner}::{}", n.name);
            let name = format!("variant `{path}`");
            if o.style != n.style {
                self.push(Impact::Breaking, format!("{name} was a {} variant, is now a {} variant", o.style, n.style));
            } else {
                self.non_exhaustive(&name, o.non_exhaustive, n.non_exhaustive);
                let why = "a pattern or literal naming every field of the variant no longer compiles (the variant is not #[non_exhaustive])";
                let exhaustive = !o.non_exhaustive && !n.non_exhaustive;
                self.fields(&path, exhaustive, &o.fields, &n.fields, why);
            }
            self.deprecation(&name, &o.deprecated, &n.deprecated);
            self.docs(&name, &o.docs, &n.docs);
        }
    }

    fn signature(&mut self, name: &str, old: &Signature, new: &Signature) {
        if old.shape() != new.shape() {
            self.push(Impact::Breaking, format!("{name}: signature `{}` -> `{}`", old.text(), new.text()));
        }
        self.cfg(name, &old.cfg, &new.cfg);
        self.deprecation(name, &old.deprecated, &new.deprecated);
        self.docs(name, &old.docs, &new.docs);
    }

    fn impls(&mut self, owner: &str, old: &Impls, new: &Impls) {
        let (removed, added, common) = pair_up(&old.methods, &new.methods, |m| &m.name);
        for m in removed {
            self.push(Impact::Breaking, format!("method `{owner}::{}` removed", m.name));
        }
        for m in added {
            self.push(Impact::Addition, format!("method `{owner}::{}` added: `{}`", m.name, m.text()));
        }
        for (o, n) in common {
            self.signature(&format!("method `{owner}::{}`", n.name), o, n);
        }
        for t in old.traits.iter().filter(|t| !new.traits.contains(t)) {
            self.push(Impact::Breaking, format!("`{owner}` no longer implements `{t}`"));
        }
        for t in new.traits.iter().filter(|t| !old.traits.contains(t)) {
            self.push(Impact::Addition, format!("`{owner}` implements `{t}`"));
        }
        self.macro_entries(owner, &old.macro_entries, &new.macro_entries);
    }

    /// Entries of macro calls in impls: each stands for an item the macro makes.
    fn macro_entries(&mut self, owner: &str, old: &[MacroEntry], new: &[MacroEntry]) {
        let key = |e: &MacroEntry| format!("{}!{}", e.macro_name, e.name);
        let (old_keys, new_keys): (Vec<String>, Vec<String>) =
            (old.iter().map(key).collect(), new.iter().map(key).collect());
        for (o, k) in old.iter().zip(&old_keys) {
            match new_keys.iter().position(|n| n == k) {
                None => self.push(
                    Impact::Breaking,
                    format!("`{owner}`: `{}!` entry `{}` removed (the item it makes is gone)", o.macro_name, o.name),
                ),
                Some(at) => {
                    let n = &new[at];
                    let name = format!("`{owner}`: `{}!` entry `{}`", n.macro_name, n.name);
                    if o.ty != n.ty {
                        self.push(Impact::Breaking, format!("{name} changes type `{}` -> `{}`", o.ty, n.ty));
                    }
                    self.docs(&name, &o.docs, &n.docs);
                }
            }
        }
        for (n, k) in new.iter().zip(&new_keys) {
            if !old_keys.contains(k) {
                self.push(
                    Impact::Addition,
                    format!("`{owner}`: `{}!` entry `{}: {}` added", n.macro_name, n.name, n.ty),
                );
            }
        }
    }

    /// A trait's methods: one without a default body is a new obligation for implementors.
    fn trait_methods(&mut self, owner: &str, old: &[TraitMethod], new: &[TraitMethod]) {
        let (removed, added, common) = pair_up(old, new, |m| &m.signature.name);
        for m in removed {
            self.push(Impact::Breaking, format!("trait method `{owner}::{}` removed", m.signature.name));
        }
        for m in added {
            let line = format!("trait method `{owner}::{}` added: `{}`", m.signature.name, m.signature.text());
            if m.provided {
                self.push(Impact::Addition, format!("{line}, with a default body"));
            } else {
                self.push(
                    Impact::Breaking,
                    format!("{line}, without a default body: every implementation must write it"),
                );
            }
        }
        for (o, n) in common {
            let name = format!("trait method `{owner}::{}`", n.signature.name);
            self.signature(&name, &o.signature, &n.signature);
            match (o.provided, n.provided) {
                (true, false) => self.push(
                    Impact::Breaking,
                    format!("{name} lost its default body: every implementation must write it"),
                ),
                (false, true) => self.push(Impact::Addition, format!("{name} has a default body")),
                _ => {}
            }
        }
    }
}
