//! Route lookup: lambda-router's build-time table against matchit 0.9 (axum's router), in the
//! same run, on the GitHub REST API route set that matchit's own benchmark uses.
//!
//! Method: 130 routes (`test-support/data/github-routes.txt`). One iteration of `github/all`
//! looks up all 130 paths of `github-paths.txt` (one per route, parameters filled with their
//! names), as matchit's benchmark does; `github/realistic` looks up the 100 paths of
//! `github-paths-realistic.txt`. Both routers are built before timing; one iteration is
//! lookups only. lambda-router returns the route id and borrowed parameters (`Match`);
//! matchit returns its value and borrowed `Params`. `static/*` compares the static-path
//! perfect hash with the `phf` crate on the 27 parameter-free paths of the set.
//!
//! Run: `cargo bench -p test-support --bench lookup`

use test_support::github;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambda_router::Method;

static PHF_STATICS: phf::Map<&'static str, u32> = phf::phf_map! {
    "/authorizations" => 0,
    "/events" => 3,
    "/feeds" => 12,
    "/notifications" => 13,
    "/user/starred" => 19,
    "/user/subscriptions" => 23,
    "/gists" => 27,
    "/issues" => 35,
    "/user/issues" => 36,
    "/emojis" => 50,
    "/gitignore/templates" => 51,
    "/meta" => 53,
    "/rate_limit" => 54,
    "/user/orgs" => 56,
    "/user/teams" => 68,
    "/user/repos" => 75,
    "/repositories" => 78,
    "/search/repositories" => 109,
    "/search/code" => 110,
    "/search/issues" => 111,
    "/search/users" => 112,
    "/user" => 118,
    "/users" => 119,
    "/user/emails" => 120,
    "/user/followers" => 122,
    "/user/following" => 124,
    "/user/keys" => 128,
};

fn bench(c: &mut Criterion) {
    let routes = github::lines(github::ROUTE_LIST);
    let all = github::lines(github::PATHS);
    let realistic = github::lines(github::REALISTIC_PATHS);
    let mut matchit = matchit::Router::new();
    for (index, route) in routes.iter().enumerate() {
        matchit.insert(*route, index).expect("matchit accepts the GitHub set");
    }
    for paths in [&all, &realistic] {
        for path in paths.iter() {
            let ours = github::ROUTER.find(Method::Get, path).map(|m| m.route);
            let theirs = matchit.at(path).ok().map(|m| *m.value);
            assert_eq!(ours, theirs, "both routers agree on {path}");
        }
    }

    for (name, paths) in [("github/all", &all), ("github/realistic", &realistic)] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(paths.len() as u64));
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                for path in paths.iter() {
                    black_box(github::ROUTER.find(Method::Get, black_box(path)));
                }
            })
        });
        group.bench_function("matchit", |b| {
            b.iter(|| {
                for path in paths.iter() {
                    let _ = black_box(matchit.at(black_box(path)));
                }
            })
        });
        group.finish();
    }

    let statics: Vec<&str> = routes.iter().copied().filter(|r| !r.contains('{')).collect();
    let mut group = c.benchmark_group("static");
    group.throughput(Throughput::Elements(statics.len() as u64));
    group.bench_function("lambda-router", |b| {
        b.iter(|| {
            for path in &statics {
                black_box(github::ROUTER.find(Method::Get, black_box(path)));
            }
        })
    });
    group.bench_function("phf", |b| {
        b.iter(|| {
            for path in &statics {
                black_box(PHF_STATICS.get(black_box(*path)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
