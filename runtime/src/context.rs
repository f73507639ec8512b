//! The context object (`$$`): execution, state machine, state, task token
//! and Map item.

use crate::paths::ContextSource;
use jsonata_core::value::{JMap, JValue};
use serde_json::{json, Map, Value};

/// Who and what an execution is: names and ARNs as AWS builds them.
#[derive(Debug, Clone)]
pub struct ExecutionInfo {
    pub machine_name: String,
    pub execution_name: String,
    pub region: String,
    pub account: String,
    pub role_arn: String,
    /// STANDARD or EXPRESS (express executions have another ARN shape).
    pub express: bool,
    /// `$$.Execution.RedriveCount`; AWS omits it for synchronous express
    /// executions (StartSyncExecution).
    pub redrive_count: Option<u64>,
    /// The id that ends an express execution's ARN.
    pub express_id: String,
    /// The version, and the alias, an execution was started through
    /// (StartExecution with a qualified ARN): its ExecutionStarted event
    /// names them.
    pub version_arn: Option<String>,
    pub alias_arn: Option<String>,
}

impl Default for ExecutionInfo {
    fn default() -> Self {
        ExecutionInfo {
            machine_name: "StateMachine".into(),
            execution_name: "local".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsLocal".into(),
            express: false,
            redrive_count: Some(0),
            express_id: uuid::Uuid::new_v4().to_string(),
            version_arn: None,
            alias_arn: None,
        }
    }
}

impl ExecutionInfo {
    pub fn machine_arn(&self) -> String {
        format!("arn:aws:states:{}:{}:stateMachine:{}", self.region, self.account, self.machine_name)
    }

    pub fn execution_arn(&self) -> String {
        let (region, account, machine, name) = (&self.region, &self.account, &self.machine_name, &self.execution_name);
        if self.express {
            format!("arn:aws:states:{region}:{account}:express:{machine}:{name}:{}", self.express_id)
        } else {
            format!("arn:aws:states:{region}:{account}:execution:{machine}:{name}")
        }
    }
}

/// The parts of the context that do not change during an execution.
pub fn base(info: &ExecutionInfo, input: Value, start_time: &str) -> Value {
    // Built by hand: `json!` copies a value put in it by serialising it,
    // and this one holds the execution's input.
    let mut execution = Map::new();
    execution.insert("Id".into(), info.execution_arn().into());
    execution.insert("Input".into(), input);
    execution.insert("StartTime".into(), start_time.into());
    execution.insert("Name".into(), info.execution_name.clone().into());
    execution.insert("RoleArn".into(), info.role_arn.clone().into());
    if let Some(n) = info.redrive_count {
        execution.insert("RedriveCount".into(), n.into());
    }
    let mut base = Map::new();
    base.insert("Execution".into(), Value::Object(execution));
    base.insert("StateMachine".into(), json!({"Id": info.machine_arn(), "Name": info.machine_name}));
    Value::Object(base)
}

/// The execution's part of the context object (`Execution`,
/// `StateMachine`), built the first time a state reads `$$`: most runs
/// never do, and building it costs a copy of the input.
#[derive(Debug)]
pub struct BaseContext<'i> {
    /// Borrowed from the run's options: an execution copies none of it.
    info: &'i ExecutionInfo,
    /// `$$.Execution.Input`; `None` when the machine cannot read the
    /// context (see [`crate::Prepared`]), which spares a copy of the input.
    /// Moved into the context when that is built.
    input: std::cell::RefCell<Option<Value>>,
    start_time: chrono::DateTime<chrono::Utc>,
    built: std::cell::OnceCell<Value>,
}

impl<'i> BaseContext<'i> {
    pub fn new(info: &'i ExecutionInfo, input: Option<Value>, start_time: chrono::DateTime<chrono::Utc>) -> Self {
        BaseContext { info, input: std::cell::RefCell::new(input), start_time, built: std::cell::OnceCell::new() }
    }

    pub fn get(&self) -> &Value {
        self.built.get_or_init(|| {
            let input = self.input.borrow_mut().take();
            debug_assert!(input.is_some(), "the context of a machine found unable to read it was read");
            base(self.info, input.unwrap_or(Value::Null), &crate::clock::format_time(self.start_time))
        })
    }

    pub fn info(&self) -> &ExecutionInfo {
        self.info
    }
}

/// `$$.Map.Item` of a Map iteration.
#[derive(Debug)]
pub struct MapItem {
    pub index: usize,
    pub value: Value,
}

impl MapItem {
    pub fn to_json(&self) -> Value {
        // Not `json!`, which would copy the value by serialising it.
        let mut item = serde_json::Map::with_capacity(2);
        item.insert("Index".into(), self.index.into());
        item.insert("Value".into(), self.value.clone());
        Value::Object(item)
    }

    /// `$$.Map.Item` + `rest` (`.Index`, `.Value.a`, ...), answered without
    /// building the item object for the two usual forms.
    fn query(&self, rest: &str) -> Result<Value, crate::paths::PathError> {
        if rest == ".Index" {
            return Ok(self.index.into());
        }
        match rest.strip_prefix(".Value") {
            Some(after) if after.is_empty() || after.starts_with(['.', '[']) => crate::paths::query_rest(&self.value, after),
            _ => crate::paths::query_rest(&self.to_json(), rest),
        }
    }
}

impl ContextSource for Value {
    fn value(&self) -> &Value {
        self
    }
}

/// The context object of one state, built only if a path reads `$$`: it
/// holds the execution input, which can be large, and most states never
/// look at it.
pub struct StateContext<'a> {
    pub base: &'a BaseContext<'a>,
    pub state: &'a str,
    pub entered_time: chrono::DateTime<chrono::Utc>,
    /// `None` for a state that cannot retry (Pass, Wait, Choice, Succeed,
    /// Fail): AWS leaves RetryCount out of its whole `$$.State`, yet
    /// `$$.State.RetryCount` reads 0. A Task shows it from 0 on.
    pub retry_count: Option<u64>,
    pub map_item: Option<&'a MapItem>,
    /// `$$.Task.Token` of a `.waitForTaskToken` task.
    pub task_token: Option<String>,
    /// The whole object, given (TestState's `context`) rather than built.
    given: Option<&'a Value>,
    built: std::cell::OnceCell<Value>,
    /// Its JSONata form without `Map`, kept by a Map state for all of its
    /// items' ItemSelectors (see [`Self::sharing`]).
    shared: Option<&'a std::cell::OnceCell<JMap>>,
}

impl<'a> StateContext<'a> {
    pub fn new(
        base: &'a BaseContext<'a>,
        state: &'a str,
        entered_time: chrono::DateTime<chrono::Utc>,
        retry_count: Option<u64>,
        map_item: Option<&'a MapItem>,
    ) -> Self {
        StateContext {
            base,
            state,
            entered_time,
            retry_count,
            map_item,
            task_token: None,
            given: None,
            built: std::cell::OnceCell::new(),
            shared: None,
        }
    }

    /// The same state, whose JSONata form without `Map` is kept in
    /// `shared`: the contexts of one Map state's items differ in their
    /// item alone, and are built from it.
    pub fn sharing(self, shared: &'a std::cell::OnceCell<JMap>) -> Self {
        StateContext { shared: Some(shared), ..self }
    }

    /// The JSONata form of everything but `Map`: the converted base, then
    /// `State` (and `Task`), in the order of [`for_state`].
    fn jsonata_without_item(&self, base: &JValue) -> JMap {
        let mut entries = match base {
            JValue::Object(m) => (**m).clone(),
            _ => JMap::default(),
        };
        let mut state = vec![
            ("Name".to_string(), JValue::from(self.state)),
            ("EnteredTime".to_string(), JValue::from(crate::clock::format_time(self.entered_time))),
        ];
        if let Some(n) = self.retry_count {
            state.push(("RetryCount".to_string(), JValue::from(n as f64)));
        }
        entries.insert("State".to_string(), JValue::object(state.into_iter().collect()));
        if let Some(t) = &self.task_token {
            entries.insert("Task".to_string(), JValue::from(json!({"Token": t})));
        }
        entries
    }

    /// The same state, with `given` as its whole context object.
    pub fn given(self, given: &'a Value) -> Self {
        StateContext { given: Some(given), ..self }
    }
}

impl ContextSource for StateContext<'_> {
    /// `$$.Execution...`, `$$.StateMachine...`, `$$.State...` and
    /// `$$.Map...` are answered from their own part, without building (and
    /// copying the execution input into) the whole object.
    fn query(&self, path: &str) -> Result<Value, crate::paths::PathError> {
        if let Some(given) = self.given {
            return crate::paths::query(given, path);
        }
        let rest = path.strip_prefix("$.").unwrap_or("");
        let split = rest.bytes().position(|b| b == b'.' || b == b'[').unwrap_or(rest.len());
        let (head, tail) = rest.split_at(split);
        match head {
            "Execution" | "StateMachine" => crate::paths::query_rest(&self.base.get()[head], tail),
            "Map" if self.map_item.is_some() => match (tail.strip_prefix(".Item"), self.map_item) {
                (Some(item_rest), Some(item)) if item_rest.is_empty() || item_rest.starts_with(['.', '[']) => item.query(item_rest),
                _ => crate::paths::query_rest(&json!({"Item": self.map_item.map(MapItem::to_json)}), tail),
            },
            "Task" if self.task_token.is_some() => crate::paths::query_rest(&json!({"Token": self.task_token}), tail),
            "State" => {
                let mut st = json!({"Name": self.state, "EnteredTime": crate::clock::format_time(self.entered_time)});
                if let Some(n) = self.retry_count.or((!tail.is_empty()).then_some(0)) {
                    st["RetryCount"] = n.into();
                }
                crate::paths::query_rest(&st, tail)
            }
            _ => crate::paths::query(self.value(), path),
        }
    }

    /// `$$.Map.Item.Index` and `$$.Map.Item.Value...` from their steps,
    /// without reading the path's text (an ItemSelector reads them for
    /// every item); the rest as [`ContextSource::query`] reads them.
    fn query_steps(&self, steps: &[crate::paths::Step], path: &str) -> Result<Value, crate::paths::PathError> {
        use crate::paths::Step::Key;
        if let (None, Some(item), [Key(map), Key(it), Key(part), rest @ ..]) = (self.given, self.map_item, steps) {
            if map == "Map" && it == "Item" {
                match (part.as_str(), rest) {
                    ("Index", []) => return Ok(item.index.into()),
                    ("Value", rest) => return crate::paths::walk(&item.value, rest).cloned().ok_or(crate::paths::PathError::NotFound),
                    _ => {}
                }
            }
        }
        self.query(path)
    }

    /// Built from the converted base and the small per-state parts, in
    /// the order of [`for_state`], without converting the input again.
    fn jsonata(&self, base: &JValue) -> JValue {
        if let Some(given) = self.given {
            return crate::jsonata::converted(given);
        }
        let mut entries = match self.shared {
            Some(shared) => shared.get_or_init(|| self.jsonata_without_item(base)).clone(),
            None => self.jsonata_without_item(base),
        };
        if let Some(item) = self.map_item {
            let item = [("Index".to_string(), JValue::from(item.index)), ("Value".to_string(), crate::jsonata::converted(&item.value))];
            let map = [("Item".to_string(), JValue::object(item.into_iter().collect()))];
            entries.insert("Map".to_string(), JValue::object(map.into_iter().collect()));
        }
        JValue::Object(std::rc::Rc::new(entries))
    }

    fn value(&self) -> &Value {
        if let Some(given) = self.given {
            return given;
        }
        self.built.get_or_init(|| {
            let entered = crate::clock::format_time(self.entered_time);
            for_state(self.base.get(), self.state, &entered, self.retry_count, self.map_item, self.task_token.as_deref())
        })
    }
}

/// The context as a state sees it: the base plus `State` (and `Map`,
/// `Task` where they apply).
pub fn for_state(
    base: &Value,
    state: &str,
    entered_time: &str,
    retry_count: Option<u64>,
    map_item: Option<&MapItem>,
    token: Option<&str>,
) -> Value {
    let mut ctx: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
    let mut st = Map::new();
    st.insert("Name".into(), state.into());
    st.insert("EnteredTime".into(), entered_time.into());
    if let Some(n) = retry_count {
        st.insert("RetryCount".into(), n.into());
    }
    ctx.insert("State".into(), Value::Object(st));
    if let Some(t) = token {
        ctx.insert("Task".into(), json!({"Token": t}));
    }
    if let Some(item) = map_item {
        ctx.insert("Map".into(), json!({"Item": item.to_json()}));
    }
    Value::Object(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The parts `$$` paths are answered from give what the whole context
    /// object gives, found or not.
    #[test]
    fn context_queries_match_the_whole_object() {
        let start = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let info = ExecutionInfo::default();
        let base = BaseContext::new(&info, Some(json!({"in": [1, 2]})), start);
        let item = MapItem { index: 7, value: json!({"a": {"b": [10, 20]}, "s": "x"}) };
        for retry in [None, Some(0), Some(2)] {
            let ctx = StateContext::new(&base, "S", start, retry, Some(&item));
            let whole = ctx.value().clone();
            let paths = [
                "$.Map.Item.Index",
                "$.Map.Item.Value",
                "$.Map.Item.Value.a.b[1]",
                "$.Map.Item.Value['s']",
                "$.Map.Item.Value.nope",
                "$.Map.Item.Value.a.b[-1]",
                "$.Map.Item.Index.x",
                "$.Map.Item",
                "$.Map",
                "$.Map.Itemx",
                "$.State.Name",
                "$.State.RetryCount",
                "$.Execution.Input.in[0]",
                "$.StateMachine.Name",
            ];
            for p in paths {
                let fast = ctx.query(p);
                let slow = crate::paths::query(&whole, p);
                // A template's path, taken apart beforehand, reads the same.
                let steps = crate::paths::input_steps(p).expect("definite");
                assert_eq!(ctx.query_steps(&steps, p), fast, "{p} from steps");
                match (p, retry) {
                    // AWS reads `$$.State.RetryCount` as 0 in a state that
                    // cannot retry, though its whole object leaves it out.
                    ("$.State.RetryCount", None) => assert_eq!(fast, Ok(json!(0))),
                    _ => assert_eq!(fast, slow, "{p} (retry {retry:?})"),
                }
            }
        }
    }

    /// The JSONata form is the whole object converted, keys in order,
    /// whether it is built alone or from a Map state's shared part.
    #[test]
    fn the_jsonata_context_is_the_whole_object_converted() {
        let start = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let info = ExecutionInfo::default();
        let base = BaseContext::new(&info, Some(json!({"in": [1, 2]})), start);
        let base_jsonata = crate::jsonata::converted(base.get());
        let mut shared = std::cell::OnceCell::new();
        let items = [MapItem { index: 0, value: json!({"a": 1}) }, MapItem { index: 1, value: json!("two") }];
        for (retry, item) in [(None, None), (Some(1), None), (Some(0), Some(&items[0])), (Some(0), Some(&items[1]))] {
            let alone = StateContext::new(&base, "S", start, retry, item);
            let whole = crate::jsonata::converted(alone.value());
            let keys = |v: &JValue| match v {
                JValue::Object(m) => m.keys().cloned().collect::<Vec<_>>(),
                _ => Vec::new(),
            };
            for built in
                [alone.jsonata(&base_jsonata), StateContext::new(&base, "S", start, retry, item).sharing(&shared).jsonata(&base_jsonata)]
            {
                assert!(built == whole, "{retry:?} {item:?}");
                assert_eq!(keys(&built), keys(&whole));
            }
            if item.is_none() {
                shared.take();
            }
        }
    }
}
