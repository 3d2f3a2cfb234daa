//! Fixture pairs of small hand-written sources, one kind of change each, with the report lines
//! they give pinned; the module walk (re-exports, globs, gating); the first recording.

use super::*;
use crate::api_surface::{Impact, Report};

/// The generated part of the fixture crate: the root declares the hand-written modules.
const LIB: &str = r#"
    pub mod config;
    #[cfg(feature = "chat")]
    pub mod chat;
    mod runtime;
    pub use config::Config;
"#;

/// The fixture crate with `chat` as `src/chat/mod.rs` (the customization) and `config` as
/// `src/config.rs` (a runtime file).
fn surface_of(chat: &str, config: &str) -> VerbatimSurface {
    let files = [
        SourceFile { path: "src/lib.rs", source: Source::Text(LIB), origin: Origin::Generated },
        SourceFile { path: "src/chat/mod.rs", source: Source::Text(chat), origin: Origin::Customization("chat") },
        SourceFile { path: "src/config.rs", source: Source::Text(config), origin: Origin::Runtime },
        SourceFile {
            path: "src/runtime/mod.rs",
            source: Source::Text("pub struct Internal;"),
            origin: Origin::Runtime,
        },
        SourceFile {
            path: "examples/chat.rs",
            source: Source::Text("fn main() {}"),
            origin: Origin::Customization("chat"),
        },
    ];
    VerbatimSurface::from_files(&files).unwrap()
}

fn surface(chat: &str) -> VerbatimSurface {
    surface_of(chat, "")
}

/// The report lines from `old` to `new` (both the chat module's source).
fn lines(old: &str, new: &str) -> Vec<String> {
    let mut report = Report::default();
    diff(&mut report, &surface(old), &surface(new));
    report.changes.iter().map(|c| format!("{:?}: {}", c.impact, c.text)).collect()
}

fn paths(surface: &VerbatimSurface) -> Vec<&str> {
    surface.items.iter().map(|item| item.path.as_str()).collect()
}

#[test]
fn item_added_and_removed() {
    let with = "/// A thing.\npub struct Thing;";
    assert_eq!(lines("", with), ["Addition: `chat::Thing` (struct) added (hand-written: chat)"]);
    assert_eq!(lines(with, ""), ["Breaking: `chat::Thing` (struct) removed (hand-written: chat)"]);
}

#[test]
fn fn_signature_changed() {
    assert_eq!(
        lines("pub fn f(a: u32) -> u32 { a }", "pub fn f(a: u64) -> u32 { 0 }"),
        ["Breaking: `chat::f`: signature `fn f(u32) -> u32` -> `fn f(u64) -> u32` (hand-written: chat)"]
    );
    // The argument's name is not part of the signature.
    assert_eq!(lines("pub fn f(a: u32) {}", "pub fn f(b: u32) {}"), Vec::<String>::new());
}

#[test]
fn method_signature_changed_added_and_removed() {
    let old = "pub struct S;\nimpl S {\n pub fn go(&self) {}\n pub fn gone(self) {}\n fn private(&self) {}\n}";
    let new = "pub struct S;\nimpl S {\n pub async fn go(&self, n: usize) -> bool { true }\n pub fn come<T: Into<String>>(&mut self, t: T) {}\n}";
    assert_eq!(
        lines(old, new),
        [
            "Breaking: method `chat::S::gone` removed (hand-written: chat)",
            "Addition: method `chat::S::come` added: `fn come<T: Into<String>>(&mut self, T)` (hand-written: chat)",
            "Breaking: method `chat::S::go`: signature `fn go(&self)` -> `async fn go(&self, usize) -> bool` (hand-written: chat)",
        ]
    );
}

#[test]
fn pub_field_added_to_an_exhaustive_struct_breaks() {
    assert_eq!(
        lines("pub struct P { pub a: u8 }", "pub struct P { pub a: u8, pub b: Vec<String> }"),
        [
            "Breaking: field `chat::P::b: Vec<String>` added: a struct literal naming every field no longer compiles (hand-written: chat)"
        ]
    );
}

#[test]
fn pub_field_added_to_a_non_exhaustive_struct_or_one_with_private_fields_does_not() {
    let open = "#[non_exhaustive]\npub struct P { pub a: u8 }";
    assert_eq!(
        lines(open, "#[non_exhaustive]\npub struct P { pub a: u8, pub b: u8 }"),
        ["Addition: field `chat::P::b: u8` added (hand-written: chat)"]
    );
    let private = "pub struct P { pub a: u8, secret: u8 }";
    assert_eq!(
        lines(private, "pub struct P { pub a: u8, pub b: u8, secret: u8 }"),
        ["Addition: field `chat::P::b: u8` added (hand-written: chat)"]
    );
    assert_eq!(
        lines("pub struct P { pub a: u8 }", "pub struct P { pub a: u8, hidden: u8 }"),
        [
            "Breaking: `chat::P` now has private fields: struct literals outside the crate no longer compile (hand-written: chat)"
        ]
    );
}

#[test]
fn field_added_to_a_variant_breaks_unless_the_variant_is_non_exhaustive() {
    let old = "#[non_exhaustive]\npub enum E { M { a: u8 }, #[non_exhaustive] N { a: u8 } }";
    let new = "#[non_exhaustive]\npub enum E { M { a: u8, chunks: Vec<u8> }, #[non_exhaustive] N { a: u8, b: u8 } }";
    assert_eq!(
        lines(old, new),
        [
            "Breaking: field `chat::E::M::chunks: Vec<u8>` added: a pattern or literal naming every field of the variant no longer compiles (the variant is not #[non_exhaustive]) (hand-written: chat)",
            "Addition: field `chat::E::N::b: u8` added (hand-written: chat)",
        ]
    );
}

#[test]
fn variant_added_to_an_exhaustive_enum_breaks_and_to_a_non_exhaustive_one_does_not() {
    assert_eq!(
        lines("pub enum E { A }", "pub enum E { A, B(String) }"),
        [
            "Breaking: variant `chat::E::B` added to an enum that is not #[non_exhaustive]: a match naming every variant no longer compiles (hand-written: chat)"
        ]
    );
    assert_eq!(
        lines("#[non_exhaustive]\npub enum E { A }", "#[non_exhaustive]\npub enum E { A, B(String) }"),
        ["Addition: variant `chat::E::B` added (hand-written: chat)"]
    );
    assert_eq!(
        lines("pub enum E { A }", "#[non_exhaustive]\npub enum E { A }"),
        ["Breaking: `chat::E` is now #[non_exhaustive] (hand-written: chat)"]
    );
}

#[test]
fn documentation_only() {
    assert_eq!(
        lines("/// One.\npub const N: u8 = 1;", "/// Uno.\npub const N: u8 = 1;"),
        ["NoApiChange: `chat::N`: documentation changed (hand-written: chat)"]
    );
    assert_eq!(
        lines("pub const N: u8 = 1;", "pub const N: u8 = 2;"),
        ["NoApiChange: `chat::N`: value changed (hand-written: chat)"]
    );
}

#[test]
fn feature_gating_changed() {
    let gated = r#"#[cfg(feature = "extra")]
        pub fn g() {}"#;
    let item = surface(gated).item("chat::g").cloned().unwrap();
    assert_eq!(item.cfg, [r#"feature = "chat""#, r#"feature = "extra""#]);
    assert_eq!(
        lines("pub fn g() {}", gated),
        [r#"Breaking: `chat::g` now needs `cfg(feature = "extra")` (hand-written: chat)"#]
    );
    assert_eq!(
        lines(gated, "pub fn g() {}"),
        [r#"Addition: `chat::g` no longer needs `cfg(feature = "extra")` (hand-written: chat)"#]
    );
    let impl_gated = "pub struct S;\n#[cfg(feature = \"extra\")]\nimpl S { pub fn m(&self) {} }";
    assert_eq!(
        lines("pub struct S;\nimpl S { pub fn m(&self) {} }", impl_gated),
        [r#"Breaking: method `chat::S::m` now needs `cfg(feature = "extra")` (hand-written: chat)"#]
    );
}

#[test]
fn traits_implemented_and_trait_methods() {
    assert_eq!(
        lines(
            "#[derive(Debug, Clone)]\npub struct A;",
            "#[derive(Debug)]\npub struct A;\nimpl Default for A { fn default() -> Self { A } }"
        ),
        [
            "Breaking: `chat::A` no longer implements `Clone` (hand-written: chat)",
            "Addition: `chat::A` implements `Default` (hand-written: chat)",
        ]
    );
    let old = "pub trait T { fn a(&self); }";
    let new = "pub trait T { fn a(&self); fn b(&self) -> u8 { 0 } fn c(&self); }";
    assert_eq!(
        lines(old, new),
        [
            "Addition: trait method `chat::T::b` added: `fn b(&self) -> u8`, with a default body (hand-written: chat)",
            "Breaking: trait method `chat::T::c` added: `fn c(&self)`, without a default body: every implementation must write it (hand-written: chat)",
        ]
    );
}

#[test]
fn entries_of_macro_calls_in_impls_stand_for_the_items_they_make() {
    let old = "pub struct B;\nimpl B { setters! {\n /// One.\n one: u8;\n two: u8;\n } }";
    let new = "pub struct B;\nimpl B { setters! {\n /// One, again.\n one: u16;\n three: bool;\n } }";
    assert_eq!(
        lines(old, new),
        [
            "Breaking: `chat::B`: `setters!` entry `one` changes type `u8` -> `u16` (hand-written: chat)",
            "NoApiChange: `chat::B`: `setters!` entry `one`: documentation changed (hand-written: chat)",
            "Breaking: `chat::B`: `setters!` entry `two` removed (the item it makes is gone) (hand-written: chat)",
            "Addition: `chat::B`: `setters!` entry `three: bool` added (hand-written: chat)",
        ]
    );
}

#[test]
fn items_are_keyed_by_the_paths_users_name_them_by() {
    let chat = r#"
        mod inner {
            pub struct Hidden;
            pub(crate) struct CrateOnly;
            pub mod deep { pub fn f() {} }
            impl Hidden { pub fn new() -> Self { Hidden } }
        }
        mod globbed { pub const G: u8 = 0; }
        pub use inner::Hidden as Shown;
        pub use inner::deep;
        pub use globbed::*;
        pub use ::std::time::Duration;
        pub mod open { pub use super::inner::Hidden; }
        #[cfg(test)]
        mod tests { pub struct NotShipped; }
    "#;
    let surface = surface_of(chat, "/// Settings.\n#[derive(Clone)]\npub struct Config { pub region: String }");
    assert_eq!(
        paths(&surface),
        [
            "Config",
            "chat",
            "chat::Duration",
            "chat::G",
            "chat::Shown",
            "chat::deep",
            "chat::deep::f",
            "chat::open",
            "chat::open::Hidden",
            "config",
            "config::Config",
        ]
    );
    let shown = surface.item("chat::Shown").unwrap();
    let ItemKind::Struct { impls, .. } = &shown.kind else { panic!("{shown:?}") };
    assert_eq!(impls.methods[0].text(), "fn new() -> Self");
    assert_eq!(
        surface.item("chat::Duration").unwrap().kind,
        ItemKind::Reexport { target: "::std::time::Duration".to_owned() }
    );
    let config = surface.item("Config").unwrap();
    assert_eq!((config.origin.as_str(), config.cfg.is_empty()), ("runtime", true));
    let mut report = Report::default();
    diff(&mut report, &surface, &surface_of(chat, "pub struct Config { pub region: String }"));
    let text: Vec<&str> = report.changes.iter().map(|c| c.text.as_str()).collect();
    assert!(text.contains(&"`Config` no longer implements `Clone` (hand-written: runtime)"), "{text:?}");
    assert!(report.changes.iter().all(|c| c.impact != Impact::Addition), "{text:?}");
}

#[test]
fn types_are_shown_compact() {
    let chat = "pub type F<'a> = Pin<Box<dyn Future<Output = Result<u8, ::http::Error>> + Send + 'a>>;\n\
                pub fn f<'a>(x: &'a mut [u8; 4], g: impl Fn(u8) -> bool) -> Option<&'a str> where u8: Copy { None }";
    let surface = surface(chat);
    assert_eq!(
        surface.item("chat::F").unwrap().kind,
        ItemKind::TypeAlias {
            generics: "<'a>".to_owned(),
            ty: "Pin<Box<dyn Future<Output = Result<u8, ::http::Error>> + Send + 'a>>".to_owned()
        }
    );
    let ItemKind::Fn(f) = &surface.item("chat::f").unwrap().kind else { panic!() };
    assert_eq!(f.text(), "fn f<'a>(&'a mut [u8; 4], impl Fn(u8) -> bool) -> Option<&'a str> where u8: Copy");
}

#[test]
fn a_file_that_does_not_parse_is_an_error_naming_it() {
    let files = [SourceFile { path: "src/chat/mod.rs", source: Source::Text("pub struct {"), origin: Origin::Runtime }];
    let error = VerbatimSurface::from_files(&files).unwrap_err();
    assert!(error.starts_with("src/chat/mod.rs: does not parse"), "{error}");
}

#[test]
fn a_surface_recorded_before_the_verbatim_part_was_is_not_compared() {
    use crate::api_surface::{ApiSurface, EndpointSurface, NOT_RECORDED_BEFORE, diff as surface_diff};
    let recorded = r#"{"service": "s#S", "methods": [], "types": [],
        "endpoint": {"params": [], "rules": null, "tests": 0, "tests_digest": ""}}"#;
    let old = ApiSurface::from_json(recorded).unwrap();
    assert_eq!(old.verbatim, None);
    let new = ApiSurface {
        endpoint: EndpointSurface { params: vec![], rules: None, tests: 0, tests_digest: String::new() },
        verbatim: Some(surface("pub struct Thing;")),
        ..old.clone()
    };
    let report = surface_diff(&old, &new);
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(report.notes, [NOT_RECORDED_BEFORE]);
    let version = crate::api_surface::semver::Version::parse("0.2.0").unwrap();
    assert_eq!(report.bump(&version), None);
    assert!(report.render(&version).starts_with("Note: hand-written API not recorded before: not compared\n"));
    // And a surface with it round-trips through its JSON.
    assert_eq!(ApiSurface::from_json(&new.to_json()).unwrap(), new);
}

/// A recorded surface is given back unparsed only when it was read from the same sources: a
/// changed hand-written file, or a generated module that places them, is read again.
#[test]
fn a_recorded_surface_is_reused_only_for_the_same_sources() {
    let chat = "/// A thing.\npub struct Thing;";
    let files = |chat: &'static str, lib: &'static str| {
        [
            SourceFile { path: "src/lib.rs", source: Source::Text(lib), origin: Origin::Generated },
            SourceFile { path: "src/chat/mod.rs", source: Source::Text(chat), origin: Origin::Customization("chat") },
            SourceFile { path: "src/config.rs", source: Source::Text(""), origin: Origin::Runtime },
            // A generated module that holds no hand-written one is not read, so not digested.
            SourceFile {
                path: "src/types/item.rs",
                source: Source::Text("pub struct Item;"),
                origin: Origin::Generated,
            },
        ]
    };
    let recorded = VerbatimSurface::from_files(&files(chat, LIB)).unwrap();
    assert_eq!(paths(&recorded), ["chat", "chat::Thing", "config"]);
    // A marker that parsing could not give: seeing it back means the record was reused.
    let mut marked = recorded.clone();
    marked.items[1].path = "chat::FromTheRecord".to_owned();
    let reused = VerbatimSurface::from_files_reusing(&files(chat, LIB), Some(&marked)).unwrap();
    assert!(paths(&reused).contains(&"chat::FromTheRecord"));
    let mut other_generated = files(chat, LIB);
    other_generated[3].source = Source::Text("pub struct Other;");
    let reused = VerbatimSurface::from_files_reusing(&other_generated, Some(&marked)).unwrap();
    assert!(paths(&reused).contains(&"chat::FromTheRecord"), "an unread generated file does not matter");
    for changed in [files("/// A thing.\npub struct Thing;\npub struct New;", LIB), files(chat, "pub mod config;")] {
        let read = VerbatimSurface::from_files_reusing(&changed, Some(&marked)).unwrap();
        assert!(!paths(&read).contains(&"chat::FromTheRecord"), "read again: {:?}", paths(&read));
        assert_ne!(read.sources, recorded.sources);
    }
    let unrecorded = VerbatimSurface { sources: String::new(), ..marked };
    let read = VerbatimSurface::from_files_reusing(&files(chat, LIB), Some(&unrecorded)).unwrap();
    assert_eq!(paths(&read), paths(&recorded), "a record without a digest is never reused");
}

#[test]
fn every_kind_of_item_round_trips_through_the_record() {
    let recorded = surface(
        r#"
        /// Docs.
        pub mod inner { pub struct Deep; }
        #[non_exhaustive]
        pub struct Thing<T> { pub a: T, hidden: u8 }
        impl<T> Thing<T> {
            #[deprecated(note = "old")]
            pub async fn method(&self, x: u8) -> u8 where T: Clone { x }
            setters! { /// A setter.
                name: String; }
        }
        impl<T> Clone for Thing<T> { fn clone(&self) -> Self { todo() } }
        pub enum Kind { Unit, Tuple(u8), #[non_exhaustive] Named { x: u8 } }
        pub fn free(x: u8) {}
        pub trait Behaviour: Send { type Out; const N: u8; fn provided(&self) {} fn required(&self); }
        pub const LIMIT: u8 = 1;
        pub static NAME: &str = "n";
        pub type Alias<T> = Vec<T>;
        pub use ::std::vec::Vec as Reexported;
        "#,
    );
    let kinds: std::collections::BTreeSet<&str> = recorded.items.iter().map(|item| item.kind.describe()).collect();
    assert_eq!(kinds.len(), 9, "every ItemKind is in the record: {kinds:?}");
    let thing = recorded.items.iter().find(|item| item.path == "chat::Thing").expect("recorded");
    let ItemKind::Struct { impls, .. } = &thing.kind else { panic!("a struct: {thing:?}") };
    assert!(!impls.methods.is_empty() && !impls.macro_entries.is_empty() && !impls.traits.is_empty(), "{impls:?}");
    let value = crate::json::ToJson::to_json(&recorded);
    assert_eq!(crate::json::read::<VerbatimSurface>(&value).unwrap(), recorded);
}
