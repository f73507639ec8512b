//! What the server holds: state machines, executions and activities, in
//! memory. Finished executions beyond a limit are dropped, oldest first.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sfc_runtime::history::{Event, Events, History};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// STANDARD or EXPRESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineType {
    Standard,
    Express,
}

impl MachineType {
    pub fn as_str(self) -> &'static str {
        match self {
            MachineType::Standard => "STANDARD",
            MachineType::Express => "EXPRESS",
        }
    }
}

/// A state machine: its definition as given, and the model the
/// interpreter runs, prepared once when it is created or updated.
#[derive(Debug, Clone)]
pub struct Machine {
    pub name: String,
    pub arn: String,
    pub definition: String,
    pub prepared: Rc<sfc_runtime::Prepared>,
    pub role_arn: String,
    pub kind: MachineType,
    pub created: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
    pub revision_id: String,
    pub logging: Value,
    pub tracing: Value,
    pub tags: Vec<(String, String)>,
    /// The number the next published version gets.
    pub next_version: u64,
    /// A version's description (versions only).
    pub description: Option<String>,
}

/// An alias: up to two versions, with the share of executions each gets.
#[derive(Debug, Clone)]
pub struct Alias {
    pub name: String,
    pub arn: String,
    pub machine_arn: String,
    pub description: Option<String>,
    pub routes: Vec<(String, u64)>,
    pub created: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
}

/// Where an execution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Running, Status::Succeeded, Status::Failed, Status::TimedOut, Status::Aborted].into_iter().find(|x| x.as_str() == s)
    }
}

/// An execution's events: live while it runs, kept when it ends, or as
/// the API gives them when read back from `--data-dir`.
#[derive(Debug)]
pub enum Log {
    Live(Rc<History>),
    Done(Events),
    Stored(Vec<Value>),
}

impl Log {
    /// The events so far, each made into API JSON by `f`.
    pub fn map<T>(&self, f: impl FnMut(&Event) -> T) -> Vec<T> {
        match self {
            Log::Live(h) => h.with_events(|events| events.iter().map(f).collect()),
            Log::Done(events) => events.iter().map(f).collect(),
            Log::Stored(_) => Vec::new(),
        }
    }

    /// How many events fell between the first and the last kept (an
    /// EXPRESS execution's history is kept at its ends); read back from
    /// `--data-dir`, from the ids, which count every event.
    pub fn omitted(&self) -> usize {
        match self {
            Log::Live(h) => h.with_events(Events::omitted),
            Log::Done(events) => events.omitted(),
            Log::Stored(events) => {
                let last = events.last().and_then(|e| e["id"].as_u64()).unwrap_or(0);
                usize::try_from(last).unwrap_or(usize::MAX).saturating_sub(events.len())
            }
        }
    }
}

#[derive(Debug)]
pub struct Execution {
    pub arn: String,
    pub name: String,
    pub machine_arn: String,
    /// The machine as it was when the execution started.
    pub machine: Machine,
    pub status: Status,
    pub input: String,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub log: Log,
    /// The version it runs, when started on a version or an alias.
    pub version_arn: Option<String>,
    /// The alias it was started on.
    pub alias_arn: Option<String>,
    /// The mock file's test case it runs (`#Case`), whose invocation
    /// counts go on when the execution is redriven.
    pub mocks: Option<Rc<sfc_runtime::mock::MockCase>>,
    /// How often it was redriven, and when last.
    pub redrive_count: u64,
    pub redrive_date: Option<DateTime<Utc>>,
    /// Stops the running execution (StopExecution).
    pub abort: Option<tokio::task::AbortHandle>,
    pub express: bool,
    /// Its distributed Maps' runs, recorded by the interpreter as they go.
    pub map_runs: std::sync::Arc<sfc_runtime::map_runs::MapRuns>,
}

/// A task an activity worker can take: its token and input, and where to
/// say which worker took it (its execution records ActivityStarted then).
#[derive(Debug)]
pub struct ActivityTask {
    pub token: String,
    pub input: String,
    pub taken: tokio::sync::oneshot::Sender<Option<String>>,
}

#[derive(Debug)]
pub struct Activity {
    pub name: String,
    pub arn: String,
    pub created: DateTime<Utc>,
    pub tags: Vec<(String, String)>,
    pub queue: VecDeque<ActivityTask>,
    /// Wakes a worker waiting in GetActivityTask.
    pub ready: Rc<tokio::sync::Notify>,
}

/// The kinds of records, as `--data-dir` keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Machines,
    Versions,
    Aliases,
    Activities,
    Executions,
}

/// Everything the server holds.
#[derive(Debug, Default)]
pub struct Store {
    /// Records changed since they were last written to `--data-dir`.
    pub dirty: Vec<(Table, String)>,
    pub machines: BTreeMap<String, Machine>,
    /// Published versions by their ARN (`<machine ARN>:<number>`): each a
    /// machine as it was when published.
    pub versions: BTreeMap<String, Machine>,
    pub aliases: BTreeMap<String, Alias>,
    /// Executions by ARN, and their ARNs by when they started: a number
    /// that only grows, so a ListExecutions token can name a place in the
    /// list that executions started or forgotten since do not move.
    pub executions: std::collections::HashMap<String, Execution>,
    pub order: BTreeMap<u64, String>,
    next_in_order: u64,
    pub activities: BTreeMap<String, Activity>,
    /// How many finished executions are kept.
    pub keep: usize,
}

impl Store {
    pub fn new(keep: usize) -> Store {
        Store { keep, ..Store::default() }
    }

    /// Notes that a record changed (or went), for `--data-dir`.
    pub fn touch(&mut self, table: Table, key: &str) {
        self.dirty.push((table, key.to_string()));
    }

    pub fn add_execution(&mut self, e: Execution) {
        self.touch(Table::Executions, &e.arn);
        self.insert_execution(e);
        self.forget_old();
    }

    /// Keeps `e`, the newest execution so far.
    pub fn insert_execution(&mut self, e: Execution) {
        self.order.insert(self.next_in_order, e.arn.clone());
        self.next_in_order += 1;
        self.executions.insert(e.arn.clone(), e);
    }

    /// Drops the oldest finished executions beyond [`Store::keep`]: down to
    /// nine tenths of it, so the count is not taken at every start.
    pub fn forget_old(&mut self) {
        // Cheap first: there cannot be more finished executions than executions.
        if self.executions.len() <= self.keep {
            return;
        }
        let finished = self.executions.values().filter(|e| e.status != Status::Running).count();
        if finished <= self.keep {
            return;
        }
        let mut excess = finished - self.keep * 9 / 10;
        let executions = &mut self.executions;
        let dirty = &mut self.dirty;
        self.order.retain(|_, arn| {
            if excess > 0 && executions.get(arn).is_some_and(|e| e.status != Status::Running) {
                executions.remove(arn);
                dirty.push((Table::Executions, arn.clone()));
                excess -= 1;
                false
            } else {
                true
            }
        });
    }
}
