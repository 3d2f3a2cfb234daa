//! Closing or dropping a session stops every task it started and closes its socket.

use std::time::Duration;

use connectparticipant_emulator::Emulator;
use tokio::runtime::Handle;

use super::support::{InMemory, client, connected, texts_until};

/// Lets tasks that are winding down finish (virtual time), then counts the tasks alive.
async fn settle_to(baseline: usize) -> usize {
    for _ in 0..100 {
        if Handle::current().metrics().num_alive_tasks() <= baseline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Handle::current().metrics().num_alive_tasks()
}

/// Runs a session through messages, a receipt and a reconnect, ends it with `end`, and checks
/// that the runtime is back to the tasks it had before.
async fn leaves_nothing_running(end: impl AsyncFnOnce(connectparticipant::chat::ChatSession)) {
    let emulator = Emulator::start().await;
    let chat = emulator.create_chat();
    let baseline = Handle::current().metrics().num_alive_tasks();
    {
        let client = client(&emulator);
        let mut session = connected(
            connectparticipant::chat::ChatSession::builder(&client, chat.participant_token.clone())
                .socket_connector(InMemory(emulator.memory_link())),
        )
        .await;
        session.send_text("hello").await.unwrap();
        let id = emulator.agent_send(&chat, "hi");
        texts_until(&mut session, "hi").await;
        let _ = session.send_delivered(&id).await.unwrap();
        emulator.drop_sockets();
        emulator.agent_send(&chat, "after the drop");
        texts_until(&mut session, "after the drop").await;
        assert!(Handle::current().metrics().num_alive_tasks() > baseline, "the session runs tasks");
        end(session).await;
    }
    let alive = settle_to(baseline).await;
    assert_eq!(alive, baseline, "every task the session (and its client) started has stopped");
    assert_eq!(emulator.open_sockets(), 0, "the socket is closed");
}

#[tokio::test(start_paused = true)]
async fn close_stops_every_task_and_closes_the_socket() {
    leaves_nothing_running(async |session| session.close().await).await;
}

#[tokio::test(start_paused = true)]
async fn dropping_the_session_stops_every_task() {
    leaves_nothing_running(async |session| drop(session)).await;
}
