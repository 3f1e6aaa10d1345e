/**
 * The mocha runner of the web extension test (`node test/e2e/run-code-server.mjs --web`): loaded
 * by the web worker extension host, where the extension runs from its `browser` entry and the
 * language server from its browser build. The host loads one CommonJS file that knows only
 * `vscode`, so the driver bundles this runner, mocha's browser build and the suites with esbuild
 * (`node:assert` and `node:path` stand in from assert.ts and path.ts).
 *
 * The suites are the ones of test/e2e/suite that need no Node (they reach files through VS Code),
 * unchanged, and web.e2e.test.ts for what only the web has. Ends with `N passed, N failed`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- mocha must be set up before the suites load */
require('mocha/mocha');

export function run(): Promise<void> {
  mocha.setup({ ui: 'tdd', timeout: 30000, color: false, reporter: 'spec' });
  require('./web.e2e.test');
  require('../suite/diagnostics.e2e.test');
  require('../suite/quickfix.e2e.test');
  require('../suite/hover.e2e.test');
  require('../suite/completion.e2e.test');
  require('../suite/outline.e2e.test');
  require('../suite/nonPolicy.e2e.test');
  require('../suite/terraform.e2e.test');
  require('../suite/cdk.e2e.test');
  require('../suite/testAuthorization.e2e.test');
  require('../suite/settings.e2e.test');
  require('../suite/workspaceDiagnostics.e2e.test');
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        const pending = runner.stats?.pending ?? 0;
        console.log(`${passes} passed, ${failures} failed` + (pending ? `, ${pending} skipped` : ''));
        if (failures > 0 || passes === 0) reject(new Error(`${failures} web end-to-end test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
