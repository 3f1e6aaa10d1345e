/**
 * The discovery rules the CLI's walk and the server's workspace diagnostics share
 * (service/discovery.ts): the glob an editor's file search gets names the files a host reads.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANDIDATE_FILES_GLOB, compileGlob, inSkippedDir, isCandidatePath, SKIPPED_DIRS, SKIPPED_DIRS_GLOB } from '../../server/src/service';

const NAMES = [
  'a.json', 'a.jsonc', 'a.iot-policy.json', 'a.yaml', 'a.yml', 'main.tf', 'main.tf.json', 'stack.ts', 'stack.mts', 'stack.cts',
  'app.js', 'app.mjs', 'app.cjs', 'app.py', 'types.d.ts', 'notes.txt', 'policy.json.tpl', 'policy.tftpl', 'README.md', 'Makefile',
];

test('the file-search glob finds every file a host reads; the server drops what it adds (.d.ts)', () => {
  const glob = compileGlob(CANDIDATE_FILES_GLOB, { anchored: true });
  for (const name of NAMES) {
    for (const path of [name, `deep/er/${name}`]) {
      if (isCandidatePath(path)) assert.ok(glob(path), `${path} is read by a host but the glob misses it`);
      else if (glob(path)) assert.equal(path.endsWith('.d.ts'), true, `${path} matches the glob but no host reads it`);
    }
  }
});

test('skipped folders: their glob and the path test agree, at any depth, never on the file name', () => {
  const glob = compileGlob(SKIPPED_DIRS_GLOB, { anchored: true });
  for (const dir of SKIPPED_DIRS) {
    for (const path of [`${dir}/x.json`, `a/${dir}/b/x.json`]) {
      assert.ok(glob(path), path);
      assert.ok(inSkippedDir(path), path);
    }
  }
  assert.equal(inSkippedDir('a/node_modules'), false, 'a file named node_modules');
  assert.equal(inSkippedDir('node_modules_x/a.json'), false);
});
