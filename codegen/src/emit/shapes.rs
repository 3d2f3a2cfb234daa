//! Public types: structures, unions, enums, intEnums and error structures.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, member_types_touch, members_touch};
use super::docs::{article, deprecated, doc, member_doc, member_summary};
use super::literals::member_default;
use super::types::{convert_member_param, field_type, param_type, value_type};
use crate::ir::{Enum, EnumShape, IntEnum, Ir, Member, Structure, StructureKind, Type, TypeName, Union};

/// What `Debug` prints in place of a sensitive value.
pub(super) const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The struct definition with documented public fields, and a redacting `Debug` when needed.
pub(super) fn struct_definition(ir: &Ir, s: &Structure, fallback_doc: String) -> TokenStream {
    let name = &s.rust_name;
    let docs = doc(&s.docs, || fallback_doc);
    let deprecated_attr = deprecated(&s.deprecated);
    let fields = s.members.iter().map(|m| {
        let field = m.field.to_ident();
        let ty = field_type(ir, m);
        let docs = member_doc(m, s);
        let deprecated = deprecated(&m.deprecated);
        quote! { #docs #deprecated pub #field: #ty, }
    });
    let request_id = s.keeps_request_id().then(|| quote!(pub(crate) _request_id: Option<String>,));
    let derive_debug = !s.members.iter().any(Member::is_sensitive);
    let debug_derive = if derive_debug { quote!(Debug,) } else { quote!() };
    let allow_definition = allow_if(member_types_touch(ir, &s.members));
    let debug_impl = if derive_debug {
        quote!()
    } else {
        let allow = allow_if(s.deprecated.is_some() || members_touch(ir, &s.members));
        let debug = redacting_debug(&s.rust_name, &s.members);
        quote!(#allow #debug)
    };
    quote! {
        #docs
        #deprecated_attr
        #allow_definition
        #[non_exhaustive]
        #[derive(#debug_derive Clone, PartialEq)]
        pub struct #name { #(#fields)* #request_id }
        #debug_impl
    }
}

/// `Debug` that prints sensitive members as a fixed placeholder.
pub(super) fn redacting_debug(name: &TypeName, members: &[Member]) -> TokenStream {
    let type_name = name.as_str();
    let fields = members.iter().map(|m| {
        let label = &m.field.as_str();
        let field = m.field.to_ident();
        if m.is_sensitive() { quote!(.field(#label, &#REDACTED)) } else { quote!(.field(#label, &self.#field)) }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish()
            }
        }
    }
}

/// One setter per member in `members`, writing into `target` (`self` or `self.input`), under
/// the names the IR gave them.
pub(super) fn setters(ir: &Ir, members: &[&Member], target: TokenStream) -> TokenStream {
    let methods = members.iter().map(|m| {
        let field = m.field.to_ident();
        let (setter, set_name) = m.setters();
        let param = param_type(ir, &m.target.ty);
        let value = convert_member_param(m, quote!(value));
        let docs = doc(&m.docs, || format!("Sets `{}`.", m.field));
        let deprecated = deprecated(&m.deprecated);
        let assign = if m.is_optional() { quote!(Some(#value)) } else { value };
        let set_doc = match member_summary(m) {
            Some(summary) => format!(" Sets or clears `{}` (`None` leaves it unset): {summary}", m.field),
            None => format!(" Sets or clears `{}` (`None` leaves it unset).", m.field),
        };
        let ty = value_type(ir, m);
        let set_method = if m.is_optional() {
            quote! {
                #[doc = #set_doc]
                #deprecated
                pub fn #set_name(mut self, value: Option<#ty>) -> Self {
                    #target.#field = value;
                    self
                }
            }
        } else {
            quote!()
        };
        quote! {
            #docs
            #deprecated
            pub fn #setter(mut self, value: #param) -> Self {
                #target.#field = #assign;
                self
            }
            #set_method
        }
    });
    quote!(#(#methods)*)
}

/// The initializer of a member in a constructor: its argument, default or `None`.
pub(super) fn initializer(ir: &Ir, member: &Member, positional: bool) -> TokenStream {
    let field = member.field.to_ident();
    let passed_as_is = !member.boxed && super::types::is_plain_param(&member.target.ty);
    if positional && passed_as_is {
        return quote!(#field);
    }
    let value = initial_value(ir, member, positional);
    quote!(#field: #value)
}

/// The expression a member starts with in a constructor: its argument, default or `None`.
pub(super) fn initial_value(ir: &Ir, member: &Member, positional: bool) -> TokenStream {
    let field = member.field.to_ident();
    if positional {
        return convert_member_param(member, quote!(#field));
    }
    if member.is_optional() {
        return quote!(None);
    }
    member_default(ir, member)
}

/// A structure used as a value, an output or an error: definition, constructor and setters.
pub(super) fn structure(ir: &Ir, s: &Structure, fallback_doc: String) -> TokenStream {
    let name = &s.rust_name;
    let definition = struct_definition(ir, s, fallback_doc);
    let positional: Vec<&Member> = s.positional_members().collect();
    let args = positional.iter().map(|m| {
        let field = m.field.to_ident();
        let param = param_type(ir, &m.target.ty);
        quote!(#field: #param)
    });
    let inits = s.members.iter().enumerate().map(|(index, m)| initializer(ir, m, s.is_positional(index)));
    let optional: Vec<&Member> = s.optional_members().collect();
    let setters = setters(ir, &optional, quote!(self));
    let new_doc = if positional.is_empty() {
        format!(
            " Creates {} `{}` with every member unset (or at its default).",
            article(s.rust_name.as_str()),
            s.rust_name
        )
    } else {
        format!(
            " Creates {} `{}` from its required members; the others start unset (or at their default).",
            article(s.rust_name.as_str()),
            s.rust_name
        )
    };
    let allow_many = if positional.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let allow_names = allow_placeholder_names(&positional);
    let allow_impl = allow_if(s.deprecated.is_some() || members_touch(ir, &s.members));
    let allow_type = allow_if(s.deprecated.is_some());
    let default_impl = if positional.is_empty() {
        quote! {
            #allow_type
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    let request_id_init = s.keeps_request_id().then(|| quote!(_request_id: None));
    let request_id_impl = s.keeps_request_id().then(|| {
        quote! {
            #allow_type
            impl crate::error::RequestId for #name {
                fn request_id(&self) -> Option<&str> {
                    self._request_id.as_deref()
                }
            }
        }
    });
    let error_impls = match &s.kind {
        StructureKind::Error(_) => error_impls(s, &allow_impl),
        _ => quote!(),
    };
    quote! {
        #definition
        #allow_impl
        impl #name {
            #[doc = #new_doc]
            #allow_many
            #allow_names
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #request_id_init }
            }
            #setters
        }
        #default_impl
        #request_id_impl
        #error_impls
    }
}

/// `#[allow(clippy::disallowed_names)]` when an argument is named after a member that clippy
/// takes for a placeholder (`foo`, `baz`, `quux`): the model chose the name, not the generator.
pub(super) fn allow_placeholder_names(arguments: &[&Member]) -> TokenStream {
    let placeholder = arguments.iter().any(|m| ["foo", "baz", "quux"].contains(&m.field.as_str()));
    if placeholder { quote!(#[allow(clippy::disallowed_names)]) } else { quote!() }
}

/// The error message member: `Message` or `message`, a string.
pub(super) fn message_member(s: &Structure) -> Option<&Member> {
    s.members.iter().find(|m| m.name.eq_ignore_ascii_case("message") && matches!(m.target.ty, crate::ir::Type::String))
}

/// `Display` and `Error` of an error structure, each with `allow` (`#[allow(deprecated)]` when
/// they touch a deprecated structure or message).
fn error_impls(s: &Structure, allow: &TokenStream) -> TokenStream {
    let name = &s.rust_name;
    let code = s.id.name();
    let display = match message_member(s) {
        Some(m) if m.is_optional() => {
            let field = m.field.to_ident();
            let with_message = format!("{code}: {{message}}");
            quote! {
                match &self.#field {
                    Some(message) => write!(f, #with_message),
                    None => f.write_str(#code),
                }
            }
        }
        Some(m) => {
            let field = m.field.to_ident();
            let with_message = format!("{code}: {{}}");
            quote!(write!(f, #with_message, self.#field))
        }
        None => quote!(f.write_str(#code)),
    };
    quote! {
        #allow
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }
        #allow
        impl std::error::Error for #name {}
    }
}

/// The pieces string enums and intEnums share.
struct EnumParts {
    name: TypeName,
    /// Docs, deprecation and `#[non_exhaustive]` of the type.
    head: TokenStream,
    variants: TokenStream,
    /// `Self::Variant => value,` arms.
    to_value: TokenStream,
    /// `value => Self::Variant,` arms.
    from_value: TokenStream,
    values: TokenStream,
    debug_derive: TokenStream,
    debug_impl: TokenStream,
    /// On impls that name the type's values (deprecated values, or a deprecated type).
    allow_deprecated: TokenStream,
    /// On impls that name only the type.
    allow_deprecated_type: TokenStream,
}

fn enum_parts<V: std::fmt::Display>(e: &EnumShape<V>, literal: impl Fn(&V) -> TokenStream) -> EnumParts {
    let name = e.rust_name.clone();
    let docs = doc(&e.docs, || format!("The values of `{}`.", e.id.name()));
    let deprecated_attr = deprecated(&e.deprecated);
    let variants = e.variants.iter().map(|v| {
        let variant = &v.rust_name;
        let docs = doc(&v.docs, || format!("The value `{}`.", v.value));
        let deprecated = deprecated(&v.deprecated);
        quote!(#docs #deprecated #variant,)
    });
    let to_value = e.variants.iter().map(|v| {
        let variant = &v.rust_name;
        let value = literal(&v.value);
        quote!(Self::#variant => #value,)
    });
    let from_value = e.variants.iter().map(|v| {
        let variant = &v.rust_name;
        let value = literal(&v.value);
        quote!(#value => Self::#variant,)
    });
    let values = e.variants.iter().map(|v| literal(&v.value));
    let allow_deprecated = allow_if(e.deprecated.is_some() || e.variants.iter().any(|v| v.deprecated.is_some()));
    let allow_deprecated_type = allow_if(e.deprecated.is_some());
    let (debug_derive, debug_impl) = if e.sensitive {
        let debug = sensitive_value_debug(&e.rust_name);
        (quote!(), quote!(#allow_deprecated_type #debug))
    } else {
        (quote!(Debug,), quote!())
    };
    EnumParts {
        name,
        head: quote!(#docs #deprecated_attr #[non_exhaustive]),
        variants: quote!(#(#variants)*),
        to_value: quote!(#(#to_value)*),
        from_value: quote!(#(#from_value)*),
        values: quote!(#(#values),*),
        debug_derive,
        debug_impl,
        allow_deprecated,
        allow_deprecated_type,
    }
}

/// A string enum with an `Unknown` variant for values this version does not list.
pub(super) fn string_enum(e: &Enum) -> TokenStream {
    let EnumParts {
        name,
        head,
        variants,
        to_value,
        from_value,
        values,
        debug_derive,
        debug_impl,
        allow_deprecated,
        allow_deprecated_type,
    } = enum_parts(e, |value| quote!(#value));
    quote! {
        #head
        #[derive(#debug_derive Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #variants
            /// A value this version of the crate does not list, kept as received.
            Unknown(crate::types::UnknownValue),
        }
        #allow_deprecated
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #to_value
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model lists.
            pub const fn values() -> &'static [&'static str] {
                &[#values]
            }
        }
        #allow_deprecated
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #from_value
                    other => Self::Unknown(crate::types::UnknownValue::new(other.to_owned())),
                }
            }
        }
        #allow_deprecated_type
        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }
        #allow_deprecated_type
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        #allow_deprecated_type
        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        #allow_deprecated_type
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #debug_impl
    }
}

/// An intEnum with an `Unknown` variant.
pub(super) fn int_enum(e: &IntEnum) -> TokenStream {
    let EnumParts {
        name,
        head,
        variants,
        to_value,
        from_value,
        values,
        debug_derive,
        debug_impl,
        allow_deprecated,
        allow_deprecated_type,
    } = enum_parts(e, |value| quote!(#value));
    quote! {
        #head
        #[derive(#debug_derive Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #variants
            /// A value this version of the crate does not list, kept as received.
            Unknown(crate::types::UnknownValue<i32>),
        }
        #allow_deprecated
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #to_value
                    Self::Unknown(value) => *value.value(),
                }
            }

            /// Every value the model lists.
            pub const fn values() -> &'static [i32] {
                &[#values]
            }
        }
        #allow_deprecated
        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #from_value
                    other => Self::Unknown(crate::types::UnknownValue::new(other)),
                }
            }
        }
        #allow_deprecated_type
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i32())
            }
        }
        #debug_impl
    }
}

fn sensitive_value_debug(name: &TypeName) -> TokenStream {
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#REDACTED)
            }
        }
    }
}

/// `#[allow(clippy::large_enum_variant)]` on a union one of whose variants may be large
/// enough for the lint (200 bytes more than the next largest, which is at least the 24 bytes
/// of `Unknown(String)`), by an upper bound of its size.
///
/// Boxing the large variant would make every caller write `Box::new(..)` to build it and put
/// each value behind an allocation, to save space only in lists of unions whose small
/// variants waste it: a union is one value of a request or response, built and read once,
/// and the model, not the generator, decides its variants' sizes. Recursive variants are
/// boxed already (they must be).
fn allow_large_variant(ir: &Ir, u: &Union) -> TokenStream {
    const LINT_THRESHOLD: usize = 200;
    const UNKNOWN_VARIANT: usize = 24;
    let largest = u.variants.iter().map(|v| member_size_bound(ir, v, &mut Vec::new())).max().unwrap_or(0);
    if largest >= LINT_THRESHOLD + UNKNOWN_VARIANT {
        quote!(#[allow(clippy::large_enum_variant, reason = "a union is one value of a message; its variants are the model's")])
    } else {
        quote!()
    }
}

/// An upper bound of the size in bytes of a member's field on a 64-bit target (every field
/// rounded up to 8 bytes, `Option` counted as 8 more, documents at their largest layout).
fn member_size_bound(ir: &Ir, member: &Member, within: &mut Vec<crate::smithy::ShapeId>) -> usize {
    let value = if member.boxed { 8 } else { type_size_bound(ir, &member.target.ty, within) };
    if member.is_optional() { value + 8 } else { value }
}

fn type_size_bound(ir: &Ir, ty: &Type, within: &mut Vec<crate::smithy::ShapeId>) -> usize {
    match ty {
        Type::Unit => 0,
        Type::Boolean | Type::Byte | Type::Short | Type::Integer | Type::Long | Type::Float | Type::Double => 8,
        Type::IntEnum(_) | Type::Timestamp(_) => 16,
        Type::String | Type::BigInteger | Type::BigDecimal | Type::Blob { .. } | Type::List(_) | Type::Map(_) => 24,
        Type::Enum(_) => 32,
        // `serde_json::Value`, with or without its `preserve_order` map.
        Type::Document => 80,
        Type::Structure(id) | Type::Union(id) if within.contains(id) => 8,
        Type::Structure(id) | Type::Union(id) => {
            within.push(id.clone());
            let members = ir.members_of(id).iter().map(|m| member_size_bound(ir, m, within));
            let size =
                if matches!(ty, Type::Union(_)) { members.max().unwrap_or(0) + 8 } else { members.sum::<usize>() + 24 };
            within.pop();
            size
        }
    }
}

/// A union: one variant per member, plus `Unknown` for members this version does not know.
pub(super) fn union(ir: &Ir, u: &Union) -> TokenStream {
    let name = &u.rust_name;
    let docs = doc(&u.docs, || format!("The `{}` union: exactly one member is set.", u.id.name()));
    let deprecated_attr = deprecated(&u.deprecated);
    let variants = u.variants.iter().map(|v| {
        let variant = v.field.to_ident();
        let ty = value_type(ir, v);
        let docs = doc(&v.docs, || format!("The `{}` member.", v.name));
        let deprecated = deprecated(&v.deprecated);
        if v.target.ty == Type::Unit {
            return quote!(#docs #deprecated #variant,);
        }
        quote!(#docs #deprecated #variant(#ty),)
    });
    let accessors = u.variants.iter().map(|v| {
        let variant = v.field.to_ident();
        let method = v.variant_accessor();
        if v.target.ty == Type::Unit {
            let doc = format!(" Whether `{}` is the member set.", v.name);
            return quote! {
                #[doc = #doc]
                pub fn #method(&self) -> bool {
                    matches!(self, Self::#variant)
                }
            };
        }
        // Boxed (recursive) variants hand out the value, not the box.
        let ty = super::types::rust_type(ir, &v.target.ty);
        let doc = format!(" The `{}` member, when it is the one set.", v.name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> Option<&#ty> {
                match self {
                    Self::#variant(value) => Some(value),
                    _ => None,
                }
            }
        }
    });
    let allow_impls = allow_if(u.deprecated.is_some() || members_touch(ir, &u.variants));
    let sensitive = u.variants.iter().any(Member::is_sensitive);
    let (debug_derive, debug_impl) = if sensitive {
        let arms = u.variants.iter().map(|v| {
            let variant = v.field.to_ident();
            let label = v.field.as_str();
            if v.target.ty == Type::Unit {
                quote!(Self::#variant => f.write_str(#label),)
            } else if v.is_sensitive() {
                quote!(Self::#variant(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
            } else {
                quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        (
            quote!(),
            quote! {
                #allow_impls
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self {
                            #(#arms)*
                            Self::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                        }
                    }
                }
            },
        )
    } else {
        (quote!(Debug,), quote!())
    };
    let allow_definition = allow_if(member_types_touch(ir, &u.variants));
    let large_variant = allow_large_variant(ir, u);
    quote! {
        #docs
        #deprecated_attr
        #allow_definition
        #large_variant
        #[non_exhaustive]
        #[derive(#debug_derive Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know; holds the member's name.
            Unknown(String),
        }
        #allow_impls
        impl #name {
            #(#accessors)*
            /// Whether the member set is one this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        #debug_impl
    }
}
