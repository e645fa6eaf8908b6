//! The listener in front of the server. hyper answers some requests
//! itself, before any of ours runs: a request target over 64 KB (414), a
//! head it cannot parse (400) or too large a head (431), each with an empty
//! body. [`Door`] hands out connections whose writes put the API's error
//! shape (`{"error": {"code", "message"}}`, in Turkish and English) in
//! place of those bare answers, so that a client always reads one shape.
//! Responses of our own always carry a `content-type`, so they are told
//! apart from hyper's and pass untouched.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections carry the rewriting of hyper's own
/// error answers (see the module).
pub struct Door(pub TcpListener);

impl Listener for Door {
    type Io = Guarded<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        (
            Guarded {
                inner: io,
                pending: Vec::new(),
                at: 0,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Listener::local_addr(&self.0)
    }
}

/// The peer of a connection (for the sign-in throttle per address).
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, Door>> for Peer {
    fn connect_info(stream: IncomingStream<'_, Door>) -> Self {
        Peer(*stream.remote_addr())
    }
}

/// A connection whose writes replace hyper's bare error answers.
pub struct Guarded<S> {
    inner: S,
    /// A replacement still to be written, from `at`.
    pending: Vec<u8>,
    at: usize,
}

/// What hyper's bare answer in `buf` becomes, if it is one: the whole head,
/// a 400, 414 or 431 status, an empty body and no `content-type`.
pub fn replacement(buf: &[u8]) -> Option<Vec<u8>> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    if head_end != buf.len() {
        return None;
    }
    let head = std::str::from_utf8(buf).ok()?;
    let (status, code, tr, en) = match head.get(..13)? {
        "HTTP/1.1 400 " => (
            "400 Bad Request",
            "bad_request",
            "İstek okunamadı.",
            "The request could not be read.",
        ),
        "HTTP/1.1 414 " => (
            "414 URI Too Long",
            "uri_too_long",
            "Adres çok uzun.",
            "The address is too long.",
        ),
        "HTTP/1.1 431 " => (
            "431 Request Header Fields Too Large",
            "headers_too_large",
            "İsteğin başlıkları çok büyük.",
            "The request's headers are too large.",
        ),
        _ => return None,
    };
    let lower = head.to_ascii_lowercase();
    if lower.contains("\r\ncontent-type:") || !lower.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let body = serde_json::json!({ "error": { "code": code, "message": format!("{tr} / {en}") } })
        .to_string();
    Some(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<S: AsyncWrite + Unpin> Guarded<S> {
    /// Writes what is left of a replacement; ready when all is written.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.at < self.pending.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.at..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => self.at += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        }
        if buf.starts_with(b"HTTP/1.1 4") {
            if let Some(r) = replacement(buf) {
                this.pending = r;
                this.at = 0;
                // Taken whole: hyper's answer is ours to write now.
                let _ = this.drain(cx);
                return Poll::Ready(Ok(buf.len()));
            }
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_shutdown(cx),
            other => other,
        }
    }

    // Not vectored: hyper then writes each head in one contiguous buffer,
    // which is what `replacement` reads.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::replacement;

    #[test]
    fn only_hypers_bare_answers_are_replaced() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Mon, 30 Nov 2026 10:00:00 GMT\r\n\r\n";
        let r = String::from_utf8(replacement(bare).unwrap()).unwrap();
        assert!(
            r.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\n"),
            "{r}"
        );
        let body: serde_json::Value =
            serde_json::from_str(r.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["error"]["code"], "uri_too_long");
        // Our own error, with its body and type, passes untouched.
        assert!(replacement(b"HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n").is_none());
        // A head followed by a body, or another status, passes too.
        assert!(replacement(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}").is_none());
        assert!(replacement(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(replacement(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n"
        )
        .is_some());
    }
}
