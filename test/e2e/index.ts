/**
 * The mocha runner loaded inside the VS Code extension host (`--extensionTestsPath`).
 * Runs every `suite/*.e2e.test.js` next to it and ends with a line `N passed, N failed`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30000, color: false, reporter: 'spec' });
  const grep = process.env.IOT_E2E_GREP;
  if (grep) mocha.grep(grep);
  const dir = path.join(__dirname, 'suite');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        const pending = runner.stats?.pending ?? 0;
        console.log(`${passes} passed, ${failed} failed` + (pending ? `, ${pending} skipped` : ""));
        if (failures > 0 || passes === 0) reject(new Error(`${failures} end-to-end test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
