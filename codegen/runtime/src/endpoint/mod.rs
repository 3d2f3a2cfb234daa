//! Stand-in for the generated endpoint module, which declares `support` (copied verbatim) next
//! to the resolver it generates from the model's endpoint rules and the partition table it
//! generates from its partitions file (a small stand-in here).

mod partitions;
#[cfg(test)]
mod spec_examples;
pub mod support;

pub use support::{Endpoint, EndpointError};
