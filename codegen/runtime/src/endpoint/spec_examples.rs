//! The endpoint rules functions of the runtime against the examples the Smithy rules-engine
//! specification gives (<https://smithy.io/2.0/additional-specs/rules-engine/standard-library.html>
//! and <https://smithy.io/2.0/aws/rules-engine/library-functions.html>), one table per function.
//! Where a section has no table of examples, the cases are those of Smithy's own test suite for
//! the function (`smithy-rules-engine/src/test/resources/.../errorfiles/valid/<function>.smithy`,
//! and `SplitTest.java` for `split`), named as such.
//!
//! Never copied into generated crates: the stand-in `endpoint/mod.rs` declares it.

use super::support::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, split, substring, uri_encode,
};

/// Standard library, "parseURL function", "Examples" (the table of valid and invalid inputs).
///
/// One column is not followed: the table gives `/` as the `path` of `https://example.com`, where
/// the section calls `path` "the unmodified path segment of the URL" and the reference
/// implementations (Smithy's `ParseUrl`, smithy-rs's `parse_url`) return the empty string; the
/// empty string is what they, and this runtime, return.
#[test]
fn parse_url_spec_examples() {
    // input, scheme, authority, path, normalizedPath, isIp
    type Parts<'a> = (&'a str, &'a str, &'a str, &'a str, bool);
    let cases: [(&str, Option<Parts<'_>>); 5] = [
        ("https://example.com", Some(("https", "example.com", "", "/", false))),
        ("https://example.com:8443?foo=bar&faz=baz", None),
        ("http://example.com:80/foo/bar", Some(("http", "example.com:80", "/foo/bar", "/foo/bar/", false))),
        ("https://127.0.0.1", Some(("https", "127.0.0.1", "", "/", true))),
        ("https://[fe80::1]", Some(("https", "[fe80::1]", "", "/", true))),
    ];
    for (input, expected) in cases {
        let parsed = parse_url(input);
        let parsed = parsed.as_ref().map(|url| {
            let parts: Parts<'_> = (&url.scheme, &url.authority, &url.path, &url.normalized_path, url.is_ip);
            parts
        });
        assert_eq!(parsed, expected, "parseURL({input:?})");
    }
}

/// Standard library, "substring function": its example (`0, 4, false`) and the cases of Smithy's
/// `substring.smithy` (from the start, from the end, the middle; too short; non-ASCII input).
#[test]
fn substring_spec_examples() {
    let cases: [(&str, usize, usize, bool, Option<&str>); 17] = [
        ("abcdefg", 0, 4, false, Some("abcd")),
        ("abcd", 0, 4, false, Some("abcd")),
        ("abc", 0, 4, false, None),
        ("", 0, 4, false, None),
        ("\u{fdfd}", 0, 4, false, None),
        ("abcdef\u{1f431}", 0, 4, false, None),
        ("abcdef\u{80}", 0, 4, false, None),
        ("\u{7f}abcdef", 0, 4, false, Some("\u{7f}abc")),
        ("abcdefg", 0, 4, true, Some("defg")),
        ("defg", 0, 4, true, Some("defg")),
        ("abc", 0, 4, true, None),
        ("", 0, 4, true, None),
        ("\u{fdfd}", 0, 4, true, None),
        ("defg", 1, 3, false, Some("ef")),
        ("def", 1, 3, false, Some("ef")),
        ("ab", 1, 3, false, None),
        ("\u{fdfd}", 1, 3, false, None),
    ];
    for (input, start, stop, reverse, expected) in cases {
        assert_eq!(
            substring(input, start, stop, reverse).as_deref(),
            expected,
            "substring({input:?}, {start}, {stop}, {reverse})"
        );
    }
}

/// Standard library, "uriEncode function": every character the section lists is
/// percent-encoded, in upper-case hexadecimal, and so is every non-ASCII character; the
/// unreserved characters are left as they are.
#[test]
fn uri_encode_spec_examples() {
    for c in "/:,?#[]{}|@! $&'()*+;=%<>\"^`\\".chars() {
        assert_eq!(uri_encode(&c.to_string()), format!("%{:02X}", u32::from(c)), "uriEncode({c:?})");
    }
    let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    assert_eq!(uri_encode(unreserved), unreserved);
    assert_eq!(uri_encode("\u{e9}\u{1f431}"), "%C3%A9%F0%9F%90%B1");
}

/// Standard library, "isValidHostLabel function": its example (`allowSubDomains` false) and the
/// cases of Smithy's `valid-hostlabel.smithy`, which tries each value without, then with,
/// sub-domains.
#[test]
fn is_valid_host_label_spec_examples() {
    // value, valid without sub-domains, valid with them
    let cases: [(&str, bool, bool); 8] = [
        ("us-east-1", true, true),
        ("3aws4", true, true),
        ("part1.part2", false, true),
        ("part1 part2", false, false),
        ("", false, false),
        ("part1.", false, false),
        ("part1..part2", false, false),
        ("part1.-part2", false, false),
    ];
    for (value, alone, with_subdomains) in cases {
        assert_eq!(is_valid_host_label(value, false), alone, "isValidHostLabel({value:?}, false)");
        assert_eq!(is_valid_host_label(value, true), with_subdomains, "isValidHostLabel({value:?}, true)");
    }
}

/// Standard library, "split function": the cases of Smithy's `SplitTest.java` (the reference
/// implementation's table: limits, empty parts, overlapping and multi-byte delimiters).
#[test]
fn split_spec_examples() {
    let cases: &[(&str, &str, usize, &[&str])] = &[
        ("a--b--c", "--", 0, &["a", "b", "c"]),
        ("a--b--c", "--", 2, &["a", "b--c"]),
        ("a--b--c", "--", 1, &["a--b--c"]),
        ("", "--", 0, &[""]),
        ("", "--", 1, &[""]),
        ("--", "--", 0, &["", ""]),
        ("----", "--", 0, &["", "", ""]),
        ("----", "--", 2, &["", "--"]),
        ("--b--", "--", 0, &["", "b", ""]),
        ("aaa", "aa", 0, &["", "a"]),
        ("aaaa", "aa", 0, &["", "", ""]),
        ("aaaa", "aa", 2, &["", "aa"]),
        ("a--b--c", "--", 3, &["a", "b", "c"]),
        ("a--b--c", "--", 20, &["a", "b", "c"]),
        ("abc", "abc", 0, &["", ""]),
        ("abc", "abc", 2, &["", ""]),
        ("abc", "abc", 1, &["abc"]),
        ("abc", "x", 0, &["abc"]),
        ("a-b-c", "--", 0, &["a-b-c"]),
        ("--x-s3--azid--suffix", "--", 0, &["", "x-s3", "azid", "suffix"]),
        ("--x-s3--azid--suffix", "--", 2, &["", "x-s3--azid--suffix"]),
        ("--x-s3--azid--suffix", "--", 3, &["", "x-s3", "azid--suffix"]),
        ("a--b--c--d", "--", 3, &["a", "b", "c--d"]),
        ("--both--", "--", 2, &["", "both--"]),
        ("trail--", "--", 2, &["trail", ""]),
        ("foo<=>bar<=>baz", "<=>", 2, &["foo", "bar<=>baz"]),
        ("a\u{1f31f}b\u{1f31f}c", "\u{1f31f}", 0, &["a", "b", "c"]),
        ("a.*b.*c", ".*", 0, &["a", "b", "c"]),
        ("ab", "abcd", 2, &["ab"]),
    ];
    for (value, delimiter, limit, parts) in cases {
        assert_eq!(split(value, delimiter, *limit), *parts, "split({value:?}, {delimiter:?}, {limit})");
    }
}

/// AWS library functions, "aws.parseArn function", "Examples" (the table of valid and invalid
/// inputs).
#[test]
fn parse_arn_spec_examples() {
    // input, partition, service, region, accountId, resourceId
    type Parts<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<&'a str>);
    let cases: [(&str, Option<Parts<'_>>); 5] = [
        (
            "arn:aws:sns:us-west-2:012345678910:example-sns-topic-name",
            Some(("aws", "sns", "us-west-2", "012345678910", vec!["example-sns-topic-name"])),
        ),
        ("11111111-2222-3333-4444-555555555555", None),
        (
            "arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE",
            Some(("aws", "ec2", "us-east-1", "012345678910", vec!["vpc", "vpc-0e9801d129EXAMPLE"])),
        ),
        ("arn:aws:iam::012345678910:user/johndoe", Some(("aws", "iam", "", "012345678910", vec!["user", "johndoe"]))),
        ("arn:aws:s3:::bucket_name", Some(("aws", "s3", "", "", vec!["bucket_name"]))),
    ];
    for (input, expected) in cases {
        let arn = parse_arn(input);
        let parsed = arn.as_ref().map(|arn| {
            let resource: Vec<&str> = arn.resource_id.iter().map(String::as_str).collect();
            (arn.partition.as_str(), arn.service.as_str(), arn.region.as_str(), arn.account_id.as_str(), resource)
        });
        assert_eq!(parsed, expected, "aws.parseArn({input:?})");
    }
}

/// AWS library functions, "aws.isVirtualHostableS3Bucket function": its example
/// (`allowSubDomains` false) and the cases of Smithy's `is-virtual-hostable-s3-bucket.smithy`,
/// which tries each bucket without, then with, sub-domains.
#[test]
fn is_virtual_hostable_s3_bucket_spec_examples() {
    // bucket, hostable without sub-domains, hostable with them
    let a64 = "a".repeat(64);
    let cases: [(&str, bool, bool); 15] = [
        ("bucket-name", true, true),
        ("bucket-with-number-1", true, true),
        ("BucketName", false, false),
        ("bucket_name", false, false),
        ("bucket.name", false, true),
        ("bucket.name.multiple.dots1", false, true),
        ("-bucket-name", false, false),
        ("bucket-name-", false, false),
        ("aa", false, false),
        (&a64, false, false),
        (".bucket-name", false, false),
        ("bucket-name.", false, false),
        ("192.168.5.4", false, false),
        ("bucket-.name", false, false),
        ("bucket.-name", false, false),
    ];
    for (bucket, alone, with_subdomains) in cases {
        assert_eq!(is_virtual_hostable_s3_bucket(bucket, false), alone, "isVirtualHostableS3Bucket({bucket:?}, false)");
        assert_eq!(
            is_virtual_hostable_s3_bucket(bucket, true),
            with_subdomains,
            "isVirtualHostableS3Bucket({bucket:?}, true)"
        );
    }
}
