//! Runtime support for endpoint resolution: the [`Endpoint`] and [`EndpointError`] types, and
//! the functions of the Smithy rules language (`parseURL`, `isValidHostLabel`, `substring`,
//! `uriEncode`, `split`, and the AWS extensions `aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`) that the generated resolver in the parent module calls
//! (`isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr` and `coalesce` compile to plain
//! Rust expressions).
//!
//! This file is written by hand and copied verbatim into every generated crate, whatever its
//! endpoint rules use: the items a rule set may leave unused carry `#[allow(dead_code)]`.

use std::collections::BTreeMap;
use std::fmt;

use super::partitions::PARTITIONS;

/// An endpoint resolved for a request: the URL to send it to, plus the headers and properties
/// the endpoint rules attach to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: BTreeMap<String, serde_json::Value>,
}

impl Endpoint {
    /// An endpoint at `url`, with no headers and no properties.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), headers: BTreeMap::new(), properties: BTreeMap::new() }
    }

    /// The URL requests are sent to.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers to add to every request sent to this endpoint: each name with its values.
    #[must_use]
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// Properties of the endpoint (such as `authSchemes`), by name.
    #[must_use]
    pub fn properties(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.properties
    }

    /// This endpoint with `value` added to the values of header `name`.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.entry(name.into()).or_default().push(value.into());
        self
    }

    /// This endpoint with property `name` set to `value`.
    #[must_use]
    pub fn with_property(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.properties.insert(name.into(), value);
        self
    }
}

/// Why no endpoint could be resolved: an error rule of the service's endpoint rules matched
/// (its message is kept exactly as modeled), or the parameters matched no rule at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with `message`.
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    /// The message, as the endpoint rules word it.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// What `aws.partition` returns for a region: the facts of the AWS partition it belongs to.
// Not every rule set reads every attribute, and some use no partition at all.
#[allow(dead_code, reason = "emitted for every model; a rule set may not read every attribute")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The partition id (`aws`, `aws-cn`, ...).
    pub name: &'static str,
    /// The DNS suffix of the partition's endpoints.
    pub dns_suffix: &'static str,
    /// The DNS suffix of the partition's dual-stack endpoints.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether the partition has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether the partition has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region that global endpoints of the partition are signed for.
    pub implicit_global_region: &'static str,
}

/// One AWS partition: its outputs, the regions listed by name, and the pattern of the names of
/// its other regions. The generator emits them (`super::partitions`) from the partitions file
/// the AWS SDKs share.
pub struct PartitionEntry {
    pub outputs: Partition,
    pub regions: &'static [&'static str],
    /// The partition's `regionRegex`, compiled by the generator into these parts.
    pub region_regex: &'static [RegionPart],
}

/// One element of a compiled `regionRegex`. The regexes of the partitions file use only this
/// much of regex syntax (the generator refuses any other), so no regex engine is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionPart {
    /// This exact text.
    Literal(&'static str),
    /// One of these texts (a group of alternatives).
    OneOf(&'static [&'static str]),
    /// `\w+`: one or more ASCII letters, digits or `_`.
    Word,
    /// `\d+`: one or more ASCII digits.
    Digits,
}

/// Whether all of `text` matches `parts`, trying every length of each repetition.
fn region_matches(parts: &[RegionPart], text: &str) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return text.is_empty();
    };
    let then_rest = |prefix: &str| text.strip_prefix(prefix).is_some_and(|after| region_matches(rest, after));
    match first {
        RegionPart::Literal(literal) => then_rest(literal),
        RegionPart::OneOf(options) => options.iter().any(|option| then_rest(option)),
        RegionPart::Word | RegionPart::Digits => {
            let word = matches!(first, RegionPart::Word);
            let in_class = |b: &u8| if word { b.is_ascii_alphanumeric() || *b == b'_' } else { b.is_ascii_digit() };
            let run = text.bytes().take_while(in_class).count();
            (1..=run).rev().any(|len| region_matches(rest, &text[len..]))
        }
    }
}

/// `aws.partition`: the partition of `region`. A region listed by name wins over one that
/// only matches a partition's pattern; a region that matches nothing belongs to `aws`, as the
/// rules language specifies, so this never returns `None` (the `Option` mirrors the
/// function's optional result in the rules).
#[allow(dead_code, reason = "emitted for every model; not every rule set uses aws.partition")]
pub fn partition(region: &str) -> Option<Partition> {
    PARTITIONS
        .iter()
        .find(|entry| entry.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|entry| region_matches(entry.region_regex, region)))
        .or_else(|| PARTITIONS.iter().find(|entry| entry.outputs.name == "aws"))
        .map(|entry| entry.outputs)
}

/// What `parseURL` returns: the parts of an `http` or `https` URL.
#[allow(dead_code, reason = "emitted for every model; a rule set may not read every part")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The scheme, lower-cased (`http` or `https`).
    pub scheme: String,
    /// Host and optional port (and user info, if any), as written.
    pub authority: String,
    /// The path as written, possibly empty.
    pub path: String,
    /// The path with a leading and a trailing `/` (`/` when the path is empty).
    pub normalized_path: String,
    /// Whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// `parseURL`: the parts of `url`, or `None` when it is not an absolute `http`/`https` URL
/// with a host, or when it has a query string (which the rules language rejects). A
/// fragment is ignored.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses parseURL")]
pub fn parse_url(url: &str) -> Option<Url> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    if rest.contains('?') {
        return None;
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |slash| rest.split_at(slash));
    let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(bracketed) = host_and_port.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return None;
        }
        (&host_and_port[..inside.len() + 2], after.strip_prefix(':'))
    } else {
        match host_and_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_and_port, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let valid_port = |port: &str| port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok();
    if port.is_some_and(|port| !valid_port(port)) {
        return None;
    }
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let normalized_path = if path.trim().is_empty() {
        "/".to_owned()
    } else {
        let mut normalized = String::with_capacity(path.len() + 2);
        if !path.starts_with('/') {
            normalized.push('/');
        }
        normalized.push_str(path);
        if !path.ends_with('/') {
            normalized.push('/');
        }
        normalized
    };
    Some(Url { scheme, authority: authority.to_owned(), path: path.to_owned(), normalized_path, is_ip })
}

/// Whether `host` is four dot-separated decimal numbers from 0 to 255.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u16>().is_ok_and(|value| value <= 255)
        })
}

/// `isValidHostLabel`: whether `label` is a valid DNS host label (1 to 63 ASCII letters, digits
/// and `-`, not starting with `-`); with `allow_subdomains`, whether every `.`-separated part of
/// it is.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses isValidHostLabel")]
pub fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return label.split('.').all(|part| is_valid_host_label(part, false));
    }
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `substring`: the characters of `input` from `start` (inclusive) to `stop` (exclusive),
/// counted from the end when `reverse` is set. `None` when `input` is not ASCII, when
/// `start >= stop`, or when `input` is shorter than `stop`.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses substring")]
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    Some(input[from..to].to_owned())
}

/// `uriEncode`: `input` percent-encoded as UTF-8, leaving only the unreserved characters
/// (ASCII letters, digits, `-`, `.`, `_`, `~`) as they are; hex digits are upper case.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses uriEncode")]
pub fn uri_encode(input: &str) -> String {
    crate::runtime::uri::percent_encode(input)
}

/// `split`: `value` cut at every `delimiter`, into at most `limit` parts when `limit` is not
/// 0 (the last part keeps the rest). Empty parts are kept; an empty `value` is one empty part.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses split")]
pub fn split(value: &str, delimiter: &str, limit: usize) -> Vec<String> {
    if delimiter.is_empty() {
        // The rules language requires a non-empty delimiter; nothing to cut at.
        return vec![value.to_owned()];
    }
    match limit {
        0 => value.split(delimiter).map(str::to_owned).collect(),
        limit => value.splitn(limit, delimiter).map(str::to_owned).collect(),
    }
}

/// What `aws.parseArn` returns: the parts of an Amazon Resource Name.
#[allow(dead_code, reason = "emitted for every model; a rule set may not read every part")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// The partition (`aws`, `aws-cn`, ...).
    pub partition: String,
    /// The service namespace (`s3`, `iam`, ...).
    pub service: String,
    /// The region, empty for global resources.
    pub region: String,
    /// The account id, empty for resources without one.
    pub account_id: String,
    /// The resource part, cut at every `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn`: the parts of `arn` (`arn:partition:service:region:account-id:resource`), or
/// `None` when it does not start with `arn:`, has fewer than six parts, or has an empty
/// partition, service or resource.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses aws.parseArn")]
pub fn parse_arn(arn: &str) -> Option<Arn> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: whether `bucket` can be the first label of a virtual-hosted
/// S3 host name: 3 to 63 characters of lower-case letters, digits and `-`, starting and ending
/// with a letter or digit, and not an IPv4 address; with `allow_subdomains`, `.` may separate
/// labels that each are valid host labels and do not end with `-` (no `-.`, as Smithy's
/// `bucket-.name` case and the reference implementations require).
#[allow(dead_code, reason = "emitted for every model; not every rule set uses aws.isVirtualHostableS3Bucket")]
pub fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let bytes = bucket.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'.')
        && is_valid_host_label(bucket, allow_subdomains)
        && !bucket.contains("-.")
        && !is_ipv4(bucket)
}
