//! The public API of the code a generated crate carries verbatim: the runtime modules
//! (`codegen/runtime/`) and a service's customization (the chat), as data.
//!
//! Read from the crate's Rust sources with `syn` ([`VerbatimSurface::from_files`]): the module
//! tree (the generated `lib.rs` and `mod.rs` files declare where the hand-written modules sit
//! and re-export some of their items), then every public item a user can name, keyed by the
//! path they name it by. Only items written by hand are recorded: what the generator writes
//! is in the model-derived part of [`ApiSurface`](super::ApiSurface). Compared by [`diff`] with
//! the same rules as the model-derived part (Cargo's semver rules, `#[non_exhaustive]`).
//!
//! Types are recorded as the source spells them (`Vec<StreamChunk>`): a file that names the
//! same type by another path shows as a change of type, which is stricter than the truth,
//! never milder.

mod attrs;
mod collect;
mod diff;
mod modules;
mod record;
#[cfg(test)]
mod tests;

pub use diff::diff;

/// Where a source file of a generated crate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written by the generator: read for the module tree and its re-exports only.
    Generated,
    /// A runtime file (`codegen/runtime/`), copied verbatim.
    Runtime,
    /// A customization's file, copied verbatim; the customization's cargo feature.
    Customization(&'static str),
}

impl Origin {
    /// How a report names it (`runtime`, `chat`); `None` for generated code.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Origin::Generated => None,
            Origin::Runtime => Some("runtime"),
            Origin::Customization(feature) => Some(feature),
        }
    }
}

/// A source file's content: text (copied files) or the tokens the generator emitted.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Text(&'a str),
    Tokens(&'a proc_macro2::TokenStream),
}

/// One Rust source file of a generated crate.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Relative to the crate root (`src/chat/event.rs`); files outside `src/` are not modules.
    pub path: &'a str,
    pub source: Source<'a>,
    pub origin: Origin,
}

/// The hand-written public API of a crate, by path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerbatimSurface {
    /// Sorted by path; an item re-exported under several paths is recorded under each.
    pub items: Vec<Item>,
    /// MD5 of the sources the items were read from ([`VerbatimSurface::sources_digest`]): a
    /// regeneration whose sources have the same digest reuses the recorded items instead of
    /// parsing the files again. Empty in records made before it was kept.
    pub sources: String,
}

/// A public item of a hand-written file, at one of the paths a user names it by.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Path under the crate root (`chat::ChatEvent`).
    pub path: String,
    /// [`Origin::label`] of the file that defines it.
    pub origin: String,
    /// The `cfg` predicates it needs (its modules', the re-export's and its own), as written
    /// (`feature = "chat"`).
    pub cfg: Vec<String>,
    pub kind: ItemKind,
    pub deprecated: Option<String>,
    /// Digest of the documentation.
    pub docs: String,
}

/// What a public item is.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    Module,
    Struct {
        generics: String,
        non_exhaustive: bool,
        /// Whether it has fields outside the public API (then no literal builds it outside the
        /// crate, whatever `#[non_exhaustive]` says).
        private_fields: bool,
        /// Its public fields (`0`, `1`... for a tuple struct).
        fields: Vec<Field>,
        impls: Impls,
    },
    Enum {
        generics: String,
        non_exhaustive: bool,
        variants: Vec<Variant>,
        impls: Impls,
    },
    Fn(Signature),
    Trait {
        generics: String,
        /// The bounds after `:`, as written.
        supertraits: String,
        methods: Vec<TraitMethod>,
        /// Associated types and constants, by name.
        associated: Vec<String>,
    },
    Const {
        ty: String,
        /// Digest of the value: a change is no API change, but users may rely on it.
        value: String,
    },
    Static {
        ty: String,
    },
    TypeAlias {
        generics: String,
        ty: String,
    },
    /// A re-export of something no hand-written file defines (another crate: `pub use ::rustls`).
    Reexport {
        target: String,
    },
}

impl ItemKind {
    /// What the kind is called in a report.
    pub fn describe(&self) -> &'static str {
        match self {
            ItemKind::Module => "module",
            ItemKind::Struct { .. } => "struct",
            ItemKind::Enum { .. } => "enum",
            ItemKind::Fn(_) => "fn",
            ItemKind::Trait { .. } => "trait",
            ItemKind::Const { .. } => "const",
            ItemKind::Static { .. } => "static",
            ItemKind::TypeAlias { .. } => "type alias",
            ItemKind::Reexport { .. } => "re-export",
        }
    }
}

/// What the `impl` blocks of a type add to its API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Impls {
    /// Public methods and associated functions of its inherent impls, by name.
    pub methods: Vec<Signature>,
    /// Traits it implements (derived or by `impl`), as written, last path segment
    /// (`Clone`, `Service<::http::Uri>`).
    pub traits: Vec<String>,
    /// Entries of macro calls in its inherent impls (`setters! { name: Type; }`): each makes
    /// an item the parser cannot see, so the entries stand for them.
    pub macro_entries: Vec<MacroEntry>,
}

/// A public field (of a struct or a variant).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub deprecated: Option<String>,
    pub docs: String,
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    /// `unit`, `tuple` or `struct`.
    pub style: String,
    /// `#[non_exhaustive]` on the variant: fields may be added.
    pub non_exhaustive: bool,
    pub fields: Vec<Field>,
    pub deprecated: Option<String>,
    pub docs: String,
}

/// A function's or method's signature (argument names are not part of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub name: String,
    /// `const`, `async`, `unsafe`, `extern "C"`: what comes before `fn`.
    pub qualifiers: String,
    /// The generic parameters (`<T: Into<String>>`).
    pub generics: String,
    /// The `where` clause.
    pub where_clause: String,
    /// The receiver (`&self`) and the argument types, in order.
    pub inputs: Vec<String>,
    /// The return type (empty for `()`).
    pub output: String,
    /// Its own `cfg` predicates (the impl's and its own; a free function's are on its item).
    pub cfg: Vec<String>,
    pub deprecated: Option<String>,
    pub docs: String,
}

impl Signature {
    /// `async fn name<T>(&self, T) -> U where ...`, for a report.
    pub fn text(&self) -> String {
        let before = |text: &str| if text.is_empty() { String::new() } else { format!("{text} ") };
        let after = |lead: &str, text: &str| if text.is_empty() { String::new() } else { format!("{lead}{text}") };
        format!(
            "{}fn {}{}({}){}{}",
            before(&self.qualifiers),
            self.name,
            self.generics,
            self.inputs.join(", "),
            after(" -> ", &self.output),
            after(" ", &self.where_clause)
        )
    }

    /// What callers depend on: everything but documentation, deprecation and `cfg`.
    fn shape(&self) -> (&str, &str, &str, &[String], &str) {
        (&self.qualifiers, &self.generics, &self.where_clause, &self.inputs, &self.output)
    }
}

/// A method of a trait.
#[derive(Debug, Clone, PartialEq)]
pub struct TraitMethod {
    pub signature: Signature,
    /// Whether it has a default body (implementors need not write it).
    pub provided: bool,
}

/// One entry of a macro call in an impl (`name: Type;`, with its doc comments).
#[derive(Debug, Clone, PartialEq)]
pub struct MacroEntry {
    /// The macro (`setters`).
    pub macro_name: String,
    pub name: String,
    pub ty: String,
    pub docs: String,
}

impl VerbatimSurface {
    /// The public items the hand-written files among `files` give the crate; `files` are all
    /// the crate's Rust files (generated ones place the hand-written modules and re-export
    /// their items). Fails when a file does not parse.
    pub fn from_files(files: &[SourceFile<'_>]) -> Result<VerbatimSurface, String> {
        Self::from_files_reusing(files, None)
    }

    /// As [`from_files`](Self::from_files), but gives `known` back, unparsed, when it was read
    /// from the same sources: most regenerations change no hand-written file, and parsing them
    /// was a third of an unchanged run's time (perf of `xtask regenerate --check`).
    pub fn from_files_reusing(
        files: &[SourceFile<'_>],
        known: Option<&VerbatimSurface>,
    ) -> Result<VerbatimSurface, String> {
        let sources = Self::sources_digest(files);
        if let Some(known) = known.filter(|known| known.sources == sources) {
            return Ok(known.clone());
        }
        let tree = modules::Tree::parse(files)?;
        let mut items = collect::public_items(&tree);
        items.sort_by(|a, b| a.path.cmp(&b.path));
        items.dedup_by(|a, b| a.path == b.path);
        Ok(VerbatimSurface { items, sources })
    }

    /// MD5, in hex, of what a surface is read from: the path, origin and text of each file
    /// [`from_files`](Self::from_files) parses. An identifier, not a security check.
    pub fn sources_digest(files: &[SourceFile<'_>]) -> String {
        let mut context = md5::Context::new();
        for (file, _) in modules::read(files) {
            context.consume(file.path.as_bytes());
            context.consume([0]);
            context.consume(file.origin.label().unwrap_or("generated").as_bytes());
            context.consume([0]);
            match file.source {
                Source::Text(text) => context.consume(text.as_bytes()),
                Source::Tokens(tokens) => context.consume(tokens.to_string().as_bytes()),
            }
            context.consume([0]);
        }
        format!("{:x}", context.finalize())
    }

    /// The item at `path`.
    pub fn item(&self, path: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.path == path)
    }
}
