//! The build-time compiler's entry point on bad tables: every error names the file, the line
//! and the route (these are what a user's `cargo build` prints).

use lambda_router_build::Build;

/// Writes `source` to a file of its own and compiles its `ROUTES` table.
fn compile(name: &str, source: &str) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("lambda-router-build-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, source).unwrap();
    Build::new("unused.rs").mount("", &file, "ROUTES").generate().map_err(|err| {
        let text = err.to_string();
        assert!(text.starts_with(&file.display().to_string()), "names the file: {text}");
        text[file.display().to_string().len()..].to_owned()
    })
}

const HEADER: &str = "use lambda_router::{Method, MethodSet, Route};\n";

#[test]
fn a_malformed_pattern_names_the_line_the_route_and_the_byte() {
    let source = format!(
        "{HEADER}pub const ROUTES: &[Route] = &[\n    Route::get(\"/ok\", ok),\n    Route::get(\"/users/<id\", user),\n];\n"
    );
    assert_eq!(
        compile("malformed", &source).unwrap_err(),
        ":4: route #1: invalid route pattern `/users/<id` at byte 7: unclosed parameter (missing `>` or `}`)"
    );
}

#[test]
fn a_conflict_names_both_routes() {
    let source = format!(
        "{HEADER}pub const ROUTES: &[Route] = &[\n    Route::get(\"/a/<x>\", a),\n    Route::new(MethodSet::of(&[Method::Get]), \"/a/{{y}}\", b),\n];\n"
    );
    assert_eq!(
        compile("conflict", &source).unwrap_err(),
        ":4: route #1 `GET /a/{y}` can never match: route #0 `GET /a/<x>` has the same shape and answers the \
         same methods first"
    );
}

#[test]
fn what_the_reader_cannot_read_is_named() {
    let cases = [
        (
            "pub const ROUTES: &[Route] = &[Route::get(PATTERN, ok)];",
            ":2: route #0 of `ROUTES`: the pattern must be a string literal, so that it can be compiled at build time",
        ),
        (
            "pub const ROUTES: &[Route] = &[Route::fetch(\"/x\", ok)];",
            ":2: route #0 of `ROUTES`: unknown route constructor `Route::fetch`",
        ),
        (
            "pub const ROUTES: &[Route] = &[Route::get(\"/x\", ok).gzip()];",
            ":2: route #0 of `ROUTES`: unknown route option `.gzip()`",
        ),
        (
            "pub const ROUTES: &[Route] = &[Route::new(MethodSet::of(&[Method::Brew]), \"/x\", ok)];",
            ":2: route #0 of `ROUTES`: unknown method `Brew`",
        ),
        ("pub const ROUTES: Vec<Route> = vec![];", ":2: `ROUTES` must have the type `&[Route]` or `&[Route<T>]`"),
        (
            "pub const OTHER: &[Route] = &[];",
            ":0: no `const ROUTES` route table (at the top level or in an inline module)",
        ),
        ("pub const ROUTES: &[Route] = &[;", ":2: cannot parse:"),
        (
            "pub const ROUTES: &[Route] = &[Route::get(\"/x\", ok) Route::get(\"/y\", ok)];",
            ":2: cannot parse: expected `,`",
        ),
    ];
    for (index, (table, expected)) in cases.iter().enumerate() {
        let error = compile(&format!("unreadable{index}"), &format!("{HEADER}{table}\n")).unwrap_err();
        assert!(error.starts_with(expected), "{table}\n got: {error}\n want: {expected}");
    }
}

#[test]
fn a_good_table_generates_a_checked_static_router() {
    let source = format!(
        "{HEADER}mod api {{\n    pub const ROUTES: &[Route] = &[Route::get(\"/hello\", hello).compress(), Route::post(\"/later\", later)];\n}}\n"
    );
    let code = compile("good", &source).unwrap();
    assert!(
        code.contains("pub static ROUTER: ::lambda_router::Router = ::lambda_router::Router::__from_static_fn("),
        "{code}"
    );
    let check = |index: usize, pattern: &str, bits: u16| {
        format!("same_route(ROUTES[{index}].pattern(), ROUTES[{index}].methods().bits(), \"{pattern}\", {bits})")
    };
    assert!(code.contains(&check(0, "/hello", 1)), "the staleness check: {code}");
    assert!(code.contains(&check(1, "/later", 4)), "{code}");
    assert!(code.contains("::lambda_router::__private::Table::from_static("), "the checked table constructor: {code}");
}

#[test]
fn the_crate_path_reaches_a_renamed_dependency() {
    let dir = std::env::temp_dir().join(format!("lambda-router-build-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("renamed.rs");
    std::fs::write(
        &file,
        format!("{HEADER}pub const ROUTES: &[Route<u8>] = &[Route::new(MethodSet::ANY, \"/x/<y>\", 1)];\n"),
    )
    .unwrap();
    let code = Build::new("unused.rs").crate_path("::router").mount("", &file, "ROUTES").generate().unwrap();
    assert!(code.contains("pub static ROUTER: ::router::Router<::router::Route<u8>>"), "{code}");
    assert!(!code.contains("lambda_router"), "nothing names the crate by its own name: {code}");
}

#[test]
fn a_path_parameter_missing_from_the_pattern_names_the_input_and_the_parameter() {
    let source = format!(
        "{HEADER}#[derive(Input)]\nstruct GetTodo {{\n    #[param]\n    todo_id: i64,\n}}\n\
         #[handler]\nfn get_todo<'a>(_: &Request<'a>, input: GetTodo) -> Result<Response<'a>, Error> {{ todo!() }}\n\
         pub const ROUTES: &[Route] = &[\n    Route::get(\"/health\", health),\n    Route::get(\"/todos/<id>\", get_todo),\n];\n"
    );
    assert_eq!(
        compile("missing_param", &source).unwrap_err(),
        ":11: route #1 `GET /todos/<id>`: `GetTodo` reads the path parameter `todo_id`, which is not in the pattern"
    );
    let fixed = source.replace("/todos/<id>", "/todos/{todo_id}");
    compile("present_param", &fixed).expect("the parameter is in the pattern");
}
