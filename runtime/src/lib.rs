//! The sfc runtime: a local interpreter for Amazon States Language.
//!
//! It runs any state machine the way AWS Step Functions would — input and
//! output processing, intrinsic functions, Choice rules, Retry and Catch,
//! Parallel and Map, timeouts, history events — against an
//! [`integration::Integration`] that answers Task states. Time is virtual
//! by default: waits and retry back-off advance a clock instantly.
//!
//! ```
//! use sfc_runtime::{run, RunOptions, Status, integration::Unavailable};
//! let def: sfc_asl::StateMachine = serde_json::from_str(r#"{
//!   "StartAt": "Wait", "States": {
//!     "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
//!     "Done": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, 1)"}, "End": true}}}"#).unwrap();
//! let out = run(&def, serde_json::json!({"a": 41}), &Unavailable, &RunOptions::default());
//! assert_eq!(out.status, Status::Succeeded);
//! assert_eq!(out.output.unwrap()["sum"], 42);
//! assert_eq!((out.ended - out.started).num_seconds(), 3600); // virtual: no real wait
//! ```
// Unsafe code only in alloc_budget, the global allocator wrapper.
#![deny(unsafe_code)]

pub mod alloc_budget;
pub mod api_shapes;
#[cfg(feature = "aws")]
pub mod aws;
pub mod check;
pub mod choice;
pub mod clock;
pub mod context;
pub mod coverage;
pub mod error;
pub mod expect;
pub mod harness;
pub mod history;
pub mod integration;
mod interp;
pub mod intrinsics;
pub mod io;
pub mod item_reader;
pub mod jsonata;
pub mod map_runs;
pub mod mock;
mod path_cost;
pub mod paths;
pub mod percent;
pub mod resume;
pub mod retry;
mod run;
pub mod s3_folder;
pub mod size;
pub mod template;
pub mod teststate;
pub mod timeline;
pub mod variables;

pub use error::Failure;
pub use interp::{Prepared, MAX_PAYLOAD_BYTES};
pub use run::{run, run_prepared, run_recorded, run_with_clock, started_details, Outcome, Resume, RunOptions, Status};
