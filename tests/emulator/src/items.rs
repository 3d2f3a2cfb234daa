//! Chat items as the service writes them, and the ids and timestamps they carry.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The prefix of event content types.
pub const EVENT: &str = "application/vnd.amazonaws.connect.event.";

/// A participant of a chat, as items name them.
#[derive(Debug, Clone)]
pub struct Participant {
    /// The participant id items carry (`ParticipantId`).
    pub id: String,
    /// The name items carry (`DisplayName`).
    pub display_name: String,
    /// `CUSTOMER` or `AGENT`.
    pub role: &'static str,
}

/// A random id shaped like the service's (a UUID v4).
pub fn new_id() -> String {
    let hex = |n: usize| (0..n).map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap()).collect::<String>();
    let variant = ['8', '9', 'a', 'b'][fastrand::usize(0..4)];
    format!("{}-{}-4{}-{variant}{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

static LAST_MILLIS: Mutex<u128> = Mutex::new(0);

/// Now, as an ISO 8601 UTC timestamp with milliseconds; strictly increasing, so that items
/// sort by time in the order they were made.
pub fn now() -> String {
    let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
    let mut last = LAST_MILLIS.lock().unwrap_or_else(|e| e.into_inner());
    *last = (*last + 1).max(wall);
    iso(*last)
}

/// `after` from now, plus `skew_seconds` (a clock that is off), as an ISO 8601 timestamp.
pub fn from_now(after: Duration, skew_seconds: i64) -> String {
    let at = (SystemTime::now() + after).duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as i128;
    iso(u128::try_from(at + i128::from(skew_seconds) * 1000).unwrap_or_default())
}

fn iso(millis: u128) -> String {
    let secs = (millis / 1000) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        millis % 1000
    )
}

/// Milliseconds since the epoch of a UTC time `YYYY-MM-DDTHH:MM:SS[.f...]Z` (or `+00:00`), read
/// as a time: `...:01Z` is before `...:01.5Z`, which text order gets wrong.
pub fn parse_millis(text: &str) -> Option<i64> {
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once('T')?;
    // Four-digit years at most: arithmetic on anything larger could overflow.
    let number = |part: Option<&str>| part.filter(|p| p.len() <= 4)?.parse::<i64>().ok();
    let mut date = date.splitn(3, '-');
    let (year, month, day) = (number(date.next())?, number(date.next())?, number(date.next())?);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock = clock.splitn(3, ':');
    let (hour, minute, second) = (number(clock.next())?, number(clock.next())?, number(clock.next())?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = format!("{fraction:0<3}").get(..3)?.parse::<i64>().ok()?;
    // Days from the civil date (H. Hinnant's algorithm), the inverse of `iso`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + millis)
}

/// A new item from `from` in chat `contact_id`.
pub fn item(
    kind: &str,
    content_type: Option<&str>,
    content: Option<&str>,
    from: &Participant,
    contact_id: &str,
) -> Value {
    let mut item = json!({
        "AbsoluteTime": now(),
        "Id": new_id(),
        "Type": kind,
        "ParticipantId": from.id,
        "DisplayName": from.display_name,
        "ParticipantRole": from.role,
        "ContactId": contact_id,
        "InitialContactId": contact_id,
    });
    if let Some(content_type) = content_type {
        item["ContentType"] = Value::from(content_type);
    }
    if let Some(content) = content {
        item["Content"] = Value::from(content);
    }
    item
}

/// A receipt item: `reader` received or read `message_id`.
pub fn receipt(message_id: &str, read: bool, reader: &Participant) -> Value {
    let at = now();
    let receipt = if read {
        json!({ "ReadTimestamp": at, "RecipientParticipantId": reader.id })
    } else {
        json!({ "DeliveredTimestamp": at, "RecipientParticipantId": reader.id })
    };
    json!({
        "AbsoluteTime": at,
        "Id": new_id(),
        "Type": "MESSAGEMETADATA",
        "ContentType": format!("{EVENT}message.metadata"),
        "MessageMetadata": { "MessageId": message_id, "Receipts": [receipt] },
    })
}

/// The frame that carries an item over the socket.
pub fn envelope(item: &Value) -> String {
    json!({ "topic": "aws/chat", "contentType": "application/json", "content": item.to_string() }).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_iso_utc() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::iso(1_714_566_600_123), "2024-05-01T12:30:00.123Z");
        assert_eq!(super::iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn times_are_read_as_times() {
        for millis in [0, 1_714_566_600_123, 951_782_400_000, 4_102_444_799_999] {
            assert_eq!(super::parse_millis(&super::iso(millis)), Some(millis as i64));
        }
        let whole = super::parse_millis("2024-05-01T12:30:01Z").unwrap();
        let half = super::parse_millis("2024-05-01T12:30:01.5Z").unwrap();
        assert_eq!(half - whole, 500, "text order would put ...01Z after ...01.5Z");
        assert_eq!(super::parse_millis("2024-05-01T12:30:01.123456+00:00"), Some(whole + 123));
        assert_eq!(super::parse_millis("2024-13-01T00:00:00Z"), None);
        assert_eq!(super::parse_millis("yesterday"), None);
        assert_eq!(super::parse_millis("9999999999999-01-01T00:00:00Z"), None, "no overflow");
    }
}
