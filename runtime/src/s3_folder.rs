//! S3 on this machine: `--s3-dir DIR` stands for S3, `DIR/BUCKET/KEY` for
//! each object. It answers the S3 calls a workflow makes (GetObject,
//! PutObject and ListObjectsV2, from a Distributed Map's ItemReader and
//! ResultWriter or from `aws-sdk:s3:*` Tasks) and hands every other Task
//! to the integration it wraps. Keys are checked so no call reads or
//! writes outside the folder.

use crate::error::Failure;
use crate::integration::TaskRequest;
use serde_json::{json, Value};
use sfc_asl::resource::{Pattern, Resource};
use std::path::{Path, PathBuf};

pub struct S3Folder {
    pub root: PathBuf,
}

/// The S3 call a resource names, if it is one this folder answers.
fn s3_action(resource: &str) -> Option<&str> {
    match Resource::parse(resource) {
        Resource::Integration { service: "s3" | "aws-sdk:s3", action, pattern: Pattern::RequestResponse, .. } => {
            ["getObject", "putObject", "listObjectsV2"].into_iter().find(|a| *a == action)
        }
        _ => None,
    }
}

/// An error as Step Functions names S3's (`S3.NoSuchKeyException`).
fn s3_error(code: &str, message: &str, status: u16) -> Failure {
    Failure::new(format!("S3.{code}Exception"), format!("{message} (Service: S3, Status Code: {status}, Request ID: local)"))
}

fn text<'v>(parameters: &'v Value, member: &str) -> Result<&'v str, Failure> {
    parameters[member].as_str().ok_or_else(|| Failure::runtime(format!("the S3 call needs {member}, a string")))
}

impl S3Folder {
    /// The folder's answer to `request`, if it is an S3 call it answers.
    pub fn answer(&self, request: &TaskRequest) -> Option<Result<Value, Failure>> {
        Some(match s3_action(request.resource)? {
            "getObject" => self.get(&request.parameters),
            "putObject" => self.put(&request.parameters),
            _ => self.list(&request.parameters),
        })
    }

    /// `DIR/BUCKET`, which must exist as a folder.
    fn bucket(&self, bucket: &str) -> Result<PathBuf, Failure> {
        if bucket.is_empty() || bucket.contains(['/', '\\']) || bucket == "." || bucket == ".." {
            return Err(Failure::runtime(format!("{bucket:?} is not a bucket name")));
        }
        let dir = self.root.join(bucket);
        match dir.is_dir() {
            true => Ok(dir),
            false => Err(s3_error("NoSuchBucket", "The specified bucket does not exist", 404)),
        }
    }

    /// The file of a key: each part a plain name, so the path stays in the folder.
    fn object(&self, bucket: &str, key: &str) -> Result<PathBuf, Failure> {
        let bad =
            key.is_empty() || key.starts_with('/') || key.split('/').any(|p| p.is_empty() || p == "." || p == "..") || key.contains('\\');
        if bad {
            return Err(Failure::runtime(format!("the key {key:?} would leave --s3-dir; keys are names separated by '/'")));
        }
        Ok(self.bucket(bucket)?.join(key))
    }

    fn get(&self, p: &Value) -> Result<Value, Failure> {
        let path = self.object(text(p, "Bucket")?, text(p, "Key")?)?;
        if !path.is_file() {
            return Err(s3_error("NoSuchKey", "The specified key does not exist.", 404));
        }
        let body = std::fs::read(&path).map_err(|e| Failure::runtime(format!("cannot read {}: {e}", path.display())))?;
        let size = body.len();
        let mut answer = crate::item_reader::body_member(body);
        answer["ContentLength"] = size.into();
        Ok(answer)
    }

    fn put(&self, p: &Value) -> Result<Value, Failure> {
        let path = self.object(text(p, "Bucket")?, text(p, "Key")?)?;
        let body = match &p["Body"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        write_whole(&path, body.as_bytes()).map_err(|e| Failure::runtime(format!("cannot write {}: {e}", path.display())))?;
        let etag = crate::intrinsics::hash_hex(&body, "MD5").unwrap_or_default();
        Ok(json!({"ETag": format!("\"{etag}\"")}))
    }

    fn list(&self, p: &Value) -> Result<Value, Failure> {
        let bucket = text(p, "Bucket")?;
        let dir = self.bucket(bucket)?;
        let prefix = p["Prefix"].as_str().unwrap_or("");
        let mut keys = Vec::new();
        collect(&dir, &dir, &mut keys).map_err(|e| Failure::runtime(format!("cannot list {}: {e}", dir.display())))?;
        keys.sort();
        let contents: Vec<Value> = keys
            .into_iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(key, size)| json!({"Key": key, "Size": size, "StorageClass": "STANDARD"}))
            .collect();
        Ok(json!({"Name": bucket, "Prefix": prefix, "KeyCount": contents.len(), "IsTruncated": false, "Contents": contents}))
    }
}

/// Every file under `dir`, as a key relative to `root`, with its size.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, u64)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &entry.path(), out)?;
        } else if kind.is_file() {
            let key = entry.path().strip_prefix(root).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            out.push((key, entry.metadata()?.len()));
        }
    }
    Ok(())
}

/// Writes a file whole or not at all: a temporary file beside it, renamed.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension(format!("sfc-{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}
