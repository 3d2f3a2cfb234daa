//! The project's own copy of the Amazon Connect Participant Service model
//! (`model/connectparticipant.json`) must state exactly the same API facts as the reference
//! model in `../shared/models/connectparticipant.json`. Only documentation may differ (the
//! project's documentation is written independently):
//!
//! - any `smithy.api#documentation` trait, on a shape or on a member;
//! - the `documentation` field of each `smithy.rules#endpointRuleSet` parameter;
//! - the `documentation` field of each `smithy.rules#endpointTests` test case.
//!
//! Everything else (shapes, members and their order, targets, every trait value, the endpoint
//! rules and test cases, metadata) is compared recursively, numbers by value, and every
//! difference is reported with the shape id (`ns#Shape` or `ns#Shape$member`) and the trait id
//! or JSON path that differs.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

const NS: &str = "com.amazonaws.connectparticipant#";
const SERVICE: &str = "com.amazonaws.connectparticipant#AmazonConnectParticipantServiceLambda";
const DOC_TRAIT: &str = "smithy.api#documentation";

/// A parsed model: the `serde_json` value plus the key order of every object, which
/// `serde_json::Value` does not keep (member order is part of the API).
#[derive(Clone)]
struct Model {
    value: Value,
    /// JSON path of an object (keys and array indices) -> its keys in document order.
    key_order: HashMap<Vec<String>, Vec<String>>,
}

impl Model {
    fn parse(text: &str, what: &str) -> Model {
        let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not valid JSON: {e}"));
        let mut key_order = HashMap::new();
        let mut scanner = KeyOrderScanner { text, pos: 0 };
        scanner.value(&mut Vec::new(), &mut key_order);
        Model { value, key_order }
    }

    fn load(path: &PathBuf) -> Model {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Model::parse(&text, &path.display().to_string())
    }

    /// The keys of the object at `path`, in document order as far as it was recorded (keys
    /// added after parsing come last, keys removed after parsing are dropped).
    fn keys_of(&self, path: &[String], map: &serde_json::Map<String, Value>) -> Vec<String> {
        let mut keys: Vec<String> = match self.key_order.get(path) {
            Some(recorded) => recorded.iter().filter(|k| map.contains_key(*k)).cloned().collect(),
            None => Vec::new(),
        };
        for key in map.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        keys
    }
}

/// Records the key order of every object in a JSON text that `serde_json` has already accepted.
struct KeyOrderScanner<'a> {
    text: &'a str,
    pos: usize,
}

impl KeyOrderScanner<'_> {
    fn peek(&self) -> u8 {
        self.text.as_bytes()[self.pos]
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) {
        self.skip_ws();
        assert_eq!(self.peek(), byte, "unexpected byte at offset {}", self.pos);
        self.pos += 1;
    }

    /// Reads a string literal and decodes it (escapes included) with `serde_json`.
    fn string(&mut self) -> String {
        self.skip_ws();
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        serde_json::from_str(&self.text[start..self.pos]).expect("valid JSON string literal")
    }

    fn value(&mut self, path: &mut Vec<String>, out: &mut HashMap<Vec<String>, Vec<String>>) {
        self.skip_ws();
        match self.peek() {
            b'{' => {
                self.pos += 1;
                let mut keys = Vec::new();
                self.skip_ws();
                if self.peek() == b'}' {
                    self.pos += 1;
                } else {
                    loop {
                        let key = self.string();
                        self.expect(b':');
                        path.push(key.clone());
                        self.value(path, out);
                        path.pop();
                        keys.push(key);
                        self.skip_ws();
                        let sep = self.peek();
                        self.pos += 1;
                        if sep == b'}' {
                            break;
                        }
                        assert_eq!(sep, b',', "unexpected byte at offset {}", self.pos - 1);
                    }
                }
                out.insert(path.clone(), keys);
            }
            b'[' => {
                self.pos += 1;
                self.skip_ws();
                if self.peek() == b']' {
                    self.pos += 1;
                    return;
                }
                let mut index = 0usize;
                loop {
                    path.push(index.to_string());
                    self.value(path, out);
                    path.pop();
                    index += 1;
                    self.skip_ws();
                    let sep = self.peek();
                    self.pos += 1;
                    if sep == b']' {
                        break;
                    }
                    assert_eq!(sep, b',', "unexpected byte at offset {}", self.pos - 1);
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while !matches!(self.peek(), b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t') {
                    self.pos += 1;
                }
            }
        }
    }
}

/// One difference between the upstream and the project model.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Difference {
    /// `ns#Shape`, `ns#Shape$member`, or `(model)` for top-level keys.
    location: String,
    /// What differs there: `trait <id>` optionally followed by a JSON path inside the trait
    /// (`trait smithy.api#length/max`), `shape`, `member`, `member order`, or a plain path
    /// (`target`, `operations/3/target`).
    what: String,
    upstream: String,
    project: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: upstream {}, project {}", self.location, self.what, self.upstream, self.project)
    }
}

/// Whether the node at `path` is documentation, which the comparison ignores.
fn is_documentation(path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    if p.first() != Some(&"shapes") {
        return false;
    }
    // A `smithy.api#documentation` trait on a shape or on any member.
    if p.len() >= 4 && p[p.len() - 2] == "traits" && p[p.len() - 1] == DOC_TRAIT {
        return true;
    }
    // Endpoint rule-set parameter docs and endpoint test-case docs.
    matches!(
        p.as_slice(),
        ["shapes", _, "traits", "smithy.rules#endpointRuleSet", "parameters", _, "documentation"]
            | ["shapes", _, "traits", "smithy.rules#endpointTests", "testCases", _, "documentation"]
    )
}

/// Splits an absolute JSON path into the shape (or member) it belongs to and what it names
/// there.
fn describe(path: &[String]) -> (String, String) {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let join = |rest: &[&str]| rest.join("/");
    let trait_or_path = |rest: &[&str]| match rest {
        [] => String::new(),
        ["traits"] => "traits".to_string(),
        ["traits", id] => format!("trait {id}"),
        ["traits", id, inner @ ..] => format!("trait {id}/{}", join(inner)),
        other => join(other),
    };
    match p.as_slice() {
        ["shapes", shape] => ((*shape).to_string(), "shape".to_string()),
        ["shapes", shape, "members"] => ((*shape).to_string(), "members".to_string()),
        ["shapes", shape, "members", member] => (format!("{shape}${member}"), "member".to_string()),
        ["shapes", shape, "members", member, rest @ ..] => (format!("{shape}${member}"), trait_or_path(rest)),
        ["shapes", shape, member @ ("member" | "key" | "value")] => (format!("{shape}${member}"), "member".to_string()),
        ["shapes", shape, member @ ("member" | "key" | "value"), rest @ ..] => {
            (format!("{shape}${member}"), trait_or_path(rest))
        }
        ["shapes", shape, rest @ ..] => ((*shape).to_string(), trait_or_path(rest)),
        other => ("(model)".to_string(), join(other)),
    }
}

fn render(value: Option<&Value>) -> String {
    match value {
        None => "<absent>".to_string(),
        Some(v) => {
            let s = serde_json::to_string(v).expect("serializable");
            if s.len() > 160 {
                let mut end = 160;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}...", &s[..end])
            } else {
                s
            }
        }
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

struct Comparison<'a> {
    upstream: &'a Model,
    project: &'a Model,
    out: Vec<Difference>,
}

impl Comparison<'_> {
    fn report(&mut self, path: &[String], upstream: Option<&Value>, project: Option<&Value>) {
        let (location, what) = describe(path);
        self.out.push(Difference { location, what, upstream: render(upstream), project: render(project) });
    }

    fn walk(&mut self, path: &mut Vec<String>, a: &Value, b: &Value) {
        match (a, b) {
            (Value::Object(ma), Value::Object(mb)) => {
                let order_a = self.upstream.keys_of(path, ma);
                let order_b = self.project.keys_of(path, mb);
                for key in &order_a {
                    path.push(key.clone());
                    if !is_documentation(path) {
                        match mb.get(key) {
                            Some(vb) => self.walk(path, &ma[key], vb),
                            None => self.report(path, Some(&ma[key]), None),
                        }
                    }
                    path.pop();
                }
                for key in &order_b {
                    if !ma.contains_key(key) {
                        path.push(key.clone());
                        if !is_documentation(path) {
                            self.report(path, None, Some(&mb[key]));
                        }
                        path.pop();
                    }
                }
                // Key order (member order in particular) of the keys both sides have.
                let keep = |order: &[String], other: &serde_json::Map<String, Value>| {
                    order
                        .iter()
                        .filter(|k| other.contains_key(*k))
                        .filter(|k| {
                            let mut p = path.clone();
                            p.push((*k).clone());
                            !is_documentation(&p)
                        })
                        .cloned()
                        .collect::<Vec<_>>()
                };
                let common_a = keep(&order_a, mb);
                let common_b = keep(&order_b, ma);
                if common_a != common_b {
                    let (location, what) = describe(path);
                    let what = match what.as_str() {
                        "members" => "members order".to_string(),
                        "" => "key order".to_string(),
                        other => format!("key order of {other}"),
                    };
                    self.out.push(Difference {
                        location,
                        what,
                        upstream: format!("{common_a:?}"),
                        project: format!("{common_b:?}"),
                    });
                }
            }
            (Value::Array(va), Value::Array(vb)) => {
                for i in 0..va.len().max(vb.len()) {
                    path.push(i.to_string());
                    match (va.get(i), vb.get(i)) {
                        (Some(x), Some(y)) => self.walk(path, x, y),
                        (x, y) => self.report(path, x, y),
                    }
                    path.pop();
                }
            }
            (Value::Number(x), Value::Number(y)) => {
                if !numbers_equal(x, y) {
                    self.report(path, Some(a), Some(b));
                }
            }
            _ => {
                if a != b {
                    self.report(path, Some(a), Some(b));
                }
            }
        }
    }
}

/// Every non-documentation difference between the two models, in upstream document order.
fn compare_models(upstream: &Model, project: &Model) -> Vec<Difference> {
    let mut cmp = Comparison { upstream, project, out: Vec::new() };
    cmp.walk(&mut Vec::new(), &upstream.value, &project.value);
    cmp.out
}

fn project_model_path() -> PathBuf {
    workspace_tests::workspace_root().join("model").join("connectparticipant.json")
}

#[test]
fn project_model_matches_upstream_apart_from_documentation() {
    let Some(shared) = workspace_tests::shared_dir("model_matches_upstream") else {
        println!("model_matches_upstream: SKIPPED, no reference model to compare against");
        return;
    };
    let upstream = Model::load(&shared.join("models").join("connectparticipant.json"));
    let project = Model::load(&project_model_path());
    let diffs = compare_models(&upstream, &project);
    if !diffs.is_empty() {
        let list: Vec<String> = diffs.iter().map(|d| format!("  {d}")).collect();
        panic!(
            "model/connectparticipant.json differs from the upstream model in {} place(s):\n{}",
            diffs.len(),
            list.join("\n")
        );
    }
}

#[test]
fn project_model_has_expected_shape_counts() {
    let path = project_model_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(text.is_ascii(), "the project model must be ASCII only");
    assert!(text.ends_with("}\n"), "the project model must end with a newline");
    let model: Value = serde_json::from_str(&text).expect("project model parses as JSON");
    assert_eq!(model["smithy"], "2.0");
    let shapes = model["shapes"].as_object().expect("`shapes` is an object");
    assert_eq!(shapes.len(), 117, "number of shapes");
    let operations = shapes.values().filter(|s| s["type"] == "operation").count();
    assert_eq!(operations, 11, "number of operation shapes");
    let bound = model["shapes"][SERVICE]["operations"].as_array().expect("service operations");
    assert_eq!(bound.len(), 11, "operations bound to the service");
    assert!(shapes.keys().all(|id| id.starts_with(NS)), "every shape is in {NS}");

    // Documentation that is present must say something.
    for (id, shape) in shapes {
        let mut docs = vec![(id.clone(), &shape["traits"][DOC_TRAIT])];
        if let Some(members) = shape["members"].as_object() {
            for (name, member) in members {
                docs.push((format!("{id}${name}"), &member["traits"][DOC_TRAIT]));
            }
        }
        for (what, doc) in docs {
            if !doc.is_null() {
                let text = doc.as_str().unwrap_or_else(|| panic!("{what}: documentation is a string"));
                assert!(!text.trim().is_empty(), "{what}: empty documentation");
            }
        }
    }
}

/// The comparison must be able to fail: perturb a copy of the project model and check that
/// exactly the perturbed facts are reported, while documentation-only edits and a number
/// written differently (`256` vs `256.0`) are not.
#[test]
fn comparison_reports_exactly_the_perturbed_facts() {
    let path = project_model_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let original = Model::parse(&text, "project model");
    assert!(compare_models(&original, &original.clone()).is_empty(), "a model equals itself");

    let mut changed = original.clone();
    let shapes = &mut changed.value["shapes"];
    let id = |name: &str| format!("{NS}{name}");

    // Facts that must be reported.
    shapes[id("ArtifactId")]["traits"]["smithy.api#length"]["max"] = Value::from(255);
    shapes[id("GetAttachmentRequest")]["members"]["AttachmentId"]["traits"]
        .as_object_mut()
        .expect("traits")
        .remove("smithy.api#required")
        .expect("AttachmentId is required upstream");
    shapes[id("GetTranscriptRequest")]["members"]["MaxResults"]["traits"]["smithy.api#default"] = Value::from(0);
    shapes[id("StartAttachmentUploadRequest")]["members"]["ClientToken"]["target"] = Value::from(id("ClientToken"));
    shapes[id("Transcript")]["member"]["target"] = Value::from(id("Receipt"));
    shapes[SERVICE]["traits"]["smithy.rules#endpointTests"]["testCases"][3]["expect"]["endpoint"]["url"] =
        Value::from("https://example.invalid");
    shapes.as_object_mut().expect("shapes").remove(&id("Bool")).expect("Bool exists");
    let attendee_members = vec!["shapes".to_string(), id("Attendee"), "members".to_string()];
    changed.key_order.get_mut(&attendee_members).expect("Attendee members").reverse();

    // Changes that must not be reported.
    shapes[id("ChatItemId")]["traits"]["smithy.api#length"]["max"] = Value::from(256.0);
    shapes[id("SendMessage")]["traits"][DOC_TRAIT] = Value::from("<p>Reworded.</p>");
    shapes[id("Item")]["members"]["Content"]["traits"]
        .as_object_mut()
        .expect("traits")
        .remove(DOC_TRAIT)
        .expect("Item$Content is documented");
    shapes[id("ParticipantToken")]["traits"][DOC_TRAIT] = Value::from("<p>Added.</p>");
    let service = &mut shapes[SERVICE]["traits"];
    service["smithy.rules#endpointRuleSet"]["parameters"]["Region"]["documentation"] = Value::from("Reworded.");
    service["smithy.rules#endpointTests"]["testCases"][0]["documentation"] = Value::from("Reworded.");

    let diffs = compare_models(&original, &changed);
    let reported: BTreeSet<(String, String)> = diffs.iter().map(|d| (d.location.clone(), d.what.clone())).collect();
    let expected: BTreeSet<(String, String)> = [
        ("ArtifactId", "trait smithy.api#length/max"),
        ("GetAttachmentRequest$AttachmentId", "trait smithy.api#required"),
        ("GetTranscriptRequest$MaxResults", "trait smithy.api#default"),
        ("StartAttachmentUploadRequest$ClientToken", "target"),
        ("Transcript$member", "target"),
        ("AmazonConnectParticipantServiceLambda", "trait smithy.rules#endpointTests/testCases/3/expect/endpoint/url"),
        ("Bool", "shape"),
        ("Attendee", "members order"),
    ]
    .into_iter()
    .map(|(loc, what)| (id(loc), what.to_string()))
    .collect();
    let listing: Vec<String> = diffs.iter().map(|d| format!("  {d}")).collect();
    assert_eq!(reported, expected, "reported differences:\n{}", listing.join("\n"));
    assert_eq!(diffs.len(), expected.len(), "one report per perturbation:\n{}", listing.join("\n"));

    // The messages carry both values.
    let length = diffs.iter().find(|d| d.what == "trait smithy.api#length/max").expect("length");
    assert_eq!((length.upstream.as_str(), length.project.as_str()), ("256", "255"));
    let required = diffs.iter().find(|d| d.what == "trait smithy.api#required").expect("required");
    assert_eq!((required.upstream.as_str(), required.project.as_str()), ("{}", "<absent>"));
    let default = diffs.iter().find(|d| d.what == "trait smithy.api#default").expect("default");
    assert_eq!((default.upstream.as_str(), default.project.as_str()), ("null", "0"));
    println!("perturbation reports:\n{}", listing.join("\n"));
}
