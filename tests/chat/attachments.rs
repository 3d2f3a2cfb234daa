//! Attachments: local checks, a failed upload, and a round trip. (The 5 MB streaming test,
//! which measures memory, has its own test binary: `chat_memory`.)

use connectparticipant::chat::{ChatError, ChatEvent, content_type_for};
use connectparticipant_emulator::Emulator;

use connectparticipant::chat::ChatSession;

use super::support::{builder, connect, connected, tcp_client, until};

#[tokio::test(start_paused = true)]
async fn attachments_are_checked_before_anything_is_sent() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connected(builder(&emulator, &chat).max_attachment_size(1000)).await;
    let cases = [
        session.upload_attachment("virus.exe", "application/x-msdownload", b"MZ".to_vec()).await,
        session.upload_attachment("big.txt", "text/plain", vec![b'x'; 1001]).await,
        session.upload_attachment("empty.txt", "text/plain", Vec::new()).await,
        session.upload_attachment("", "text/plain", b"x".to_vec()).await,
    ];
    for result in cases {
        assert!(matches!(result, Err(ChatError::AttachmentRejected(_))), "{result:?}");
    }
    assert_eq!(emulator.call_count("StartAttachmentUpload"), 0, "nothing sent");
    assert_eq!(content_type_for("report.PDF".as_ref()), Some("application/pdf"));
    assert_eq!(content_type_for("tool.exe".as_ref()), None);
}

#[tokio::test(start_paused = true)]
async fn a_failed_upload_names_the_status_and_is_not_completed() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let session = connect(&emulator, &chat).await;
    emulator.fail_uploads(Some(403));
    let error = session.upload_attachment("notes.txt", "text/plain", b"hello".to_vec()).await.unwrap_err();
    assert!(matches!(error, ChatError::UploadFailed { status: 403 }), "{error:?}");
    assert_eq!(error.to_string(), "the attachment upload failed with HTTP 403");
    assert_eq!(emulator.call_count("StartAttachmentUpload"), 1);
    assert_eq!(emulator.call_count("CompleteAttachmentUpload"), 0);
}

/// Over real TCP on 127.0.0.1, through the crate's own HTTP transport.
#[tokio::test]
async fn an_uploaded_attachment_is_announced_and_downloads_intact() {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let mut session = connected(ChatSession::builder(&tcp_client(&emulator), chat.participant_token.clone())).await;
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let id = session.upload_attachment("data.csv", "text/csv", bytes.clone()).await.unwrap();
    let upload = emulator.calls().into_iter().find(|c| c.operation == "StartAttachmentUpload").unwrap();
    assert_eq!(upload.body["AttachmentSizeInBytes"], 100_000);
    assert_eq!(emulator.call_count("CompleteAttachmentUpload"), 1);
    let (attachments, _) = until(&mut session, |e| match e {
        ChatEvent::Attachment { attachments, .. } => Some(attachments.clone()),
        _ => None,
    })
    .await;
    assert_eq!(attachments[0].attachment_id.as_deref(), Some(id.as_str()));
    assert_eq!(attachments[0].status.as_ref().map(|s| s.as_str()), Some("APPROVED"));
    let mut downloaded = Vec::new();
    let written = session.download_attachment(&id, &mut downloaded).await.unwrap();
    assert_eq!(written, 100_000);
    assert!(downloaded == bytes, "the same bytes come back");
}
