/**
 * A grammar that cannot be loaded (a missing or broken wasm file) makes its files unreadable,
 * said so with the reason: never a silent "no IoT policy". Its own process (node --test runs each
 * file apart), so the failing wasm source touches no other test.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';
import { onGrammarLoaded, setWasmSource } from '../../server/src/service/hosts/grammars';

test('lint names the file and the grammar that could not be loaded; exit 2; other files still linted', async () => {
  setWasmSource(() => Promise.reject(new Error('tree-sitter.wasm: not found')));
  const reported: string[] = [];
  onGrammarLoaded((name, problem) => reported.push(`${name}: ${problem}`));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-grammar-'));
  try {
    fs.writeFileSync(path.join(root, 'main.tf'), 'resource "aws_iot_policy" "p" {\n  name = "p"\n  policy = jsonencode({ Statement = [] })\n}\n');
    fs.writeFileSync(path.join(root, 'p.iot-policy.json'), '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publsh", "Resource": "*"}]}');
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readFile: (f) => fs.readFileSync(f, 'utf8'), cwd: root, isTTY: false, env: {} };
    const code = await main(['lint', 'main.tf', 'p.iot-policy.json'], io);
    assert.equal(code, 2);
    assert.match(stderr, /cannot read main\.tf: the hcl grammar could not be loaded \(tree-sitter\.wasm: not found\)/);
    assert.match(stdout, /p\.iot-policy\.json:1:\d+ error .*\[unknown-action\]/);
    assert.deepEqual(reported, ['hcl: tree-sitter.wasm: not found']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
