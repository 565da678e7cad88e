//! Snapshot tests: every fixture in `fixtures/constructs/` and `fixtures/pagination/` rendered
//! in memory.

mod common;

use common::render_fixture;

#[test]
fn constructs() {
    insta::glob!("fixtures/constructs/*.yaml", |path| {
        insta::assert_snapshot!(render_fixture(path));
    });
}

/// The inferred paginators, one fixture per pattern (followed against wiremock in
/// `tests/fixture-clients/tests/pagination.rs`).
#[test]
fn pagination() {
    insta::glob!("fixtures/pagination/*.yaml", |path| {
        insta::assert_snapshot!(render_fixture(path));
    });
}
