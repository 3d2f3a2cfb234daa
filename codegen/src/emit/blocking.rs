//! `src/blocking.rs` (feature `blocking`): a client whose calls block, for programs without an
//! async runtime. It wraps the async client and each operation's builder, so that the call
//! shape is the same (required members positional, optional ones on the builder, `.send()`),
//! and runs them on a current-thread Tokio runtime it owns.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecation::{allow_if, structure_touches};
use super::docs::{deprecated, lines};
use super::paginator::items_type;
use super::shapes::allow_placeholder_names;
use super::types::{param_type, value_type};
use crate::ir::{Feature, Ir, Member, Operation};

/// `blocking.rs`.
pub(super) fn module(ir: &Ir) -> TokenStream {
    let title = &ir.service.title;
    let client_doc = lines(&format!(
        "A blocking client for {title}: [`crate::Client`] with every call made without `.await`.\n\n\
         It owns a current-thread Tokio runtime, made by [`Client::new`] and shut down when the last\n\
         clone is dropped, and runs each call on it, in the calling thread: one call at a time per\n\
         thread, with the async client's retries, timeouts and connection pool. Clones share the\n\
         runtime and the client."
    ));
    let methods = ir.operations.iter().map(|op| method(ir, op));
    let builders = ir.operations.iter().map(|op| builder(ir, op));
    let paging = ir.features.contains(&Feature::Pagination).then(paging_types);
    quote! {
        #![doc = " Blocking calls (feature `blocking`), for programs without an async runtime."]
        #![doc = ""]
        #![doc = " [`Client`] has the async client's methods; each returns a builder whose `.send()`"]
        #![doc = " blocks until the call ends. Its cost: Tokio's `rt` feature is built in, and each call"]
        #![doc = " enters and leaves the runtime: measured on a 2-core machine, about 5 us of CPU per call"]
        #![doc = " over the async client's (some 30 us for a SendMessage to a server on 127.0.0.1)."]
        #![doc = ""]
        #![doc = " A blocking call made from inside an async runtime (where it would stall that"]
        #![doc = " runtime's thread) fails at once with [`crate::Error::Build`]: use [`crate::Client`]"]
        #![doc = " there."]

        use std::sync::Arc;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: crate::Client,
            runtime: Arc<Runtime>,
        }

        impl Client {
            /// A blocking client with this configuration, and its runtime.
            ///
            /// Fails when the operating system refuses what the runtime needs (its I/O driver).
            pub fn new(config: crate::Config) -> std::io::Result<Self> {
                Self::from_async(crate::Client::new(config))
            }

            /// A blocking client that makes its calls through `client` (sharing its connection
            /// pool and retry quota), on a runtime of its own.
            pub fn from_async(client: crate::Client) -> std::io::Result<Self> {
                Ok(Self { inner: client, runtime: Arc::new(Runtime::new()?) })
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.inner.config()
            }

            /// The async client the calls go through.
            pub fn as_async(&self) -> &crate::Client {
                &self.inner
            }

            #(#methods)*
        }

        #(#builders)*

        #paging

        /// The runtime calls run on. Dropped without waiting for its tasks (idle pooled
        /// connections), so that dropping a client never blocks and never panics, even where a
        /// blocking wait is not allowed.
        #[derive(Debug)]
        struct Runtime(Option<tokio::runtime::Runtime>);

        impl Runtime {
            fn new() -> std::io::Result<Self> {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                Ok(Self(Some(runtime)))
            }

            /// Runs `future` to completion in this thread; an error, not a panic, inside an async
            /// runtime (where Tokio refuses to block).
            fn block_on<T>(&self, future: impl std::future::Future<Output = T>) -> Result<T, crate::error::BuildError> {
                if tokio::runtime::Handle::try_current().is_ok() {
                    return Err(crate::error::BuildError::new(
                        "a blocking call was made inside an async runtime, whose thread it would stall: use the async `Client` there",
                    ));
                }
                match &self.0 {
                    Some(runtime) => Ok(runtime.block_on(future)),
                    None => Err(crate::error::BuildError::new("the blocking client's runtime is shut down")),
                }
            }
        }

        impl Drop for Runtime {
            fn drop(&mut self) {
                if let Some(runtime) = self.0.take() {
                    runtime.shutdown_background();
                }
            }
        }
    }
}

/// `Client::<operation>`: the async client's method, with the same arguments.
fn method(ir: &Ir, op: &Operation) -> TokenStream {
    let name = op.fn_name.to_ident();
    let builder = &op.builder_name;
    let positional: Vec<&Member> = op.input.positional_members().collect();
    let params = positional.iter().map(|m| {
        let field = m.field.to_ident();
        let ty = param_type(ir, &m.target.ty);
        quote!(#field: #ty)
    });
    let args = positional.iter().map(|m| m.field.to_ident());
    let doc =
        format!(" Calls `{}`: see [`crate::Client::{}`], whose arguments it takes.", op.name, op.fn_name.as_str());
    let deprecated = deprecated(&op.deprecated);
    let allow_deprecated = allow_if(op.deprecated.is_some() || structure_touches(ir, &op.input));
    // `&self` counts as an argument too.
    let allow_many = if positional.len() + 1 > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let allow_names = allow_placeholder_names(&positional);
    quote! {
        #[doc = #doc]
        #deprecated
        #allow_deprecated
        #allow_many
        #allow_names
        pub fn #name(&self, #(#params),*) -> #builder {
            #builder { inner: self.inner.#name(#(#args),*), runtime: self.runtime.clone() }
        }
    }
}

/// An operation's blocking builder: the async builder's setters, and a blocking `send`.
fn builder(ir: &Ir, op: &Operation) -> TokenStream {
    let name = &op.builder_name;
    let async_builder = op.builder_path();
    let input = &op.input.path;
    let output = &op.output.path;
    let error = op.error_path();
    let setters = op.input.optional_members().map(|m| forwarding_setters(ir, op, m));
    let paging = op.pagination.as_ref().map(|_| {
        let items = items_type(ir, op).map(|item| {
            quote! {
                /// Every item of every page, fetched page by page as the iterator is read.
                pub fn into_items(self) -> Items<#item, #output, #error> {
                    Items { items: self.inner.into_items(), runtime: self.runtime }
                }
            }
        });
        quote! {
            /// Every page of results, fetched as the iterator is read (see the async builder's
            /// `into_paginator`).
            pub fn into_paginator(self) -> Pages<#output, #error> {
                Pages { pages: self.inner.into_paginator(), runtime: self.runtime }
            }
            #items
        }
    });
    let doc = format!(
        " A pending `{}` call: set optional members, then `.send()`.\n\n Made by [`Client::{}`].",
        op.name,
        op.fn_name.as_str()
    );
    let doc = lines(&doc.replace("\n ", "\n"));
    let deprecated_attr = deprecated(&op.deprecated);
    let allow_definition = allow_if(op.deprecated.is_some() || op.input.deprecated.is_some());
    let touches = op.deprecated.is_some() || structure_touches(ir, &op.input) || structure_touches(ir, &op.output);
    let allow = allow_if(touches);
    quote! {
        #doc
        #deprecated_attr
        #allow_definition
        #[derive(Debug, Clone)]
        #[must_use = "nothing is sent until `.send()`"]
        pub struct #name {
            inner: #async_builder,
            runtime: Arc<Runtime>,
        }

        #allow
        impl #name {
            #(#setters)*

            /// The input as set so far.
            pub fn as_input(&self) -> &#input {
                self.inner.as_input()
            }

            /// Sends the request and waits for the answer, retrying as the client's retry
            /// settings allow (see the async builder's `send`).
            pub fn send(self) -> Result<#output, crate::Error<#error>> {
                self.runtime.block_on(self.inner.send()).unwrap_or_else(|error| Err(crate::Error::Build(error)))
            }

            #paging
        }
    }
}

/// A member's setters on the blocking builder, handing the value to the async builder's.
fn forwarding_setters(ir: &Ir, op: &Operation, member: &Member) -> TokenStream {
    let (setter, set_name) = member.setters();
    let setter_ident = setter.to_ident();
    let param = param_type(ir, &member.target.ty);
    let ty = value_type(ir, member);
    let builder = &op.builder_name;
    let doc = format!(
        " Sets `{}`: see [`{builder}::{name}`](crate::{path}::{name}).",
        member.field,
        path = op.builder_path(),
        name = setter.as_str()
    );
    let set_doc = format!(" Sets or clears `{}` (`None` leaves it unset).", member.field);
    let deprecated = deprecated(&member.deprecated);
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #setter_ident(self, value: #param) -> Self {
            Self { inner: self.inner.#setter_ident(value), runtime: self.runtime }
        }
        #[doc = #set_doc]
        #deprecated
        pub fn #set_name(self, value: Option<#ty>) -> Self {
            Self { inner: self.inner.#set_name(value), runtime: self.runtime }
        }
    }
}

/// The blocking iterators over pages and items of paginated operations.
fn paging_types() -> TokenStream {
    quote! {
        /// Every page of a paginated call, fetched as the iterator is read; each `next` blocks.
        pub struct Pages<O, E> {
            pages: crate::pagination::Paginator<O, E>,
            runtime: Arc<Runtime>,
        }

        impl<O, E> std::fmt::Debug for Pages<O, E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Pages").field("pages", &self.pages).finish()
            }
        }

        impl<O, E> Iterator for Pages<O, E> {
            type Item = Result<O, crate::Error<E>>;

            fn next(&mut self) -> Option<Self::Item> {
                self.runtime.block_on(self.pages.next_page()).unwrap_or_else(|error| Some(Err(crate::Error::Build(error))))
            }
        }

        /// Every item of every page of a paginated call; each `next` blocks when it needs the
        /// next page.
        pub struct Items<T, O, E> {
            items: crate::pagination::Items<T, O, E>,
            runtime: Arc<Runtime>,
        }

        impl<T, O, E> std::fmt::Debug for Items<T, O, E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Items").field("items", &self.items).finish()
            }
        }

        impl<T, O, E> Iterator for Items<T, O, E> {
            type Item = Result<T, crate::Error<E>>;

            fn next(&mut self) -> Option<Self::Item> {
                self.runtime.block_on(self.items.next_item()).unwrap_or_else(|error| Some(Err(crate::Error::Build(error))))
            }
        }
    }
}
