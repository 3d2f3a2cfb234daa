//! AWS Signature Version 4: requests signed in their headers, and pre-signed URLs.
//!
//! The signer follows the official SDKs (and passes the AWS SigV4 test suite): the canonical
//! request (method, normalized path, sorted query, signed headers, payload hash), the string to
//! sign, the key derived from the secret for the day, region and service, and the signature.
//! Headers a proxy or the transport may rewrite (`user-agent`, `x-amzn-trace-id`, `expect`,
//! `transfer-encoding`, the hop-by-hop headers) are left unsigned, as the official signers leave
//! them. HMAC-SHA256 and SHA-256 come from `ring`, the crypto library rustls already brings into
//! every crate: no second crypto stack is compiled.

mod canonical;
mod crypto;
mod presign;
mod settings;
mod sign;
mod signer;
mod skew;
mod time;

pub use crypto::SigningKeyCache;
pub use presign::{PresignedRequest, presign};
pub use settings::{PayloadSigning, SigningParams, SigningSettings};
pub use sign::{Signature, SigningError, sign_request};
pub use signer::Signer;
pub use skew::ClockSkew;
