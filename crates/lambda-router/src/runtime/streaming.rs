//! A streamed answer posted to the Runtime API as it is written (`App::streaming`), through
//! the client of `client`, which keeps `TCP_NODELAY` on.
//!
//! Why not `lambda_runtime`'s streaming API: its client (hyper's `HttpConnector::new()`) leaves
//! Nagle's algorithm on, and a stream is a run of small writes. After the request head, each
//! chunk waits for the Runtime API to acknowledge the previous segment, which a receiver that
//! has nothing to send delays by up to 40 ms: the first SSE frame of a lambda_http + axum
//! function arrives about 44 ms after the event, and tokens written 10 ms apart arrive in
//! bunches. Its streamed body is also a `'static + Send` stream fed through two channels, a
//! copy and an allocation per chunk. Here a chunk goes from the stream's buffer to the socket in
//! one write (its chunked-encoding frame around it), with nothing allocated per chunk once the
//! buffers have grown.
//!
//! The wire format is the Runtime API's (the Lambda developer guide, "Custom runtimes",
//! response streaming): `Lambda-Runtime-Function-Response-Mode: streaming`, chunked transfer
//! encoding, the prelude and eight NUL bytes first (content type
//! `application/vnd.awslambda.http-integration-response`), and a failure after the first byte
//! reported in the `Lambda-Runtime-Function-Error-Type` and `-Body` trailers.

use std::io;

use super::client::Connection;
use super::wire::Ids;
use crate::app::StreamSink;
use crate::error::Error;
use crate::response::prelude::DELIMITER;

/// One invocation's answer, posted as it is written.
pub(super) struct Post<'c> {
    pub(super) connection: &'c mut Connection,
    pub(super) ids: &'c Ids,
    /// The streamed post's head went out: its end and the Runtime API's answer must follow.
    pub(super) started: bool,
}

impl StreamSink for Post<'_> {
    async fn head(&mut self, _: u16, prelude: &[u8]) -> io::Result<()> {
        const HEADERS: &str = "Lambda-Runtime-Function-Response-Mode: streaming\r\n\
             Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\
             Content-Type: application/vnd.awslambda.http-integration-response\r\n";
        self.connection.start_post(self.ids, HEADERS).await?;
        self.started = true;
        // The prelude and the delimiter as two chunks, as lambda_runtime sends them: Lambda reads
        // the stream for the delimiter, but an emulator (cargo-lambda's) reads them frame by frame.
        self.connection.frames(&[prelude, &DELIMITER]).await
    }

    async fn chunk(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.connection.frames(&[bytes]).await
    }

    async fn end(&mut self, error: Option<&Error>) -> io::Result<()> {
        match error {
            None => self.connection.write_all(b"0\r\n\r\n").await,
            Some(error) => {
                let end = format!(
                    "0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n\r\n",
                    base64_simd::STANDARD.encode_to_string(error.to_string())
                );
                self.connection.write_all(end.as_bytes()).await
            }
        }
    }

    async fn buffered(&mut self, response: &[u8]) -> io::Result<()> {
        self.connection.post_response(self.ids, response).await
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::Post;
    use crate::ServiceError;
    use crate::app::StreamSink;
    use crate::error::Error;
    use crate::runtime::client::Connection;
    use crate::runtime::wire::Ids;

    /// The bytes a streamed answer puts on the wire: the POST head, the prelude and its NULs as
    /// two chunks, each body chunk framed, then the end, with the error trailers when it failed.
    async fn wire(error: Option<Error>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = listener.local_addr().unwrap().to_string();
        let reader = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut all = Vec::new();
            socket.read_to_end(&mut all).await.unwrap();
            all
        });
        let mut connection = Connection::open(&api).await.unwrap();
        let ids = Ids::of("abc-123");
        let mut post = Post { connection: &mut connection, ids: &ids, started: false };
        post.head(200, br#"{"statusCode":200}"#).await.unwrap();
        post.chunk(b"data: one\n\n").await.unwrap();
        post.chunk(&[b'x'; 300]).await.unwrap();
        post.end(error.as_ref()).await.unwrap();
        assert!(post.started);
        drop(connection);
        String::from_utf8(reader.await.unwrap()).unwrap()
    }

    #[tokio::test]
    async fn a_stream_is_a_chunked_post_with_the_prelude_first() {
        let host = "127.0.0.1";
        let wire = wire(None).await;
        let (head, body) = wire.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with("POST /2018-06-01/runtime/invocation/abc-123/response HTTP/1.1\r\nHost: 127.0.0.1:"),
            "{head}"
        );
        assert!(head.contains(host));
        for line in [
            "Lambda-Runtime-Function-Response-Mode: streaming",
            "Transfer-Encoding: chunked",
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
            "Content-Type: application/vnd.awslambda.http-integration-response",
        ] {
            assert!(head.contains(line), "{line} in {head}");
        }
        let prelude = format!("12\r\n{{\"statusCode\":200}}\r\n8\r\n{}\r\n", "\0".repeat(8));
        let expected = format!("{prelude}b\r\ndata: one\n\n\r\n12c\r\n{}\r\n0\r\n\r\n", "x".repeat(300));
        assert_eq!(body, expected);
    }

    #[tokio::test]
    async fn a_failure_after_the_prelude_is_reported_in_the_trailers() {
        let wire = wire(Some(ServiceError::bad_gateway("upstream broke").into())).await;
        let end = wire.rsplit_once("\r\n0\r\n").unwrap().1;
        // base64("502 upstream broke")
        assert_eq!(
            end,
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
             Lambda-Runtime-Function-Error-Body: NTAyIHVwc3RyZWFtIGJyb2tl\r\n\r\n"
        );
    }
}
