//! Clauses that follow a state, a Map's options, and a Task's resource
//! checked against the service-integration catalogue.

use super::{Handler, Lowerer};
use crate::lang::ast::*;
use crate::lang::values::Lowered;
use serde_json::{json, Map, Value as Json};
use sfc_asl::integrations;

impl Lowerer<'_> {
    pub(super) fn resource(&mut self, r: &Spanned<Resource>, args: Option<&Value>) -> String {
        match &r.node {
            Resource::Arn(a) => self.values.interpolate(a, &r.span),
            Resource::Sdk(s) => format!("arn:aws:states:::{s}"),
            Resource::Integration(text) => match integrations::lookup(text) {
                Err(msg) => {
                    self.error(
                        &r.span,
                        msg,
                        "write a typed integration such as batch.submitJob.sync, aws-sdk:service:action, or a quoted ARN",
                    );
                    String::new()
                }
                Ok((i, pattern)) => {
                    let members: Vec<&(Spanned<String>, Value)> = match args.map(|a| &a.node) {
                        Some(ValueKind::Object(members)) => members.iter().collect(),
                        _ => Vec::new(),
                    };
                    for (k, v) in &members {
                        match i.kind_of(&k.node) {
                            None => {
                                let known: Vec<String> = i.names().iter().map(|s| s.to_string()).collect();
                                let help = match sfc_asl::suggest::closest(&k.node, &known) {
                                    Some(c) => format!("did you mean `{c}`?"),
                                    None => format!("{} takes {}", i.name, i.names().join(", ")),
                                };
                                self.error(&k.span, format!("`{}` is not a parameter of {}", k.node, i.name), help);
                            }
                            Some(kind) if !literal_admits(kind, &v.node) => {
                                let what = format!("`{}` of {} takes {}", k.node, i.name, kind.described());
                                self.error(&v.span, what, format!("AWS rejects any other JSON type for {}", k.node));
                            }
                            Some(_) => {}
                        }
                    }
                    let given: Vec<String> = members.iter().map(|(k, _)| k.node.clone()).collect();
                    let missing: Vec<&str> = i.required.iter().copied().filter(|req| !given.iter().any(|g| g == req)).collect();
                    if !missing.is_empty() {
                        let span = args.map(|a| a.span.clone()).unwrap_or_else(|| r.span.clone());
                        self.error(
                            &span,
                            format!("`{}` needs {}", i.name, missing.join(", ")),
                            format!("AWS requires {} for {}", i.required.join(", "), i.name),
                        );
                    }
                    integrations::arn(i, pattern)
                }
            },
        }
    }

    pub(super) fn fail_field(&mut self, st: &mut Json, field: &str, v: &Value) {
        match self.values.lower(v) {
            Lowered::Dynamic(p) => st[format!("{field}Path")] = p.into(),
            Lowered::Constant(c) => st[field] = c,
        }
    }

    pub(super) fn map_options(&mut self, st: &mut Json, processor: &mut Json, options: &[Clause]) {
        for o in options {
            match &o.kind {
                ClauseKind::Concurrency(Amount::Fixed(n)) => st["MaxConcurrency"] = (*n).into(),
                ClauseKind::Concurrency(Amount::Path(p)) => st["MaxConcurrencyPath"] = p.clone().into(),
                ClauseKind::ItemSelector(v) => st["ItemSelector"] = self.values.template(v),
                ClauseKind::Distributed(kind) => processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": kind}),
                ClauseKind::Reader { resource, args, config } => {
                    let mut r = json!({"Resource": self.resource(resource, None), "Parameters": self.values.template(args)});
                    if let Some(c) = config {
                        r["ReaderConfig"] = self.values.template(c);
                    }
                    st["ItemReader"] = r;
                }
                ClauseKind::Batcher(v) => st["ItemBatcher"] = self.values.template(v),
                ClauseKind::Writer { resource, args } => {
                    st["ResultWriter"] = json!({"Resource": self.resource(resource, None), "Parameters": self.values.template(args)})
                }
                ClauseKind::Tolerate { count: Some(Amount::Fixed(n)), .. } => st["ToleratedFailureCount"] = (*n).into(),
                ClauseKind::Tolerate { count: Some(Amount::Path(p)), .. } => st["ToleratedFailureCountPath"] = p.clone().into(),
                ClauseKind::Tolerate { percent: Some(p), .. } => st["ToleratedFailurePercentage"] = json!(p),
                ClauseKind::Label(l) => st["Label"] = l.clone().into(),
                _ => {}
            }
        }
        if st.get("ItemReader").is_some() || st.get("ResultWriter").is_some() {
            st.as_object_mut().map(|m| m.remove("ItemsPath"));
        }
    }

    /// The clauses that follow a state, checked against what the state can take.
    pub(super) fn clauses(&mut self, st: &mut Json, clauses: &[Clause], kind: &str) {
        let can_fail = matches!(kind, "Task" | "Parallel" | "Map");
        let mut retries = Vec::new();
        for c in clauses {
            let allowed = allowed(&c.kind, kind);
            if let Err(help) = allowed {
                self.error(&c.span, format!("{} does not apply to {kind} states", clause_name(&c.kind)), help);
                continue;
            }
            match &c.kind {
                ClauseKind::Comment(t) => st["Comment"] = t.clone().into(),
                ClauseKind::Timeout(Amount::Fixed(n)) | ClauseKind::Heartbeat(Amount::Fixed(n)) if *n == 0 => {
                    self.error(&c.span, "a timeout of 0 seconds never lets the task run", "use at least 1s");
                }
                ClauseKind::Timeout(Amount::Fixed(n)) => st["TimeoutSeconds"] = (*n).into(),
                ClauseKind::Timeout(Amount::Path(p)) => st["TimeoutSecondsPath"] = p.clone().into(),
                ClauseKind::Heartbeat(Amount::Fixed(n)) => st["HeartbeatSeconds"] = (*n).into(),
                ClauseKind::Heartbeat(Amount::Path(p)) => st["HeartbeatSecondsPath"] = p.clone().into(),
                ClauseKind::Retry(r) if can_fail => retries.push(retrier(r)),
                ClauseKind::Retry(_) => {}
                ClauseKind::Input(p) => st["InputPath"] = p.clone().map_or(Json::Null, Json::String),
                ClauseKind::Parameters(v) => st["Parameters"] = self.values.template(v),
                ClauseKind::Result(v) => st["Result"] = self.values.template(v),
                ClauseKind::Select(v) => st["ResultSelector"] = self.values.template(v),
                ClauseKind::ResultPath(p) => st["ResultPath"] = p.clone().map_or(Json::Null, Json::String),
                ClauseKind::Output(p) => st["OutputPath"] = p.clone().map_or(Json::Null, Json::String),
                ClauseKind::Assign(v) => st["Assign"] = self.values.template(v),
                ClauseKind::Credentials(v) => st["Credentials"] = self.values.template(v),
                ClauseKind::Query(q) => st["QueryLanguage"] = (if q == "jsonata" { "JSONata" } else { "JSONPath" }).into(),
                ClauseKind::Arguments(v) => st["Arguments"] = self.values.template(v),
                ClauseKind::Emit(v) => st["Output"] = self.values.template(v),
                _ => {}
            }
        }
        if !retries.is_empty() {
            st["Retry"] = Json::Array(retries);
        }
    }
}

fn retrier(r: &Retry) -> Json {
    let mut m = Map::new();
    m.insert("ErrorEquals".into(), r.errors.iter().map(|e| Json::String(e.node.clone())).collect());
    if let Some(i) = r.interval {
        m.insert("IntervalSeconds".into(), i.into());
    }
    if let Some(a) = r.attempts {
        m.insert("MaxAttempts".into(), a.into());
    }
    if let Some(b) = &r.backoff {
        m.insert("BackoffRate".into(), Json::Number(b.clone()));
    }
    if let Some(d) = r.max_delay {
        m.insert("MaxDelaySeconds".into(), d.into());
    }
    if r.jitter {
        m.insert("JitterStrategy".into(), "FULL".into());
    }
    Json::Object(m)
}

/// Whether a clause applies to a state type; the error says what to do.
fn allowed(c: &ClauseKind, kind: &str) -> Result<(), String> {
    let ok = field_of(c).is_some_and(|f| sfc_asl::fields::field(kind, f).is_some());
    if ok {
        return Ok(());
    }
    Err(match c {
        ClauseKind::Retry(_) => format!("a {kind} state cannot fail, so there is nothing to retry; remove the retry"),
        ClauseKind::Timeout(_) | ClauseKind::Heartbeat(_) => "only tasks time out; the workflow's timeout goes in its header".into(),
        _ => "see docs/language.md for the clauses each statement takes".into(),
    })
}

/// The ASL field a general clause sets; whether a state type takes it is
/// the state-field catalogue's answer (`sfc_asl::fields`).
fn field_of(c: &ClauseKind) -> Option<&'static str> {
    Some(match c {
        ClauseKind::Comment(_) => "Comment",
        ClauseKind::Query(_) => "QueryLanguage",
        ClauseKind::Timeout(_) => "TimeoutSeconds",
        ClauseKind::Heartbeat(_) => "HeartbeatSeconds",
        ClauseKind::Credentials(_) => "Credentials",
        ClauseKind::Retry(_) => "Retry",
        ClauseKind::Select(_) => "ResultSelector",
        ClauseKind::Input(_) => "InputPath",
        ClauseKind::Output(_) => "OutputPath",
        ClauseKind::Emit(_) => "Output",
        ClauseKind::Parameters(_) => "Parameters",
        ClauseKind::ResultPath(_) => "ResultPath",
        ClauseKind::Result(_) => "Result",
        ClauseKind::Assign(_) => "Assign",
        ClauseKind::Arguments(_) => "Arguments",
        _ => return None,
    })
}

fn clause_name(c: &ClauseKind) -> &'static str {
    match c {
        ClauseKind::Comment(_) => "`comment`",
        ClauseKind::Timeout(_) => "`timeout`",
        ClauseKind::Heartbeat(_) => "`heartbeat`",
        ClauseKind::Retry(_) => "`retry`",
        ClauseKind::Input(_) => "`input`",
        ClauseKind::Parameters(_) => "`parameters`",
        ClauseKind::Result(_) => "`result`",
        ClauseKind::Select(_) => "`select`",
        ClauseKind::ResultPath(_) => "`into`",
        ClauseKind::Output(_) => "`output`",
        ClauseKind::Assign(_) => "`assign`",
        ClauseKind::Credentials(_) => "`credentials`",
        ClauseKind::Query(_) => "`query`",
        ClauseKind::Arguments(_) => "`arguments`",
        ClauseKind::Emit(_) => "`emit`",
        _ => "this clause",
    }
}

/// `Next` or `End: true`.
pub(super) fn flow(st: &mut Json, next: &Option<String>) {
    match next {
        Some(n) => st["Next"] = n.clone().into(),
        None => st["End"] = true.into(),
    }
}

/// Catch entries from the enclosing `try` blocks, innermost first.
pub(super) fn catches(st: &mut Json, handlers: &[Handler]) {
    if handlers.is_empty() {
        return;
    }
    let list: Vec<Json> = handlers
        .iter()
        .map(|h| {
            let mut c = json!({"ErrorEquals": h.errors});
            if let Some(p) = &h.result_path {
                c["ResultPath"] = p.clone().into();
            }
            c["Next"] = h.next.clone().into();
            c
        })
        .collect();
    st["Catch"] = Json::Array(list);
}

/// Whether a written value can be of `kind`: its literal type where it is
/// a literal; a path, call or parameter is only known at run time.
fn literal_admits(kind: integrations::Kind, v: &ValueKind) -> bool {
    use integrations::Kind;
    match v {
        ValueKind::Null | ValueKind::Path(_) | ValueKind::Call { .. } | ValueKind::Param(_) => true,
        _ if kind == Kind::Any => true,
        ValueKind::Str(_) => kind == Kind::Str,
        ValueKind::Number(n) => kind == Kind::Int && (n.is_i64() || n.is_u64()),
        ValueKind::Bool(_) => kind == Kind::Bool,
        ValueKind::Array(_) => kind == Kind::List,
        ValueKind::Object(_) => kind == Kind::Object,
    }
}
