//! The bytes on the wire: the mock service's responses and the floor's requests.
//!
//! The transcript is made, not recorded: 100 items shaped like a real chat (messages from
//! both sides with delivery receipts, participant events, a few attachments), so that every
//! client decodes the same structures a real page holds.

use std::fmt::Write as _;

use crate::{CONNECTION_TOKEN, MESSAGE, TRANSCRIPT_ITEMS};

/// The body of a `SendMessage` response.
pub fn send_message_response() -> String {
    r#"{"Id":"7f3c2a91-5b0e-4d7a-9c41-1e2f3a4b5c6d","AbsoluteTime":"2026-11-30T11:00:00.123Z"}"#.to_owned()
}

/// A version 4 UUID-looking id, deterministic in `n`.
fn id(n: usize, salt: u32) -> String {
    let x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(salt);
    format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", x >> 32, x & 0xffff, n % 4096, salt % 4096, x >> 16)
}

fn time(n: usize) -> String {
    format!("2026-11-30T10:{:02}:{:02}.{:03}Z", (n / 60) % 60, n % 60, (n * 37) % 1000)
}

/// The body of a `GetTranscript` response with [`TRANSCRIPT_ITEMS`] items.
pub fn transcript_response() -> String {
    let customer = id(1, 11);
    let agent = id(2, 22);
    let mut out = String::from(r#"{"InitialContactId":""#);
    out.push_str(&id(0, 7));
    out.push_str(r#"","Transcript":["#);
    for n in 0..TRANSCRIPT_ITEMS {
        if n > 0 {
            out.push(',');
        }
        let (participant, name, role, other) = if n % 2 == 0 {
            (&customer, "Customer", "CUSTOMER", &agent)
        } else {
            (&agent, "Agent Smith", "AGENT", &customer)
        };
        let _ = write!(out, r#"{{"AbsoluteTime":"{}","Id":"{}","#, time(n), id(n, 3));
        if n % 25 == 0 {
            let _ = write!(
                out,
                r#""Type":"EVENT","ContentType":"application/vnd.amazonaws.connect.event.participant.joined","ParticipantId":"{participant}","DisplayName":"{name}","ParticipantRole":"{role}","ContactId":"{}"}}"#,
                id(0, 7)
            );
            continue;
        }
        if n % 20 == 7 {
            let _ = write!(
                out,
                r#""Type":"ATTACHMENT","ParticipantId":"{participant}","DisplayName":"{name}","ParticipantRole":"{role}","Attachments":[{{"ContentType":"image/png","AttachmentId":"{}","AttachmentName":"screenshot-{n}.png","Status":"APPROVED"}}],"ContactId":"{}"}}"#,
                id(n, 5),
                id(0, 7)
            );
            continue;
        }
        let _ = write!(
            out,
            r#""Type":"MESSAGE","Content":"Message {n}: thanks, I am checking the order status for you now \u00e9\"ok\"","ContentType":"text/plain","ParticipantId":"{participant}","DisplayName":"{name}","ParticipantRole":"{role}","MessageMetadata":{{"MessageId":"{}","Receipts":[{{"DeliveredTimestamp":"{}","ReadTimestamp":"{}","RecipientParticipantId":"{other}"}}]}},"ContactId":"{}"}}"#,
            id(n, 3),
            time(n + 1),
            time(n + 2),
            id(0, 7)
        );
    }
    out.push_str(r#"],"NextToken":"eyJ2IjoxLCJjIjoiYmVuY2gtbmV4dC10b2tlbiJ9"}"#);
    out
}

/// The body the floor posts for `SendMessage` (what ours sends, with a fixed client token).
pub fn send_message_request() -> String {
    format!(
        r#"{{"ContentType":"text/plain","Content":"{MESSAGE}","ClientToken":"0b4b3d8e-6f0a-4c55-9a0e-2a1c3b4d5e6f"}}"#
    )
}

/// The body the floor posts for `GetTranscript`.
pub fn transcript_request() -> String {
    r#"{"MaxResults":100}"#.to_owned()
}

/// The headers the floor sends with each request.
pub fn request_headers() -> [(&'static str, &'static str); 2] {
    [("content-type", "application/json"), ("x-amz-bearer", CONNECTION_TOKEN)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_transcript_has_every_kind_of_item() {
        let body = super::transcript_response();
        assert!(body.contains(r#""Type":"EVENT""#) && body.contains(r#""Type":"ATTACHMENT""#));
        assert_eq!(body.matches(r#""AbsoluteTime""#).count(), crate::TRANSCRIPT_ITEMS);
    }
}
