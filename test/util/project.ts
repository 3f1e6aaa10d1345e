/**
 * Temporary projects for CLI tests: a folder holding `files` (a string is written as it is, any
 * other value as indented JSON), marked as a repository root (`.git`) unless `git: false`, so the
 * configuration search stops there. Every folder is removed after the test file's tests, read-only
 * files and folders a test made included.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

const roots: string[] = [];
after(() => {
  for (const r of roots) {
    for (const f of fs.readdirSync(r, { recursive: true }) as string[]) {
      if (!fs.lstatSync(path.join(r, f)).isSymbolicLink()) fs.chmodSync(path.join(r, f), 0o755);
    }
    fs.rmSync(r, { recursive: true, force: true });
  }
});

export function tempProject(files: Record<string, unknown>, options: { prefix?: string; git?: boolean } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `iot-policy-${options.prefix ?? 'test'}-`));
  roots.push(root);
  if (options.git !== false) fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
  return root;
}
