//! Monitoring's rules: what a check is ([`check`]), and what its results mean for a
//! component and its automatic incident ([`tracker`]), and how a probe's observations are
//! judged ([`verdict`]). The runner that probes targets lives
//! in the server; everything it decides is decided here.

pub mod check;
pub mod tracker;
pub mod verdict;

pub use check::*;
pub use tracker::*;
pub use verdict::*;
