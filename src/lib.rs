//! counsel-log: a ledger of the service items and hours of a government's legal advisors, with
//! the tallies and report paragraph the legal-affairs office publishes.

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod report;
#[cfg(unix)]
pub mod serve;
pub mod store;
pub mod sync;
pub mod tui;
