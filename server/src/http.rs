//! HTTP/1.1 in and out: each connection served by hyper on the LocalSet,
//! each request read whole (up to a limit), handed to the API by its
//! `X-Amz-Target`, and answered as awsJson1.0.

use crate::error::ApiError;
use crate::Server;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::convert::Infallible;
use std::rc::Rc;

/// The largest request body read; AWS's own limits (1 MiB definitions,
/// 256 KiB inputs) are checked per member, with AWS's errors.
const MAX_BODY: usize = 16 * 1024 * 1024;

const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

pub async fn serve(server: Rc<Server>, listener: tokio::net::TcpListener, shutdown: impl std::future::Future<Output = ()>) {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let server = server.clone();
                    tokio::task::spawn_local(async move {
                        let service = hyper::service::service_fn(move |req| {
                            let server = server.clone();
                            async move { Ok::<_, Infallible>(handle(&server, req).await) }
                        });
                        // A client that goes away mid-request ends only its connection.
                        let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                    });
                }
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a moment, then go on serving.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            }
        }
    }
}

async fn handle(server: &Rc<Server>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    // A browser's GET: the console's pages.
    if req.method() == hyper::Method::GET {
        let (status, html) = crate::console::page(server, req.uri().path(), req.uri().query().unwrap_or(""));
        return Response::builder()
            .status(status)
            .header("content-type", "text/html; charset=utf-8")
            .body(Full::new(Bytes::from(html)))
            .expect("a response of a status, a header and a body builds");
    }
    let started = std::time::Instant::now();
    let target = req.headers().get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let operation = target.strip_prefix("AWSStepFunctions.").unwrap_or_default().to_string();
    let outcome = match (req.method() == hyper::Method::POST, operation.is_empty()) {
        (false, _) => Err(ApiError::new("UnknownOperationException", "the Step Functions API takes POST requests")),
        (true, true) => Err(ApiError::new(
            "UnknownOperationException",
            format!("unknown operation {target:?}: the X-Amz-Target header names AWSStepFunctions.<Operation>"),
        )),
        (true, false) => match read_body(req).await {
            Ok(body) => crate::api::dispatch(server, &operation, &body).await,
            Err(e) => Err(e),
        },
    };
    server.save();
    let (status, body) = match &outcome {
        Ok(v) => (200, v.to_string()),
        Err(e) => (e.status(), e.body().to_string()),
    };
    if server.config.log_requests {
        log(server, &operation, status, outcome.as_ref().err(), started.elapsed());
    }
    Response::builder()
        .status(status)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-requestid", uuid::Uuid::new_v4().to_string())
        .body(Full::new(Bytes::from(body)))
        .expect("a response of a status, two headers and a body builds")
}

/// The body as JSON; empty means `{}`.
async fn read_body(req: Request<Incoming>) -> Result<Value, ApiError> {
    let bytes = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Err(ApiError::validation(format!(
                "the request body is over {MAX_BODY} bytes, or the connection broke while it was read"
            )))
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::serialization(format!("the request body is not JSON: {e}")))
}

fn log(server: &Server, operation: &str, status: u16, error: Option<&ApiError>, took: std::time::Duration) {
    let millis = took.as_secs_f64() * 1000.0;
    if server.config.log_json {
        let line = serde_json::json!({"operation": operation, "status": status, "error": error.map(|e| e.code), "millis": millis});
        eprintln!("{line}");
    } else {
        match error {
            Some(e) => eprintln!("{operation} {status} {} ({millis:.2} ms)", e.code),
            None => eprintln!("{operation} {status} ({millis:.2} ms)"),
        }
    }
}
