/**
 * The layers of ARCHITECTURE.md, as `npm run lint` enforces them with dependency-cruiser
 * (.dependency-cruiser.cjs): the real tree has no violation, and a fixture with a cycle and an
 * upward import fails both rules, so the check can fail. Runs the same command as the lint script.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function violations(cwd: string, dirs: string[]): string[] {
  const r = spawnSync(process.execPath, [CLI, ...dirs, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('layers and cycles (npm run lint)', () => {
  it('the source tree has no cycle and no upward import', () => {
    assert.deepEqual(violations(ROOT, ['server/src', 'client/src', 'shared/src']), []);
  });

  it('a cycle, and the model importing a rule, are both reported', () => {
    const found = violations(path.join(ROOT, 'test', 'fixtures', 'layers'), ['server/src']);
    assert.ok(found.some((v) => v.startsWith('no-circular:')), found.join('\n'));
    assert.ok(found.some((v) => v.startsWith('policy-reads-no-parser: server/src/service/policy/model.ts')), found.join('\n'));
  });
});
