//! What an execution shows of its Map Runs (its distributed Maps) while
//! they go and after: their settings, item and child execution counts and
//! children. sfc serve answers ListMapRuns, DescribeMapRun, UpdateMapRun
//! and ListExecutions by map run from it; the Map reads its concurrency
//! and tolerated failures back from it, so UpdateMapRun takes effect for
//! the items not yet started, as on AWS.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many children a Map Run lists at most; beyond them children are
/// counted, not listed (a Map over millions of items would otherwise hold
/// a record of each).
pub const MAX_LISTED_CHILDREN: usize = 100_000;

/// How many times one Map Run can be redriven: AWS's hard limit. Past it
/// the Map fails with States.Runtime.
pub const MAX_REDRIVES: u64 = 1000;

/// How many bytes of its children's input, output, error, cause and
/// events a Map Run keeps, for DescribeExecution and GetExecutionHistory
/// of a child; beyond them a child's are not kept (`inputDetails.included`
/// false, its history not kept).
pub const MAX_KEPT_CHILD_DATA: usize = 64 * 1024 * 1024;

/// The Map Runs of one execution, in the order they started.
#[derive(Debug, Default)]
pub struct MapRuns(Mutex<Vec<Arc<MapRun>>>);

impl MapRuns {
    /// Map Runs as stored (sfc serve's data directory).
    pub fn restored(runs: Vec<MapRun>) -> MapRuns {
        MapRuns(Mutex::new(runs.into_iter().map(Arc::new).collect()))
    }

    /// Every Map Run, oldest first.
    pub fn list(&self) -> Vec<Arc<MapRun>> {
        lock(&self.0).clone()
    }

    pub fn find(&self, arn: &str) -> Option<Arc<MapRun>> {
        lock(&self.0).iter().find(|r| r.arn == arn).cloned()
    }

    /// A Map Run that has just started, in `execution` (a child
    /// execution's ARN) or in the execution itself.
    pub(crate) fn start(
        &self,
        arn: String,
        execution: Option<String>,
        processor: ProcessorInfo,
        started: DateTime<Utc>,
        settings: Settings,
    ) -> Arc<MapRun> {
        let progress = Progress { settings, ..Progress::default() };
        let run = Arc::new(MapRun { arn, execution, processor, started, progress: Mutex::new(progress) });
        lock(&self.0).push(run.clone());
        run
    }

    /// Every Map Run still running ends ABORTED (its execution was stopped).
    pub fn abort_running(&self, now: DateTime<Utc>) {
        for run in lock(&self.0).iter() {
            run.abort(now);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while it was held leaves counts that still read.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One Map Run: what never changes, and its progress.
#[derive(Debug, Serialize, Deserialize)]
pub struct MapRun {
    pub arn: String,
    /// The child execution that started it (a distributed Map inside a
    /// distributed Map's child), or none: the execution itself.
    #[serde(default)]
    pub execution: Option<String>,
    #[serde(flatten)]
    pub processor: ProcessorInfo,
    pub started: DateTime<Utc>,
    progress: Mutex<Progress>,
}

/// The state machine a Map Run's children run, as
/// DescribeStateMachineForExecution of a child tells it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessorInfo {
    /// The execution's machine and the Map's label,
    /// `arn:...:stateMachine:<machine>/<label>`.
    pub state_machine_arn: String,
    #[serde(default)]
    pub label: String,
    /// The Map's ItemProcessor as JSON text.
    #[serde(default)]
    pub definition: String,
    /// Whether the children are EXPRESS executions, which AWS keeps no
    /// history of; a STANDARD child's events are kept (within
    /// [`MAX_KEPT_CHILD_DATA`]).
    #[serde(default)]
    pub express_children: bool,
}

/// Where an execution records the Map Runs it starts: its execution's
/// list of runs, and which execution it is there (a child's ARN; none for
/// the execution itself).
#[derive(Debug)]
pub(crate) struct MapRunsIn {
    pub runs: Arc<MapRuns>,
    pub execution: Option<String>,
}

/// The ARN of a Map Run's child execution named `name`.
pub fn child_execution_arn(map_run_arn: &str, name: &str) -> String {
    format!("{}:{name}", map_run_arn.replacen(":mapRun:", ":execution:", 1))
}

impl MapRun {
    /// Its progress as it is now, read under a lock (keep `read` short).
    pub fn read<T>(&self, read: impl FnOnce(&Progress) -> T) -> T {
        read(&lock(&self.progress))
    }

    /// Its concurrency and tolerated failures as they are now.
    pub fn settings(&self) -> Settings {
        self.read(|p| p.settings)
    }

    /// UpdateMapRun: new settings for the items not yet started. Whether
    /// the run was still running (an ended run is not changed).
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> bool {
        let mut p = lock(&self.progress);
        let running = p.status == MapRunStatus::Running;
        if running {
            change(&mut p.settings);
        }
        running
    }

    /// How many items and child executions the run has in all.
    pub(crate) fn set_totals(&self, items: u64, executions: u64) {
        let mut p = lock(&self.progress);
        p.items.total = items;
        p.executions.total = executions;
    }

    /// The child at `index` (its place in the items) has started with
    /// `items` items and `input`.
    pub(crate) fn child_started(&self, index: usize, name: String, items: u64, input: &serde_json::Value, now: DateTime<Utc>) {
        let mut p = lock(&self.progress);
        p.items.running += items;
        p.executions.running += 1;
        // A child redriven starts again in its place, under its name: a
        // STANDARD one whose events were kept goes on after them, as AWS
        // redrives it, with its input as it was; another starts anew.
        let again = p.redriving.remove(&index);
        if let Some(old) = again.and_then(|a| p.children.get_mut(a.at?)).filter(|c| matches!(c.history, ChildHistory::Kept(_))) {
            (old.status, old.stopped, old.ended) = (ChildStatus::Running, None, None);
            old.redrive_count += 1;
            old.redrive_date = Some(now);
            p.running.insert(index, Running { at: again.and_then(|a| a.at), items });
            return;
        }
        let input = p.keep(|| input.to_string(), String::len);
        let history = if self.processor.express_children { ChildHistory::Express } else { ChildHistory::Kept(Vec::new()) };
        let child = Child {
            name,
            status: ChildStatus::Running,
            started: now,
            stopped: None,
            items,
            input,
            ended: None,
            history,
            redrive_count: 0,
            redrive_date: None,
        };
        let at = match again {
            Some(a) => {
                if let Some(old) = a.at.and_then(|at| p.children.get_mut(at)) {
                    *old = child;
                }
                a.at
            }
            None if p.children.len() < MAX_LISTED_CHILDREN => {
                p.children.push(child);
                Some(p.children.len() - 1)
            }
            None => {
                p.children_not_listed += 1;
                None
            }
        };
        p.running.insert(index, Running { at, items });
    }

    /// The child at `index` has ended, with its output or failure (none
    /// when it was aborted).
    pub(crate) fn child_ended(&self, index: usize, outcome: Option<&Result<serde_json::Value, crate::Failure>>, now: DateTime<Utc>) {
        let mut p = lock(&self.progress);
        let Some(Running { at, items }) = p.running.remove(&index) else { return };
        let status = match outcome {
            None => ChildStatus::Aborted,
            Some(Ok(_)) => ChildStatus::Succeeded,
            Some(Err(_)) => ChildStatus::Failed,
        };
        p.items.running -= items;
        p.executions.running -= 1;
        *p.items.ended_mut(status) += items;
        *p.executions.ended_mut(status) += 1;
        let Some(at) = at else { return };
        let ended = outcome.and_then(|o| {
            let ended = || match o {
                Ok(output) => Ended::Output(output.to_string()),
                Err(f) => Ended::Failed { error: f.error.clone(), cause: f.cause.clone() },
            };
            p.keep(ended, Ended::len)
        });
        // An aborted child's history ends as a stopped execution's does.
        if let (None, Some(ChildHistory::Kept(events))) = (outcome, p.children.get(at).map(|c| &c.history)) {
            use crate::history::{Details, Event, EventType};
            let last = events.len() as u64;
            let aborted = Event {
                id: last + 1,
                previous_event_id: last,
                timestamp: now,
                kind: EventType::ExecutionAborted,
                details: Details::Fields(vec![]),
            };
            p.keep_child_event(at, &aborted);
        }
        if let Some(child) = p.children.get_mut(at) {
            child.status = status;
            child.stopped = Some(now);
            child.ended = ended;
        }
    }

    /// The child at `index`, if it is being redriven with its events
    /// kept: those events, and its redrive count.
    pub(crate) fn redriven_child(&self, index: usize) -> Option<(Vec<serde_json::Value>, u64)> {
        let p = lock(&self.progress);
        let child = p.children.get(p.running.get(&index)?.at?)?;
        match &child.history {
            ChildHistory::Kept(events) if child.redrive_count > 0 => {
                Some((events.iter().filter_map(|e| serde_json::from_str(e).ok()).collect(), child.redrive_count))
            }
            _ => None,
        }
    }

    /// The child at `index` has recorded `event`: kept, as the API gives
    /// it, while the run's budget for children's data holds it; once it
    /// does not, the child's history is dropped whole (a history with
    /// events missing would mislead).
    pub(crate) fn child_event(&self, index: usize, event: &crate::history::Event) {
        let mut p = lock(&self.progress);
        let Some(at) = p.running.get(&index).and_then(|r| r.at) else { return };
        p.keep_child_event(at, event);
    }

    /// The ResultWriter has written the results of every child.
    pub(crate) fn results_written(&self) {
        let mut p = lock(&self.progress);
        let ended = |c: &Counts| c.succeeded + c.failed + c.timed_out + c.aborted;
        p.items.results_written = ended(&p.items);
        p.executions.results_written = ended(&p.executions);
    }

    /// The run, which ended FAILED or ABORTED, goes on (its execution
    /// was redriven): its children that did not succeed will start again,
    /// counted as pending until they do. Its redrive count now; `None`,
    /// the run left as it is, when it has been redriven
    /// [`MAX_REDRIVES`] times already.
    pub(crate) fn redriven(&self, now: DateTime<Utc>) -> Option<u64> {
        let mut guard = lock(&self.progress);
        let p = &mut *guard;
        if p.redrive_count >= MAX_REDRIVES {
            return None;
        }
        p.status = MapRunStatus::Running;
        p.stopped = None;
        p.redrive_count += 1;
        p.redrive_date = Some(now);
        for c in [&mut p.items, &mut p.executions] {
            (c.failed, c.timed_out, c.aborted, c.results_written) = (0, 0, 0, 0);
        }
        let again = p.children.iter().enumerate().filter(|(_, c)| c.status != ChildStatus::Succeeded);
        let again = again.filter_map(|(at, c)| Some((c.name.parse().ok()?, Running { at: Some(at), items: c.items }))).collect();
        p.redriving = again;
        Some(p.redrive_count)
    }

    /// The run has ended SUCCEEDED or FAILED: the children still running
    /// (a failure stopped the rest) end ABORTED; those a redrive did not
    /// start again keep how they ended before.
    pub(crate) fn ended(&self, status: MapRunStatus, now: DateTime<Utc>) {
        let mut p = lock(&self.progress);
        if p.status != MapRunStatus::Running {
            return;
        }
        for (_, again) in std::mem::take(&mut p.redriving) {
            let before = again.at.and_then(|at| p.children.get(at)).map_or(ChildStatus::Failed, |c| c.status);
            *p.items.ended_mut(before) += again.items;
            *p.executions.ended_mut(before) += 1;
        }
        let running: Vec<usize> = p.running.keys().copied().collect();
        drop(p);
        for index in running {
            self.child_ended(index, None, now);
        }
        let mut p = lock(&self.progress);
        p.status = status;
        p.stopped = Some(now);
    }

    /// Ends a run still running ABORTED.
    pub fn abort(&self, now: DateTime<Utc>) {
        self.ended(MapRunStatus::Aborted, now);
    }
}

/// A Map Run's settings, as the Map gave them or UpdateMapRun changed them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// At most how many children run at once (0: as many as AWS allows).
    pub max_concurrency: u64,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MapRunStatus {
    #[default]
    Running,
    Succeeded,
    Failed,
    Aborted,
}

impl MapRunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MapRunStatus::Running => "RUNNING",
            MapRunStatus::Succeeded => "SUCCEEDED",
            MapRunStatus::Failed => "FAILED",
            MapRunStatus::Aborted => "ABORTED",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChildStatus {
    Running,
    Succeeded,
    Failed,
    Aborted,
}

impl ChildStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChildStatus::Running => "RUNNING",
            ChildStatus::Succeeded => "SUCCEEDED",
            ChildStatus::Failed => "FAILED",
            ChildStatus::Aborted => "ABORTED",
        }
    }
}

/// Items or child executions by status, as DescribeMapRun counts them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub total: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub aborted: u64,
    pub results_written: u64,
}

impl Counts {
    /// Not started yet.
    pub fn pending(&self) -> u64 {
        self.total.saturating_sub(self.running + self.succeeded + self.failed + self.timed_out + self.aborted)
    }

    fn ended_mut(&mut self, status: ChildStatus) -> &mut u64 {
        match status {
            ChildStatus::Succeeded => &mut self.succeeded,
            ChildStatus::Failed => &mut self.failed,
            ChildStatus::Aborted => &mut self.aborted,
            ChildStatus::Running => &mut self.running,
        }
    }
}

/// A child execution, as ListExecutions by map run lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Child {
    pub name: String,
    pub status: ChildStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    /// How many items it processed (a batch's, or one).
    pub items: u64,
    /// Its input as JSON text, if the run kept it (see [`MAX_KEPT_CHILD_DATA`]).
    pub input: Option<String>,
    /// Its output or failure, if it ended and the run kept it.
    pub ended: Option<Ended>,
    #[serde(default)]
    pub history: ChildHistory,
    /// How many times a redrive of its Map Run went on with it, and when last.
    #[serde(default)]
    pub redrive_count: u64,
    #[serde(default)]
    pub redrive_date: Option<DateTime<Utc>>,
}

/// A child's events, as GetExecutionHistory gives them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub enum ChildHistory {
    /// Each event's API JSON text, so far.
    Kept(Vec<String>),
    /// An EXPRESS child: AWS keeps no history of it.
    Express,
    /// Past the run's budget for children's data (see [`MAX_KEPT_CHILD_DATA`]).
    #[default]
    NotKept,
}

/// How a child ended, as DescribeExecution tells it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Ended {
    Output(String),
    Failed { error: String, cause: Option<String> },
}

impl Ended {
    fn len(&self) -> usize {
        match self {
            Ended::Output(o) => o.len(),
            Ended::Failed { error, cause } => error.len() + cause.as_ref().map_or(0, String::len),
        }
    }
}

/// Where a running child is listed (if it is) and how many items it has.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Running {
    at: Option<usize>,
    items: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    pub status: MapRunStatus,
    pub stopped: Option<DateTime<Utc>>,
    pub settings: Settings,
    pub items: Counts,
    pub executions: Counts,
    /// The children in the order they started, the first
    /// [`MAX_LISTED_CHILDREN`].
    pub children: Vec<Child>,
    pub children_not_listed: u64,
    /// Bytes of the children's data kept, at most [`MAX_KEPT_CHILD_DATA`].
    kept_bytes: usize,
    /// The children running, by index: kept with the rest, so that a run
    /// read back from sfc serve's data directory can still end them.
    running: HashMap<usize, Running>,
    /// How many times the run was redriven, and when last.
    #[serde(default)]
    pub redrive_count: u64,
    #[serde(default)]
    pub redrive_date: Option<DateTime<Utc>>,
    /// The children a redrive starts again that have not yet started, by index.
    #[serde(default)]
    redriving: HashMap<usize, Running>,
}

impl Progress {
    /// Whether the child named `name` waits for the run's redrive to
    /// start it again.
    pub fn waits_for_redrive(&self, name: &str) -> bool {
        name.parse().is_ok_and(|index: usize| self.redriving.contains_key(&index))
    }

    /// Child executions, and their items, waiting to be redriven.
    pub fn pending_redrive(&self) -> (u64, u64) {
        (self.redriving.len() as u64, self.redriving.values().map(|r| r.items).sum())
    }

    /// Keeps `event` in the history of the child at `at` (events as the
    /// API gives them), if it keeps one: within the budget, or the child's
    /// history is dropped whole.
    fn keep_child_event(&mut self, at: usize, event: &crate::history::Event) {
        if !matches!(self.children.get(at).map(|c| &c.history), Some(ChildHistory::Kept(_))) {
            return;
        }
        let kept = self.keep(|| event.to_api_json().to_string(), String::len);
        let Some(child) = self.children.get_mut(at) else { return };
        match kept {
            Some(text) => {
                if let ChildHistory::Kept(events) = &mut child.history {
                    events.push(text);
                }
            }
            None => child.history = ChildHistory::NotKept,
        }
    }

    /// `data`, if the run's budget for children's data still holds it.
    fn keep<T>(&mut self, data: impl FnOnce() -> T, size: impl FnOnce(&T) -> usize) -> Option<T> {
        if self.kept_bytes >= MAX_KEPT_CHILD_DATA {
            return None;
        }
        let data = data();
        let size = size(&data);
        (self.kept_bytes + size <= MAX_KEPT_CHILD_DATA).then(|| {
            self.kept_bytes += size;
            data
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Map Run just started, in its execution's list, and the time.
    fn started() -> (MapRuns, Arc<MapRun>, DateTime<Utc>) {
        let runs = MapRuns::default();
        let now = Utc::now();
        let processor = ProcessorInfo { state_machine_arn: "sm".into(), ..ProcessorInfo::default() };
        let run = runs.start("arn:aws:states:r:1:mapRun:m/L:id".into(), None, processor, now, Settings::default());
        (runs, run, now)
    }

    #[test]
    fn counts_follow_children_and_an_end_aborts_the_running_ones() {
        let (runs, run, now) = started();
        run.set_totals(5, 3);
        run.child_started(0, "a".into(), 2, &serde_json::json!([1, 2]), now);
        run.child_started(1, "b".into(), 2, &serde_json::json!([3, 4]), now);
        run.child_ended(0, Some(&Ok(serde_json::json!("done"))), now);
        run.read(|p| {
            assert_eq!((p.items.pending(), p.items.running, p.items.succeeded), (1, 2, 2));
            assert_eq!((p.executions.pending(), p.executions.running, p.executions.succeeded), (1, 1, 1));
        });
        run.ended(MapRunStatus::Failed, now);
        run.read(|p| {
            assert_eq!((p.status, p.items.aborted, p.executions.aborted, p.executions.running), (MapRunStatus::Failed, 2, 1, 0));
            assert_eq!(p.children[1].status, ChildStatus::Aborted);
            assert_eq!(p.children[0].input.as_deref(), Some("[1,2]"));
            assert!(matches!(&p.children[0].ended, Some(Ended::Output(o)) if o == "\"done\""));
            assert!(p.children[1].ended.is_none());
        });
        // An ended run is not changed again, nor updated.
        run.abort(now);
        assert_eq!(run.read(|p| p.status), MapRunStatus::Failed);
        assert!(!run.update(|s| s.max_concurrency = 1));
        assert_eq!(runs.find(&run.arn).map(|r| r.settings().max_concurrency), Some(0));
    }

    /// Children's data is kept to the budget; the counts go on beyond it.
    #[test]
    fn children_data_is_kept_within_its_budget() {
        let (_runs, run, now) = started();
        let big = serde_json::Value::String("x".repeat(MAX_KEPT_CHILD_DATA / 3));
        for i in 0..4 {
            run.child_started(i, i.to_string(), 1, &big, now);
        }
        run.read(|p| {
            let kept: Vec<bool> = p.children.iter().map(|c| c.input.is_some()).collect();
            assert_eq!(kept, [true, true, false, false]);
            assert!(p.kept_bytes <= MAX_KEPT_CHILD_DATA);
            assert_eq!(p.executions.running, 4);
        });
    }

    /// A run read back (sfc serve's data directory) still ends its
    /// running children when it is aborted.
    #[test]
    fn a_run_read_back_aborts_its_running_children() {
        let (_runs, run, now) = started();
        run.set_totals(1, 1);
        run.child_started(0, "0".into(), 1, &serde_json::json!(1), now);
        let text = serde_json::to_string(&*run).unwrap();
        let back = MapRuns::restored(vec![serde_json::from_str(&text).unwrap()]);
        back.abort_running(now);
        back.list()[0].read(|p| {
            assert_eq!((p.status, p.executions.running, p.executions.aborted), (MapRunStatus::Aborted, 0, 1));
            assert_eq!(p.children[0].status, ChildStatus::Aborted);
        });
    }

    /// A child's events are kept as the API gives them; once the run's
    /// budget is spent, its history is dropped whole, the others' stay.
    #[test]
    fn a_childs_history_is_kept_whole_or_not_at_all() {
        use crate::history::{Details, Event, EventType, Field};
        let (_runs, run, now) = started();
        let event = |id, input: String| Event {
            id,
            previous_event_id: id - 1,
            timestamp: now,
            kind: EventType::ExecutionStarted,
            details: Details::Fields(vec![("input", Field::Text(input))]),
        };
        run.child_started(0, "0".into(), 1, &serde_json::json!(0), now);
        run.child_started(1, "1".into(), 1, &serde_json::json!(1), now);
        run.child_event(0, &event(1, "small".into()));
        run.child_event(1, &event(1, "x".repeat(MAX_KEPT_CHILD_DATA / 2)));
        run.child_event(1, &event(2, "x".repeat(MAX_KEPT_CHILD_DATA / 2)));
        run.read(|p| {
            let ChildHistory::Kept(events) = &p.children[0].history else { panic!("child 0's history not kept") };
            let e: serde_json::Value = serde_json::from_str(&events[0]).unwrap();
            assert_eq!((e["id"].as_u64(), e["executionStartedEventDetails"]["input"].as_str()), (Some(1), Some("small")));
            assert!(matches!(p.children[1].history, ChildHistory::NotKept));
        });
        // Events of a child that has ended, or was never started, are not kept.
        run.child_ended(0, Some(&Ok(serde_json::json!(0))), now);
        run.child_event(0, &event(2, "late".into()));
        run.child_event(7, &event(1, "unknown".into()));
        run.read(|p| assert!(matches!(&p.children[0].history, ChildHistory::Kept(e) if e.len() == 1)));
    }

    /// A redrive starts the children that did not succeed again in their
    /// places; those it does not reach keep how they ended.
    #[test]
    fn a_redriven_run_starts_its_unsuccessful_children_again() {
        let (_runs, run, now) = started();
        run.set_totals(3, 3);
        for i in 0..3 {
            run.child_started(i, i.to_string(), 1, &serde_json::json!(i), now);
        }
        run.child_ended(0, Some(&Ok(serde_json::json!(0))), now);
        run.child_ended(1, Some(&Err(crate::Failure::new("E", "c"))), now);
        run.ended(MapRunStatus::Failed, now);
        assert_eq!(run.read(|p| (p.executions.succeeded, p.executions.failed, p.executions.aborted)), (1, 1, 1));

        assert_eq!(run.redriven(now), Some(1));
        run.read(|p| {
            let waiting: Vec<bool> = ["0", "1", "2"].iter().map(|n| p.waits_for_redrive(n)).collect();
            assert_eq!(waiting, [false, true, true]);
            assert_eq!((p.status, p.executions.pending(), p.executions.failed, p.pending_redrive()), (MapRunStatus::Running, 2, 0, (2, 2)));
        });
        run.child_started(1, "1".into(), 1, &serde_json::json!(1), now);
        assert!(!run.read(|p| p.waits_for_redrive("1")));
        run.child_ended(1, Some(&Err(crate::Failure::new("E", "again"))), now);
        run.ended(MapRunStatus::Failed, now);
        run.read(|p| {
            assert_eq!(p.children.len(), 3, "a child redriven keeps its place");
            assert!(matches!(&p.children[1].ended, Some(Ended::Failed { cause: Some(c), .. }) if c == "again"));
            let counts = (p.executions.succeeded, p.executions.failed, p.executions.aborted, p.executions.pending());
            assert_eq!((counts, p.pending_redrive(), p.redrive_count), ((1, 1, 1, 0), (0, 0), 1));
        });
    }

    #[test]
    fn a_child_arn_is_its_map_runs_with_its_name() {
        assert_eq!(child_execution_arn("arn:aws:states:r:1:mapRun:m/L:id", "7"), "arn:aws:states:r:1:execution:m/L:id:7");
    }
}
