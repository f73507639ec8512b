//! Small serde helpers shared by the ASL model.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// For `Option<T>` fields where a present `null` differs from an absent
/// field (`"ResultPath": null` discards the result, no `ResultPath` keeps
/// it): a present field is always `Some`, even when it is `null`.
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Puts the keys of every object in `value` in the order they have in
/// `layout`, the JSON the model was loaded from; keys that `layout` lacks
/// keep their place after the known ones. Arrays and objects are matched
/// position by position and key by key.
pub fn reorder_like(value: &mut Value, layout: &Value) {
    match (value, layout) {
        (Value::Object(map), Value::Object(lay)) => {
            let mut rest = std::mem::take(map);
            for key in lay.keys() {
                if let Some((k, v)) = rest.shift_remove_entry(key) {
                    map.insert(k, v);
                }
            }
            map.extend(rest);
            for (k, v) in map.iter_mut() {
                if let Some(l) = lay.get(k) {
                    reorder_like(v, l);
                }
            }
        }
        (Value::Array(items), Value::Array(lay)) => {
            for (v, l) in items.iter_mut().zip(lay) {
                reorder_like(v, l);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reorders_nested_objects_and_keeps_new_keys_last() {
        let mut v = json!({"a": 1, "b": {"x": 1, "y": 2}, "new": true});
        reorder_like(&mut v, &json!({"b": {"y": 0, "x": 0}, "a": 0}));
        assert_eq!(v.to_string(), r#"{"b":{"y":2,"x":1},"a":1,"new":true}"#);
    }
}
