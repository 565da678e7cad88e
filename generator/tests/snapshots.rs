//! Snapshot tests: every fixture in `fixtures/constructs/` rendered in memory.

mod common;

use common::render_fixture;

#[test]
fn constructs() {
    insta::glob!("fixtures/constructs/*.yaml", |path| {
        insta::assert_snapshot!(render_fixture(path));
    });
}
