//! GetTranscript: one page of a chat's transcript, with the defaults and meanings the service
//! documents (see the table in the crate's README).
//!
//! The transcript is kept in the order items were written (which is time order: the emulator's
//! timestamps strictly increase). `NextToken`s are `o:<index>`: where the next page starts
//! (forward) or ends (backward); clients treat them as opaque.

use hyper::Response;
use serde_json::{Value, json};

use crate::http::{Body, error, json};

/// Page size when `MaxResults` is not set (or 0, the shape's default): the model says 10.
pub(crate) const DEFAULT_PAGE: usize = 10;

/// Which way a page is read, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    Forward,
    Backward,
}

/// One page of `all`, the transcript of `contact_id`, as asked by the GetTranscript `body`.
pub(crate) fn page(all: &[Value], contact_id: &str, body: &Value) -> Response<Body> {
    match read(all, body) {
        Ok((items, next)) => {
            let mut out = json!({ "InitialContactId": contact_id, "Transcript": items });
            if let Some(next) = next {
                out["NextToken"] = Value::from(format!("o:{next}"));
            }
            json(200, out)
        }
        Err(message) => error(400, "ValidationException", &message),
    }
}

/// The items of the page and where the next one starts.
fn read(all: &[Value], body: &Value) -> Result<(Vec<Value>, Option<usize>), String> {
    let max = match body.get("MaxResults").and_then(Value::as_u64) {
        None | Some(0) => DEFAULT_PAGE,
        Some(n) => n as usize,
    };
    // `StartPosition: {}` (what the JavaScript library sends) and `MostRecent: 0` (the member's
    // default) name no position.
    let start = body.get("StartPosition").filter(|p| {
        p.as_object().is_some_and(|o| o.iter().any(|(k, v)| !(k == "MostRecent" && v.as_u64() == Some(0))))
    });
    let scan = match body.get("ScanDirection").and_then(Value::as_str) {
        Some("FORWARD") => Scan::Forward,
        Some(_) => Scan::Backward,
        // The model: BACKWARD without a start position, FORWARD with one.
        None if start.is_some() => Scan::Forward,
        None => Scan::Backward,
    };
    let descending = body.get("SortOrder").and_then(Value::as_str) != Some("ASCENDING");
    let token = match body.get("NextToken").and_then(Value::as_str) {
        None => None,
        Some(token) => Some(
            token
                .strip_prefix("o:")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n <= all.len())
                .ok_or("NextToken is not valid")?,
        ),
    };
    // Where reading begins: an index into `all` (forward: the first item read; backward: one
    // past the first item read).
    let from = match (token, start) {
        (Some(index), _) => index,
        (None, Some(position)) => anchor(all, position, scan)?,
        // No start position: the most recent item. Forward from it there is nothing newer.
        (None, None) => all.len(),
    };
    let (range, next) = match scan {
        Scan::Forward => {
            let to = from.saturating_add(max).min(all.len());
            (from.min(to)..to, (to < all.len() && to > from).then_some(to))
        }
        Scan::Backward => {
            let from = from.min(all.len());
            let to = from.saturating_sub(max);
            (to..from, (to > 0).then_some(to))
        }
    };
    let mut items = all[range].to_vec();
    if descending {
        items.reverse();
    }
    Ok((items, next))
}

/// Where a start position begins reading, the item it names included (whether the service
/// includes it is not documented: our choice).
fn anchor(all: &[Value], position: &Value, scan: Scan) -> Result<usize, String> {
    let index = if let Some(id) = position.get("Id").and_then(Value::as_str) {
        all.iter()
            .position(|i| i["Id"] == id)
            .ok_or_else(|| format!("StartPosition.Id {id} is not an item of this chat"))?
    } else if let Some(at) = position.get("AbsoluteTime").and_then(Value::as_str) {
        let at = crate::items::parse_millis(at)
            .ok_or_else(|| format!("StartPosition.AbsoluteTime {at} is not an ISO 8601 time"))?;
        let time = |item: &Value| item["AbsoluteTime"].as_str().and_then(crate::items::parse_millis).unwrap_or(0);
        match scan {
            // The first item at or after the time.
            Scan::Forward => all.iter().position(|i| time(i) >= at).unwrap_or(all.len()),
            // The last item at or before it.
            Scan::Backward => match all.iter().rposition(|i| time(i) <= at) {
                Some(index) => index,
                None => return Ok(0),
            },
        }
    } else {
        // The Nth most recent item (1: the most recent).
        let n = position.get("MostRecent").and_then(Value::as_u64).unwrap_or(0) as usize;
        all.len().saturating_sub(n)
    };
    Ok(match scan {
        Scan::Forward => index,
        Scan::Backward => (index + 1).min(all.len()),
    })
}
