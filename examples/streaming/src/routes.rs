//! `GET /chat?tokens=N&delay_ms=D`: server-sent events `data: token-<i>`, the first at once,
//! then one every D ms (defaults 5 and 50). `GET /export?rows=N`: CSV rows `<i>,row-<i>,<7i>`,
//! written in chunks of up to 16 KB as they fill, never held whole. `GET /hello`: a buffered JSON answer.

use std::time::Duration;

use lambda_router::{Error, Request, Response, Route};
use serde::Serialize;

pub const ROUTES: &[Route] = &[Route::get("/chat", chat), Route::get("/export", export), Route::get("/hello", hello)];

lambda_router::include_router!("routes.rs");

/// A query parameter as a number, or its default.
fn number(req: &Request<'_>, name: &str, default: u64) -> u64 {
    req.query_param(name).and_then(|value| value.parse().ok()).unwrap_or(default)
}

async fn chat<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let tokens = number(req, "tokens", 5);
    let delay = Duration::from_millis(number(req, "delay_ms", 50));
    Ok(req.sse(move |events| async move {
        let mut token = [0u8; 32];
        // Token i is due at start + i * delay: a timer's lateness does not add up.
        let start = tokio::time::Instant::now();
        for i in 0..tokens {
            if i > 0 {
                tokio::time::sleep_until(start + delay * i as u32).await;
            }
            // Formatted on the stack: no allocation per token.
            let text = format_token(&mut token, i);
            events.data(text).await?;
        }
        Ok(())
    }))
}

/// `token-<i>` in `buffer`.
fn format_token(buffer: &mut [u8; 32], i: u64) -> &str {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    let _ = write!(cursor, "token-{i}");
    let len = cursor.position() as usize;
    std::str::from_utf8(&buffer[..len]).unwrap_or("token")
}

async fn export<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let rows = number(req, "rows", 1000);
    let body = req.stream(move |out| async move {
        // Rows are gathered into chunks of up to 16 KB on the stack, each written as it fills:
        // the export is never held whole, whatever its size.
        let mut chunk = [0u8; 16 * 1024];
        let mut len = 0;
        for i in 0..rows {
            let mut row = [0u8; 64];
            let row = format_row(&mut row, i);
            if len + row.len() > chunk.len() {
                out.write(&chunk[..len]).await?;
                len = 0;
            }
            chunk[len..len + row.len()].copy_from_slice(row);
            len += row.len();
        }
        out.write(&chunk[..len]).await?;
        Ok(())
    });
    Ok(Response::new(200).with_content_type("text/csv").with_body(body))
}

/// `<i>,row-<i>,<7i>\n` in `buffer`.
fn format_row(buffer: &mut [u8; 64], i: u64) -> &[u8] {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    let _ = writeln!(cursor, "{i},row-{i},{}", 7 * i);
    let len = cursor.position() as usize;
    &buffer[..len]
}

#[derive(Serialize)]
struct Hello {
    message: &'static str,
}

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&Hello { message: "hello, streaming" })
}
