//! Writes the events of the whole-process benchmark (`benches/process.py`): for each scenario
//! it measures, `COUNT` copies of the pipeline benchmark's event as JSON lines, in
//! `DIR/<scenario>.jsonl`. Usage: `process_events DIR COUNT`.

#[path = "../benches/common/scenarios.rs"]
mod scenarios;

use std::io::Write;

/// The scenarios the issue names, by the pipeline benchmark's names, and their file names.
const MEASURED: [(&str, &str); 4] = [
    ("rest-v1 GET /hello/<name>", "rest-get"),
    ("rest-v1 POST /echo (300 B JSON)", "rest-post"),
    ("http-v2 GET /hello/<name>", "http-get"),
    ("alb GET /hello", "alb-get"),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(count)) = (args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: process_events DIR COUNT");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("the output directory");
    let all = scenarios::all();
    for (name, file) in MEASURED {
        let scenario = all.iter().find(|s| s.name == name).expect("a pipeline scenario");
        let mut line = scenario.event.clone();
        line.push(b'\n');
        let path = std::path::Path::new(dir).join(format!("{file}.jsonl"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("the events file"));
        for _ in 0..count {
            out.write_all(&line).expect("write the events");
        }
        println!("{file} {} {}", scenario.status, path.display());
    }
}
