//! Request serialization: JSON writers for shapes, and the HTTP request of each operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::paths::{format_tokens, shape_path, shape_wire_module};
use super::types::with_member_value;
use crate::ir::{Binding, Ir, Member, Operation, Structure, Target, TimestampFormat, Type, Union, UriSegment};

/// Writes `value` (an expression of type `&T`) into `out` (a `crate::runtime::json::JsonValue`).
pub(super) fn json_value(ir: &Ir, target: &Target, value: TokenStream, out: TokenStream) -> TokenStream {
    match &target.ty {
        Type::String => quote!(#out.string(#value);),
        Type::BigInteger | Type::BigDecimal => {
            let what = target.id.name();
            quote!(#out.big_number(#value, #what)?;)
        }
        Type::Boolean => quote!(#out.boolean(*#value);),
        Type::Long => quote!(#out.integer(*#value);),
        Type::Byte | Type::Short | Type::Integer => quote!(#out.integer(i64::from(*#value));),
        Type::Float | Type::Double => quote!(#out.float(*#value);),
        Type::Timestamp(format) => {
            let format = format.unwrap_or(TimestampFormat::EpochSeconds);
            let format_tokens = format_tokens(format);
            if format == TimestampFormat::EpochSeconds {
                quote!(#out.number_text(&crate::runtime::timestamp_write::format(#value, #format_tokens)?);)
            } else {
                quote!(#out.string(&crate::runtime::timestamp_write::format(#value, #format_tokens)?);)
            }
        }
        Type::Blob { .. } => quote!(#out.string(&crate::runtime::base64_write::encode(#value.as_ref()));),
        Type::Document => quote!(#out.document(#value);),
        Type::Unit => quote!(#out.object().finish();),
        Type::Enum(_) => quote!(#out.string(#value.as_str());),
        Type::IntEnum(_) => quote!(#out.integer(i64::from(#value.as_i32()));),
        Type::Structure(id) | Type::Union(id) => {
            let module = shape_wire_module(ir, id);
            quote!(#module::serialize(#value, #out)?;)
        }
        Type::List(list) => {
            let item = json_value(ir, &list.member, quote!(item), quote!(array.item()));
            let body = if list.sparse {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => array.item().null(),
                    }
                }
            } else {
                item
            };
            quote! {
                let mut array = #out.array();
                for item in #value {
                    #body
                }
                array.finish();
            }
        }
        Type::Map(map) => {
            let entry = json_value(ir, &map.value, quote!(value), quote!(object.key(key)));
            let body = if map.sparse {
                quote! {
                    match value {
                        Some(value) => { #entry }
                        None => object.key(key).null(),
                    }
                }
            } else {
                entry
            };
            quote! {
                let mut object = #out.object();
                for (key, value) in #value {
                    #body
                }
                object.finish();
            }
        }
    }
}

/// Writes the body members of `members` (fields of `source`) as members of `object`.
///
/// A member that holds its `@default` is written like any other value (Smithy 2.0, *default
/// trait*, default value serialization: "all default values SHOULD be serialized"), which is
/// what Smithy's clients do for nested structures. Top-level input members the caller did not
/// set are `Option`s (`ir::Presence`), so they stay unsent, and one set to a value equal to the
/// default is sent.
fn json_members<'a>(ir: &Ir, members: impl Iterator<Item = &'a Member>, source: TokenStream) -> TokenStream {
    let writes = members.map(|m| {
        let key = &m.json_name;
        let write = json_value(ir, &m.target, quote!(value), quote!(object.key(#key)));
        with_member_value(m, source.clone(), write)
    });
    quote!(#(#writes)*)
}

/// `serialize` for a structure used as a value.
pub(super) fn structure_serializer(ir: &Ir, s: &Structure) -> TokenStream {
    let ty = shape_path(ir, &s.id);
    let members = json_members(ir, s.members.iter(), quote!(value));
    let object = if s.members.is_empty() { quote!(object) } else { quote!(mut object) };
    let value = if s.members.is_empty() { quote!(_value) } else { quote!(value) };
    quote! {
        /// Writes the structure as a JSON object.
        pub(crate) fn serialize(#value: &#ty, out: crate::runtime::json::JsonValue<'_>) -> Result<(), crate::error::BuildError> {
            let #object = out.object();
            #members
            object.finish();
            Ok(())
        }
    }
}

/// `serialize` for a union: an object with exactly one member.
pub(super) fn union_serializer(ir: &Ir, u: &Union) -> TokenStream {
    let ty = shape_path(ir, &u.id);
    let arms = u.variants.iter().map(|v| {
        let variant = v.field.to_ident();
        let key = &v.json_name;
        let write = json_value(ir, &v.target, quote!(value), quote!(object.key(#key)));
        if v.target.ty == Type::Unit {
            return quote!(#ty::#variant => { #write });
        }
        quote!(#ty::#variant(value) => { #write })
    });
    let name = u.rust_name.as_str();
    quote! {
        /// Writes the union as a JSON object with its one member.
        pub(crate) fn serialize(value: &#ty, out: crate::runtime::json::JsonValue<'_>) -> Result<(), crate::error::BuildError> {
            if let #ty::Unknown(member) = value {
                return Err(crate::error::BuildError::new(format!("{} member `{member}` is unknown to this client and cannot be sent", #name)));
            }
            let mut object = out.object();
            match value {
                #(#arms)*
                #ty::Unknown(_) => {}
            }
            object.finish();
            Ok(())
        }
    }
}

/// The text of a simple value (`value`: a `&T`) in a label, query parameter or header: an
/// expression that is a `String` when `owned`, else a `&str`-like reference.
struct Text {
    expr: TokenStream,
    owned: bool,
}

impl Text {
    /// The text as a `&str` argument.
    fn borrowed(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned { quote!(&#expr) } else { expr.clone() }
    }

    /// The text as a `String`.
    fn owned(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned { expr.clone() } else { quote!(#expr.to_owned()) }
    }
}

fn text_value(target: &Target, value: TokenStream, default_format: TimestampFormat) -> Text {
    let owned = |expr| Text { expr, owned: true };
    match &target.ty {
        Type::String if target.media_type.is_some() && default_format == TimestampFormat::HttpDate => {
            // In headers, strings with a media type travel base64-encoded.
            owned(quote!(crate::runtime::base64_write::encode(#value.as_bytes())))
        }
        Type::String | Type::BigInteger | Type::BigDecimal => Text { expr: value, owned: false },
        Type::Boolean | Type::Byte | Type::Short | Type::Integer | Type::Long => owned(quote!(#value.to_string())),
        Type::Float | Type::Double => owned(quote!(crate::runtime::request::float_text(*#value))),
        Type::Timestamp(format) => {
            let format = format_tokens(format.unwrap_or(default_format));
            owned(quote!(crate::runtime::timestamp_write::format(#value, #format)?))
        }
        Type::Blob { .. } => owned(quote!(crate::runtime::base64_write::encode(#value.as_ref()))),
        Type::Enum(_) => Text { expr: quote!(#value.as_str()), owned: false },
        Type::IntEnum(_) => owned(quote!(#value.as_i32().to_string())),
        Type::Document | Type::Unit | Type::Structure(_) | Type::Union(_) | Type::List(_) | Type::Map(_) => {
            panic!("IR invariant: bindings target simple values")
        }
    }
}

/// The statements that put one non-body input member on the request.
fn bound_member(m: &Member) -> TokenStream {
    let put = match &m.binding {
        Binding::Body | Binding::Payload | Binding::ResponseCode => return quote!(),
        Binding::Label { .. } => return quote!(),
        Binding::Header(name) => match &m.target.ty {
            Type::List(list) => {
                let quote_items = matches!(list.member.ty, Type::String | Type::Enum(_));
                let items = match &list.member.ty {
                    // Formatting a timestamp can fail; the first failure is the error.
                    Type::Timestamp(format) => {
                        let format = format_tokens(format.unwrap_or(TimestampFormat::HttpDate));
                        quote! {
                            value
                                .iter()
                                .map(|item| crate::runtime::timestamp_write::format(item, #format))
                                .collect::<Result<Vec<String>, _>>()?
                        }
                    }
                    _ => {
                        let item = text_value(&list.member, quote!(item), TimestampFormat::HttpDate).owned();
                        quote!(value.iter().map(|item| #item).collect::<Vec<String>>())
                    }
                };
                // An empty list is an empty header: set, unlike a missing list.
                quote! {
                    let items = #items;
                    request.header(#name, &crate::runtime::request::header_list(items.iter().map(String::as_str), #quote_items))?;
                }
            }
            _ => {
                let text = text_value(&m.target, quote!(value), TimestampFormat::HttpDate).borrowed();
                quote!(request.header(#name, #text)?;)
            }
        },
        // Bound headers are written first (see the order below): one bound to its own member
        // wins over the same name in the map, as Smithy's protocol tests have it
        // (`RestJsonHttpEmptyPrefixHeadersRequestClient`).
        Binding::PrefixHeaders(prefix) => quote! {
            for (suffix, item) in value {
                let name = format!("{}{suffix}", #prefix);
                if !request.has_header(&name) {
                    request.header(&name, item.as_ref())?;
                }
            }
        },
        Binding::Query(name) => match &m.target.ty {
            Type::List(list) => {
                let item = text_value(&list.member, quote!(item), TimestampFormat::DateTime).borrowed();
                quote! {
                    for item in value {
                        request.query(#name, Some(#item));
                    }
                }
            }
            _ => {
                let text = text_value(&m.target, quote!(value), TimestampFormat::DateTime).borrowed();
                quote!(request.query(#name, Some(#text));)
            }
        },
        Binding::QueryParams => {
            let add = match &m.target.ty {
                Type::Map(map) if matches!(map.value.ty, Type::List(_)) => quote! {
                    for item in items {
                        request.query(key, Some(item.as_ref()));
                    }
                },
                _ => quote!(request.query(key, Some(items.as_ref()));),
            };
            quote! {
                // Parameters bound to their own members win over the same name in the map.
                for (key, items) in value {
                    if !bound_queries.contains(&key.as_str()) {
                        #add
                    }
                }
            }
        }
    };
    with_member_value(m, quote!(input), put)
}

/// `serialize` of an operation: the HTTP request for an input.
pub(super) fn request_serializer(ir: &Ir, op: &Operation) -> TokenStream {
    let method = &op.route.method;
    let path = op.route.segments.iter().map(|segment| match segment {
        UriSegment::Literal(text) => quote!(request.segment(#text);),
        UriSegment::Label { member, greedy } => {
            let m = op.input.members.iter().find(|m| &m.name == member).expect("IR checked labels");
            let field = m.field.to_ident();
            let text = text_value(&m.target, quote!(value), TimestampFormat::DateTime).borrowed();
            quote! {
                {
                    let value = &input.#field;
                    request.label(#member, #text, #greedy)?;
                }
            }
        }
    });
    let trailing = op.route.trailing_slash.then(|| quote!(request.trailing_slash();));
    let literal_query = op.route.literal_query.iter().map(|(k, v)| match v {
        Some(v) => quote!(request.query(#k, Some(#v));),
        None => quote!(request.query(#k, None);),
    });
    let bound_names: Vec<&str> = op
        .input
        .members
        .iter()
        .filter_map(|m| match &m.binding {
            Binding::Query(name) => Some(name.as_str()),
            _ => None,
        })
        .chain(op.route.literal_query.iter().map(|(k, _)| k.as_str()))
        .collect();
    let has_query_params = op.input.members.iter().any(|m| m.binding == Binding::QueryParams);
    let bound_queries = has_query_params.then(|| quote!(let bound_queries: &[&str] = &[#(#bound_names),*];));
    // Query maps go last so that bound parameters are known; headers after labels and queries.
    let mut ordered: Vec<&Member> = op.input.members.iter().collect();
    ordered.sort_by_key(|m| match m.binding {
        Binding::Query(_) => 0,
        Binding::QueryParams => 1,
        Binding::Header(_) => 2,
        Binding::PrefixHeaders(_) => 3,
        _ => 4,
    });
    let bound = ordered.iter().map(|m| bound_member(m));
    let host_prefix = op.host_prefix.as_ref().map(|prefix| {
        let parts = prefix.parts.iter().map(|part| match part {
            crate::ir::HostPrefixPart::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
                [c] => quote!(prefix.push(#c);),
                _ => quote!(prefix.push_str(#text);),
            },
            crate::ir::HostPrefixPart::Label(field) => quote!(prefix.push_str(&input.#field);),
        });
        quote! {
            let mut prefix = String::new();
            #(#parts)*
            request.host_prefix(prefix)?;
        }
    });
    let body = request_body(ir, op);
    // The checksum is of the body as sent, so it comes after compression.
    let checksum = op.checksum_required.then(|| {
        quote! {
            if !request.has_header("content-md5") {
                let md5 = crate::runtime::checksum::content_md5(request.body_bytes());
                request.header("Content-MD5", &md5)?;
            }
        }
    });
    let compress = op.request_compression.then(|| {
        quote! {
            request.compress_body(
                "gzip",
                crate::runtime::compression::MIN_COMPRESSION_SIZE,
                crate::runtime::compression::gzip,
            )?;
        }
    });
    let input_name = if op.input.members.is_empty() { quote!(_input) } else { quote!(input) };
    let steps = quote! {
        #(#path)*
        #trailing
        #(#literal_query)*
        #bound_queries
        #(#bound)*
        #host_prefix
        #body
        #compress
        #checksum
    };
    // `POST /` with no input at all has nothing to add to the request.
    let request = if steps.is_empty() { quote!(request) } else { quote!(mut request) };
    quote! {
        fn serialize(#input_name: &Self::Input, endpoint: &crate::endpoint::Endpoint) -> Result<crate::transport::HttpRequest, crate::error::BuildError> {
            let #request = crate::runtime::request::RequestBuilder::new(#method, endpoint);
            #steps
            request.build()
        }
    }
}

fn request_body(ir: &Ir, op: &Operation) -> TokenStream {
    if let Some(payload) = op.input.members.iter().find(|m| m.binding == Binding::Payload) {
        return payload_body(ir, payload);
    }
    let body_members: Vec<&Member> = op.input.members.iter().filter(|m| m.binding == Binding::Body).collect();
    if body_members.is_empty() {
        return quote!();
    }
    let members = json_members(ir, body_members.into_iter(), quote!(input));
    quote! {
        let mut writer = crate::runtime::json::JsonWriter::new();
        let mut object = writer.value().object();
        #members
        object.finish();
        request.body(writer.finish(), "application/json")?;
    }
}

fn payload_body(ir: &Ir, m: &Member) -> TokenStream {
    let field = m.field.to_ident();
    let media_type = m.target.media_type.as_deref();
    let write = match &m.target.ty {
        Type::Blob { .. } => {
            let content_type = media_type.unwrap_or("application/octet-stream");
            quote!(request.body(value.as_ref().to_vec(), #content_type)?;)
        }
        Type::String => {
            let content_type = media_type.unwrap_or("text/plain");
            quote!(request.body(value.clone(), #content_type)?;)
        }
        Type::Enum(_) => {
            let content_type = media_type.unwrap_or("text/plain");
            quote!(request.body(value.as_str().to_owned(), #content_type)?;)
        }
        _ => {
            let content_type = media_type.unwrap_or("application/json");
            let write = json_value(ir, &m.target, quote!(value), quote!(writer.value()));
            quote! {
                let mut writer = crate::runtime::json::JsonWriter::new();
                #write
                request.body(writer.finish(), #content_type)?;
            }
        }
    };
    if m.is_optional() && matches!(m.target.ty, Type::Structure(_)) {
        // An unset structure payload is sent as an empty object, as the AWS SDKs do; an unset
        // union, blob, string or document payload leaves the body empty.
        let content_type = media_type.unwrap_or("application/json");
        quote! {
            match &input.#field {
                Some(value) => { #write }
                None => request.body("{}", #content_type)?,
            }
        }
    } else {
        with_member_value(m, quote!(input), write)
    }
}
