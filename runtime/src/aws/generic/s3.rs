//! S3's REST protocol for what workflows do with it: GetObject,
//! PutObject and ListObjectsV2 (every page), from Distributed Maps'
//! readers and writers and `aws-sdk:s3` Tasks. Objects are addressed
//! path-style at a configured endpoint (moto, LocalStack), virtual-hosted
//! at AWS's.

use super::json_protocol::CallError;
use super::naming::ServiceError;
use super::signed::{Reply, Signer};
use super::text::{element, encode, unescape};
use crate::error::Failure;
use serde_json::{json, Value};
use sfc_asl::integrations::services::Service;

/// The S3 calls sfc makes.
pub const ACTIONS: &[&str] = &["getObject", "putObject", "listObjectsV2", "createBucket"];

/// Pages of a listing read at most (1,000 keys each).
const MAX_PAGES: usize = 10_000;

fn header<'r>(reply: &'r Reply, name: &str) -> Option<&'r str> {
    reply.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn text<'v>(p: &'v Value, member: &str) -> Result<&'v str, CallError> {
    p[member].as_str().ok_or_else(|| CallError::Failed(Failure::runtime(format!("the S3 call needs {member}, a string"))))
}

/// The object's URL: `<endpoint>/<bucket>/<key>` at a configured endpoint,
/// `https://<bucket>.s3.<region>.amazonaws.com/<key>` at AWS's.
fn url(signer: &Signer, service: &Service, bucket: &str, key: &str) -> Result<String, Failure> {
    let endpoint = signer.endpoint(service)?;
    let key = encode(key, true);
    Ok(match endpoint.strip_prefix("https://s3.") {
        Some(rest) if rest.ends_with(".amazonaws.com") => format!("https://{bucket}.s3.{rest}/{key}"),
        _ => format!("{endpoint}/{}/{key}", encode(bucket, false)),
    })
}

async fn send(signer: &Signer, service: &Service, method: &str, url: &str, body: Vec<u8>) -> Result<Reply, CallError> {
    let reply = signer.send(service, method, url, &[], body).await?;
    if reply.status >= 300 {
        let xml = String::from_utf8_lossy(&reply.body).to_string();
        let code = element(&xml, "Code").map(str::to_string).unwrap_or_else(|| match reply.status {
            404 => "NoSuchKey".into(),
            s => format!("HTTP{s}"),
        });
        return Err(CallError::Service(ServiceError {
            status: reply.status,
            code,
            message: unescape(element(&xml, "Message").unwrap_or("")),
            request_id: element(&xml, "RequestId").map(str::to_string).unwrap_or_else(|| reply.request_id.clone()),
            extended_id: header(&reply, "x-amz-id-2").or(element(&xml, "HostId")).map(str::to_string),
        }));
    }
    Ok(reply)
}

pub async fn call(signer: &Signer, service: &Service, action: &str, p: &Value) -> Result<Value, CallError> {
    let bucket = text(p, "Bucket")?;
    match action {
        "getObject" => {
            let reply = send(signer, service, "GET", &url(signer, service, bucket, text(p, "Key")?)?, Vec::new()).await?;
            let mut out = crate::item_reader::body_member(reply.body.clone());
            out["ContentLength"] = reply.body.len().into();
            for (h, member) in [("etag", "ETag"), ("content-type", "ContentType"), ("last-modified", "LastModified")] {
                if let Some(v) = header(&reply, h) {
                    out[member] = v.into();
                }
            }
            Ok(out)
        }
        "putObject" => {
            let body = match &p["Body"] {
                Value::String(s) => s.clone().into_bytes(),
                Value::Null => Vec::new(),
                other => other.to_string().into_bytes(),
            };
            let reply = send(signer, service, "PUT", &url(signer, service, bucket, text(p, "Key")?)?, body).await?;
            Ok(json!({"ETag": header(&reply, "etag").unwrap_or_default()}))
        }
        "listObjectsV2" => list(signer, service, bucket, p["Prefix"].as_str().unwrap_or("")).await,
        "createBucket" => {
            let reply = send(signer, service, "PUT", &url(signer, service, bucket, "")?, Vec::new()).await?;
            Ok(json!({"Location": header(&reply, "location").unwrap_or_default()}))
        }
        other => Err(CallError::Failed(Failure::runtime(format!("sfc calls {} of S3, not {other}; mock this state", ACTIONS.join(", "))))),
    }
}

/// Every page of the listing, its Contents joined.
async fn list(signer: &Signer, service: &Service, bucket: &str, prefix: &str) -> Result<Value, CallError> {
    let base = url(signer, service, bucket, "")?;
    let mut contents = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = format!("?list-type=2&prefix={}", encode(prefix, false));
        if let Some(t) = &token {
            query.push_str(&format!("&continuation-token={}", encode(t, false)));
        }
        let reply = send(signer, service, "GET", &format!("{base}{query}"), Vec::new()).await?;
        let xml = String::from_utf8_lossy(&reply.body).to_string();
        for part in xml.split("<Contents>").skip(1) {
            let part = part.split("</Contents>").next().unwrap_or("");
            let field = |tag| element(part, tag).map(unescape).unwrap_or_default();
            contents.push(json!({
                "Key": field("Key"), "LastModified": field("LastModified"), "ETag": field("ETag"),
                "Size": field("Size").parse::<u64>().unwrap_or(0), "StorageClass": field("StorageClass"),
            }));
        }
        token = element(&xml, "NextContinuationToken").map(unescape).filter(|_| element(&xml, "IsTruncated") == Some("true"));
        if token.is_none() {
            break;
        }
    }
    Ok(json!({"Name": bucket, "Prefix": prefix, "KeyCount": contents.len(), "IsTruncated": false, "Contents": contents}))
}
