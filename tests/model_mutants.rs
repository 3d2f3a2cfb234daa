//! Never a panic on a bad model: real corpus models, mutated (members dropped or retyped,
//! dangling targets, wrong trait values, cycles, names that collide after case conversion,
//! huge documentation...), each either generate a crate or fail with a `CodegenError` that
//! names the shape at fault (and the trait, when the mutation broke one). None may panic or
//! hang.
//!
//! The mutants come from a fixed seed, so a failure names a mutant that reproduces; the count
//! is bounded so that the test runs in seconds in a debug build.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codegen::{CodegenError, GenerateOptions};
use serde_json::{Map, Value, json};

/// The seed of every mutation: change it to explore, keep it to reproduce.
const SEED: u64 = 0x5EED_0008;
/// How many corpus models are mutated (the smallest ones, for speed: mutations, not model
/// size, are what this test explores).
const MODELS: usize = 6;
/// Mutants per model.
const MUTANTS_PER_MODEL: usize = 40;
/// A generation taking longer than this is reported as a hang (the thread is left behind).
const HANG: Duration = Duration::from_secs(20);

/// What one mutation did, for the failure report; `None` when it did not apply to the model.
type Applied = Option<Mutation>;

/// A mutation applied to a model: a description, and the shape and trait it broke.
#[derive(Debug, Clone)]
struct Mutation {
    description: String,
    /// The trait the mutation made wrong, when the error must name it.
    broken_trait: Option<String>,
}

impl Mutation {
    fn new(description: String) -> Self {
        Self { description, broken_trait: None }
    }
}

/// How a mutant fared.
enum Outcome {
    Generated,
    Refused(CodegenError),
    Panicked(String),
    Hung,
}

fn shapes(model: &mut Value) -> &mut Map<String, Value> {
    model["shapes"].as_object_mut().expect("a corpus model has shapes")
}

/// Ids of the model's shapes of the given types (all types when `types` is empty), in order.
fn ids(model: &Value, types: &[&str]) -> Vec<String> {
    model["shapes"]
        .as_object()
        .map(|shapes| {
            shapes
                .iter()
                .filter(|(_, shape)| types.is_empty() || types.contains(&shape["type"].as_str().unwrap_or_default()))
                .map(|(id, _)| id.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}

/// A random member of a structure or union: (shape id, member name).
fn pick_member(model: &Value, rng: &mut fastrand::Rng) -> Option<(String, String)> {
    let candidates: Vec<(String, String)> = ids(model, &["structure", "union"])
        .into_iter()
        .flat_map(|id| {
            let names: Vec<String> =
                model["shapes"][&id]["members"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
            names.into_iter().map(move |name| (id.clone(), name))
        })
        .collect();
    pick(rng, &candidates).cloned()
}

/// The namespace of the model's service.
fn namespace(model: &Value) -> String {
    ids(model, &["service"]).first().and_then(|id| id.split('#').next()).unwrap_or("example").to_owned()
}

fn drop_member(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let (shape, member) = pick_member(model, rng)?;
    shapes(model)[&shape]["members"].as_object_mut()?.remove(&member);
    Some(Mutation::new(format!("dropped member {shape}${member}")))
}

fn retype_member(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let (shape, member) = pick_member(model, rng)?;
    let mut targets = ids(model, &[]);
    targets.extend(
        [
            "smithy.api#Document",
            "smithy.api#Unit",
            "smithy.api#Blob",
            "smithy.api#PrimitiveLong",
            "smithy.api#Timestamp",
        ]
        .map(str::to_owned),
    );
    let target = pick(rng, &targets)?.clone();
    shapes(model)[&shape]["members"][&member]["target"] = json!(target);
    Some(Mutation::new(format!("retyped member {shape}${member} to {target}")))
}

fn dangling_target(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let missing = format!("{}#DoesNotExist", namespace(model));
    match rng.u8(..4) {
        0 => {
            let (shape, member) = pick_member(model, rng)?;
            shapes(model)[&shape]["members"][&member]["target"] = json!(missing);
            Some(Mutation::new(format!("member {shape}${member} targets {missing}")))
        }
        1 => {
            let list = pick(rng, &ids(model, &["list", "map"]))?.clone();
            let field = if shapes(model)[&list]["type"] == "list" { "member" } else { "value" };
            shapes(model)[&list][field]["target"] = json!(missing);
            Some(Mutation::new(format!("{list} {field} targets {missing}")))
        }
        2 => {
            let operation = pick(rng, &ids(model, &["operation"]))?.clone();
            let field = *pick(rng, &["input", "output"])?;
            shapes(model)[&operation][field] = json!({ "target": missing });
            Some(Mutation::new(format!("{operation} {field} targets {missing}")))
        }
        _ => {
            let owner = pick(rng, &ids(model, &["service", "resource"]))?.clone();
            let operations = shapes(model)[&owner]
                .as_object_mut()?
                .entry("operations")
                .or_insert_with(|| json!([]))
                .as_array_mut()?;
            operations.push(json!({ "target": missing }));
            Some(Mutation::new(format!("{owner} lists operation {missing}")))
        }
    }
}

/// Values of the wrong type for any trait.
fn wrong_value(rng: &mut fastrand::Rng) -> Value {
    let values = [
        json!(null),
        json!(42),
        json!(-1),
        json!(1e300),
        json!("text"),
        json!(""),
        json!([1, "two"]),
        json!({ "unexpected": true }),
        json!(true),
    ];
    values[rng.usize(..values.len())].clone()
}

fn wrong_trait_value(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    // Every trait on a shape or a member, as a JSON pointer to its value.
    let mut traits: Vec<(String, String, String)> = Vec::new();
    for id in ids(model, &[]) {
        let shape = &model["shapes"][&id];
        for name in shape["traits"].as_object().map(|t| t.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            traits.push((id.clone(), name.clone(), pointer(&["shapes", &id, "traits", &name])));
        }
        for (member, body) in shape["members"].as_object().into_iter().flatten() {
            for name in body["traits"].as_object().map(|t| t.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                let at = pointer(&["shapes", &id, "members", member, "traits", &name]);
                traits.push((format!("{id}${member}"), name.clone(), at));
            }
        }
    }
    let (shape, name, at) = pick(rng, &traits)?.clone();
    let value = wrong_value(rng);
    *model.pointer_mut(&at)? = value.clone();
    Some(Mutation { description: format!("{shape}: trait {name} = {value}"), broken_trait: Some(name) })
}

/// A JSON pointer from path segments, escaped.
fn pointer(segments: &[&str]) -> String {
    segments.iter().map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1"))).collect()
}

fn add_cycle(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let structures = ids(model, &["structure"]);
    match rng.u8(..3) {
        0 => {
            let a = pick(rng, &structures)?.clone();
            let b = pick(rng, &structures)?.clone();
            let required = json!({ "smithy.api#required": {} });
            shapes(model)[&a]["members"]["cycleOut"] = json!({ "target": b, "traits": required });
            shapes(model)[&b]["members"]["cycleBack"] = json!({ "target": a, "traits": required });
            Some(Mutation::new(format!("required members cycle {a} -> {b} -> {a}")))
        }
        1 => {
            let list = pick(rng, &ids(model, &["list"]))?.clone();
            shapes(model)[&list]["member"] = json!({ "target": list });
            Some(Mutation::new(format!("list {list} contains itself")))
        }
        _ => {
            let a = pick(rng, &structures)?.clone();
            let b = pick(rng, &structures)?.clone();
            for (from, to) in [(&a, &b), (&b, &a)] {
                shapes(model)[from]["traits"]["smithy.api#mixin"] = json!({});
                shapes(model)[from]["mixins"] = json!([{ "target": to }]);
            }
            Some(Mutation { description: format!("mixin cycle {a} <-> {b}"), broken_trait: None })
        }
    }
}

/// A name that converts to the same Rust name as `name` in some case.
fn case_twin(name: &str, rng: &mut fastrand::Rng) -> String {
    let mut chars = name.chars();
    let first = chars.next().unwrap_or('x');
    let rest: String = chars.collect();
    match rng.u8(..3) {
        0 if first.is_ascii_uppercase() => format!("{}{rest}", first.to_ascii_lowercase()),
        0 => format!("{}{rest}", first.to_ascii_uppercase()),
        1 => name.to_ascii_uppercase(),
        _ => {
            let mut snake = String::new();
            for (i, c) in name.char_indices() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        }
    }
}

fn duplicate_after_case_conversion(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    match rng.u8(..3) {
        0 => {
            let (shape, member) = pick_member(model, rng)?;
            let twin = case_twin(&member, rng);
            let body = shapes(model)[&shape]["members"][&member].clone();
            shapes(model)[&shape]["members"].as_object_mut()?.insert(twin.clone(), body);
            Some(Mutation::new(format!("member {shape}${twin} beside ${member}")))
        }
        1 => {
            let id = pick(rng, &ids(model, &["structure", "enum", "union", "list", "map"]))?.clone();
            let (namespace, name) = id.split_once('#')?;
            let twin = format!("{namespace}#{}", case_twin(name, rng));
            let body = shapes(model)[&id].clone();
            shapes(model).insert(twin.clone(), body);
            // Used, so that the generator must name it.
            let (holder, _) = pick_member(model, rng)?;
            shapes(model)[&holder]["members"]["caseTwin"] = json!({ "target": twin });
            Some(Mutation::new(format!("shape {twin} beside {id}, used by {holder}")))
        }
        _ => {
            let operation = pick(rng, &ids(model, &["operation"]))?.clone();
            let (namespace, name) = operation.split_once('#')?;
            let twin = format!("{namespace}#{}", case_twin(name, rng));
            let body = shapes(model)[&operation].clone();
            shapes(model).insert(twin.clone(), body);
            let service = ids(model, &["service"]).first()?.clone();
            shapes(model)[&service]["operations"].as_array_mut()?.push(json!({ "target": twin }));
            Some(Mutation::new(format!("operation {twin} beside {operation}")))
        }
    }
}

fn huge_documentation(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let id = pick(rng, &ids(model, &[]))?.clone();
    let piece = "<p>*/ /* ``` #[cfg(x)] {{}} \\ \" ' \u{0} \r\n\t <code>unclosed <a href=\"x\">é 日本 🦀</p> ";
    let text = piece.repeat(2_000 + rng.usize(..2_000));
    let shape = shapes(model)[&id].as_object_mut()?;
    let traits = shape.entry("traits").or_insert_with(|| json!({})).as_object_mut()?;
    traits.insert("smithy.api#documentation".to_owned(), json!(text));
    Some(Mutation::new(format!("{} bytes of documentation on {id}", text.len())))
}

fn drop_shape(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let candidates: Vec<String> =
        ids(model, &[]).into_iter().filter(|id| model["shapes"][id]["type"] != "service").collect();
    let id = pick(rng, &candidates)?.clone();
    shapes(model).remove(&id);
    Some(Mutation::new(format!("dropped shape {id}")))
}

fn retype_shape(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    // Not the service: a model without one has no shape to blame ("the model has no service").
    let candidates: Vec<String> =
        ids(model, &[]).into_iter().filter(|id| model["shapes"][id]["type"] != "service").collect();
    let id = pick(rng, &candidates)?.clone();
    let kinds = ["structure", "union", "list", "map", "string", "enum", "intEnum", "operation", "resource", "bogus"];
    let kind = *pick(rng, &kinds)?;
    shapes(model)[&id]["type"] = json!(kind);
    Some(Mutation::new(format!("shape {id} retyped as {kind}")))
}

fn bad_http_binding(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let operation = pick(rng, &ids(model, &["operation"]))?.clone();
    let uris = ["", "no-slash", "/{unclosed", "/{a}/{a}", "/{Missing}", "/a?b=c&b=d", "/{greedy+}/{x}", "//", "/{}"];
    let methods = ["GET", "", "get", "PATCH", "BREW"];
    let uri = *pick(rng, &uris)?;
    let method = *pick(rng, &methods)?;
    let code = *pick(rng, &[200, 0, 99, 600, -1])?;
    let http = json!({ "method": method, "uri": uri, "code": code });
    shapes(model)[&operation]["traits"]["smithy.api#http"] = http.clone();
    Some(Mutation { description: format!("{operation}: http {http}"), broken_trait: Some("smithy.api#http".into()) })
}

fn misplaced_trait(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let (shape, member) = pick_member(model, rng)?;
    let (name, value) = match rng.u8(..6) {
        0 => ("smithy.api#httpLabel", json!({})),
        1 => ("smithy.api#httpPayload", json!({})),
        2 => ("smithy.api#httpHeader", json!("Content-Length")),
        3 => ("smithy.api#httpQuery", json!("")),
        4 => ("smithy.api#default", wrong_value(rng)),
        _ => ("smithy.api#jsonName", json!(42)),
    };
    let body = shapes(model)[&shape]["members"][&member].as_object_mut()?;
    let traits = body.entry("traits").or_insert_with(|| json!({})).as_object_mut()?;
    traits.insert(name.to_owned(), value.clone());
    Some(Mutation { description: format!("{shape}${member}: {name} = {value}"), broken_trait: Some(name.to_owned()) })
}

fn broken_paginator(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let operation = pick(rng, &ids(model, &["operation"]))?.clone();
    let paginated = json!({
        "inputToken": *pick(rng, &["nextToken", "Missing", "", "a.b.c"])?,
        "outputToken": *pick(rng, &["nextToken", "Missing", "", "a.b.c"])?,
        "items": *pick(rng, &["items", "Missing", "a.b"])?,
        "pageSize": *pick(rng, &["maxResults", "Missing"])?,
    });
    shapes(model)[&operation]["traits"]["smithy.api#paginated"] = paginated.clone();
    Some(Mutation {
        description: format!("{operation}: paginated {paginated}"),
        broken_trait: Some("smithy.api#paginated".into()),
    })
}

fn missing_structure_field(model: &mut Value, rng: &mut fastrand::Rng) -> Applied {
    let id = pick(rng, &ids(model, &["structure", "list", "map", "union", "enum", "operation", "service"]))?.clone();
    let field = match model["shapes"][&id]["type"].as_str()? {
        "list" => "member",
        "map" => *pick(rng, &["key", "value"])?,
        "operation" => *pick(rng, &["input", "output", "traits"])?,
        "service" => *pick(rng, &["operations", "traits", "version"])?,
        _ => "members",
    };
    let shape = shapes(model)[&id].as_object_mut()?;
    if rng.bool() {
        shape.remove(field);
        Some(Mutation::new(format!("removed {field} of {id}")))
    } else {
        let value = wrong_value(rng);
        shape.insert(field.to_owned(), value.clone());
        Some(Mutation::new(format!("{field} of {id} = {value}")))
    }
}

type Mutator = fn(&mut Value, &mut fastrand::Rng) -> Applied;

const MUTATORS: &[Mutator] = &[
    drop_member,
    retype_member,
    dangling_target,
    wrong_trait_value,
    add_cycle,
    duplicate_after_case_conversion,
    huge_documentation,
    drop_shape,
    retype_shape,
    bad_http_binding,
    misplaced_trait,
    broken_paginator,
    missing_structure_field,
];

/// Generates `json` on its own thread: a panic is caught (its message and location recorded by
/// the panic hook), a generation that never ends is reported as a hang.
fn run_generator(json: String, panics: &Arc<Mutex<String>>) -> Outcome {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result =
            panic::catch_unwind(AssertUnwindSafe(|| codegen::generate(&json, &GenerateOptions::new("mutant"))));
        let _ = send.send(result);
    });
    match receive.recv_timeout(HANG) {
        Ok(Ok(Ok(_))) => Outcome::Generated,
        Ok(Ok(Err(error))) => Outcome::Refused(error),
        Ok(Err(_)) => Outcome::Panicked(panics.lock().map(|m| m.clone()).unwrap_or_default()),
        Err(_) => Outcome::Hung,
    }
}

/// The smallest models of the corpus.
fn smallest_models(corpus: &Path) -> Vec<(String, String)> {
    let mut models: Vec<(u64, String, PathBuf)> = std::fs::read_dir(corpus)
        .expect("the corpus folder is readable")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(u64::MAX);
            (size, path.file_stem().unwrap_or_default().to_string_lossy().into_owned(), path)
        })
        .collect();
    models.sort();
    models
        .into_iter()
        .take(MODELS)
        .map(|(_, name, path)| (name, std::fs::read_to_string(path).expect("a readable model")))
        .collect()
}

/// Every mutant, in a fixed order: a label and the mutated model's JSON text.
fn mutants(corpus: &Path) -> Vec<(String, Mutation, String)> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut mutants = Vec::new();
    for (name, json) in smallest_models(corpus) {
        let original: Value = serde_json::from_str(&json).expect("corpus models are JSON");
        for index in 0..MUTANTS_PER_MODEL {
            let mut mutant = original.clone();
            let mutator = MUTATORS[rng.usize(..MUTATORS.len())];
            if let Some(mutation) = mutator(&mut mutant, &mut rng) {
                let label = format!("{name} #{index}: {}", truncated(&mutation.description));
                mutants.push((label, mutation, mutant.to_string()));
            }
        }
    }
    mutants
}

/// The environment variable that makes the test a worker running the mutants from an index on.
const WORKER: &str = "MODEL_MUTANTS_FROM";

/// The worker: runs mutants from `from` on, one line per mutant on stdout (`START i`, then
/// `OK i` or `PROBLEM i <kind>\t<details>`), so that the parent knows which mutant was running
/// when a stack overflow aborted the process.
fn work(corpus: &Path, from: usize) {
    let panics = xtask::sweep::silence_panics();
    let mut out = std::io::stdout().lock();
    for (index, (_, mutation, json)) in mutants(corpus).into_iter().enumerate().skip(from) {
        let _ = writeln!(out, "START {index}");
        let _ = out.flush();
        let line = match run_generator(json, &panics) {
            Outcome::Generated => format!("OK {index} generated"),
            Outcome::Refused(error) => {
                let names_trait = mutation.broken_trait.as_ref().is_none_or(|_| error.trait_id.is_some());
                if error.shape.is_some() && names_trait {
                    format!("OK {index} refused")
                } else {
                    let kind =
                        if error.shape.is_none() { "error that names no shape" } else { "error that names no trait" };
                    format!("PROBLEM {index} {kind}\t{}", one_line(&truncated(&error.to_string())))
                }
            }
            Outcome::Panicked(message) => {
                let location = message.split(": ").next().unwrap_or_default();
                format!("PROBLEM {index} PANIC at {location}\t{}", one_line(&truncated(&message)))
            }
            Outcome::Hung => format!("PROBLEM {index} HANG\t"),
        };
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    let _ = writeln!(out, "DONE");
}

/// This test's name as libtest knows it: its module path without the crate's name (the test
/// binary holds other tests' modules too, see `suite.rs`).
fn own_test_name() -> String {
    let module = module_path!().split_once("::").map_or("", |(_, module)| module);
    format!("{module}::mutated_corpus_models_never_panic").trim_start_matches("::").to_owned()
}

fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

#[test]
fn mutated_corpus_models_never_panic() {
    let Some(shared) = workspace_tests::shared_dir("mutated_corpus_models_never_panic") else { return };
    let corpus = shared.join("corpus/restjson1");
    if let Some(from) = std::env::var(WORKER).ok().and_then(|from| from.parse().ok()) {
        return work(&corpus, from);
    }
    let labels: Vec<String> = mutants(&corpus).into_iter().map(|(label, _, _)| label).collect();
    assert!(labels.len() >= MODELS * MUTANTS_PER_MODEL / 2, "too few mutations applied: {}", labels.len());

    // Workers run the mutants; one that dies (a stack overflow aborts the process, no
    // `catch_unwind` can stop it) is reported at the mutant it was running, and a new worker
    // goes on from the next one.
    let (mut generated, mut refused) = (0, 0);
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut from = 0;
    while from < labels.len() {
        let output = Command::new(std::env::current_exe().expect("the test binary"))
            .args(["--exact", &own_test_name(), "--nocapture", "--test-threads=1"])
            .env(WORKER, from.to_string())
            .output()
            .expect("the worker runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut running = None;
        let mut done = false;
        for line in stdout.lines() {
            let mut words = line.splitn(3, ' ');
            let (tag, index) = (words.next(), words.next().and_then(|i| i.parse::<usize>().ok()));
            match (tag, index) {
                (Some("START"), Some(index)) => running = Some(index),
                (Some("OK"), Some(_)) => {
                    running = None;
                    if line.ends_with("generated") { generated += 1 } else { refused += 1 }
                }
                (Some("PROBLEM"), Some(index)) => {
                    running = None;
                    let (kind, details) = words.next().unwrap_or_default().split_once('\t').unwrap_or_default();
                    problems.entry(kind.to_owned()).or_default().push(format!("{}\n      -> {details}", labels[index]));
                }
                (Some("DONE"), _) => done = true,
                _ => {}
            }
        }
        match running {
            Some(index) if !done => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let kind = if stderr.contains("overflowed its stack") { "STACK OVERFLOW" } else { "PROCESS DIED" };
                problems.entry(kind.to_owned()).or_default().push(labels[index].clone());
                from = index + 1;
            }
            _ if done => break,
            _ => panic!("the worker stopped without a trace:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr)),
        }
    }

    let summary = format!(
        "model mutants: {} ran, {generated} generated, {refused} refused with an error naming the shape",
        labels.len()
    );
    eprintln!("{summary}");
    if !problems.is_empty() {
        let report: Vec<String> = problems
            .iter()
            .map(|(kind, cases)| format!("{kind} ({} mutants):\n    {}", cases.len(), cases.join("\n    ")))
            .collect();
        panic!("{summary}; problems:\n{}", report.join("\n"));
    }
}
/// A description short enough for a report line.
fn truncated(text: &str) -> String {
    const LIMIT: usize = 300;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}... ({} bytes)", &text[..cut], text.len()),
        None => text.to_owned(),
    }
}
