//! `sfc serve --s3-dir DIR`: Distributed Maps read their items from the
//! folder standing for S3 and write their results there.

use crate::*;

#[tokio::test]
async fn a_distributed_map_reads_and_writes_the_s3_folder() {
    let dir = std::env::temp_dir().join(format!("sfc-serve-s3-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::write(dir.join("in/orders.csv"), "id,total\n1,10\n2,20\n3,30\n").unwrap();
    let machine = r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                     "Parameters": {"Bucket": "in", "Key": "orders.csv"}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "in", "Prefix": "results"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "End": true}}}}}}"#;
    let l = local(Config { s3_dir: Some(dir.clone()), ..fast() });
    let arn = create(&l.client, "Orders", machine).await;
    let s = l.client.start_execution().state_machine_arn(arn).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status().as_str(), "SUCCEEDED", "{:?}", d.cause());
    let output: serde_json::Value = serde_json::from_str(d.output().unwrap()).unwrap();
    let manifest = dir.join("in").join(output["ResultWriterDetails"]["Key"].as_str().unwrap());
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap();
    let results = dir.join("in").join(manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].as_str().unwrap());
    let results: serde_json::Value = serde_json::from_slice(&std::fs::read(results).unwrap()).unwrap();
    let outputs: Vec<&str> = results.as_array().unwrap().iter().map(|r| r["Output"].as_str().unwrap()).collect();
    assert_eq!(outputs, [r#"{"id":"1"}"#, r#"{"id":"2"}"#, r#"{"id":"3"}"#]);
    let _ = std::fs::remove_dir_all(&dir);
}
