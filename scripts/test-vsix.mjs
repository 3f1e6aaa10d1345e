#!/usr/bin/env node
// `npm run test:vsix` (after `npm run package`): checks the .vsix (size < 2 MB, only runtime
// files), installs it into a scratch code-server extensions folder with --install-extension and
// runs the end-to-end suite against that installed build (not the checkout).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/e2e/codeServer.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = process.argv[2] ?? join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
const MAX = 2 * 1024 * 1024;

/** Entry names from the zip central directory. */
function zipEntries(buf) {
  const names = [];
  let eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const size = statSync(vsix).size;
const entries = zipEntries(readFileSync(vsix));
const allowed = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|README)\.md$/,
  /^extension\/(changelog|CHANGELOG)\.md$/,
  /^extension\/LICENSE(\.txt|\.md)?$/,
  /^extension\/client\/dist\/(browser\/)?extension\.js$/,
  /^extension\/server\/dist\/(server|cli|browser\/server)\.js$/,
  /^extension\/server\/dist\/wasm\/tree-sitter(-[a-z]+)?\.wasm$/,
  /^extension\/snippets\/[^/]+\.json$/,
  /^extension\/schemas\/[^/]+\.schema\.json$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/docs\/.+\.md$/,
  /^extension\/images\/icon\.png$/,
];
const stray = entries.filter((e) => !allowed.some((re) => re.test(e)));
const required = ['extension/package.json', 'extension/client/dist/extension.js', 'extension/server/dist/server.js', 'extension/client/dist/browser/extension.js', 'extension/server/dist/browser/server.js', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/images/icon.png', 'extension/schemas/iot-policy-test.schema.json', 'extension/schemas/iot-policy.config.schema.json'];
const lower = new Set(entries.map((e) => e.toLowerCase()));
const missing = required.filter((r) => !lower.has(r.toLowerCase()) && !lower.has(r.toLowerCase().replace('license.txt', 'license')));
console.log(`vsix: ${vsix}`);
console.log(`vsix: ${entries.length} files, ${(size / 1024).toFixed(1)} KB (limit ${MAX / 1024} KB)`);
const problems = [];
if (size >= MAX) problems.push('larger than 2 MB');
if (stray.length) problems.push(`files that do not run or document: ${stray.join(', ')}`);
if (missing.length) problems.push(`missing ${missing.join(', ')}`);
for (const p of problems) console.log(`vsix: FAIL: ${p}`);
if (problems.length) process.exit(1);
console.log('vsix: contents ok');

const r = spawnSync(process.execPath, [join(ROOT, 'test/e2e/run-code-server.mjs'), '--vsix', vsix, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
