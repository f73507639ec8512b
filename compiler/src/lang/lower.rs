//! Syntax tree to ASL. States run in source order, so `Next` and `End` are
//! inferred: a block is lowered back to front, each statement learning the
//! state that follows it. Control flow becomes Choice states.

use super::ast::*;
use super::values::{Lowered, Values};
use crate::diag::Diagnostic;
use serde_json::{json, Map, Value as Json};
use sfc_asl::integrations;
use std::collections::{HashMap, HashSet};

/// A handler of a `try`: which errors, where the error goes, and the
/// handler's first state.
#[derive(Clone)]
struct Handler {
    errors: Vec<String>,
    result_path: Option<String>,
    next: String,
}

pub(super) struct Lowerer<'p> {
    pub values: Values<'p>,
    /// (source position, tie-breaker, name, state) — sorted into source order at the end.
    states: Vec<(usize, usize, String, Json)>,
    names: HashMap<String, std::ops::Range<usize>>,
    auto: HashMap<usize, String>,
    gotos: Vec<Spanned<String>>,
    /// Every name a `goto` jumps to: a state after a `goto` is reachable
    /// when it is one of them.
    jump_targets: HashSet<String>,
    done_state: Option<String>,
    /// Spans of imported statements, and where their import stands: they
    /// are listed in the machine at the import.
    imported: Vec<(std::ops::Range<usize>, usize)>,
}

impl<'p> Lowerer<'p> {
    pub fn new(params: &'p HashMap<String, Json>, imported: Vec<(std::ops::Range<usize>, usize)>) -> Self {
        Lowerer {
            values: Values { params, diags: Vec::new() },
            states: Vec::new(),
            names: HashMap::new(),
            auto: HashMap::new(),
            gotos: Vec::new(),
            jump_targets: HashSet::new(),
            done_state: None,
            imported,
        }
    }

    fn error(&mut self, span: &Span, msg: impl Into<String>, help: impl Into<String>) {
        let mut d = Diagnostic::error("SEMANTIC", msg).with_help(help);
        d.span = Some(span.clone());
        self.values.diags.push(d);
    }

    /// Lowers the body and returns the ASL machine (without header fields)
    /// and every diagnostic.
    pub fn machine(mut self, body: &[Stmt]) -> (Json, Vec<Diagnostic>) {
        self.name_states(body);
        let start = self.block(body, None, &[]);
        for g in std::mem::take(&mut self.gotos) {
            if !self.names.contains_key(&g.node) {
                let known: Vec<String> = self.names.keys().cloned().collect();
                let help = match crate::suggest::closest(&g.node, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "goto names a state of this workflow".into(),
                };
                self.error(&g.span, format!("goto target `{}` is not a state of this workflow", g.node), help);
            }
        }
        self.states.sort_by_key(|(pos, tie, _, _)| (*pos, *tie));
        let mut states = Map::new();
        for (_, _, name, state) in self.states {
            states.insert(name, state);
        }
        let start = start.unwrap_or_else(|| "Done".into());
        if states.is_empty() {
            states.insert("Done".into(), json!({"Type": "Succeed"}));
        }
        (json!({"StartAt": start, "States": states}), self.values.diags)
    }

    /// Gives every state its name before lowering: explicit names are
    /// checked for duplicates, unnamed states get `Kind` or `Kind_2`, ...
    fn name_states(&mut self, stmts: &[Stmt]) {
        let mut used: HashSet<String> = HashSet::new();
        let mut all = Vec::new();
        collect(stmts, &mut all);
        self.jump_targets = all.iter().filter_map(|s| if let StmtKind::Goto(t) = &s.kind { Some(t.node.clone()) } else { None }).collect();
        for s in &all {
            if let Some(n) = s.name().cloned() {
                if self.names.contains_key(&n.node) {
                    let span = n.span.clone();
                    self.error(
                        &span,
                        format!("duplicate state name `{}`", n.node),
                        "state names are unique in the whole workflow, branches included; rename one of them",
                    );
                } else {
                    self.names.insert(n.node.clone(), n.span.clone());
                    used.insert(n.node.clone());
                }
            }
        }
        for s in &all {
            if s.name().is_none() {
                if let Some(base) = default_name(s) {
                    let mut name = base.clone();
                    let mut i = 2;
                    while used.contains(&name) {
                        name = format!("{base}_{i}");
                        i += 1;
                    }
                    used.insert(name.clone());
                    self.names.insert(name.clone(), s.span.clone());
                    self.auto.insert(s.span.start, name);
                }
            }
        }
    }

    fn name_of(&self, s: &Stmt) -> String {
        s.name().map(|n| n.node.clone()).or_else(|| self.auto.get(&s.span.start).cloned()).unwrap_or_default()
    }

    fn push(&mut self, s: &Stmt, name: String, state: Json) {
        let at = s.span.start;
        let key = match self.imported.iter().find(|(r, _)| r.contains(&at)) {
            Some((_, import_at)) => (*import_at, at),
            None => (at, 0),
        };
        self.states.push((key.0, key.1, name, state));
    }

    /// The state that ends the workflow where a Choice needs a target.
    fn done(&mut self) -> String {
        if let Some(d) = &self.done_state {
            return d.clone();
        }
        let mut name = "Done".to_string();
        let mut i = 2;
        while self.names.contains_key(&name) {
            name = format!("Done_{i}");
            i += 1;
        }
        self.names.insert(name.clone(), 0..0);
        self.states.push((usize::MAX, 0, name.clone(), json!({"Type": "Succeed"})));
        self.done_state = Some(name.clone());
        name
    }

    /// Lowers a block; returns the name of its first state, or `next` when
    /// the block is empty.
    fn block(&mut self, stmts: &[Stmt], next: Option<String>, handlers: &[Handler]) -> Option<String> {
        // Code after a statement that never continues can never run.
        for pair in stmts.windows(2) {
            let jumped_to = pair[1].name().is_some_and(|n| self.jump_targets.contains(&n.node));
            if ends_flow(&pair[0]) && !jumped_to {
                let what = match pair[0].kind {
                    StmtKind::Goto(_) => "goto",
                    StmtKind::Succeed { .. } => "succeed",
                    _ => "fail",
                };
                let span = pair[1].span.clone();
                self.error(&span, format!("unreachable code after `{what}`"), "remove it, or give it a name and goto it");
            }
        }
        let mut cont = next;
        for s in stmts.iter().rev() {
            cont = self.stmt(s, cont, handlers);
        }
        cont
    }

    fn stmt(&mut self, s: &Stmt, next: Option<String>, handlers: &[Handler]) -> Option<String> {
        let name = self.name_of(s);
        match &s.kind {
            StmtKind::Import(_) => next,
            StmtKind::Goto(target) => {
                self.gotos.push(target.clone());
                Some(target.node.clone())
            }
            StmtKind::Pass { clauses, .. } => {
                let mut st = json!({"Type": "Pass"});
                self.clauses(&mut st, clauses, "Pass");
                flow(&mut st, &next);
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Succeed { clauses, .. } => {
                let mut st = json!({"Type": "Succeed"});
                self.clauses(&mut st, clauses, "Succeed");
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Fail { error, cause, clauses, .. } => {
                let mut st = json!({"Type": "Fail"});
                self.fail_field(&mut st, "Error", error);
                if let Some(c) = cause {
                    self.fail_field(&mut st, "Cause", c);
                }
                self.clauses(&mut st, clauses, "Fail");
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Wait { how, clauses, .. } => {
                let mut st = json!({"Type": "Wait"});
                match how {
                    WaitFor::Seconds(secs) => st["Seconds"] = secs.node.into(),
                    WaitFor::SecondsPath(p) => st["SecondsPath"] = p.clone().into(),
                    WaitFor::Until(v) => match self.values.lower(v) {
                        Lowered::Dynamic(p) => st["TimestampPath"] = p.into(),
                        Lowered::Constant(t) => st["Timestamp"] = t,
                    },
                }
                self.clauses(&mut st, clauses, "Wait");
                flow(&mut st, &next);
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Raw { state, .. } => {
                let mut st = self.values.template(state);
                if st.get("Type").is_none() {
                    self.error(&state.span, "a raw ASL state needs a Type", "write asl Name { Type: \"Pass\", ... }");
                }
                if st.get("Next").is_none()
                    && st.get("End").is_none()
                    && !matches!(st["Type"].as_str(), Some("Choice" | "Succeed" | "Fail"))
                {
                    flow(&mut st, &next);
                }
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Task { resource, args, clauses, .. } => {
                let mut st = json!({"Type": "Task"});
                st["Resource"] = self.resource(resource, args.as_ref()).into();
                if let Some(a) = args {
                    st["Parameters"] = self.values.template(a);
                }
                self.clauses(&mut st, clauses, "Task");
                catches(&mut st, handlers);
                flow(&mut st, &next);
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Parallel { branches, clauses, .. } => {
                let mut st = json!({"Type": "Parallel"});
                let mut bs = Vec::new();
                for b in branches {
                    let (m, diags) = self.sub_machine(b);
                    self.values.diags.extend(diags);
                    bs.push(m);
                }
                st["Branches"] = Json::Array(bs);
                self.clauses(&mut st, clauses, "Parallel");
                catches(&mut st, handlers);
                flow(&mut st, &next);
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Map { items, options, body, clauses, .. } => {
                let mut st = json!({"Type": "Map", "ItemsPath": items.node});
                let (mut processor, diags) = self.sub_machine(body);
                self.values.diags.extend(diags);
                self.map_options(&mut st, &mut processor, options);
                let mut p = Map::new();
                if let Some(cfg) = processor.get("ProcessorConfig") {
                    p.insert("ProcessorConfig".into(), cfg.clone());
                }
                p.insert("StartAt".into(), processor["StartAt"].clone());
                p.insert("States".into(), processor["States"].clone());
                st["ItemProcessor"] = Json::Object(p);
                self.clauses(&mut st, clauses, "Map");
                catches(&mut st, handlers);
                flow(&mut st, &next);
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::If { arms, otherwise, .. } => {
                let target = next.clone();
                let mut rules = Vec::new();
                for (cond, body) in arms {
                    let entry = self.block(body, target.clone(), handlers).unwrap_or_else(|| target.clone().unwrap_or_else(|| self.done()));
                    let mut rule = self.cond(cond);
                    rule["Next"] = entry.into();
                    rules.push(rule);
                }
                let default = match otherwise {
                    Some(body) => self.block(body, target.clone(), handlers),
                    None => target.clone(),
                }
                .unwrap_or_else(|| self.done());
                let st = json!({"Type": "Choice", "Choices": rules, "Default": default});
                self.push(s, name.clone(), st);
                Some(name)
            }
            StmtKind::Switch { on, cases, default, .. } => {
                let mut rules = Vec::new();
                for (lit, body) in cases {
                    let entry = self.block(body, next.clone(), handlers).unwrap_or_else(|| next.clone().unwrap_or_else(|| self.done()));
                    let cond = Cond::Compare {
                        path: on.node.clone(),
                        op: CmpOp::Eq,
                        operand: Operand::Literal(lit.clone()),
                        span: lit.span.clone(),
                    };
                    let mut rule = self.cond(&cond);
                    rule["Next"] = entry.into();
                    rules.push(rule);
                }
                let default = match default {
                    Some(body) => self.block(body, next.clone(), handlers),
                    None => next.clone(),
                }
                .unwrap_or_else(|| self.done());
                self.push(s, name.clone(), json!({"Type": "Choice", "Choices": rules, "Default": default}));
                Some(name)
            }
            StmtKind::While { cond, body, .. } => {
                let entry = self.block(body, Some(name.clone()), handlers).unwrap_or_else(|| name.clone());
                let mut rule = self.cond(cond);
                rule["Next"] = entry.into();
                let default = next.unwrap_or_else(|| self.done());
                self.push(s, name.clone(), json!({"Type": "Choice", "Choices": [rule], "Default": default}));
                Some(name)
            }
            StmtKind::Try { body, catches: cs } => {
                // Handlers first (they continue after the try), then the body
                // with their Catch attached to every state that can fail.
                let mut inner = handlers.to_vec();
                let mut mine = Vec::new();
                for c in cs {
                    let entry = self.block(&c.body, next.clone(), handlers).unwrap_or_else(|| next.clone().unwrap_or_else(|| self.done()));
                    mine.push(Handler {
                        errors: c.errors.iter().map(|e| e.node.clone()).collect(),
                        result_path: c.result_path.clone(),
                        next: entry,
                    });
                }
                // A try's own handlers are tried before the enclosing ones.
                mine.append(&mut inner);
                self.block(body, next, &mine)
            }
        }
    }

    /// A Parallel branch or Map processor.
    fn sub_machine(&mut self, body: &[Stmt]) -> (Json, Vec<Diagnostic>) {
        let saved = std::mem::take(&mut self.states);
        let saved_done = self.done_state.take();
        let start = self.block(body, None, &[]).unwrap_or_else(|| self.done());
        self.states.sort_by_key(|(pos, tie, _, _)| (*pos, *tie));
        let mut states = Map::new();
        for (_, _, name, st) in std::mem::replace(&mut self.states, saved) {
            states.insert(name, st);
        }
        self.done_state = saved_done;
        (json!({"StartAt": start, "States": states}), Vec::new())
    }

    fn resource(&mut self, r: &Spanned<Resource>, args: Option<&Value>) -> String {
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
                    let members: Vec<&Spanned<String>> = match args.map(|a| &a.node) {
                        Some(ValueKind::Object(members)) => members.iter().map(|(k, _)| k).collect(),
                        _ => Vec::new(),
                    };
                    for k in &members {
                        if !i.known.contains(&k.node.as_str()) {
                            let known: Vec<String> = i.known.iter().map(|s| s.to_string()).collect();
                            let help = match crate::suggest::closest(&k.node, &known) {
                                Some(c) => format!("did you mean `{c}`?"),
                                None => format!("{} takes {}", i.name, i.known.join(", ")),
                            };
                            let span = k.span.clone();
                            self.error(&span, format!("`{}` is not a parameter of {}", k.node, i.name), help);
                        }
                    }
                    let given: Vec<String> = members.iter().map(|k| k.node.clone()).collect();
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

    fn fail_field(&mut self, st: &mut Json, field: &str, v: &Value) {
        match self.values.lower(v) {
            Lowered::Dynamic(p) => st[format!("{field}Path")] = p.into(),
            Lowered::Constant(c) => st[field] = c,
        }
    }

    fn cond(&mut self, c: &Cond) -> Json {
        match c {
            Cond::And(parts) => json!({"And": parts.iter().map(|p| self.cond(p)).collect::<Vec<_>>()}),
            Cond::Or(parts) => json!({"Or": parts.iter().map(|p| self.cond(p)).collect::<Vec<_>>()}),
            Cond::Not(inner) => json!({"Not": self.cond(inner)}),
            Cond::Matches { path, pattern } => json!({"Variable": path, "StringMatches": pattern}),
            Cond::Is { path, negated, kind } => {
                let op = match kind.as_str() {
                    "present" => "IsPresent",
                    "null" => "IsNull",
                    "string" => "IsString",
                    "number" => "IsNumeric",
                    "boolean" => "IsBoolean",
                    _ => "IsTimestamp",
                };
                json!({"Variable": path, op: !negated})
            }
            Cond::Compare { path, op, operand, span } => {
                let (family, value, is_path) = match operand {
                    Operand::Timestamp(t) => ("Timestamp", Json::String(t.clone()), false),
                    Operand::TypedPath { ty, path } => (family_of(ty), Json::String(path.clone()), true),
                    Operand::Literal(v) => {
                        let j = self.values.template(v);
                        let fam = match &j {
                            Json::String(_) => "String",
                            Json::Number(_) => "Numeric",
                            Json::Bool(_) => "Boolean",
                            _ => {
                                self.error(
                                    span,
                                    "compare with a string, a number, a boolean, timestamp \"...\" or a typed path",
                                    "for null write `is null`",
                                );
                                "String"
                            }
                        };
                        (fam, j, false)
                    }
                };
                if family == "Boolean" && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    self.error(span, "booleans compare only with == and !=", "write $.flag == true");
                }
                let base = match op {
                    CmpOp::Eq | CmpOp::Ne => "Equals",
                    CmpOp::Lt => "LessThan",
                    CmpOp::Le => "LessThanEquals",
                    CmpOp::Gt => "GreaterThan",
                    CmpOp::Ge => "GreaterThanEquals",
                };
                let operator = format!("{family}{base}{}", if is_path { "Path" } else { "" });
                let mut rule = Map::new();
                rule.insert("Variable".into(), Json::String(path.clone()));
                rule.insert(operator, value);
                let rule = Json::Object(rule);
                if *op == CmpOp::Ne {
                    json!({"Not": rule})
                } else {
                    rule
                }
            }
        }
    }

    fn map_options(&mut self, st: &mut Json, processor: &mut Json, options: &[Clause]) {
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
    fn clauses(&mut self, st: &mut Json, clauses: &[Clause], kind: &str) {
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
fn flow(st: &mut Json, next: &Option<String>) {
    match next {
        Some(n) => st["Next"] = n.clone().into(),
        None => st["End"] = true.into(),
    }
}

/// Catch entries from the enclosing `try` blocks, innermost first.
fn catches(st: &mut Json, handlers: &[Handler]) {
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

fn family_of(ty: &str) -> &'static str {
    match ty {
        "string" => "String",
        "number" => "Numeric",
        "boolean" => "Boolean",
        _ => "Timestamp",
    }
}

fn ends_flow(s: &Stmt) -> bool {
    matches!(s.kind, StmtKind::Goto(_) | StmtKind::Succeed { .. } | StmtKind::Fail { .. })
}

/// The name an unnamed state gets: its kind, or a task's action.
fn default_name(s: &Stmt) -> Option<String> {
    Some(match &s.kind {
        StmtKind::Pass { .. } => "Pass".into(),
        StmtKind::Wait { .. } => "Wait".into(),
        StmtKind::Succeed { .. } => "Succeed".into(),
        StmtKind::Fail { .. } => "Fail".into(),
        StmtKind::Parallel { .. } => "Parallel".into(),
        StmtKind::Map { .. } => "Map".into(),
        StmtKind::If { .. } => "If".into(),
        StmtKind::While { .. } => "While".into(),
        StmtKind::Switch { .. } => "Switch".into(),
        StmtKind::Task { resource, .. } => {
            let text = match &resource.node {
                Resource::Integration(t) | Resource::Sdk(t) => t.clone(),
                Resource::Arn(a) => a.rsplit(':').next().unwrap_or("Task").to_string(),
            };
            let action = text.split(['.', ':']).rfind(|p| *p != "sync" && *p != "waitForTaskToken").unwrap_or("Task").to_string();
            let mut c = action.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_else(|| "Task".into())
        }
        StmtKind::Goto(_) | StmtKind::Try { .. } | StmtKind::Raw { .. } | StmtKind::Import(_) => return None,
    })
}

/// Every statement, nested ones included, in source order.
fn collect<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for s in stmts {
        out.push(s);
        match &s.kind {
            StmtKind::If { arms, otherwise, .. } => {
                for (_, b) in arms {
                    collect(b, out);
                }
                if let Some(b) = otherwise {
                    collect(b, out);
                }
            }
            StmtKind::While { body, .. } | StmtKind::Map { body, .. } => collect(body, out),
            StmtKind::Switch { cases, default, .. } => {
                for (_, b) in cases {
                    collect(b, out);
                }
                if let Some(b) = default {
                    collect(b, out);
                }
            }
            StmtKind::Try { body, catches } => {
                collect(body, out);
                for c in catches {
                    collect(&c.body, out);
                }
            }
            StmtKind::Parallel { branches, .. } => {
                for b in branches {
                    collect(b, out);
                }
            }
            _ => {}
        }
    }
}
