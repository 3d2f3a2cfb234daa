//! Response deserialization: JSON readers for shapes, and the output or error of each
//! operation read from its HTTP response.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::deprecation::{allow_if, type_names_deprecated};
use super::literals::{has_zero_value, or_member_default};
use super::paths::{format_tokens, shape_path, shape_wire_module};
use super::types::rust_type;
use crate::ir::{Binding, Ir, Member, Presence, Structure, Target, TimestampFormat, Type, Union};

/// An expression of a seed (`runtime::json`) reading one JSON value of `target`, in one pass
/// from the parser; `ctx` is the member's path for errors. Seeds are `Copy`: list and map seeds
/// reuse their item seed for every item.
pub(super) fn seed(ir: &Ir, target: &Target, ctx: &str) -> TokenStream {
    match &target.ty {
        Type::String => quote!(crate::runtime::json::Text(#ctx)),
        Type::Boolean => quote!(crate::runtime::json::Boolean(#ctx)),
        Type::Byte => quote!(crate::runtime::json::Integer::<i8>::new(#ctx)),
        Type::Short => quote!(crate::runtime::json::Integer::<i16>::new(#ctx)),
        Type::Integer => quote!(crate::runtime::json::Integer::<i32>::new(#ctx)),
        Type::Long => quote!(crate::runtime::json::Integer::<i64>::new(#ctx)),
        Type::Float => {
            quote!(crate::runtime::json::Convert(crate::runtime::json::Float(#ctx), |value: f64| value as f32))
        }
        Type::Double => quote!(crate::runtime::json::Float(#ctx)),
        Type::Enum(id) => {
            let ty = shape_path(ir, id);
            quote!(crate::runtime::json::StrEnum::<#ty>::new(#ctx))
        }
        Type::IntEnum(id) => {
            let ty = shape_path(ir, id);
            quote!(crate::runtime::json::Convert(crate::runtime::json::Integer::<i32>::new(#ctx), #ty::from))
        }
        Type::Structure(id) => {
            let ty = shape_path(ir, id);
            quote!(crate::runtime::json::Structure::<#ty>::new())
        }
        Type::List(list) => {
            let item = seed(ir, &list.member, &format!("{ctx}[]"));
            // Dense lists skip nulls rather than fail on them.
            if list.sparse {
                quote!(crate::runtime::json::SparseList(#item, #ctx))
            } else {
                quote!(crate::runtime::json::DenseList(#item, #ctx))
            }
        }
        Type::Map(map) => {
            let value = seed(ir, &map.value, &format!("{ctx}{{}}"));
            if map.sparse {
                quote!(crate::runtime::json::SparseMap(#value, #ctx))
            } else {
                quote!(crate::runtime::json::DenseMap(#value, #ctx))
            }
        }
        // The rare shapes are read from a `Value` of just the member.
        Type::Union(id) => {
            let module = shape_wire_module(ir, id);
            quote!(crate::runtime::json::via_value(#module::deserialize))
        }
        _ => {
            let read = tree_value(ir, target, quote!(value), ctx);
            quote!(crate::runtime::json::via_value(|value: &serde_json::Value| #read))
        }
    }
}

/// An expression of type `Result<T, DeserializeError>` reading `value` (a `&Value`): the
/// members of unions, and the types [`seed`] reads through a `Value`.
fn tree_value(ir: &Ir, target: &Target, value: TokenStream, ctx: &str) -> TokenStream {
    match &target.ty {
        Type::BigInteger | Type::BigDecimal => quote!(crate::runtime::json::number_text(#value, #ctx)),
        Type::Timestamp(format) => {
            let format = format_tokens(format.unwrap_or(TimestampFormat::EpochSeconds));
            quote!(crate::runtime::timestamp_json::read(#value, #format, #ctx))
        }
        Type::Blob { .. } => quote! {
            crate::runtime::json::str(#value, #ctx)
                .and_then(|text| crate::runtime::base64_read::decode(text, #ctx))
                .map(crate::primitives::Blob::new)
        },
        // `value` is a `&Value` expression, which may be `&name`: call `clone` on it as a path.
        Type::Document => quote!(Ok::<_, crate::runtime::response::DeserializeError>(serde_json::Value::clone(#value))),
        Type::Unit => quote!(crate::runtime::json::object(#value, #ctx).map(|_| ())),
        _ => {
            let seed = seed(ir, target, ctx);
            quote!(crate::runtime::json::read_value(#value, #seed))
        }
    }
}

/// Finishes an `Option<T>` expression into the field value of `member`; a missing required
/// member fails with `missing` (a `DeserializeError`, or the parser's error in a reader).
fn finish_member(ir: &Ir, member: &Member, option: TokenStream, ctx: &str, missing: Missing) -> TokenStream {
    let option = if member.boxed { quote!(#option.map(Box::new)) } else { option };
    match &member.presence {
        Presence::Optional { .. } => option,
        Presence::Defaulted { .. } => or_member_default(ir, member, option),
        Presence::Required if has_zero_value(&member.target.ty) => quote!(#option.unwrap_or_default()),
        Presence::Required => match missing {
            Missing::Response => {
                quote!(#option.ok_or_else(|| crate::runtime::response::DeserializeError::missing(#ctx))?)
            }
            Missing::Parser => quote!(#option.ok_or_else(|| crate::runtime::json::missing::<A::Error>(#ctx))?),
        },
    }
}

/// Where a missing required member is reported.
#[derive(Debug, Clone, Copy)]
enum Missing {
    /// After the body is read, as a `DeserializeError`.
    Response,
    /// Inside a `ReadObject` implementation, as the parser's error.
    Parser,
}

/// The local holding a body member while the object is read.
fn local(m: &Member) -> proc_macro2::Ident {
    quote::format_ident!("m_{}", m.field.as_str())
}

/// `ReadObject::read_members` for `members` (the body members of a structure): one local per
/// member, one match arm per wire name, unknown members skipped; `build` makes the value
/// from the locals (each an `Option` of the member's type).
fn read_members(ir: &Ir, owner: &str, members: &[&Member], is_error: bool, build: TokenStream) -> TokenStream {
    let locals = members.iter().map(|m| local(m));
    let mut arms = Vec::new();
    let mut alternates = Vec::new();
    for m in members {
        let local = local(m);
        let seed = seed(ir, &m.target, &format!("{owner}.{}", m.name));
        let key = &m.json_name;
        arms.push(quote!(#key => #local = map.next_value_seed(crate::runtime::json::Nullable(#seed))?,));
        // Services spell the message of an error `message` or `Message`, whatever the model
        // says: the model's spelling wins when both come.
        let other = ["message", "Message"].into_iter().find(|spelling| spelling != key);
        if let Some(other) = other.filter(|_| is_error && m.name.eq_ignore_ascii_case("message")) {
            let alternate = quote::format_ident!("{local}_alternate");
            arms.push(quote!(#other => #alternate = map.next_value_seed(crate::runtime::json::Nullable(#seed))?,));
            alternates.push(quote! {
                let mut #alternate = None;
            });
            alternates.push(quote! {
                let #local = #local.or(#alternate);
            });
        }
    }
    let (declare_alternates, merge_alternates): (Vec<_>, Vec<_>) =
        alternates.chunks(2).map(|pair| (pair[0].clone(), pair[1].clone())).unzip();
    let each_member = if members.is_empty() {
        quote! {
            while map.next_key::<crate::runtime::json::Key<'de>>()?.is_some() {
                crate::runtime::json::skip(&mut map)?;
            }
        }
    } else {
        quote! {
            while let Some(key) = map.next_key::<crate::runtime::json::Key<'de>>()? {
                match key.as_str() {
                    #(#arms)*
                    _ => crate::runtime::json::skip(&mut map)?,
                }
            }
        }
    };
    quote! {
        fn read_members<'de, A: crate::runtime::json::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            #(let mut #locals = None;)*
            #(#declare_alternates)*
            #each_member
            #(#merge_alternates)*
            Ok(#build)
        }
    }
}

/// `ReadObject` for a structure used as a value: read in one pass, member by member.
pub(super) fn structure_deserializer(ir: &Ir, s: &Structure) -> TokenStream {
    let ty = shape_path(ir, &s.id);
    let name = s.rust_name.as_str();
    let members: Vec<&Member> = s.members.iter().collect();
    let fields = s.members.iter().map(|m| {
        let field = &m.field;
        let value = finish_member(ir, m, local(m).into_token_stream(), &format!("{name}.{}", m.name), Missing::Parser);
        quote!(#field: #value)
    });
    let read = read_members(ir, name, &members, false, quote!(#ty { #(#fields),* }));
    quote! {
        /// Reads the structure in one pass, member by member as the parser meets them.
        impl crate::runtime::json::ReadObject for #ty {
            const NAME: &'static str = #name;

            #read
        }
    }
}

/// `deserialize` for a union: the one member set picks the variant.
pub(super) fn union_deserializer(ir: &Ir, u: &Union) -> TokenStream {
    let ty = shape_path(ir, &u.id);
    let name = u.rust_name.as_str();
    let arms = u.variants.iter().map(|v| {
        let variant = &v.field;
        let key = &v.json_name;
        let ctx = format!("{name}.{}", v.name);
        let read = tree_value(ir, &v.target, quote!(value), &ctx);
        if v.target.ty == Type::Unit {
            return quote!(#key => {
                #read?;
                #ty::#variant
            });
        }
        let read = if v.boxed { quote!(Box::new(#read?)) } else { quote!(#read?) };
        quote!(#key => #ty::#variant(#read),)
    });
    quote! {
        /// Reads the union from a JSON object with exactly one member set.
        pub(crate) fn deserialize(value: &serde_json::Value) -> Result<#ty, crate::runtime::response::DeserializeError> {
            let object = crate::runtime::json::object(value, #name)?;
            // `__type` may accompany the member; it names the union, not a member.
            let mut set = object.iter().filter(|(key, value)| !value.is_null() && key.as_str() != "__type");
            let Some((key, value)) = set.next() else {
                return Err(crate::runtime::response::DeserializeError::new(concat!(#name, ": no member is set")));
            };
            if set.next().is_some() {
                return Err(crate::runtime::response::DeserializeError::new(concat!(#name, ": more than one member is set")));
            }
            Ok(match key.as_str() {
                #(#arms)*
                other => #ty::Unknown(other.to_owned()),
            })
        }
    }
}

/// An `Option<T>` expression reading a header-bound value of `target` from `text` (a String).
fn header_value(target: &Target, name: &str) -> TokenStream {
    let parse_one = |target: &Target, text: TokenStream| -> TokenStream {
        match &target.ty {
            Type::String if target.media_type.is_some() => quote! {
                crate::runtime::base64_read::decode(&#text, #name).and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|_| crate::runtime::response::DeserializeError::new(concat!("header ", #name, ": not UTF-8")))
                })
            },
            Type::String | Type::BigInteger | Type::BigDecimal => {
                quote!(Ok::<_, crate::runtime::response::DeserializeError>(#text.to_string()))
            }
            Type::Boolean => quote!(crate::runtime::response::parse_header::<bool>(&#text, #name)),
            Type::Byte => quote!(crate::runtime::response::parse_header::<i8>(&#text, #name)),
            Type::Short => quote!(crate::runtime::response::parse_header::<i16>(&#text, #name)),
            Type::Integer => quote!(crate::runtime::response::parse_header::<i32>(&#text, #name)),
            Type::Long => quote!(crate::runtime::response::parse_header::<i64>(&#text, #name)),
            Type::Float => quote!(crate::runtime::response::parse_float_header(&#text, #name).map(|v| v as f32)),
            Type::Double => quote!(crate::runtime::response::parse_float_header(&#text, #name)),
            Type::Timestamp(format) => {
                let format = format_tokens(format.unwrap_or(TimestampFormat::HttpDate));
                quote!(crate::runtime::timestamp_text::parse(&#text, #format, #name))
            }
            Type::Blob { .. } => {
                quote!(crate::runtime::base64_read::decode(&#text, #name).map(crate::primitives::Blob::new))
            }
            Type::Enum(_) => quote!(Ok::<_, crate::runtime::response::DeserializeError>(#text.as_str().into())),
            Type::IntEnum(_) => quote!(crate::runtime::response::parse_header::<i32>(&#text, #name).map(Into::into)),
            _ => panic!("IR invariant: header bindings target simple values"),
        }
    };
    match &target.ty {
        Type::List(list) => {
            let split = if matches!(list.member.ty, Type::Timestamp(None | Some(TimestampFormat::HttpDate))) {
                quote!(crate::runtime::response::split_http_dates(&text))
            } else {
                quote!(crate::runtime::response::split_header_list(&text, #name)?)
            };
            let item = parse_one(&list.member, quote!(item));
            quote! {
                crate::runtime::response::header(response, #name)?
                    .map(|text| -> Result<_, crate::runtime::response::DeserializeError> {
                        #split.into_iter().map(|item| #item).collect::<Result<Vec<_>, _>>()
                    })
                    .transpose()?
            }
        }
        _ => {
            let one = parse_one(target, quote!(text));
            quote!(crate::runtime::response::header(response, #name)?.map(|text| #one).transpose()?)
        }
    }
}

/// A function (`name_and_visibility`: `fn read_output`) reading the structure `ty` from a
/// whole response (outputs and errors). The body members are read in one pass into
/// `BodyMembers`, then the value is made from them, the headers and the status.
pub(super) fn response_structure(
    ir: &Ir,
    s: &Structure,
    name_and_visibility: TokenStream,
    ty: TokenStream,
) -> TokenStream {
    let name = s.rust_name.as_str();
    let is_error = matches!(s.kind, crate::ir::StructureKind::Error(_));
    let body_members: Vec<&Member> = s.members.iter().filter(|m| m.binding == Binding::Body).collect();
    let body_reader = (!body_members.is_empty()).then(|| {
        let fields: Vec<_> = body_members.iter().map(|m| &m.field).collect();
        let types = body_members.iter().map(|m| rust_type(ir, &m.target.ty));
        let locals = body_members.iter().map(|m| local(m));
        let read = read_members(ir, name, &body_members, is_error, quote!(BodyMembers { #(#fields: #locals),* }));
        let doc = format!(" The members of `{name}` that travel in the body, as read.");
        // The crate's own reader names deprecated members and types: it may.
        let touches = body_members.iter().any(|m| m.deprecated.is_some() || type_names_deprecated(ir, &m.target.ty));
        let allow = allow_if(touches);
        quote! {
            #[doc = #doc]
            #allow
            struct BodyMembers {
                #(#fields: Option<#types>),*
            }

            /// Reads the body in one pass, member by member as the parser meets them.
            #allow
            impl crate::runtime::json::ReadObject for BodyMembers {
                const NAME: &'static str = #name;

                #read
            }
        }
    });
    let body = body_reader.is_some().then(|| {
        quote! {
            let body = crate::runtime::json::read_body(response.body(), crate::runtime::json::Structure::<BodyMembers>::new())?;
        }
    });
    let fields = s.members.iter().map(|m| {
        let field = &m.field;
        let ctx = format!("{name}.{}", m.name);
        if m.binding == Binding::ResponseCode {
            // Every response has a status code: no default or absence to handle.
            let status = quote!(i32::from(response.status().as_u16()));
            let value = if m.is_optional() { quote!(Some(#status)) } else { status };
            return quote!(#field: #value);
        }
        let option = match &m.binding {
            Binding::Body => quote!(body.#field),
            Binding::Header(header) => header_value(&m.target, header),
            Binding::PrefixHeaders(prefix) => {
                quote!(Some(crate::runtime::response::prefix_headers(response, #prefix)?).filter(|headers| !headers.is_empty()))
            }
            Binding::Payload => payload_value(ir, m, &ctx),
            Binding::ResponseCode | Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {
                unreachable!("IR invariant: responses bind no labels or queries; the status is read above")
            }
        };
        let value = finish_member(ir, m, option, &ctx, Missing::Response);
        quote!(#field: #value)
    });
    let request_id = s
        .keeps_request_id()
        .then(|| quote!(_request_id: crate::error::request_id(response.headers()).map(str::to_owned)));
    let response_param =
        if s.members.is_empty() && request_id.is_none() { quote!(_response) } else { quote!(response) };
    quote! {
        /// Reads the structure from an HTTP response.
        #name_and_visibility(#response_param: &crate::transport::HttpResponse) -> Result<#ty, crate::runtime::response::DeserializeError> {
            #body
            Ok(#ty { #(#fields,)* #request_id })
        }

        #body_reader
    }
}

/// An `Option<T>` expression reading a payload member from the whole body.
fn payload_value(ir: &Ir, m: &Member, ctx: &str) -> TokenStream {
    match &m.target.ty {
        Type::Blob { .. } => quote! {
            Some(response.body()).filter(|body| !body.is_empty()).map(|body| crate::primitives::Blob::new(body.to_vec()))
        },
        Type::String => quote! {
            Some(response.body())
                .filter(|body| !body.is_empty())
                .map(|body| String::from_utf8(body.to_vec()).map_err(|_| crate::runtime::response::DeserializeError::new(concat!(#ctx, ": the body is not UTF-8"))))
                .transpose()?
        },
        Type::Enum(id) => {
            let ty = shape_path(ir, id);
            quote! {
                Some(response.body())
                    .filter(|body| !body.is_empty())
                    .map(|body| std::str::from_utf8(body).map(#ty::from).map_err(|_| crate::runtime::response::DeserializeError::new(concat!(#ctx, ": the body is not UTF-8"))))
                    .transpose()?
            }
        }
        _ => {
            let seed = seed(ir, &m.target, ctx);
            quote! {
                if response.body().iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    Some(crate::runtime::json::read_body(response.body(), #seed)?)
                }
            }
        }
    }
}
