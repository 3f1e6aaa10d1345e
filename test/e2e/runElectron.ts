/**
 * `npm run test:electron`: the same end-to-end suite in desktop VS Code through
 * @vscode/test-electron, for machines that have or can download it. Set VSCODE_EXECUTABLE to an
 * installed `code` binary to skip the download. CI uses the code-server route instead
 * (test/e2e/run-code-server.mjs), which needs no download.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // out/test/e2e → repository root
  const root = path.resolve(__dirname, '..', '..', '..');
  try {
    const code = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      extensionTestsEnv: {
        IOT_E2E_MODE: 'dev',
        IOT_E2E_DEV_PATH: root,
        IOT_E2E_REPO: root + '/',
        // test-electron always passes --disable-workspace-trust; the untrusted run is code-server only.
        IOT_E2E_TRUST: 'disabled',
        IOT_POLICY_DIAGNOSTIC_DELAY: '0',
      },
      launchArgs: [path.join(root, 'test/e2e/fixtures/workspace'), '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
    });
    process.exit(code);
  } catch (err) {
    console.error('test-electron run failed:', err);
    process.exit(1);
  }
}

void main();
