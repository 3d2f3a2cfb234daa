//! The mock service: answers `SendMessage` and `GetTranscript` on 127.0.0.1 with fixed
//! restJson1 responses. Prints `listening URL` once bound; exits when its stdin closes (so
//! it never outlives `cargo xtask bench`).

use std::convert::Infallible;
use std::io::{Read, Write};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use connectparticipant_bench::payloads;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(serve());
}

async fn serve() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binding 127.0.0.1");
    let address = listener.local_addr().expect("a local address");
    println!("listening http://{address}");
    std::io::stdout().flush().expect("stdout");
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    let send_message = Bytes::from(payloads::send_message_response());
    let transcript = Bytes::from(payloads::transcript_response());
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        let (send_message, transcript) = (send_message.clone(), transcript.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                let (send_message, transcript) = (send_message.clone(), transcript.clone());
                async move {
                    let path = request.uri().path().to_owned();
                    // Read the whole request, as a service would.
                    let _ = request.into_body().collect().await;
                    let (status, body) = match path.as_str() {
                        "/participant/message" => (StatusCode::OK, send_message),
                        "/participant/transcript" => (StatusCode::OK, transcript),
                        _ => (StatusCode::NOT_FOUND, Bytes::from_static(br#"{"message":"no such operation"}"#)),
                    };
                    let response = Response::builder()
                        .status(status)
                        .header("content-type", "application/json")
                        .header("x-amzn-requestid", "5a1c8a2e-0d3f-4f7e-8b1a-7c9d0e1f2a3b")
                        .body(Full::new(body))
                        .expect("a valid response");
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
