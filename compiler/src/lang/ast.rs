//! The syntax tree of a workflow, with source spans for diagnostics.

use std::ops::Range;

pub type Span = Range<usize>;

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct File {
    pub header: Option<Header>,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// `check "..."` properties, for `sfc check`.
    pub checks: Vec<Spanned<String>>,
    /// `on ...` and `schedule ...`: what starts the deployed machine.
    pub triggers: Vec<Trigger>,
    /// `alarm on ...`
    pub alarms: Vec<Alarm>,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub kind: TriggerKind,
    pub name: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum TriggerKind {
    S3Created { bucket: Value, prefix: Option<Value> },
    Event(Value),
    Schedule { expression: Value, input: Option<Value> },
}

#[derive(Debug, Clone)]
pub struct Alarm {
    /// `failure`, `timeout` or `abort`.
    pub on: String,
    pub notify: Vec<Value>,
    pub name: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Header {
    pub name: Option<Spanned<String>>,
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Spanned<String>,
    pub value: Value,
}

/// A JSON-like value; paths, calls and `{% %}` strings are evaluated at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    /// Text with `${param}` still to fill in.
    Str(String),
    Path(String),
    Call {
        name: String,
        args: Vec<Value>,
    },
    Array(Vec<Value>),
    Object(Vec<(Spanned<String>, Value)>),
    Param(String),
}

pub type Value = Spanned<ValueKind>;

/// A statement: a state, or control flow made of states.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

impl Stmt {
    /// The name the source gives this statement's state, if any.
    pub fn name(&self) -> Option<&Spanned<String>> {
        match &self.kind {
            StmtKind::Pass { name, .. }
            | StmtKind::Task { name, .. }
            | StmtKind::Wait { name, .. }
            | StmtKind::Succeed { name, .. }
            | StmtKind::Fail { name, .. }
            | StmtKind::Parallel { name, .. }
            | StmtKind::Map { name, .. }
            | StmtKind::If { name, .. }
            | StmtKind::While { name, .. }
            | StmtKind::Switch { name, .. } => name.as_ref(),
            StmtKind::Raw { name, .. } => Some(name),
            StmtKind::Goto(_) | StmtKind::Try { .. } | StmtKind::Import(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum StmtKind {
    Pass {
        name: Option<Spanned<String>>,
        clauses: Vec<Clause>,
    },
    Task {
        name: Option<Spanned<String>>,
        resource: Spanned<Resource>,
        args: Option<Value>,
        clauses: Vec<Clause>,
    },
    Wait {
        name: Option<Spanned<String>>,
        how: WaitFor,
        clauses: Vec<Clause>,
    },
    Succeed {
        name: Option<Spanned<String>>,
        clauses: Vec<Clause>,
    },
    Fail {
        name: Option<Spanned<String>>,
        error: Value,
        cause: Option<Value>,
        clauses: Vec<Clause>,
    },
    Goto(Spanned<String>),
    /// `import "file.sfc"`: replaced by that file's statements before lowering.
    Import(Spanned<String>),
    Raw {
        name: Spanned<String>,
        state: Value,
    },
    If {
        arms: Vec<(Cond, Vec<Stmt>)>,
        otherwise: Option<Vec<Stmt>>,
        name: Option<Spanned<String>>,
    },
    While {
        cond: Cond,
        body: Vec<Stmt>,
        name: Option<Spanned<String>>,
    },
    Switch {
        on: Spanned<String>,
        cases: Vec<(Value, Vec<Stmt>)>,
        default: Option<Vec<Stmt>>,
        name: Option<Spanned<String>>,
    },
    Try {
        body: Vec<Stmt>,
        catches: Vec<Catch>,
    },
    Parallel {
        name: Option<Spanned<String>>,
        branches: Vec<Vec<Stmt>>,
        clauses: Vec<Clause>,
    },
    Map {
        name: Option<Spanned<String>>,
        items: Spanned<String>,
        options: Vec<Clause>,
        body: Vec<Stmt>,
        clauses: Vec<Clause>,
    },
}

#[derive(Debug, Clone)]
pub enum Resource {
    /// `service.action[.sync|.waitForTaskToken]`
    Integration(String),
    /// `aws-sdk:service:action`
    Sdk(String),
    /// A quoted ARN.
    Arn(String),
}

#[derive(Debug, Clone)]
pub enum WaitFor {
    Seconds(Spanned<u64>),
    SecondsPath(String),
    Until(Value),
}

#[derive(Debug, Clone)]
pub struct Catch {
    pub errors: Vec<Spanned<String>>,
    pub result_path: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// Options that follow a state (and Map options before its body).
#[derive(Debug, Clone)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ClauseKind {
    Comment(String),
    Timeout(Amount),
    Heartbeat(Amount),
    Retry(Retry),
    Input(Option<String>),
    Parameters(Value),
    Result(Value),
    Select(Value),
    ResultPath(Option<String>),
    Output(Option<String>),
    Assign(Value),
    Credentials(Value),
    Query(String),
    Arguments(Value),
    Emit(Value),
    Version(String),
    Concurrency(Amount),
    ItemSelector(Value),
    Distributed(String),
    Reader { resource: Spanned<Resource>, args: Value, config: Option<Value> },
    Batcher(Value),
    Writer { resource: Spanned<Resource>, args: Value },
    Tolerate { count: Option<Amount>, percent: Option<f64> },
    Label(String),
}

/// A number (seconds, or a count), or a path that holds one.
#[derive(Debug, Clone)]
pub enum Amount {
    Fixed(u64),
    Path(String),
}

#[derive(Debug, Clone, Default)]
pub struct Retry {
    pub errors: Vec<Spanned<String>>,
    pub interval: Option<u64>,
    pub attempts: Option<u64>,
    pub backoff: Option<serde_json::Number>,
    pub max_delay: Option<u64>,
    pub jitter: bool,
}

/// A Choice condition.
#[derive(Debug, Clone)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Compare { path: String, op: CmpOp, operand: Operand, span: Span },
    Is { path: String, negated: bool, kind: String },
    Matches { path: String, pattern: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
pub enum Operand {
    Literal(Value),
    Timestamp(String),
    TypedPath { ty: String, path: String },
}
