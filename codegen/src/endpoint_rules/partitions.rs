//! The AWS partitions `aws.partition` knows, from `codegen/data/partitions.json` (the file the
//! AWS SDKs share, checked in so that updating it is a data change), emitted as plain Rust
//! constants into the generated crate's `endpoint/partitions.rs`.
//!
//! Each partition's `regionRegex` is compiled here into a sequence of [`RegionPart`]s that the
//! runtime (`endpoint/support.rs`) matches with a small backtracking matcher. The regexes of the
//! partitions file use a tiny subset of regex syntax (`^`, `$`, literal and `\`-escaped
//! characters, groups of literal alternatives, and `\w+` / `\d+`); supporting just that keeps a
//! regex engine out of every generated crate, and anything else in the file is refused here, at
//! generation time, rather than matched wrongly.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::error::{CodegenError, Result};
use crate::json::{FromJson, JsonResult, Object};

/// The checked-in partitions file.
const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

#[derive(Debug)]
struct PartitionsFile {
    partitions: Vec<PartitionData>,
}

#[derive(Debug)]
struct PartitionData {
    id: String,
    region_regex: String,
    /// Region names (their descriptions are not needed), in key order.
    regions: Vec<String>,
    outputs: Outputs,
}

#[derive(Debug)]
struct Outputs {
    name: String,
    dns_suffix: String,
    dual_stack_dns_suffix: String,
    supports_fips: bool,
    supports_dual_stack: bool,
    implicit_global_region: String,
}

crate::json_struct!(read PartitionsFile { partitions: req });

impl FromJson for PartitionData {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let partition = Object::new(value, path)?;
        let regions = partition.get::<BTreeMap<String, Value>>("regions")?.into_keys().collect();
        Ok(PartitionData {
            id: partition.get("id")?,
            region_regex: partition.get("regionRegex")?,
            regions,
            outputs: partition.get("outputs")?,
        })
    }
}

crate::json_struct!(read Outputs {
    name: req,
    dns_suffix as "dnsSuffix": req,
    dual_stack_dns_suffix as "dualStackDnsSuffix": req,
    supports_fips as "supportsFIPS": req,
    supports_dual_stack as "supportsDualStack": req,
    implicit_global_region as "implicitGlobalRegion": req,
});

/// One element of a compiled region regex.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RegionPart {
    /// This exact text.
    Literal(String),
    /// One of these texts (a group of alternatives).
    OneOf(Vec<String>),
    /// `\w+`: one or more ASCII letters, digits or `_`.
    Word,
    /// `\d+`: one or more ASCII digits.
    Digits,
}

/// Compiles a `regionRegex` of the partitions file; the regex must be anchored at both ends.
fn compile_region_regex(regex: &str) -> std::result::Result<Vec<RegionPart>, String> {
    let unsupported = |what: &str| format!("region regex {regex:?}: {what} is not supported");
    let body = regex
        .strip_prefix('^')
        .and_then(|rest| rest.strip_suffix('$'))
        .ok_or_else(|| unsupported("a regex not anchored with `^...$`"))?;
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = body.chars().peekable();
    let flush = |literal: &mut String, parts: &mut Vec<RegionPart>| {
        if !literal.is_empty() {
            parts.push(RegionPart::Literal(std::mem::take(literal)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(class @ ('w' | 'd')) => {
                    if chars.next() != Some('+') {
                        return Err(unsupported(&format!("`\\{class}` without `+`")));
                    }
                    flush(&mut literal, &mut parts);
                    parts.push(if class == 'w' { RegionPart::Word } else { RegionPart::Digits });
                }
                Some(escaped) if !escaped.is_ascii_alphanumeric() => literal.push(escaped),
                other => return Err(unsupported(&format!("the escape `\\{}`", other.unwrap_or(' ')))),
            },
            '(' => {
                let mut group = String::new();
                loop {
                    match chars.next() {
                        Some(')') => break,
                        Some(c) if c.is_ascii_alphanumeric() || c == '|' || c == '-' => group.push(c),
                        _ => return Err(unsupported("a group that is not literal alternatives")),
                    }
                }
                flush(&mut literal, &mut parts);
                parts.push(RegionPart::OneOf(group.split('|').map(str::to_owned).collect()));
            }
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => literal.push(c),
            other => return Err(unsupported(&format!("`{other}`"))),
        }
    }
    flush(&mut literal, &mut parts);
    Ok(parts)
}

/// The partitions module of a generated crate: `PARTITIONS`, in the order of the file.
pub(crate) fn emit_partitions() -> Result<TokenStream> {
    emit_from(PARTITIONS_JSON)
}

fn emit_from(json: &str) -> Result<TokenStream> {
    let internal = |message: String| CodegenError::internal(format!("codegen/data/partitions.json: {message}"));
    let file: PartitionsFile = crate::json::parse(json, "the file").map_err(internal)?;
    let mut entries = Vec::new();
    for partition in &file.partitions {
        let parts =
            compile_region_regex(&partition.region_regex).map_err(|e| internal(format!("{}: {e}", partition.id)))?;
        let parts = parts.iter().map(|part| match part {
            RegionPart::Literal(text) => quote!(RegionPart::Literal(#text)),
            RegionPart::OneOf(texts) => quote!(RegionPart::OneOf(&[#(#texts),*])),
            RegionPart::Word => quote!(RegionPart::Word),
            RegionPart::Digits => quote!(RegionPart::Digits),
        });
        let regions = &partition.regions;
        let Outputs {
            name,
            dns_suffix,
            dual_stack_dns_suffix,
            supports_fips,
            supports_dual_stack,
            implicit_global_region,
        } = &partition.outputs;
        entries.push(quote! {
            PartitionEntry {
                outputs: Partition {
                    name: #name,
                    dns_suffix: #dns_suffix,
                    dual_stack_dns_suffix: #dual_stack_dns_suffix,
                    supports_fips: #supports_fips,
                    supports_dual_stack: #supports_dual_stack,
                    implicit_global_region: #implicit_global_region,
                },
                regions: &[#(#regions),*],
                region_regex: &[#(#parts),*],
            }
        });
    }
    Ok(quote! {
        #![doc = " The AWS partitions, in the order `aws.partition` tries them (generated from the partitions file the AWS SDKs share)."]
        use super::support::{Partition, PartitionEntry, RegionPart};

        /// Every partition, with its regions and the pattern of its region names.
        pub(super) const PARTITIONS: &[PartitionEntry] = &[#(#entries),*];
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_regexes_compile_to_parts() {
        use RegionPart::*;
        let lit = |text: &str| Literal(text.to_owned());
        assert_eq!(compile_region_regex(r"^us\-gov\-\w+\-\d+$").unwrap(), [lit("us-gov-"), Word, lit("-"), Digits]);
        assert_eq!(
            compile_region_regex(r"^(us|eu)\-\w+\-\d+$").unwrap(),
            [OneOf(vec!["us".into(), "eu".into()]), lit("-"), Word, lit("-"), Digits]
        );
        for unsupported in [r"us\-\w+", r"^us.*$", r"^\w*$", r"^(a|[bc])$", r"^\s+$"] {
            assert!(compile_region_regex(unsupported).is_err(), "{unsupported}");
        }
    }

    #[test]
    fn the_emitted_table_holds_every_partition_of_the_file() {
        let file: PartitionsFile = crate::json::parse(PARTITIONS_JSON, "the file").unwrap();
        let ids: Vec<_> = file.partitions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]);
        let tokens = emit_partitions().unwrap();
        let file = syn::parse2::<syn::File>(tokens).expect("the table is valid Rust");
        let syn::Item::Const(table) = &file.items[1] else { panic!("PARTITIONS is the second item") };
        let syn::Expr::Reference(reference) = &*table.expr else { panic!("a slice") };
        let syn::Expr::Array(entries) = &*reference.expr else { panic!("an array") };
        assert_eq!(entries.elems.len(), ids.len());
        // Compared without whitespace, which the pretty-printer decides.
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        for expected in [
            r#"name:"aws-us-gov","#,
            r#"dual_stack_dns_suffix:"api.amazonwebservices.com.cn","#,
            r#"supports_dual_stack:false,implicit_global_region:"us-iso-east-1""#,
            r#"regions:&["aws-us-gov-global","us-gov-east-1","us-gov-west-1"]"#,
            r#"region_regex:&[RegionPart::Literal("us-gov-"),RegionPart::Word,RegionPart::Literal("-"),RegionPart::Digits"#,
            r#"RegionPart::Literal("eusc-"),RegionPart::OneOf(&["de"]),RegionPart::Literal("-")"#,
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
    }

    #[test]
    fn a_bad_file_is_an_internal_error() {
        let error = emit_from(r#"{"partitions": [{"id": "x", "regionRegex": "^x+$", "regions": {}, "outputs": {}}]}"#)
            .unwrap_err();
        assert!(error.to_string().contains("partitions.json"), "{error}");
    }
}
