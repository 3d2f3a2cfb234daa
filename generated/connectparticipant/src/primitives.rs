//! Primitive value types shared by every generated client: timestamps
//! ([`DateTime`], with the text formats Smithy protocols use for them), binary data
//! ([`Blob`]) and documents ([`Document`]).
//!
//! This file is runtime code copied verbatim into each generated crate, so it
//! depends only on `std` and `serde_json` (blobs travel in base64: see `runtime::base64_write` and `runtime::base64_read`).

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const NANOS_PER_MILLI: u32 = 1_000_000;
const SECS_PER_DAY: i64 = 86_400;

// ---------------------------------------------------------------------------
// DateTime
// ---------------------------------------------------------------------------

/// A point in time, stored as whole seconds since the Unix epoch
/// (1970-01-01T00:00:00Z) plus a nanosecond offset into that second.
///
/// The nanosecond part is always normalized to `0..1_000_000_000`, also for
/// times before the epoch: 1.5 seconds before the epoch is `-2` seconds plus
/// `500_000_000` nanoseconds. Because of that, the derived ordering is
/// chronological.
///
/// Leap seconds are not represented (as in Unix time, every day has 86 400
/// seconds), and dates use the proleptic Gregorian calendar in UTC.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    // Field order matters: the derived `Ord` compares `seconds` first.
    seconds: i64,
    subsec_nanos: u32,
}

/// A Smithy timestamp text format (the values of the `@timestampFormat` trait).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `date-time`: an RFC 3339 date-time such as `2019-12-16T23:48:18.52Z`.
    DateTime,
    /// `http-date`: an HTTP date (RFC 9110 IMF-fixdate) such as
    /// `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
    /// `epoch-seconds`: seconds since the Unix epoch as a decimal number,
    /// such as `1398796238` or `1398796238.123`.
    EpochSeconds,
}

impl Format {
    /// The name the Smithy `@timestampFormat` trait uses for this format.
    fn smithy_name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::HttpDate => "http-date",
            Format::EpochSeconds => "epoch-seconds",
        }
    }
}

impl DateTime {
    /// The earliest representable point in time.
    pub const MIN: DateTime = DateTime { seconds: i64::MIN, subsec_nanos: 0 };

    /// The latest representable point in time.
    pub const MAX: DateTime = DateTime { seconds: i64::MAX, subsec_nanos: NANOS_PER_SEC - 1 };

    /// A time a whole number of seconds from the Unix epoch (negative values
    /// are before it).
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, subsec_nanos: 0 }
    }

    /// A time a number of milliseconds from the Unix epoch (negative values
    /// are before it).
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            seconds: millis.div_euclid(1000),
            // rem_euclid is in 0..1000, so the cast and product can't overflow.
            subsec_nanos: millis.rem_euclid(1000) as u32 * NANOS_PER_MILLI,
        }
    }

    /// A time `seconds` plus `subsec_nanos` nanoseconds from the Unix epoch.
    ///
    /// `subsec_nanos` is added forward in time even when `seconds` is
    /// negative. Values of a second or more carry into the seconds; should that
    /// overflow, the result saturates at [`DateTime::MAX`].
    pub const fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Self {
        let carry = (subsec_nanos / NANOS_PER_SEC) as i64;
        match seconds.checked_add(carry) {
            Some(seconds) => DateTime { seconds, subsec_nanos: subsec_nanos % NANOS_PER_SEC },
            None => DateTime::MAX,
        }
    }

    /// A time from fractional seconds since the Unix epoch, as found in JSON
    /// documents.
    ///
    /// The value is taken as the shortest decimal number that converts back to
    /// the same `f64` (so `1576540098.52` means exactly `.52` seconds, not the
    /// binary approximation `.519999980…`), then rounded to the nearest
    /// nanosecond. NaN maps to the epoch; infinities and values beyond the
    /// representable range saturate at [`DateTime::MIN`] / [`DateTime::MAX`],
    /// like Rust's float-to-integer casts.
    pub fn from_secs_f64(seconds: f64) -> Self {
        if seconds.is_nan() {
            return DateTime::from_secs(0);
        }
        // `Display` for f64 prints the shortest round-tripping decimal and never
        // uses exponent notation, so the decimal parser can read it directly.
        match parse_decimal_seconds(&seconds.to_string(), Rounding::Nearest) {
            Ok(time) => time,
            // Only infinities and out-of-range magnitudes get here.
            Err(_) if seconds > 0.0 => DateTime::MAX,
            Err(_) => DateTime::MIN,
        }
    }

    /// Whole seconds since the Unix epoch, rounded towards the past (so
    /// 1.5 seconds before the epoch gives `-2`).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs), always in `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the Unix epoch as a float (precision is lost far from the
    /// epoch: an `f64` holds about 16 significant digits).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Formats this time in a Smithy timestamp format.
    ///
    /// * [`Format::DateTime`]: RFC 3339 in UTC, with fractional seconds only
    ///   when they are nonzero and without trailing zeros:
    ///   `2019-12-16T23:48:18Z`, `1985-04-12T23:20:50.52Z`.
    /// * [`Format::HttpDate`]: IMF-fixdate, whole seconds only (sub-second
    ///   precision is dropped): `Tue, 29 Apr 2014 18:30:38 GMT`.
    /// * [`Format::EpochSeconds`]: `1398796238`, or with at most millisecond
    ///   precision and no trailing zeros: `1398796238.123`. Sub-millisecond
    ///   precision is dropped by rounding towards the past, like http-date.
    ///
    /// # Errors
    ///
    /// The text formats ([`Format::DateTime`], [`Format::HttpDate`]) fail for
    /// times outside the years 0001 to 9999, which they can't write with a
    /// four-digit year. [`Format::EpochSeconds`] never fails.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        match format {
            Format::DateTime => self.fmt_date_time(),
            Format::HttpDate => self.fmt_http_date(),
            Format::EpochSeconds => Ok(self.fmt_epoch_seconds()),
        }
    }

    /// Parses a time written in a Smithy timestamp format.
    ///
    /// * [`Format::DateTime`]: RFC 3339, `YYYY-MM-DDThh:mm:ss[.f…]` followed by
    ///   `Z` or a `+hh:mm` / `-hh:mm` offset. `t` and `z` may be lowercase.
    ///   Fractional seconds may have any number of digits; digits beyond
    ///   nanoseconds are truncated. A leap second (`:60`) is accepted and
    ///   means one second past `:59`, that is the first second of the next
    ///   minute.
    /// * [`Format::HttpDate`]: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
    ///   optionally with fractional seconds (`08:49:37.123`). For robustness
    ///   the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    ///   (`Sun Nov  6 08:49:37 1994`) forms are accepted too. Day and month
    ///   names are matched without regard to case, and the day name is not
    ///   checked against the date. A two-digit RFC 850 year is resolved as
    ///   RFC 9110 says, relative to the current year: a year more than 50
    ///   years in the future is taken to be in the past.
    /// * [`Format::EpochSeconds`]: a decimal number of seconds with an
    ///   optional leading `-`, optional fraction and optional exponent
    ///   (`1398796238`, `-1.5`, `1.398796238123e9`). Digits beyond
    ///   nanoseconds are truncated.
    ///
    /// The whole text must match; surrounding whitespace is not skipped.
    ///
    /// # Errors
    ///
    /// Any text that doesn't match the format, names a date that doesn't exist
    /// (such as February 30), or is out of range.
    pub fn parse(format: Format, text: &str) -> Result<DateTime, DateTimeParseError> {
        let result = match format {
            Format::DateTime => parse_date_time(text),
            Format::HttpDate => parse_http_date(text),
            Format::EpochSeconds => parse_decimal_seconds(text, Rounding::Truncate),
        };
        result.map_err(|reason| DateTimeParseError {
            message: format!("invalid {} timestamp {}: {reason}", format.smithy_name(), quote_input(text)),
        })
    }

    /// Builds a time from a signed count of nanoseconds since the epoch, or
    /// `None` if the seconds don't fit in an `i64`.
    fn from_total_nanos(nanos: i128) -> Option<Self> {
        let per_sec = i128::from(NANOS_PER_SEC);
        let seconds = i64::try_from(nanos.div_euclid(per_sec)).ok()?;
        let subsec_nanos = u32::try_from(nanos.rem_euclid(per_sec)).ok()?;
        Some(DateTime { seconds, subsec_nanos })
    }

    /// Splits this time into a UTC civil date and time of day, failing when
    /// the year doesn't fit the four digits the text formats allow.
    fn civil(&self, format: Format) -> Result<Civil, DateTimeFormatError> {
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        let secs_of_day = self.seconds.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return Err(DateTimeFormatError {
                message: format!(
                    "cannot format {} seconds since the epoch as {}: year {year} is outside 0001..=9999",
                    self.seconds,
                    format.smithy_name()
                ),
            });
        }
        Ok(Civil {
            year,
            month,
            day,
            // 1970-01-01 was a Thursday; 0 is Sunday.
            weekday: (days + 4).rem_euclid(7) as usize,
            hour: secs_of_day / 3600,
            minute: secs_of_day / 60 % 60,
            second: secs_of_day % 60,
        })
    }

    fn fmt_date_time(&self) -> Result<String, DateTimeFormatError> {
        let c = self.civil(Format::DateTime)?;
        let mut out =
            format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
        if self.subsec_nanos != 0 {
            let fraction = format!("{:09}", self.subsec_nanos);
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        Ok(out)
    }

    fn fmt_http_date(&self) -> Result<String, DateTimeFormatError> {
        let c = self.civil(Format::HttpDate)?;
        Ok(format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            SHORT_DAY_NAMES[c.weekday],
            c.day,
            MONTH_NAMES[c.month as usize - 1],
            c.year,
            c.hour,
            c.minute,
            c.second
        ))
    }

    fn fmt_epoch_seconds(&self) -> String {
        // Floor to whole milliseconds. Working in i128 keeps the sign handling
        // simple: -1.5 s is stored as (-2 s, 0.5 s) but must print as "-1.5".
        let millis = i128::from(self.seconds) * 1000 + i128::from(self.subsec_nanos / NANOS_PER_MILLI);
        let sign = if millis < 0 { "-" } else { "" };
        let magnitude = millis.unsigned_abs();
        let (whole, fraction) = (magnitude / 1000, magnitude % 1000);
        if fraction == 0 {
            format!("{sign}{whole}")
        } else {
            let fraction = format!("{fraction:03}");
            format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

impl fmt::Display for DateTime {
    /// Writes the [`Format::DateTime`] form, or the [`Format::EpochSeconds`]
    /// form for times outside the years 0001 to 9999.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fmt_date_time() {
            Ok(text) => f.write_str(&text),
            Err(_) => f.write_str(&self.fmt_epoch_seconds()),
        }
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a system time, saturating at [`DateTime::MIN`] /
    /// [`DateTime::MAX`] on platforms whose `SystemTime` range is wider.
    fn from(time: SystemTime) -> Self {
        let nanos = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        DateTime::from_total_nanos(nanos).unwrap_or(if nanos < 0 { DateTime::MIN } else { DateTime::MAX })
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeConversionError;

    /// Converts to a system time, failing if this platform's `SystemTime`
    /// can't represent the value.
    fn try_from(time: DateTime) -> Result<Self, Self::Error> {
        let whole = Duration::from_secs(time.seconds.unsigned_abs());
        let whole = if time.seconds >= 0 { UNIX_EPOCH.checked_add(whole) } else { UNIX_EPOCH.checked_sub(whole) };
        whole.and_then(|t| t.checked_add(Duration::from_nanos(u64::from(time.subsec_nanos)))).ok_or_else(|| {
            DateTimeConversionError {
                message: format!(
                    "{}.{:09} seconds since the epoch is out of SystemTime's range",
                    time.seconds, time.subsec_nanos
                ),
            }
        })
    }
}

// ---------------------------------------------------------------------------
// DateTime errors
// ---------------------------------------------------------------------------

/// Error returned by [`DateTime::parse`] when text isn't a valid timestamp in
/// the requested format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    message: String,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for DateTimeParseError {}

/// Error returned by [`DateTime::fmt`] when a time can't be written in the
/// requested format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeFormatError {
    message: String,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for DateTimeFormatError {}

/// Error returned when a [`DateTime`] is outside the range of
/// [`SystemTime`] on this platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeConversionError {
    message: String,
}

impl fmt::Display for DateTimeConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for DateTimeConversionError {}

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's
// "chrono-Compatible Low-Level Date Algorithms"). Years are counted
// astronomically: year 0 is 1 BC. The 400-year cycle ("era") has exactly
// 146 097 days; inside it, years are counted from March so that the leap day
// falls at the end of the year.
// ---------------------------------------------------------------------------

const SHORT_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A UTC date and time of day, as the text formats need it.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    weekday: usize,
    hour: i64,
    minute: i64,
    second: i64,
}

/// Days since 1970-01-01 of the given date. `month` is 1..=12 and `day`
/// 1..=31; the date is assumed valid (see [`check_date`]).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month_from_march = i64::from((month + 9) % 12); // March = 0
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 days separate 0000-03-01 (start of era 0) from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The (year, month, day) of a count of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097; // 0..=146_096
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
    let month_from_march = (5 * day_of_year + 2) / 153; // 0..=11
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1; // 1..=31
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both values are small and positive (see the ranges above).
    (year, month as u32, day as u32)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Checks that a year, month and day name a real date.
fn check_date(year: i64, month: u32, day: u32) -> Result<(), String> {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return Err(format!("month {month} is not in 1..=12")),
    };
    if day == 0 || day > days_in_month {
        return Err(format!("day {day} does not exist in {year:04}-{month:02}, which has {days_in_month} days"));
    }
    Ok(())
}

/// Expands an RFC 850 two-digit year as RFC 9110 section 5.6.7 requires: a
/// year that appears to be more than 50 years in the future is taken to be
/// the most recent past year with the same last two digits. Put differently,
/// the result is the year ending in those digits that falls within
/// `current_year - 49 ..= current_year + 50`.
fn expand_two_digit_year(two_digits: u32, current_year: i64) -> i64 {
    let year = current_year - current_year.rem_euclid(100) + i64::from(two_digits);
    if year > current_year + 50 {
        year - 100
    } else if year <= current_year - 50 {
        year + 100
    } else {
        year
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// A byte cursor for the fixed-layout timestamp grammars. Working on bytes is
/// fine because every valid input is ASCII; anything else fails to match.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { rest: text.as_bytes() }
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, rest)) if first == byte => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, byte: u8, context: &str) -> Result<(), String> {
        if self.eat(byte) { Ok(()) } else { Err(format!("expected `{}` {context}", char::from(byte))) }
    }

    /// Consumes the longest run of bytes matching `predicate`.
    fn take_while(&mut self, predicate: impl Fn(u8) -> bool) -> &'a [u8] {
        let len = self.rest.iter().take_while(|&&b| predicate(b)).count();
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        taken
    }

    /// Consumes exactly `count` ASCII digits (and no more) as a number.
    fn digits(&mut self, count: usize, what: &str) -> Result<u32, String> {
        let digits = self.take_while(|b| b.is_ascii_digit());
        if digits.len() != count {
            return Err(format!("expected {count} digits for the {what}"));
        }
        Ok(digits_value(digits))
    }

    fn name(&mut self) -> &'a [u8] {
        self.take_while(|b| b.is_ascii_alphabetic())
    }

    fn end(&self) -> Result<(), String> {
        if self.rest.is_empty() { Ok(()) } else { Err("unexpected text after the timestamp".to_owned()) }
    }
}

/// The value of a short run of ASCII digits (callers bound the length).
fn digits_value(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
}

/// Parses `hh:mm:ss[.fraction]`, returning seconds into the day and
/// nanoseconds. Second 60 (a leap second) is allowed and simply counts as one
/// more second, so `23:59:60` lands on the next day's `00:00:00`.
fn parse_time_of_day(cursor: &mut Cursor<'_>) -> Result<(i64, u32), String> {
    let hour = cursor.digits(2, "hour")?;
    cursor.expect(b':', "after the hour")?;
    let minute = cursor.digits(2, "minute")?;
    cursor.expect(b':', "after the minute")?;
    let second = cursor.digits(2, "second")?;
    let nanos = if cursor.eat(b'.') {
        let digits = cursor.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return Err("expected digits after the decimal point".to_owned());
        }
        fraction_nanos(digits)
    } else {
        0
    };
    if hour > 23 {
        return Err(format!("hour {hour} is not in 00..=23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute} is not in 00..=59"));
    }
    if second > 60 {
        return Err(format!("second {second} is not in 00..=60"));
    }
    let secs = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Ok((secs, nanos))
}

/// Nanoseconds of the decimal fraction `0.<digits>`, truncating digits past
/// the ninth.
fn fraction_nanos(digits: &[u8]) -> u32 {
    let mut nanos = 0;
    let mut scale = NANOS_PER_SEC;
    for &digit in digits.iter().take(9) {
        scale /= 10;
        nanos += u32::from(digit - b'0') * scale;
    }
    nanos
}

/// RFC 3339 `date-time`.
fn parse_date_time(text: &str) -> Result<DateTime, String> {
    let mut cursor = Cursor::new(text);
    let year = cursor.digits(4, "year")?;
    cursor.expect(b'-', "after the year")?;
    let month = cursor.digits(2, "month")?;
    cursor.expect(b'-', "after the month")?;
    let day = cursor.digits(2, "day")?;
    if !(cursor.eat(b'T') || cursor.eat(b't')) {
        return Err("expected `T` between the date and the time".to_owned());
    }
    let (secs_of_day, nanos) = parse_time_of_day(&mut cursor)?;
    let offset_secs = if cursor.eat(b'Z') || cursor.eat(b'z') {
        0
    } else {
        let sign = if cursor.eat(b'+') {
            1
        } else if cursor.eat(b'-') {
            -1
        } else {
            return Err("expected `Z` or a `+hh:mm` / `-hh:mm` UTC offset".to_owned());
        };
        let hours = cursor.digits(2, "offset hours")?;
        cursor.expect(b':', "in the UTC offset")?;
        let minutes = cursor.digits(2, "offset minutes")?;
        if hours > 23 || minutes > 59 {
            return Err(format!("UTC offset {hours:02}:{minutes:02} is out of range"));
        }
        sign * (i64::from(hours) * 3600 + i64::from(minutes) * 60)
    };
    cursor.end()?;

    let year = i64::from(year);
    check_date(year, month, day)?;
    let seconds = days_from_civil(year, month, day) * SECS_PER_DAY + secs_of_day - offset_secs;
    Ok(DateTime::from_secs_and_nanos(seconds, nanos))
}

/// RFC 9110 `HTTP-date`: IMF-fixdate, or the obsolete RFC 850 and asctime
/// forms.
fn parse_http_date(text: &str) -> Result<DateTime, String> {
    let mut cursor = Cursor::new(text);
    let day_name = cursor.name();
    let (year, month, day, (secs_of_day, nanos)) = if cursor.eat(b',') {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
        // RFC 850:     `Sunday, 06-Nov-94 08:49:37 GMT`
        let rfc_850 = if is_name_in(day_name, &SHORT_DAY_NAMES) {
            false
        } else if is_name_in(day_name, &LONG_DAY_NAMES) {
            true
        } else {
            return Err("expected a day name such as `Sun` or `Sunday`".to_owned());
        };
        let separator = if rfc_850 { b'-' } else { b' ' };
        cursor.expect(b' ', "after the day name")?;
        let day = cursor.digits(2, "day")?;
        cursor.expect(separator, "after the day")?;
        let month = parse_month(&mut cursor)?;
        cursor.expect(separator, "after the month")?;
        let year = if rfc_850 {
            // Four-digit years are tolerated too, as some servers send them.
            let digits = cursor.take_while(|b| b.is_ascii_digit());
            match digits.len() {
                2 => expand_two_digit_year(digits_value(digits), current_year()),
                4 => i64::from(digits_value(digits)),
                _ => return Err("expected 2 or 4 digits for the year".to_owned()),
            }
        } else {
            i64::from(cursor.digits(4, "year")?)
        };
        cursor.expect(b' ', "after the year")?;
        let time = parse_time_of_day(&mut cursor)?;
        cursor.expect(b' ', "before the time zone")?;
        if !cursor.name().eq_ignore_ascii_case(b"GMT") {
            return Err("expected the time zone `GMT`".to_owned());
        }
        (year, month, day, time)
    } else if is_name_in(day_name, &SHORT_DAY_NAMES) {
        // asctime: `Sun Nov  6 08:49:37 1994` (day padded with a space)
        cursor.expect(b' ', "after the day name")?;
        let month = parse_month(&mut cursor)?;
        cursor.expect(b' ', "after the month")?;
        let day = if cursor.eat(b' ') { cursor.digits(1, "day")? } else { cursor.digits(2, "day")? };
        cursor.expect(b' ', "after the day")?;
        let time = parse_time_of_day(&mut cursor)?;
        cursor.expect(b' ', "after the time")?;
        let year = i64::from(cursor.digits(4, "year")?);
        (year, month, day, time)
    } else {
        return Err("expected a day name such as `Sun` or `Sunday`".to_owned());
    };
    cursor.end()?;

    check_date(year, month, day)?;
    let seconds = days_from_civil(year, month, day) * SECS_PER_DAY + secs_of_day;
    Ok(DateTime::from_secs_and_nanos(seconds, nanos))
}

fn is_name_in(name: &[u8], names: &[&str]) -> bool {
    names.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// Parses a three-letter month name, returning 1..=12.
fn parse_month(cursor: &mut Cursor<'_>) -> Result<u32, String> {
    let name = cursor.name();
    MONTH_NAMES
        .iter()
        .zip(1..)
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|(_, number)| number)
        .ok_or_else(|| "expected a month name such as `Jan`".to_owned())
}

/// The current UTC year, used to place RFC 850 two-digit years.
fn current_year() -> i64 {
    let days = DateTime::from(SystemTime::now()).secs().div_euclid(SECS_PER_DAY);
    civil_from_days(days).0
}

/// How to treat decimal digits past nanosecond precision.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Rounding {
    /// Drop them (the number's magnitude is rounded towards zero).
    Truncate,
    /// Round the magnitude to the nearest nanosecond, halves away from zero.
    Nearest,
}

/// Parses `-?DIGITS(.DIGITS)?([eE][+-]?DIGITS)?` as seconds since the epoch.
///
/// The digits are placed exactly (no floating point is involved), so
/// `1398796238.123` yields exactly 123 000 000 nanoseconds.
fn parse_decimal_seconds(text: &str, rounding: Rounding) -> Result<DateTime, String> {
    let mut cursor = Cursor::new(text);
    let negative = cursor.eat(b'-');
    let int_digits = cursor.take_while(|b| b.is_ascii_digit());
    if int_digits.is_empty() {
        return Err("expected a decimal number".to_owned());
    }
    let frac_digits = if cursor.eat(b'.') {
        let digits = cursor.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return Err("expected digits after the decimal point".to_owned());
        }
        digits
    } else {
        &[]
    };
    let exponent = if cursor.eat(b'e') || cursor.eat(b'E') {
        let exp_negative = if cursor.eat(b'-') {
            true
        } else {
            cursor.eat(b'+');
            false
        };
        let digits = cursor.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return Err("expected digits in the exponent".to_owned());
        }
        // Clamp huge exponents: past this point every nonzero digit overflows
        // or vanishes below a nanosecond anyway.
        let magnitude = digits.iter().fold(0_i64, |acc, &b| (acc * 10 + i64::from(b - b'0')).min(1_000_000));
        if exp_negative { -magnitude } else { magnitude }
    } else {
        0
    };
    cursor.end()?;

    let overflow = || "the value is out of range".to_owned();
    // Where the decimal point falls in `int_digits ++ frac_digits` once the
    // exponent has moved it. Digit `i` then has weight 10^(point - 1 - i).
    let point = int_digits.len() as i64 + exponent;
    let digits = int_digits.iter().chain(frac_digits);
    let digit_count = (int_digits.len() + frac_digits.len()) as i64;
    let mut whole: u64 = 0;
    let mut nanos: u32 = 0;
    let mut round_up = false;
    for (i, &b) in digits.enumerate() {
        let digit = u32::from(b - b'0');
        // Position after the point: negative for integer digits, 0 for tenths.
        let position = i as i64 - point;
        if position < 0 {
            whole = whole.checked_mul(10).and_then(|w| w.checked_add(u64::from(digit))).ok_or_else(overflow)?;
        } else if position < 9 {
            nanos += digit * 10_u32.pow(8 - position as u32);
        } else {
            // The first dropped digit (position 9) alone decides
            // round-half-up; if even the first digit lies beyond it, the
            // value is below half a nanosecond.
            round_up = position == 9 && digit >= 5;
            break;
        }
    }
    // A positive exponent may put the point past the last digit.
    if whole != 0 {
        for _ in digit_count..point {
            whole = whole.checked_mul(10).ok_or_else(overflow)?;
        }
    }
    if rounding == Rounding::Nearest && round_up {
        nanos += 1;
        if nanos == NANOS_PER_SEC {
            nanos = 0;
            whole = whole.checked_add(1).ok_or_else(overflow)?;
        }
    }

    let magnitude = i128::from(whole) * i128::from(NANOS_PER_SEC) + i128::from(nanos);
    let total = if negative { -magnitude } else { magnitude };
    DateTime::from_total_nanos(total).ok_or_else(overflow)
}

/// The input for an error message: quoted, and shortened if it is long (it
/// may be an arbitrary response body).
fn quote_input(text: &str) -> String {
    const LIMIT: usize = 64;
    if text.chars().count() <= LIMIT {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head:?}…")
    }
}

// ---------------------------------------------------------------------------
// Blob
// ---------------------------------------------------------------------------

/// A free-form JSON value (a Smithy `document`).
pub type Document = serde_json::Value;

/// Binary data (a Smithy `blob`).
///
/// Protocols that carry blobs in text (JSON, XML, query strings, headers)
/// encode them as standard base64.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Wraps bytes (anything that converts into a `Vec<u8>`, such as a byte
    /// slice, a `String` or a `&str`).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob { inner: bytes.into() }
    }

    /// Unwraps the bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob::new(bytes)
    }
}

impl From<&str> for Blob {
    /// The UTF-8 bytes of the string.
    fn from(text: &str) -> Self {
        Blob::new(text)
    }
}

impl From<String> for Blob {
    /// The UTF-8 bytes of the string.
    fn from(text: String) -> Self {
        Blob::new(text)
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}
