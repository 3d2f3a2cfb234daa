//! Response deserialization: JSON readers for shapes, and the output or error of each
//! operation read from its HTTP response.

use proc_macro2::TokenStream;
use quote::quote;

use super::literals::{has_zero_value, or_member_default};
use super::paths::{format_tokens, shape_path, shape_wire_module};
use crate::ir::{Binding, Ir, Member, Presence, Structure, Target, TimestampFormat, Type, Union};

/// An expression of type `Result<T, DeserializeError>` reading `value` (a `&Value`).
pub(super) fn json_value(ir: &Ir, target: &Target, value: TokenStream, ctx: &str) -> TokenStream {
    match &target.ty {
        Type::String => quote!(crate::runtime::json::string(#value, #ctx)),
        Type::BigInteger | Type::BigDecimal => quote!(crate::runtime::json::number_text(#value, #ctx)),
        Type::Boolean => quote!(crate::runtime::json::boolean(#value, #ctx)),
        Type::Byte => quote!(crate::runtime::json::integer::<i8>(#value, #ctx)),
        Type::Short => quote!(crate::runtime::json::integer::<i16>(#value, #ctx)),
        Type::Integer => quote!(crate::runtime::json::integer::<i32>(#value, #ctx)),
        Type::Long => quote!(crate::runtime::json::integer::<i64>(#value, #ctx)),
        Type::Float => quote!(crate::runtime::json::float(#value, #ctx).map(|v| v as f32)),
        Type::Double => quote!(crate::runtime::json::float(#value, #ctx)),
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
        Type::Enum(id) => {
            let ty = shape_path(ir, id);
            quote!(crate::runtime::json::str(#value, #ctx).map(#ty::from))
        }
        Type::IntEnum(id) => {
            let ty = shape_path(ir, id);
            quote!(crate::runtime::json::integer::<i32>(#value, #ctx).map(#ty::from))
        }
        Type::Structure(id) | Type::Union(id) => {
            let module = shape_wire_module(ir, id);
            quote!(#module::deserialize(#value))
        }
        Type::List(list) => {
            let item_ctx = format!("{ctx}[]");
            if list.sparse {
                let item = json_value(ir, &list.member, quote!(item), &item_ctx);
                quote! {
                    crate::runtime::json::array(#value, #ctx).and_then(|items| {
                        items.iter().map(|item| if item.is_null() { Ok(None) } else { #item.map(Some) }).collect::<Result<Vec<_>, _>>()
                    })
                }
            } else {
                let reader = json_reader(ir, &list.member, &item_ctx);
                quote! {
                    crate::runtime::json::array(#value, #ctx).and_then(|items| {
                        // Dense lists skip nulls rather than fail on them.
                        items.iter().filter(|item| !item.is_null()).map(#reader).collect::<Result<Vec<_>, _>>()
                    })
                }
            }
        }
        Type::Map(map) => {
            let entry_ctx = format!("{ctx}{{}}");
            let entry = json_value(ir, &map.value, quote!(value), &entry_ctx);
            if map.sparse {
                quote! {
                    crate::runtime::json::object(#value, #ctx).and_then(|entries| {
                        entries
                            .iter()
                            .map(|(key, value)| Ok((key.clone(), if value.is_null() { None } else { Some(#entry?) })))
                            .collect::<Result<std::collections::BTreeMap<_, _>, crate::runtime::response::DeserializeError>>()
                    })
                }
            } else {
                quote! {
                    crate::runtime::json::object(#value, #ctx).and_then(|entries| {
                        entries
                            .iter()
                            .filter(|(_, value)| !value.is_null())
                            .map(|(key, value)| Ok((key.clone(), #entry?)))
                            .collect::<Result<std::collections::BTreeMap<_, _>, crate::runtime::response::DeserializeError>>()
                    })
                }
            }
        }
    }
}

/// A function reading a `&Value` into `Result<T, DeserializeError>`: the shape's own reader,
/// or a closure.
pub(super) fn json_reader(ir: &Ir, target: &Target, ctx: &str) -> TokenStream {
    match &target.ty {
        Type::Structure(id) | Type::Union(id) => {
            let module = shape_wire_module(ir, id);
            quote!(#module::deserialize)
        }
        _ => {
            let read = json_value(ir, target, quote!(value), ctx);
            quote!(|value| #read)
        }
    }
}

/// Finishes an `Option<T>` expression into the field value of `member`.
fn finish_member(ir: &Ir, member: &Member, option: TokenStream, ctx: &str) -> TokenStream {
    let option = if member.boxed { quote!(#option.map(Box::new)) } else { option };
    match &member.presence {
        Presence::Optional { .. } => option,
        Presence::Defaulted { .. } => or_member_default(ir, member, option),
        Presence::Required if has_zero_value(&member.target.ty) => quote!(#option.unwrap_or_default()),
        Presence::Required => quote!(#option.ok_or_else(|| crate::runtime::response::DeserializeError::missing(#ctx))?),
    }
}

/// The field initializer reading a body member from `object`.
fn body_member(ir: &Ir, owner: &str, m: &Member, object: TokenStream, is_error: bool) -> TokenStream {
    let field = m.field.to_ident();
    let ctx = format!("{owner}.{}", m.name);
    let reader = json_reader(ir, &m.target, &ctx);
    let key = &m.json_name;
    let other_spelling = ["message", "Message"].into_iter().find(|spelling| *spelling != key);
    let lookup = match other_spelling {
        // Services spell the message of an error `message` or `Message`, whatever the model says.
        Some(other) if is_error && m.name.eq_ignore_ascii_case("message") => {
            quote!(crate::runtime::json::present(#object, #key).or_else(|| crate::runtime::json::present(#object, #other)))
        }
        _ => quote!(crate::runtime::json::present(#object, #key)),
    };
    let value = finish_member(ir, m, quote!(#lookup.map(#reader).transpose()?), &ctx);
    quote!(#field: #value)
}

/// `deserialize` for a structure used as a value.
pub(super) fn structure_deserializer(ir: &Ir, s: &Structure) -> TokenStream {
    let ty = shape_path(ir, &s.id);
    let name = &s.rust_name;
    let fields = s.members.iter().map(|m| body_member(ir, name, m, quote!(object), false));
    let object = if s.members.is_empty() { quote!(_object) } else { quote!(object) };
    quote! {
        /// Reads the structure from a JSON object.
        pub(crate) fn deserialize(value: &serde_json::Value) -> Result<#ty, crate::runtime::response::DeserializeError> {
            let #object = crate::runtime::json::object(value, #name)?;
            Ok(#ty { #(#fields),* })
        }
    }
}

/// `deserialize` for a union: the one member set picks the variant.
pub(super) fn union_deserializer(ir: &Ir, u: &Union) -> TokenStream {
    let ty = shape_path(ir, &u.id);
    let name = &u.rust_name;
    let arms = u.variants.iter().map(|v| {
        let variant = v.field.to_ident();
        let key = &v.json_name;
        let ctx = format!("{name}.{}", v.name);
        let read = json_value(ir, &v.target, quote!(value), &ctx);
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
/// whole response (outputs and errors).
pub(super) fn response_structure(
    ir: &Ir,
    s: &Structure,
    name_and_visibility: TokenStream,
    ty: TokenStream,
) -> TokenStream {
    let name = &s.rust_name;
    let is_error = matches!(s.kind, crate::ir::StructureKind::Error(_));
    let has_body = s.members.iter().any(|m| m.binding == Binding::Body);
    let body = has_body.then(|| {
        quote! {
            let body = crate::runtime::json::parse_body(response.body())?;
            let object = crate::runtime::json::object(&body, #name)?;
        }
    });
    let fields = s.members.iter().map(|m| {
        let field = m.field.to_ident();
        let ctx = format!("{name}.{}", m.name);
        match &m.binding {
            Binding::Body => body_member(ir, name, m, quote!(object), is_error),
            Binding::Header(header) => {
                let value = finish_member(ir, m, header_value(&m.target, header), &ctx);
                quote!(#field: #value)
            }
            Binding::PrefixHeaders(prefix) => {
                let value = finish_member(
                    ir,
                    m,
                    quote!(Some(crate::runtime::response::prefix_headers(response, #prefix)?).filter(|headers| !headers.is_empty())),
                    &ctx,
                );
                quote!(#field: #value)
            }
            Binding::ResponseCode => {
                // Every response has a status code: no default or absence to handle.
                let status = quote!(i32::from(response.status().as_u16()));
                let value = if m.is_optional() { quote!(Some(#status)) } else { status };
                quote!(#field: #value)
            }
            Binding::Payload => {
                let value = finish_member(ir, m, payload_value(ir, m, &ctx), &ctx);
                quote!(#field: #value)
            }
            Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams => {
                unreachable!("IR invariant: responses bind no labels or queries")
            }
        }
    });
    let request_id = s
        .keeps_request_id()
        .then(|| quote!(_request_id: crate::runtime::response::request_id(response.headers()).map(str::to_owned)));
    let response_param =
        if s.members.is_empty() && request_id.is_none() { quote!(_response) } else { quote!(response) };
    quote! {
        /// Reads the structure from an HTTP response.
        #name_and_visibility(#response_param: &crate::transport::HttpResponse) -> Result<#ty, crate::runtime::response::DeserializeError> {
            #body
            Ok(#ty { #(#fields,)* #request_id })
        }
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
            let read = json_value(ir, &m.target, quote!(&value), ctx);
            quote! {
                if response.body().iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    let value: serde_json::Value = crate::runtime::json::parse_body(response.body())?;
                    Some(#read?)
                }
            }
        }
    }
}
