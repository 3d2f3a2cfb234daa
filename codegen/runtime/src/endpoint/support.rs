//! Runtime support for endpoint resolution: the [`Endpoint`] and [`EndpointError`] types, and
//! the functions of the Smithy rules language (`aws.partition`, `parseURL`, `isValidHostLabel`,
//! `substring`, `uriEncode`) that the generated resolver in the parent module calls.
//!
//! This file is written by hand and copied verbatim into every generated crate, whatever its
//! endpoint rules use: the items a rule set may leave unused carry `#[allow(dead_code)]`.

use std::collections::BTreeMap;
use std::fmt;

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
pub(crate) struct Partition {
    /// The partition id (`aws`, `aws-cn`, ...).
    pub(crate) name: &'static str,
    /// The DNS suffix of the partition's endpoints.
    pub(crate) dns_suffix: &'static str,
    /// The DNS suffix of the partition's dual-stack endpoints.
    pub(crate) dual_stack_dns_suffix: &'static str,
    /// Whether the partition has FIPS endpoints.
    pub(crate) supports_fips: bool,
    /// Whether the partition has dual-stack endpoints.
    pub(crate) supports_dual_stack: bool,
    /// The region that global endpoints of the partition are signed for.
    pub(crate) implicit_global_region: &'static str,
}

/// One AWS partition: its outputs, the regions listed by name, and the shape of the names of
/// its other regions.
struct PartitionEntry {
    outputs: Partition,
    regions: &'static [&'static str],
    /// The dash-separated leading parts of a region name, each with its allowed values; a
    /// matching name continues with `-` word characters `-` digits (the partition's
    /// `regionRegex`, written out without a regex engine).
    region_prefix: &'static [&'static [&'static str]],
}

impl PartitionEntry {
    fn matches_region_pattern(&self, region: &str) -> bool {
        let parts: Vec<&str> = region.split('-').collect();
        let fixed = self.region_prefix.len();
        parts.len() == fixed + 2
            && parts.iter().zip(self.region_prefix).all(|(part, allowed)| allowed.contains(part))
            && !parts[fixed].is_empty()
            && parts[fixed].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !parts[fixed + 1].is_empty()
            && parts[fixed + 1].bytes().all(|b| b.is_ascii_digit())
    }
}

/// The AWS partitions, in the order `aws.partition` tries them.
const PARTITIONS: &[PartitionEntry] = &[
    PartitionEntry {
        outputs: Partition {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        region_prefix: &[&["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        region_prefix: &[&["cn"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        region_prefix: &[&["us"], &["gov"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "c2s.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-iso-east-1",
        },
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        region_prefix: &[&["us"], &["iso"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "sc2s.sgov.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isob-east-1",
        },
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        region_prefix: &[&["us"], &["isob"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "cloud.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eu-isoe-west-1",
        },
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        region_prefix: &[&["eu"], &["isoe"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "csp.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isof-south-1",
        },
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        region_prefix: &[&["us"], &["isof"]],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "amazonaws.eu",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eusc-de-east-1",
        },
        regions: &["eusc-de-east-1"],
        region_prefix: &[&["eusc"], &["de"]],
    },
];

/// `aws.partition`: the partition of `region`. A region listed by name wins over one that
/// only matches a partition's pattern; a region that matches nothing belongs to `aws`, as the
/// rules language specifies, so this never returns `None` (the `Option` mirrors the
/// function's optional result in the rules).
#[allow(dead_code, reason = "emitted for every model; not every rule set uses aws.partition")]
pub(crate) fn partition(region: &str) -> Option<Partition> {
    PARTITIONS
        .iter()
        .find(|entry| entry.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|entry| entry.matches_region_pattern(region)))
        .or_else(|| PARTITIONS.iter().find(|entry| entry.outputs.name == "aws"))
        .map(|entry| entry.outputs)
}

/// What `parseURL` returns: the parts of an `http` or `https` URL.
#[allow(dead_code, reason = "emitted for every model; a rule set may not read every part")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    /// The scheme, lower-cased (`http` or `https`).
    pub(crate) scheme: String,
    /// Host and optional port (and user info, if any), as written.
    pub(crate) authority: String,
    /// The path as written, possibly empty.
    pub(crate) path: String,
    /// The path with a leading and a trailing `/` (`/` when the path is empty).
    pub(crate) normalized_path: String,
    /// Whether the host is an IPv4 address or a bracketed IPv6 address.
    pub(crate) is_ip: bool,
}

/// `parseURL`: the parts of `url`, or `None` when it is not an absolute `http`/`https` URL
/// with a host, or when it has a query string (which the rules language rejects). A
/// fragment is ignored.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses parseURL")]
pub(crate) fn parse_url(url: &str) -> Option<Url> {
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
pub(crate) fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
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
pub(crate) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    Some(input[from..to].to_owned())
}

/// `uriEncode`: `input` percent-encoded as UTF-8, leaving only the unreserved characters
/// (ASCII letters, digits, `-`, `.`, `_`, `~`) as they are; hex digits are upper case.
#[allow(dead_code, reason = "emitted for every model; not every rule set uses uriEncode")]
pub(crate) fn uri_encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_collects_headers_and_properties() {
        let endpoint = Endpoint::new("https://example.com")
            .with_header("x-a", "1")
            .with_header("x-a", "2")
            .with_property("authSchemes", serde_json::json!([{ "name": "sigv4" }]));
        assert_eq!(endpoint.url(), "https://example.com");
        assert_eq!(endpoint.headers()["x-a"], vec!["1".to_owned(), "2".to_owned()]);
        assert_eq!(endpoint.properties()["authSchemes"][0]["name"], "sigv4");
    }

    #[test]
    fn endpoint_error_displays_its_message() {
        let error = EndpointError::new("Invalid Configuration: Missing Region");
        assert_eq!(error.message(), "Invalid Configuration: Missing Region");
        assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
    }

    #[test]
    fn partition_of_listed_and_pattern_matched_regions() {
        let cases = [
            ("us-east-1", "aws", "amazonaws.com", "api.aws"),
            ("aws-global", "aws", "amazonaws.com", "api.aws"),
            ("eu-west-9", "aws", "amazonaws.com", "api.aws"),
            ("cn-north-1", "aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
            ("aws-cn-global", "aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
            ("us-gov-west-1", "aws-us-gov", "amazonaws.com", "api.aws"),
            ("us-gov-central-7", "aws-us-gov", "amazonaws.com", "api.aws"),
            ("aws-us-gov-global", "aws-us-gov", "amazonaws.com", "api.aws"),
            ("us-iso-east-1", "aws-iso", "c2s.ic.gov", "c2s.ic.gov"),
            ("aws-iso-global", "aws-iso", "c2s.ic.gov", "c2s.ic.gov"),
            ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov", "sc2s.sgov.gov"),
            ("aws-iso-b-global", "aws-iso-b", "sc2s.sgov.gov", "sc2s.sgov.gov"),
            ("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk", "cloud.adc-e.uk"),
            ("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov", "csp.hci.ic.gov"),
            ("eusc-de-east-1", "aws-eusc", "amazonaws.eu", "amazonaws.eu"),
            ("eusc-de-north-2", "aws-eusc", "amazonaws.eu", "amazonaws.eu"),
        ];
        for (region, name, dns_suffix, dual_stack_dns_suffix) in cases {
            let partition = partition(region).expect("every region has a partition");
            assert_eq!(partition.name, name, "{region}");
            assert_eq!(partition.dns_suffix, dns_suffix, "{region}");
            assert_eq!(partition.dual_stack_dns_suffix, dual_stack_dns_suffix, "{region}");
        }
    }

    #[test]
    fn partition_flags() {
        let aws = partition("us-east-1").expect("aws");
        assert!(aws.supports_fips && aws.supports_dual_stack);
        assert_eq!(aws.implicit_global_region, "us-east-1");
        let iso = partition("us-iso-east-1").expect("aws-iso");
        assert!(iso.supports_fips && !iso.supports_dual_stack);
    }

    #[test]
    fn unknown_regions_fall_back_to_aws() {
        for region in ["foo", "mars-east-1", "us-east", "", "us-gov-west-x", "eusc-fr-east-1"] {
            assert_eq!(partition(region).expect("fallback").name, "aws", "{region:?}");
        }
    }

    #[test]
    fn parse_url_splits_parts() {
        let url = parse_url("https://example.com:8443/foo/bar").expect("valid");
        assert_eq!(url.scheme, "https");
        assert_eq!(url.authority, "example.com:8443");
        assert_eq!(url.path, "/foo/bar");
        assert_eq!(url.normalized_path, "/foo/bar/");
        assert!(!url.is_ip);

        let url = parse_url("http://example.com").expect("valid");
        assert_eq!(url.path, "");
        assert_eq!(url.normalized_path, "/");

        let url = parse_url("https://example.com/").expect("valid");
        assert_eq!(url.normalized_path, "/");

        assert!(parse_url("https://127.0.0.1:80/").expect("valid").is_ip);
        assert!(parse_url("https://[fe80::1]:443").expect("valid").is_ip);
        assert!(!parse_url("https://127.0.0.256").expect("valid").is_ip);
        assert_eq!(parse_url("https://[fe80::1]").expect("valid").authority, "[fe80::1]");
        assert_eq!(parse_url("https://example.com/a#frag").expect("valid").path, "/a");
    }

    #[test]
    fn parse_url_rejects_queries_and_non_urls() {
        for url in [
            "https://example.com/path?query=1",
            "https://example.com?x",
            "example.com",
            "ftp://example.com",
            "https://",
            "https://:80",
            "https://example.com:port",
            "https://exa mple.com",
            "https://[zz::1]",
        ] {
            assert_eq!(parse_url(url), None, "{url}");
        }
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("bucket-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(is_valid_host_label("a.b-c.d", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
        assert_eq!(substring("abc", 0, 3, false).as_deref(), Some("abc"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("\u{e9}bcd", 0, 2, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c+d*"), "a%20b%2Fc%2Bd%2A");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    }
}
