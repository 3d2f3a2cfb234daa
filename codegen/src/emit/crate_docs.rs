//! What the crate's documentation (`lib.rs`) and its README both say, written once: the
//! quickstart, the cargo features, the model revision and the call shape.

use super::EmitOptions;
use crate::ir::{Ir, Operation, Type};

/// The quickstart: markdown before the example, and the example, a complete program.
pub(super) struct Quickstart {
    pub intro: String,
    pub program: String,
}

/// The service customization's quickstart, else one call of the chosen (or first simple)
/// operation.
pub(super) fn quickstart(ir: &Ir, options: &EmitOptions) -> Quickstart {
    let crate_name = options.crate_name.replace('-', "_");
    if let Some(quickstart) = crate::customizations::for_service(&ir.service.id).and_then(|c| c.quickstart.as_ref()) {
        // Doc text: the program's paths name the crate it was written for; rename their root.
        let written_for = format!("{}::", quickstart.crate_name);
        return Quickstart {
            intro: quickstart.intro.trim_end().to_owned(),
            program: quickstart.program.trim_end().replace(&written_for, &format!("{crate_name}::")),
        };
    }
    let chosen = options
        .example_operation
        .as_deref()
        .and_then(|name| ir.operations.iter().find(|op| op.name == name))
        .or_else(|| ir.operations.iter().find(|op| example_args(op).is_some()));
    let call = chosen.and_then(|op| {
        let args = example_args(op)?;
        Some(format!(
            "    let output = client.{}({}).send().await?;\n    println!(\"{{output:?}}\");\n",
            op.fn_name.to_ident(),
            args
        ))
    });
    // Doc text, not emitted code: the program is shown to readers and compiled as a doctest.
    let program = format!(
        concat!(
            "use {0}::{{Client, Config}};\n\n",
            "#[tokio::main]\n",
            "async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n",
            "    let client = Client::new(Config::builder().region(\"us-east-1\").build()?);\n",
            "{1}",
            "    Ok(())\n",
            "}}"
        ),
        crate_name,
        call.unwrap_or_default()
    );
    Quickstart { intro: "A client, and one call.".to_owned(), program }
}

/// Placeholder arguments for an example call, when every required member is a string.
fn example_args(op: &Operation) -> Option<String> {
    op.input
        .positional_members()
        .map(|m| match m.target.ty {
            Type::String => Some(format!("\"{}\"", m.field.as_str().replace('_', "-"))),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(|args| args.join(", "))
}

/// The cargo features, one markdown list item each.
pub(super) fn features(ir: &Ir) -> String {
    let mut items = vec![
        "- `blocking`: `blocking::Client`, every operation called without `.await`, for programs\n  \
         without an async runtime. It runs the async client on a current-thread Tokio runtime of\n  \
         its own; a call made inside an async runtime returns an error."
            .to_owned(),
    ];
    let opt_ins = super::runtime_files::OPT_INS.iter();
    items.extend(opt_ins.map(|opt_in| format!("- `{}`: {}", opt_in.name, opt_in.summary.replace('\n', "\n  "))));
    if let Some(customization) = crate::customizations::for_service(&ir.service.id) {
        let summary = customization.feature_summary.trim_end().replace('\n', "\n  ");
        items.push(format!("- {summary}"));
    }
    items.sort();
    items.join("\n")
}

/// Which model the crate was generated from: the service's API version and the MD5 of the
/// model file.
pub(super) fn model_revision(ir: &Ir, options: &EmitOptions) -> String {
    let version = match &ir.service.version {
        Some(version) => format!("API version `{version}`, "),
        None => String::new(),
    };
    format!(
        "Generated from the Smithy model of `{}` ({version}model file MD5 `{}`, as `md5sum` prints it).",
        ir.service.id, options.model_md5
    )
}

/// How operations are called.
pub(super) const CALL_SHAPE: &str = "\
Each operation is a method on `Client`. Its required members are positional arguments (the
compiler enforces them), in the order of their names on the wire; optional members are set on the
returned builder, and `.send().await` makes the call. It returns the operation's output, or an
`Error` whose `service_error()` is the operation's own error enum when the service answered with
one.";
