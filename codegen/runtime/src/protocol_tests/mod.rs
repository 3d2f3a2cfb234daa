//! Stand-in for the generated protocol tests, which declare `support` (copied verbatim) next to
//! the test cases of the model.

mod support;
