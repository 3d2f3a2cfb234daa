//! Two surfaces compared item by item.
//!
//! What breaks is decided by what the generator emits: every struct and enum is
//! `#[non_exhaustive]` (a new field or variant breaks no one: nobody can build the struct with
//! a literal or match the enum exhaustively), enums and unions carry `Unknown` (a value the
//! crate does not list still decodes), while a new positional argument, a removed item or a
//! changed type breaks the callers that use it.
//!
//! The hand-written part (runtime and customization files) is compared by [`verbatim::diff`];
//! a surface recorded before it was has none, and the report says it was not compared.

use super::report::{Impact, Report};
use super::*;

/// What changes from `old` to `new`.
pub fn diff(old: &ApiSurface, new: &ApiSurface) -> Report {
    let mut report = Report::default();
    let (removed, added, common) = pair_up(&old.methods, &new.methods, |m| &m.name);
    for m in removed {
        report.push(Impact::Breaking, format!("`Client::{}` removed (operation {})", m.name, shape(&m.shape)));
    }
    for m in added {
        report.push(Impact::Addition, format!("`Client::{}` added (operation {})", m.name, shape(&m.shape)));
    }
    for (old, new) in common {
        method(&mut report, old, new);
    }
    let (removed, added, common) = pair_up(&old.types, &new.types, |t| &t.path);
    for t in &removed {
        let renamed = added
            .iter()
            .find(|a| member_names(&a.kind).is_some_and(|names| Some(names) == member_names(&t.kind)))
            .map(|a| format!("; `{}` has the same members: renamed?", a.path))
            .unwrap_or_default();
        report.push(
            Impact::Breaking,
            format!("`{}` ({}) removed (shape {}){renamed}", t.path, t.kind.describe(), shape(&t.shape)),
        );
    }
    for t in added {
        report
            .push(Impact::Addition, format!("`{}` ({}) added (shape {})", t.path, t.kind.describe(), shape(&t.shape)));
    }
    for (old, new) in common {
        type_def(&mut report, old, new);
    }
    endpoint(&mut report, &old.endpoint, &new.endpoint);
    match (&old.verbatim, &new.verbatim) {
        (Some(old), Some(new)) => verbatim::diff(&mut report, old, new),
        (None, Some(_)) => report.notes.push(NOT_RECORDED_BEFORE.to_owned()),
        (Some(_), None) => report.notes.push(NOT_RECORDED_NOW.to_owned()),
        (None, None) => {}
    }
    report
}

/// The note of a comparison with a surface recorded before the hand-written API was.
pub const NOT_RECORDED_BEFORE: &str = "hand-written API not recorded before: not compared";

/// The note of a comparison with a surface built without the hand-written API.
pub const NOT_RECORDED_NOW: &str = "hand-written API not recorded in the new surface: not compared";

/// The names of a type's fields or variants, in order, with its kind; `None` when it has none
/// (nothing to recognize a renamed type by).
fn member_names(kind: &TypeKind) -> Option<(&'static str, Vec<&str>)> {
    let names: Vec<&str> = match kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.name.as_str()).collect(),
        TypeKind::Union { variants, .. } | TypeKind::Enum { variants, .. } | TypeKind::Errors { variants, .. } => {
            variants.iter().map(|v| v.name.as_str()).collect()
        }
    };
    (!names.is_empty()).then(|| (kind.describe(), names))
}

/// A shape id without its namespace, as the report shows it.
fn shape(id: &str) -> String {
    let local = id.split_once('#').map_or(id, |(_, name)| name);
    format!("`{local}`")
}

/// Items only in `old`, only in `new`, and in both (by key), each in its list's order.
pub(super) fn pair_up<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> &String,
) -> (Vec<&'a T>, Vec<&'a T>, Vec<(&'a T, &'a T)>) {
    let find = |list: &'a [T], k: &String| list.iter().find(|item| key(item) == k);
    let removed = old.iter().filter(|o| find(new, key(o)).is_none()).collect();
    let added = new.iter().filter(|n| find(old, key(n)).is_none()).collect();
    let common = old.iter().filter_map(|o| find(new, key(o)).map(|n| (o, n))).collect();
    (removed, added, common)
}

fn method(report: &mut Report, old: &Method, new: &Method) {
    let item = format!("`Client::{}`", new.name);
    let op = shape(&new.shape);
    arguments(report, &item, &old.arguments, &new.arguments);
    setters(report, &new.builder, &old.setters, &new.setters);
    match (old.paginated, new.paginated) {
        (true, false) => report.push(
            Impact::Breaking,
            format!("`{}::into_paginator` and `into_items` removed: operation {op} no longer pages", new.builder),
        ),
        (false, true) => report.push(
            Impact::Addition,
            format!("`{}::into_paginator` and `into_items` added: operation {op} pages", new.builder),
        ),
        _ => {}
    }
    deprecation(report, &item, &format!("operation {op}"), &old.deprecated, &new.deprecated);
    if old.docs != new.docs {
        report.push(Impact::NoApiChange, format!("{item}: documentation changed (operation {op})"));
    }
}

/// Positional arguments of a method or constructor: any change breaks every caller.
fn arguments(report: &mut Report, item: &str, old: &[Argument], new: &[Argument]) {
    let (removed, added, common) = pair_up(old, new, |a| &a.name);
    for a in &added {
        report.push(
            Impact::Breaking,
            format!(
                "{item} takes a new positional argument `{}: {}` (member {} is now required): breaking for every caller",
                a.name,
                a.ty,
                shape(&a.member)
            ),
        );
    }
    for a in &removed {
        report.push(
            Impact::Breaking,
            format!(
                "{item} no longer takes the positional argument `{}` (member {} is no longer required): breaking for every caller",
                a.name,
                shape(&a.member)
            ),
        );
    }
    for (o, n) in &common {
        if o.ty != n.ty {
            report.push(
                Impact::Breaking,
                format!(
                    "{item}: argument `{}` changes type `{}` -> `{}` (member {})",
                    n.name,
                    o.ty,
                    n.ty,
                    shape(&n.member)
                ),
            );
        }
    }
    let order = |list: &[Argument]| -> Vec<String> {
        list.iter().filter(|a| common.iter().any(|(o, _)| o.name == a.name)).map(|a| a.name.clone()).collect()
    };
    if order(old) != order(new) {
        report.push(
            Impact::Breaking,
            format!(
                "{item}: positional arguments reordered ({}) -> ({}): breaking for every caller",
                order(old).join(", "),
                order(new).join(", ")
            ),
        );
    }
}

fn setters(report: &mut Report, owner: &str, old: &[Setter], new: &[Setter]) {
    let (removed, added, common) = pair_up(old, new, |s| &s.name);
    for s in removed {
        report.push(Impact::Breaking, format!("`{owner}::{}` setter removed (member {})", s.name, shape(&s.member)));
    }
    for s in added {
        report.push(Impact::Addition, format!("`{owner}::{}` setter added (member {})", s.name, shape(&s.member)));
    }
    for (o, n) in common {
        let item = format!("`{owner}::{}`", n.name);
        if o.ty != n.ty {
            report.push(
                Impact::Breaking,
                format!("{item} setter takes `{}` instead of `{}` (member {})", n.ty, o.ty, shape(&n.member)),
            );
        }
        if o.clearable && !n.clearable {
            report.push(
                Impact::Breaking,
                format!("`{owner}::set_{}` removed: member {} is no longer optional", n.name, shape(&n.member)),
            );
        } else if !o.clearable && n.clearable {
            report.push(
                Impact::Addition,
                format!("`{owner}::set_{}` added: member {} is now optional", n.name, shape(&n.member)),
            );
        }
        deprecation(report, &item, &format!("member {}", shape(&n.member)), &o.deprecated, &n.deprecated);
    }
}

pub(super) fn deprecation(report: &mut Report, item: &str, source: &str, old: &Option<String>, new: &Option<String>) {
    match (old, new) {
        (None, Some(why)) => report.push(Impact::Addition, format!("{item} deprecated: {why} ({source})")),
        (Some(_), None) => report.push(Impact::Addition, format!("{item} no longer deprecated ({source})")),
        _ => {}
    }
}

fn type_def(report: &mut Report, old: &TypeDef, new: &TypeDef) {
    let item = format!("`{}`", new.path);
    let source = format!("shape {}", shape(&new.shape));
    if old.non_exhaustive && !new.non_exhaustive {
        report.push(Impact::Addition, format!("{item} is no longer #[non_exhaustive] ({source})"));
    } else if !old.non_exhaustive && new.non_exhaustive {
        report.push(Impact::Breaking, format!("{item} is now #[non_exhaustive] ({source})"));
    }
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct { fields: old_fields, constructor: old_new, setters: old_setters },
            TypeKind::Struct { fields: new_fields, constructor: new_new, setters: new_setters },
        ) => {
            fields(report, &new.path, new.non_exhaustive, old_fields, new_fields);
            match (old_new, new_new) {
                (Some(o), Some(n)) => arguments(report, &format!("`{}::new`", new.path), o, n),
                (None, Some(_)) => report.push(Impact::Addition, format!("`{}::new` added ({source})", new.path)),
                (Some(_), None) => report.push(Impact::Breaking, format!("`{}::new` removed ({source})", new.path)),
                (None, None) => {}
            }
            setters(report, &new.path, old_setters, new_setters);
        }
        (TypeKind::Union { variants: o, .. }, TypeKind::Union { variants: n, unknown })
        | (TypeKind::Enum { variants: o, .. }, TypeKind::Enum { variants: n, unknown })
        | (TypeKind::Errors { variants: o, .. }, TypeKind::Errors { variants: n, unknown }) => {
            variants(report, &new.path, new.non_exhaustive && *unknown, o, n);
        }
        (o, n) => report
            .push(Impact::Breaking, format!("{item} was a {}, is now a {} ({source})", o.describe(), n.describe())),
    }
    deprecation(report, &item, &source, &old.deprecated, &new.deprecated);
    if old.docs != new.docs {
        report.push(Impact::NoApiChange, format!("{item}: documentation changed ({source})"));
    }
}

fn fields(report: &mut Report, owner: &str, non_exhaustive: bool, old: &[Field], new: &[Field]) {
    let (removed, added, common) = pair_up(old, new, |f| &f.name);
    for f in removed {
        report.push(Impact::Breaking, format!("field `{owner}::{}` removed (member {})", f.name, shape(&f.member)));
    }
    for f in added {
        // A struct literal needs every field; #[non_exhaustive] forbids literals outside the crate.
        let impact = if non_exhaustive { Impact::Addition } else { Impact::Breaking };
        report.push(impact, format!("field `{owner}::{}: {}` added (member {})", f.name, f.ty, shape(&f.member)));
    }
    for (o, n) in common {
        let item = format!("field `{owner}::{}`", n.name);
        let member = shape(&n.member);
        if o.ty != n.ty {
            let why = match (&o.ty, &n.ty) {
                (RustType::Option(inner), ty) if **inner == *ty => ": it is now always set (required or defaulted)",
                (ty, RustType::Option(inner)) if **inner == *ty => ": it may now be absent",
                _ => "",
            };
            report
                .push(Impact::Breaking, format!("{item} changes type `{}` -> `{}`{why} (member {member})", o.ty, n.ty));
        }
        if o.default != n.default {
            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_owned());
            report.push(
                Impact::NoApiChange,
                format!("{item}: default {} -> {} (member {member})", show(&o.default), show(&n.default)),
            );
        }
        deprecation(report, &item, &format!("member {member}"), &o.deprecated, &n.deprecated);
        if o.docs != n.docs {
            report.push(Impact::NoApiChange, format!("{item}: documentation changed (member {member})"));
        }
    }
}

fn variants(report: &mut Report, owner: &str, open: bool, old: &[Variant], new: &[Variant]) {
    let (removed, added, common) = pair_up(old, new, |v| &v.name);
    let value = |v: &Variant| v.value.as_ref().map(|value| format!(" (value {value:?})")).unwrap_or_default();
    for v in removed {
        report.push(
            Impact::Breaking,
            format!("variant `{owner}::{}`{} removed (shape {})", v.name, value(v), shape(&v.shape)),
        );
    }
    for v in added {
        // #[non_exhaustive] makes every match carry a wildcard arm already.
        let impact = if open { Impact::Addition } else { Impact::Breaking };
        report.push(impact, format!("variant `{owner}::{}`{} added (shape {})", v.name, value(v), shape(&v.shape)));
    }
    for (o, n) in common {
        let item = format!("variant `{owner}::{}`", n.name);
        if o.ty != n.ty {
            let show = |ty: &Option<RustType>| ty.as_ref().map_or_else(|| "nothing".to_owned(), |t| format!("`{t}`"));
            report.push(
                Impact::Breaking,
                format!("{item} holds {} instead of {} (shape {})", show(&n.ty), show(&o.ty), shape(&n.shape)),
            );
        }
        if o.value != n.value {
            report.push(
                Impact::NoApiChange,
                format!("{item}: wire value {:?} -> {:?} (shape {})", o.value, n.value, shape(&n.shape)),
            );
        }
        deprecation(report, &item, &format!("shape {}", shape(&n.shape)), &o.deprecated, &n.deprecated);
        if o.docs != n.docs {
            report.push(Impact::NoApiChange, format!("{item}: documentation changed (shape {})", shape(&n.shape)));
        }
    }
}

fn endpoint(report: &mut Report, old: &EndpointSurface, new: &EndpointSurface) {
    let (removed, added, common) = pair_up(&old.params, &new.params, |p| &p.name);
    for p in removed {
        report.push(
            Impact::Breaking,
            format!("field `endpoint::Params::{}` and its setter removed (rule-set parameter `{}`)", p.field, p.name),
        );
    }
    for p in added {
        report.push(
            Impact::Addition,
            format!(
                "field `endpoint::Params::{}: {}` and its setter added (rule-set parameter `{}`)",
                p.field, p.ty, p.name
            ),
        );
    }
    for (o, n) in common {
        if o.ty != n.ty {
            report.push(
                Impact::Breaking,
                format!(
                    "field `endpoint::Params::{}` changes type `{}` -> `{}` (rule-set parameter `{}`)",
                    n.field, o.ty, n.ty, n.name
                ),
            );
        }
        if (o.built_in.as_ref(), o.required, o.deprecated) != (n.built_in.as_ref(), n.required, n.deprecated) {
            report.push(
                Impact::NoApiChange,
                format!("endpoint rule-set parameter `{}`: built-in, required or deprecated changed", n.name),
            );
        }
    }
    if old.rules != new.rules {
        report.push(
            Impact::NoApiChange,
            "endpoint rules changed: `endpoint::resolve_endpoint` may give other endpoints for the same parameters (service's `smithy.rules#endpointRuleSet`)",
        );
    }
    if (old.tests, &old.tests_digest) != (new.tests, &new.tests_digest) {
        report.push(
            Impact::NoApiChange,
            format!(
                "endpoint rule test cases changed: {} -> {} (service's `smithy.rules#endpointTests`; the crate's own tests)",
                old.tests, new.tests
            ),
        );
    }
}
