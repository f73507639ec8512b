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

/// One page of `items`, each with the place that names it, in the order
/// listed and starting after the token's place (see [`token_place`]); the
/// token of the next page names the last place given, if more follow.
pub fn page_by_place<T>(mut items: impl Iterator<Item = (u64, T)>, max: usize, prefix: &str) -> (Vec<T>, Option<String>) {
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

/// One page of `items` and the token of the next, if any.
pub fn page<T>(items: Vec<T>, req: &Request, default: usize) -> ApiResult<(Vec<T>, Option<String>)> {
    let max = max_results(req, default)?;
    let start = match req.opt_string("nextToken")? {
        None => 0,
        Some(t) => t
            .strip_prefix("sfc-page-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| invalid_token(t))?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| format!("sfc-page-{end}"));
    Ok((items.into_iter().skip(start).take(end - start).collect(), next))
}
