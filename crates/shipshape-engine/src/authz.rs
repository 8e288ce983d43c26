//! The Docker authorization plugin protocol, served on a unix socket.
//!
//! dockerd started with `--authorization-plugin NAME` finds the plugin's
//! socket (`/run/docker/plugins/NAME.sock`, or a spec file naming it),
//! activates it (`POST /Plugin.Activate`, answered with the interfaces it
//! implements), then asks it about every API call before running it
//! (`POST /AuthZPlugin.AuthZReq`) and about its answer before sending it
//! (`POST /AuthZPlugin.AuthZRes`). Each question is JSON: the user, the
//! method, the URI, the headers and the body (base64; only JSON bodies
//! under 1 MiB are passed on). The answer is `{"Allow": bool, "Msg": ..,
//! "Err": ..}`; Docker prints a refusal as "authorization denied by plugin
//! NAME: Msg".
//!
//! This module reads the questions, classifies the call, and serves
//! HTTP/1.1 on the socket, a thread per connection (dockerd keeps its
//! connection open between questions). What to answer is the caller's.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;

use serde_json::Value;

/// The largest question read: dockerd passes bodies of up to 1 MiB, which
/// base64 and the headers make about 1.4 MiB.
pub const MAX_QUESTION: usize = 4 << 20;

/// The longest header section read.
const MAX_HEADERS: usize = 64 << 10;

/// One question from dockerd.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub user: String,
    pub method: String,
    pub uri: String,
    /// The request's body, when dockerd passed it on.
    pub body: Option<Vec<u8>>,
}

/// Why a question could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    #[error("the plugin request is not JSON: {0}")]
    Json(String),
    #[error("the plugin request has no `{0}`")]
    Missing(&'static str),
    #[error("the plugin request's body is not base64: {0}")]
    Body(String),
}

/// Reads an `AuthZReq` or `AuthZRes` question.
pub fn question(json: &[u8]) -> Result<Question, QuestionError> {
    use base64::Engine;
    let value: Value =
        serde_json::from_slice(json).map_err(|e| QuestionError::Json(e.to_string()))?;
    let text = |key: &'static str| value.get(key).and_then(Value::as_str);
    let method = text("RequestMethod").ok_or(QuestionError::Missing("RequestMethod"))?;
    // dockerd spells it `RequestUri`.
    let uri = text("RequestUri")
        .or_else(|| text("RequestURI"))
        .ok_or(QuestionError::Missing("RequestUri"))?;
    let body = match value.get("RequestBody") {
        Some(Value::String(encoded)) if !encoded.is_empty() => Some(
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| QuestionError::Body(e.to_string()))?,
        ),
        _ => None,
    };
    Ok(Question {
        user: text("User").unwrap_or("").to_string(),
        method: method.to_string(),
        uri: uri.to_string(),
        body,
    })
}

/// The API calls the rules have something to say about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `POST /containers/create`, with its `name` parameter.
    Create { name: Option<String> },
    /// `POST /containers/{id}/exec`.
    Exec { container: String },
    /// `POST /containers/{id}/update`.
    Update { container: String },
    /// `POST /plugins/pull` or `POST /plugins/{name}/upgrade`, with the
    /// plugin's image (`remote`).
    Plugin { remote: String },
    /// `POST /volumes/create`.
    Volume,
    /// Anything else.
    Other,
}

impl Question {
    /// What the question asks to do.
    pub fn call(&self) -> Call {
        if !self.method.eq_ignore_ascii_case("POST") {
            return Call::Other;
        }
        let (path, query) = self.uri.split_once('?').unwrap_or((&self.uri, ""));
        // `/v1.47/containers/create` or `/containers/create`.
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        if parts.first().is_some_and(|p| {
            p.starts_with('v') && p[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        }) {
            parts.remove(0);
        }
        match parts.as_slice() {
            ["containers", "create"] => Call::Create {
                name: query_value(query, "name"),
            },
            ["containers", id, "exec"] => Call::Exec {
                container: percent_decode(id),
            },
            ["containers", id, "update"] => Call::Update {
                container: percent_decode(id),
            },
            ["plugins", "pull"] | ["plugins", .., "upgrade"] => Call::Plugin {
                remote: query_value(query, "remote").unwrap_or_default(),
            },
            ["volumes", "create"] => Call::Volume,
            _ => Call::Other,
        }
    }
}

/// A query parameter's value, percent-decoded.
fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The answer to an `AuthZReq` or `AuthZRes` question.
pub fn answer(allow: bool, message: &str) -> Vec<u8> {
    serde_json::json!({"Allow": allow, "Msg": message, "Err": ""})
        .to_string()
        .into_bytes()
}

/// What the server does with a request: the plugin call's path (such as
/// `/AuthZPlugin.AuthZReq`) and body in, an HTTP status and a JSON body out.
pub type Handler = dyn Fn(&str, &[u8]) -> (u16, Vec<u8>) + Send + Sync;

/// Serves the plugin on `listener` until the process ends: `/Plugin.Activate`
/// is answered here, every other call by `handler`.
pub fn serve(listener: UnixListener, handler: Arc<Handler>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            continue;
        };
        let handler = Arc::clone(&handler);
        std::thread::spawn(move || connection(stream, &*handler));
    }
}

/// Answers the requests of one connection, in order, until it closes or a
/// request cannot be read (answered 400 or 413, then closed).
fn connection(stream: UnixStream, handler: &Handler) {
    let Ok(writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = writer;
    loop {
        let (status, body, close) = match request(&mut reader) {
            Ok(None) => return,
            Ok(Some(Request { path, body })) => {
                let (status, out) = if path == "/Plugin.Activate" {
                    (200, br#"{"Implements": ["authz"]}"#.to_vec())
                } else {
                    handler(&path, &body)
                };
                (status, out, false)
            }
            Err((status, message)) => (status, answer(false, &message), true),
        };
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            413 => "Payload Too Large",
            _ => "Error",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/vnd.docker.plugins.v1+json\r\nContent-Length: {}\r\n{}\r\n",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        );
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(&body).is_err()
            || writer.flush().is_err()
            || close
        {
            return;
        }
    }
}

/// One HTTP request to the plugin: the call's path and its body.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: String,
    pub body: Vec<u8>,
}

/// An HTTP status and the reason, for a request that cannot be read.
pub type Refusal = (u16, String);

fn bad(message: &str) -> Refusal {
    (400, format!("shipshape: {message}"))
}

fn too_large() -> Refusal {
    (
        413,
        format!("shipshape: the plugin request is larger than {MAX_QUESTION} bytes"),
    )
}

/// Reads one HTTP request; `None` at the end of the connection.
pub fn request(reader: &mut impl BufRead) -> Result<Option<Request>, Refusal> {
    let mut line = String::new();
    let mut seen = 0;
    let mut read_line = |line: &mut String| -> Result<usize, Refusal> {
        line.clear();
        let n = reader
            .by_ref()
            .take((MAX_HEADERS - seen.min(MAX_HEADERS)) as u64 + 1)
            .read_line(line)
            .map_err(|e| bad(&format!("cannot read the request: {e}")))?;
        seen += n;
        if seen > MAX_HEADERS {
            return Err(bad("the request's headers are too long"));
        }
        Ok(n)
    };
    if read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut words = line.split_whitespace();
    let (Some(_method), Some(path)) = (words.next(), words.next()) else {
        return Err(bad("not an HTTP request"));
    };
    let path = path.to_string();
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        if read_line(&mut line)? == 0 {
            return Err(bad("the request ends inside its headers"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value
                    .trim()
                    .parse()
                    .map_err(|_| bad("the request's Content-Length is not a number"))?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.trim().eq_ignore_ascii_case("chunked");
            }
        }
    }
    let body = if chunked {
        chunks(reader)?
    } else {
        if length > MAX_QUESTION {
            return Err(too_large());
        }
        let mut body = vec![0; length];
        reader
            .read_exact(&mut body)
            .map_err(|e| bad(&format!("the request's body is cut short: {e}")))?;
        body
    };
    Ok(Some(Request { path, body }))
}

/// The next line of a chunked body (a chunk's size, or the line break
/// after its data) into `line`, at most 1 KiB of it.
fn chunk_line(reader: &mut impl BufRead, line: &mut String) -> Result<(), Refusal> {
    line.clear();
    reader
        .by_ref()
        .take(1024)
        .read_line(line)
        .map(|_| ())
        .map_err(|e| bad(&format!("cannot read the request: {e}")))
}

/// A chunked body, up to [`MAX_QUESTION`] bytes.
fn chunks(reader: &mut impl BufRead) -> Result<Vec<u8>, Refusal> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        chunk_line(reader, &mut line)?;
        let size = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size, 16).map_err(|_| bad("a chunk size is not hex"))?;
        // The body never exceeds the limit, so this cannot overflow.
        if size > MAX_QUESTION - body.len() {
            return Err(too_large());
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(&mut body[start..])
            .map_err(|e| bad(&format!("the request's body is cut short: {e}")))?;
        chunk_line(reader, &mut line)?;
        if size == 0 {
            return Ok(body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(method: &str, uri: &str) -> Call {
        Question {
            user: String::new(),
            method: method.into(),
            uri: uri.into(),
            body: None,
        }
        .call()
    }

    #[test]
    fn calls_are_told_apart() {
        assert_eq!(
            ask("POST", "/v1.47/containers/create?name=web"),
            Call::Create {
                name: Some("web".into())
            }
        );
        assert_eq!(
            ask("POST", "/containers/create"),
            Call::Create { name: None }
        );
        assert_eq!(
            ask("POST", "/v1.41/containers/ab%2Fc/exec"),
            Call::Exec {
                container: "ab/c".into()
            }
        );
        assert_eq!(
            ask("POST", "/v1.41/containers/web/update"),
            Call::Update {
                container: "web".into()
            }
        );
        assert_eq!(
            ask(
                "POST",
                "/v1.41/plugins/pull?remote=vieux%2Fsshfs%3Alatest&name=s"
            ),
            Call::Plugin {
                remote: "vieux/sshfs:latest".into()
            }
        );
        assert_eq!(
            ask(
                "POST",
                "/v1.41/plugins/sshfs/upgrade?remote=vieux/sshfs:next"
            ),
            Call::Plugin {
                remote: "vieux/sshfs:next".into()
            }
        );
        assert_eq!(ask("POST", "/v1.41/volumes/create"), Call::Volume);
        assert_eq!(ask("GET", "/v1.47/containers/create"), Call::Other);
        assert_eq!(ask("POST", "/v1.41/plugins/sshfs/enable"), Call::Other);
        assert_eq!(ask("POST", "/v1.47/containers/web/start"), Call::Other);
        assert_eq!(ask("POST", "/v1.47/images/create?fromImage=x"), Call::Other);
    }

    #[test]
    fn questions_are_read_or_refused() {
        let q = question(
            br#"{"User": "alice", "RequestMethod": "POST", "RequestUri": "/v1.47/containers/create",
                 "RequestBody": "eyJJbWFnZSI6ICJ4In0=", "RequestHeaders": {}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.body.as_deref(), Some(&br#"{"Image": "x"}"#[..]));
        assert_eq!(q.user, "alice");
        let q =
            question(br#"{"RequestMethod": "GET", "RequestUri": "/_ping", "RequestBody": null}"#)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.body, None);
        assert!(matches!(question(b"{"), Err(QuestionError::Json(_))));
        assert_eq!(
            question(br#"{"RequestUri": "/x"}"#),
            Err(QuestionError::Missing("RequestMethod"))
        );
        assert!(matches!(
            question(br#"{"RequestMethod": "POST", "RequestUri": "/x", "RequestBody": "!!"}"#),
            Err(QuestionError::Body(_))
        ));
    }

    fn read(raw: &[u8]) -> Result<Option<Request>, Refusal> {
        request(&mut BufReader::new(raw))
    }

    #[test]
    fn http_requests_are_read_with_limits() {
        let Request { path, body } =
            read(b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
                .ok()
                .flatten()
                .unwrap_or_default();
        assert_eq!(
            (path.as_str(), body.as_slice()),
            ("/AuthZPlugin.AuthZReq", &b"{}"[..])
        );
        let chunked =
            read(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assert_eq!(chunked.ok().flatten().map(|r| r.body), Some(b"{}".to_vec()));
        assert_eq!(read(b"").ok(), Some(None));
        let huge = format!(
            "POST /x HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_QUESTION + 1
        );
        assert_eq!(read(huge.as_bytes()).err().map(|e| e.0), Some(413));
        let huge_chunk = b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nffffffffffffffff\r\n";
        assert_eq!(read(huge_chunk).err().map(|e| e.0), Some(413));
        assert_eq!(
            read(b"POST /x HTTP/1.1\r\nContent-Length: 9\r\n\r\n{}")
                .err()
                .map(|e| e.0),
            Some(400)
        );
        assert_eq!(
            read(b"POST /x HTTP/1.1\r\nContent-Length: x\r\n\r\n")
                .err()
                .map(|e| e.0),
            Some(400)
        );
        let long = format!("POST /x HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEADERS));
        assert_eq!(read(long.as_bytes()).err().map(|e| e.0), Some(400));
        assert_eq!(read(b"\r\n").err().map(|e| e.0), Some(400));
    }

    #[test]
    fn percent_decoding_keeps_what_it_cannot_decode() {
        assert_eq!(percent_decode("a%2Fb"), "a/b");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%"), "%");
    }
}
