//! Pagination as the List and GetExecutionHistory operations do it:
//! `maxResults` (1 to 1000, 0 or absent meaning the default) and an opaque
//! `nextToken`.

use crate::error::{ApiError, ApiResult};
use crate::request::Request;

/// How many items a page holds: `maxResults`, or `default`.
pub fn max_results(req: &Request, default: usize) -> ApiResult<usize> {
    Ok(match req.opt_int("maxResults", 0, 1000)? {
        None | Some(0) => default,
        Some(n) => n as usize,
    })
}

/// The token a page gave, unless it is none of sfc's, or names nothing.
fn invalid_token(t: &str) -> ApiError {
    ApiError::new("InvalidToken", format!("Invalid Token: '{t}'"))
}

/// The place a `nextToken` of the form `<prefix><number>` names (the
/// last item a page gave, by a number that does not move as items come
/// and go), if one was given.
pub fn token_place(req: &Request, prefix: &str) -> ApiResult<Option<u64>> {
    match req.opt_string("nextToken")? {
        None => Ok(None),
        Some(t) => t.strip_prefix(prefix).and_then(|n| n.parse().ok()).map(Some).ok_or_else(|| invalid_token(t)),
    }
}

/// One page of `items`, each with the place that names it (a number, see
/// [`token_place`], or a key, see [`page_by_key`]), in the order listed and
/// already starting after the token's place; the token of the next page
/// names the last place given, if more follow.
pub fn page_by_place<K: std::fmt::Display, T>(
    mut items: impl Iterator<Item = (K, T)>,
    max: usize,
    prefix: &str,
) -> (Vec<T>, Option<String>) {
    let mut page = Vec::new();
    let mut last = None;
    for (place, item) in items.by_ref().take(max) {
        page.push(item);
        last = Some(place);
    }
    let next = last.filter(|_| items.next().is_some()).map(|place| format!("{prefix}{place}"));
    (page, next)
}

/// A List operation's answer: the page under `key`, and `nextToken` when
/// more follow.
pub fn answer<T: serde::Serialize>(key: &str, (items, next): (Vec<T>, Option<String>)) -> serde_json::Value {
    let mut out = serde_json::json!({ key: items });
    if let Some(n) = next {
        out["nextToken"] = n.into();
    }
    out
}

/// One page of `items`, each with a key, listed in the order of their
/// keys, and the token of the next page, if more follow. The token names
/// the last key given and the next page starts after it, so that items
/// created or deleted between pages (a clean-up that deletes each page as
/// it goes) neither skip nor repeat the others.
pub fn page_by_key<T>(items: impl Iterator<Item = (String, T)>, req: &Request, default: usize) -> ApiResult<(Vec<T>, Option<String>)> {
    let max = max_results(req, default)?;
    let after = match req.opt_string("nextToken")? {
        None => None,
        Some(t) => Some(t.strip_prefix(KEY_TOKEN).filter(|k| !k.is_empty()).ok_or_else(|| invalid_token(t))?),
    };
    let items = items.filter(|(key, _)| after.is_none_or(|a| key.as_str() > a));
    Ok(page_by_place(items, max, KEY_TOKEN))
}

/// How a [`page_by_key`] token begins; the last key given follows.
const KEY_TOKEN: &str = "sfc-after-";

/// A key that sorts items by creation, and by `arn` among those created
/// at the same moment.
pub fn creation_key(created: chrono::DateTime<chrono::Utc>, arn: &str) -> String {
    format!("{:020}:{arn}", created.timestamp_micros().max(0))
}
