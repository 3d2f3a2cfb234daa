//! Many sessions against one emulator.

use connectparticipant::chat::ChatEvent;
use connectparticipant_emulator::Emulator;

use super::support::{connected, tcp_client, texts_until};

/// Over real TCP on 127.0.0.1.
#[tokio::test]
async fn fifty_sessions_each_receive_exactly_their_own_messages() {
    let emulator = Emulator::start().await;
    let client = tcp_client(&emulator);
    let chats: Vec<_> = (0..50).map(|_| emulator.create_chat()).collect();
    let sessions = chats
        .iter()
        .map(|chat| connected(connectparticipant::chat::ChatSession::builder(&client, chat.participant_token.clone())));
    let mut sessions = futures_util::future::join_all(sessions).await;
    assert_eq!(emulator.subscribed_sockets(), 50);
    for (i, chat) in chats.iter().enumerate() {
        for j in 0..3 {
            emulator.agent_send(chat, &format!("chat {i} message {j}"));
        }
    }
    let own = sessions.iter().enumerate().map(|(i, session)| async move {
        session.send_text(format!("chat {i} from the customer")).await.unwrap();
    });
    futures_util::future::join_all(own).await;
    let received = sessions.iter_mut().enumerate().map(|(i, session)| async move {
        let (texts, others) = texts_until(session, &format!("chat {i} from the customer")).await;
        assert!(others.iter().all(|e| !matches!(e, ChatEvent::Message { .. })));
        (i, texts)
    });
    for (i, texts) in futures_util::future::join_all(received).await {
        let expected: Vec<String> =
            (0..3).map(|j| format!("chat {i} message {j}")).chain([format!("chat {i} from the customer")]).collect();
        assert_eq!(texts, expected, "session {i}");
    }
}
