//! Emitting and rendering a crate on two threads.
//!
//! Emitting (`quote!`) and rendering (`syn` and `prettyplease`) are most of a warm `cargo xtask
//! regenerate`, and its files are independent of each other: the operations' files are emitted
//! and rendered on a second thread while this one emits and renders the rest (about half the
//! text each on the bundled model), which takes a third off the run's wall time on two cores.
//! `proc_macro2::TokenStream` is not `Send` (it shares its tokens behind an `Rc`), so each group
//! is emitted on the thread that renders it: only the IR (shared, `Sync`) and the rendered text
//! cross. The result is the same as one thread's, file for file, in path order.

use std::collections::BTreeMap;

use crate::emit::{self, EmitOptions, FileGroup, GeneratedCrate, ProtocolTest};
use crate::error::{CodegenError, Result};
use crate::ir::Ir;
use crate::render;

/// What [`emit_and_render`] gives: the rendered files, by path, the protocol tests emitted,
/// and what `beside` returned.
pub(crate) struct Rendered<U> {
    pub files: Vec<(String, String)>,
    pub protocol_tests: Vec<ProtocolTest>,
    pub beside: U,
}

/// Emits and renders every file of the crate for `ir`. `with_rest` is given the emitted files
/// of every group but [`FileGroup::Operations`] before they are rendered (the crate's API
/// surface is read there: no hand-written file lies in the operations' directories), and what
/// it returns is handed to `beside`, run on a third thread while this one renders (`cargo
/// xtask regenerate` compares the surface with the committed one and serializes its record
/// there: a tenth of a run).
pub(crate) fn emit_and_render<T: Send, U: Send>(
    ir: &Ir,
    options: &EmitOptions,
    with_rest: impl FnOnce(&GeneratedCrate) -> Result<T>,
    beside: impl FnOnce(T) -> U + Send,
) -> Result<Rendered<U>> {
    let panicked = |_| CodegenError::internal("a thread of the generator panicked");
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| render::render(emit::emit_group(ir, options, FileGroup::Operations)?.files));
        // Every path out of here joins the threads first: a scope panics on leaving when a
        // thread of it panicked and was not joined.
        let here = (|| {
            let mut krate = emit::emit_group(ir, options, FileGroup::Rest)?;
            krate.files.extend(emit::emit_group(ir, options, FileGroup::Shapes)?.files);
            let extra = with_rest(&krate)?;
            let beside = scope.spawn(move || beside(extra));
            let files = render::render(krate.files);
            let beside = beside.join().map_err(panicked)?;
            Ok::<_, CodegenError>((files?, krate.protocol_tests, beside))
        })();
        let operations = worker.join().map_err(panicked)?;
        let (files, protocol_tests, beside) = here?;
        // The operations' files last, as `emit::emit_crate` adds them.
        let files: BTreeMap<String, String> = files.into_iter().chain(operations?).collect();
        Ok(Rendered { files: files.into_iter().collect(), protocol_tests, beside })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GenerateOptions, emit_options, load_ir, surface};

    fn bundled_model() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/connectparticipant.json");
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {path}: {error}"))
    }

    /// Two threads give the files one gives, in the same order, and the surface read from
    /// every group but the operations' is the whole crate's.
    #[test]
    fn two_threads_give_what_one_gives() {
        let json = bundled_model();
        let mut options = GenerateOptions::new("connectparticipant");
        options.protocol_tests = true;
        let ir = load_ir(&json, &options).unwrap();
        let emit_options = emit_options(&json, &options);

        let krate = emit::emit_crate(&ir, &emit_options).unwrap();
        let whole_surface = surface(&ir, &krate, &options).unwrap();
        let protocol_tests = krate.protocol_tests.len();
        let one_thread = render::render(krate.files).unwrap();

        let rendered =
            emit_and_render(&ir, &emit_options, |krate| surface(&ir, krate, &options), |surface| surface).unwrap();
        assert_eq!(rendered.files, one_thread);
        assert_eq!(rendered.protocol_tests.len(), protocol_tests);
        assert!(rendered.beside == whole_surface, "the surface differs from the whole crate's");
    }
}
