//! Monitoring's rules: what a check is ([`check`]); what its results mean for a component and
//! its automatic incident ([`tracker`]); how a probe's observations are judged ([`verdict`]);
//! and what a bucket of results adds up to ([`stats`]). The runner that probes targets lives
//! in the server; everything it decides is decided here.

pub mod check;
pub mod stats;
pub mod tracker;
pub mod verdict;

pub use check::*;
pub use stats::*;
pub use tracker::*;
pub use verdict::*;
