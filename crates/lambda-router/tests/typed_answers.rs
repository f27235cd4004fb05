//! A `#[handler]` that returns a model is checked as the value it returns, not re-read from its
//! JSON: the answer must be exactly the one re-reading gives. Differential, on random values:
//! the same value answered by a typed handler (`-> Result<Item, Error>`) and by a handler that
//! writes it with `json_response` on a route declaring `.returns::<Item>()` (whose JSON is
//! re-read, checked and re-written), in and out of every constraint, with and without a custom
//! serializer (which turns the typed check off).

use lambda_router::testing::TestRequest;
use lambda_router::validate::{Model, Uuid};
use lambda_router::{App, Error, Request, Response, Route, Router, handler};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Model, Clone, Copy)]
enum Kind {
    Alpha,
    Beta,
}

#[derive(Model, Clone, Copy)]
struct Inner {
    #[field(ge = 1, le = 9)]
    n: u32,
}

#[derive(Model)]
struct Item<'a> {
    #[field(min_length = 2, max_length = 5, pattern = "^[a-z]+$")]
    name: &'a str,
    #[field(ge = 0, le = 100)]
    count: i64,
    #[field(gt = 0, lt = 10.5)]
    price: f64,
    ratio: f64,
    #[field(max_length = 3)]
    tags: &'a [&'a str],
    #[field(max_length = 4)]
    note: Option<&'a str>,
    kind: Kind,
    inner: Option<Inner>,
    id: Uuid,
    flag: bool,
}

/// What the test sends: every field's value, free of the model's constraints.
#[derive(Serialize, Deserialize, Debug, Clone)]
struct Raw {
    name: String,
    count: i64,
    price: f64,
    /// Makes `price` a NaN, which JSON cannot carry.
    nan: bool,
    /// Makes `ratio` (unconstrained; `price` otherwise) infinite, which JSON cannot carry.
    inf: bool,
    tags: Vec<String>,
    note: Option<String>,
    beta: bool,
    inner: Option<u32>,
    id: u64,
    flag: bool,
}

/// The item the request's body describes, built without checking it.
fn item<'a>(req: &Request<'a>) -> Result<Item<'a>, Error> {
    #[derive(Deserialize)]
    struct Borrowed<'b> {
        name: &'b str,
        count: i64,
        price: f64,
        nan: bool,
        inf: bool,
        tags: Vec<&'b str>,
        note: Option<&'b str>,
        beta: bool,
        inner: Option<u32>,
        id: u64,
        flag: bool,
    }
    let raw: Borrowed<'a> = req.json()?;
    Ok(Item {
        name: raw.name,
        count: raw.count,
        price: if raw.nan { f64::NAN } else { raw.price },
        ratio: if raw.inf { f64::INFINITY } else { raw.price },
        tags: req.arena().alloc_slice_copy(&raw.tags),
        note: raw.note,
        kind: if raw.beta { Kind::Beta } else { Kind::Alpha },
        inner: raw.inner.map(|n| Inner { n }),
        id: Uuid::from_u64_pair(raw.id, !raw.id),
        flag: raw.flag,
    })
}

#[handler]
fn typed<'a>(req: &Request<'a>) -> Result<Item<'a>, Error> {
    item(req)
}

fn reread<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    req.json_response(&item(req)?)
}

fn app() -> App {
    App::with_router(
        Router::builder()
            .push(Route::post("/typed", typed))
            .push(Route::post("/reread", reread).returns::<Item<'static>>())
            .build()
            .expect("the routes build"),
    )
}

fn pretty(value: lambda_router::Serializable<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    serde_json::to_writer_pretty(out, &value).map_err(|e| e.to_string())
}

/// Both routes' answers to `raw`: (status, body) each.
fn answers(app: &App, raw: &Raw) -> [(u16, String); 2] {
    ["/typed", "/reread"].map(|path| {
        let response = TestRequest::post(path).json_body(raw).http_v2().invoke(app).expect("an answer");
        (response.status(), response.text().to_string())
    })
}

fn raws() -> impl Strategy<Value = Raw> {
    (
        (
            // Valid half the time, so that the other fields decide.
            prop_oneof!["[a-z]{2,5}", "[a-zA-Z\"\\\\é ]{0,7}"],
            -20i64..130,
            prop_oneof![-2.0f64..12.0, Just(0.0), Just(10.5), Just(1e300)],
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.1),
        ),
        (
            prop::collection::vec("[a-z\n]{0,3}", 0..5),
            prop::option::of("[a-z]{0,6}"),
            any::<bool>(),
            prop::option::of(0u32..12),
            any::<u64>(),
            any::<bool>(),
        ),
    )
        .prop_map(|((name, count, price, nan, inf), (tags, note, beta, inner, id, flag))| Raw {
            name,
            count,
            price,
            nan,
            inf,
            tags,
            note,
            beta,
            inner,
            id,
            flag,
        })
}

proptest! {
    #[test]
    fn a_typed_answer_is_the_answer_re_reading_gives(raw in raws()) {
        let app = app();
        let [typed, reread] = answers(&app, &raw);
        // 200, or the model's 422: never the body's own error.
        prop_assert!(typed.0 == 200 || typed.0 == 422, "{:?}: {:?}", raw, typed);
        prop_assert_eq!(&typed, &reread, "{:?}", raw);
        let pretty_app = app.serializer(pretty);
        let [typed_pretty, reread_pretty] = answers(&pretty_app, &raw);
        prop_assert_eq!(&typed_pretty, &reread_pretty, "{:?}", raw);
        // A valid answer is the model's compact JSON, whatever the serializer.
        if typed.0 == 200 {
            prop_assert_eq!(&typed_pretty, &typed, "{:?}", raw);
        }
    }
}

/// The fixed points of the property: a valid item and one of each broken constraint.
#[test]
fn valid_and_invalid_items() {
    let valid = Raw {
        name: "abc".into(),
        count: 7,
        price: 2.5,
        nan: false,
        inf: false,
        tags: vec!["x".into()],
        note: None,
        beta: true,
        inner: Some(3),
        id: 1,
        flag: true,
    };
    let app = app();
    let [(status, body), reread] = answers(&app, &valid);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"{"name":"abc","count":7,"price":2.5,"ratio":2.5,"tags":["x"],"note":null,"kind":"beta","inner":{"n":3},"id":"00000000-0000-0001-ffff-fffffffffffe","flag":true}"#
    );
    assert_eq!((status, body), reread);
    let broken = [
        Raw { name: "A".into(), ..valid.clone() },
        Raw { count: 101, ..valid.clone() },
        Raw { price: 0.0, ..valid.clone() },
        Raw { nan: true, ..valid.clone() },
        Raw { inf: true, ..valid.clone() },
        Raw { tags: vec!["a".into(); 4], ..valid.clone() },
        Raw { note: Some("abcde".into()), ..valid.clone() },
        Raw { inner: Some(10), ..valid.clone() },
    ];
    for raw in &broken {
        let [typed, reread] = answers(&app, raw);
        assert_eq!(typed.0, 422, "{raw:?}: {}", typed.1);
        assert_eq!(typed, reread, "{raw:?}");
    }
}
