//! Traits: kept as JSON values on each shape, read through typed accessors.
//!
//! Every accessor takes the id of the shape or member that carries the trait, so that a
//! malformed trait value is reported as `shape X, trait Y: ...`.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde_json::Value;

use crate::error::{CodegenError, Result};
use crate::json::{FromJson, JsonResult, Object};

/// Trait ids the generator reads.
pub mod ids {
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    pub const HTTP: &str = "smithy.api#http";
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    pub const ERROR: &str = "smithy.api#error";
    pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
    pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
    pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
    pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
    pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
    pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
    pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
    pub const LENGTH: &str = "smithy.api#length";
    pub const RANGE: &str = "smithy.api#range";
    pub const PATTERN: &str = "smithy.api#pattern";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
    pub const PAGINATED: &str = "smithy.api#paginated";
    pub const ENDPOINT: &str = "smithy.api#endpoint";
    pub const HOST_LABEL: &str = "smithy.api#hostLabel";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const ENUM: &str = "smithy.api#enum";
    pub const RETRYABLE: &str = "smithy.api#retryable";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const TITLE: &str = "smithy.api#title";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const UNIT_TYPE: &str = "smithy.api#unitType";
    pub const AUTH: &str = "smithy.api#auth";
    pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
    pub const AWS_SERVICE: &str = "aws.api#service";
    pub const REST_JSON1: &str = "aws.protocols#restJson1";
    pub const SIGV4: &str = "aws.auth#sigv4";
    pub const UNSIGNED_PAYLOAD: &str = "aws.auth#unsignedPayload";
    pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
    pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
    pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
    pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
    pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
    pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
    pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
}

/// The traits of one shape or member, by absolute trait id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits(BTreeMap<String, Value>);

/// `@http`: the method, URI pattern and success code of an operation.
#[derive(Debug, Clone)]
pub struct HttpTrait {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

/// `@length` (strings, blobs, lists, maps): inclusive bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LengthTrait {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// `@range` (numbers): inclusive bounds, which may be fractional.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RangeTrait {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// `@paginated`: member names of the paging tokens, items and page size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginatedTrait {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

/// `@endpoint`: a host prefix template such as `{foo}.data.`.
#[derive(Debug, Clone)]
pub struct EndpointTrait {
    pub host_prefix: String,
}

/// `@retryable`: the error may be retried; throttling errors back off harder.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryableTrait {
    pub throttling: bool,
}

/// One entry of the Smithy 1.0 `@enum` trait on a string shape.
#[derive(Debug, Clone)]
pub struct EnumDefinition {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
    pub deprecated: bool,
}

/// `aws.api#service`: the SDK identity of an AWS service.
#[derive(Debug, Clone, Default)]
pub struct AwsServiceTrait {
    pub sdk_id: Option<String>,
    pub endpoint_prefix: Option<String>,
}

/// `@deprecated`.
#[derive(Debug, Clone, Default)]
pub struct DeprecatedTrait {
    pub message: Option<String>,
    pub since: Option<String>,
}

impl Traits {
    /// Builds traits from `(id, value)` pairs.
    pub fn from_pairs<const N: usize>(pairs: [(&str, Value); N]) -> Traits {
        Traits(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Whether the trait is present (whatever its value).
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// The raw value of a trait, for traits whose value is free-form (`@default`, test cases).
    pub fn value(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Trait ids present, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Adds every trait of `other`, replacing traits of the same id.
    pub fn extend_from(&mut self, other: &Traits) {
        for (k, v) in &other.0 {
            self.0.insert(k.clone(), v.clone());
        }
    }

    /// These traits without the ones that stay on a mixin (`@mixin` itself).
    pub fn without_local_only(&self) -> Traits {
        let mut copy = self.clone();
        copy.0.remove(ids::MIXIN);
        copy
    }

    /// Traits from a JSON object's fields.
    pub(super) fn from_map(traits: BTreeMap<String, Value>) -> Traits {
        Traits(traits)
    }

    /// Reads a trait into a typed value, naming `owner` and the trait on failure.
    pub fn parse<T: FromJson>(&self, owner: &dyn Display, id: &str) -> Result<Option<T>> {
        self.0
            .get(id)
            .map(|value| {
                crate::json::read::<T>(value)
                    .map_err(|e| CodegenError::shape_trait(owner, id, format!("invalid trait value {value}: {e}")))
            })
            .transpose()
    }

    /// A string-valued trait (`@jsonName`, `@httpHeader`, `@pattern`...).
    pub fn string(&self, owner: &dyn Display, id: &str) -> Result<Option<String>> {
        self.parse(owner, id)
    }

    /// `@documentation`, when present.
    pub fn documentation(&self) -> Option<&str> {
        self.0.get(ids::DOCUMENTATION).and_then(Value::as_str)
    }
}

impl FromJson for HttpTrait {
    fn from_json(value: &Value, path: &str) -> JsonResult<Self> {
        let object = Object::new(value, path)?;
        object.deny_unknown(&["method", "uri", "code"])?;
        Ok(HttpTrait { method: object.get("method")?, uri: object.get("uri")?, code: object.or("code", || 200)? })
    }
}

crate::json_struct!(read deny LengthTrait { min: opt, max: opt });
crate::json_struct!(read deny RangeTrait { min: opt, max: opt });
crate::json_struct!(read deny PaginatedTrait {
    input_token as "inputToken": opt,
    output_token as "outputToken": opt,
    items: opt,
    page_size as "pageSize": opt,
});
crate::json_struct!(read deny EndpointTrait { host_prefix as "hostPrefix": req });
crate::json_struct!(read deny RetryableTrait { throttling: default });
// Other fields of an `@enum` entry (`tags`) are allowed and not read.
crate::json_struct!(read EnumDefinition { value: req, name: opt, documentation: opt, deprecated: default });
crate::json_struct!(read AwsServiceTrait { sdk_id as "sdkId": opt, endpoint_prefix as "endpointPrefix": opt });
crate::json_struct!(read DeprecatedTrait { message: opt, since: opt });
