#!/usr/bin/env node
// Takes the README screenshot in a real VS Code (code-server + Debian's chromium via
// playwright-core): opens a bad policy from examples/, waits for our diagnostic squiggle,
// hovers it so the hover (diagnostic + documentation) is open, and writes docs/images/screenshot.png.
//
//   npm run screenshot
//   node scripts/screenshot.mjs [--file bad-variable-typo.iot-policy.json] [--text iot:Publsh]
//        [--out docs/images/screenshot.png] [--url <running workbench URL, e.g. from npm start>]
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureHost, launchChromium, makeScratch, ROOT, startCodeServer, workbenchUrl, writeUserSettings } from '../test/e2e/codeServer.mjs';

const opt = { file: 'bad-variable-typo.iot-policy.json', text: 'iot:Publsh', out: join(ROOT, 'docs/images/screenshot.png'), url: undefined, timeout: 90000 };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--file') opt.file = process.argv[++i];
  else if (a === '--text') opt.text = process.argv[++i];
  else if (a === '--out') opt.out = resolve(process.argv[++i]);
  else if (a === '--url') opt.url = process.argv[++i];
  else throw new Error(`unknown argument ${a}`);
}

const workspace = join(ROOT, 'examples');
let scratch;
let server;
let browser;
let code = 1;
let pageForDebug;
try {
  let url = opt.url;
  if (!url) {
    ensureHost();
    scratch = makeScratch('iot-policy-shot-');
    writeUserSettings(scratch, {
      'editor.hover.delay': 100,
      'editor.minimap.enabled': false,
      'window.commandCenter': false,
      'workbench.layoutControl.enabled': false,
      'chat.commandCenter.enabled': false,
    });
    server = await startCodeServer({ scratch });
    url = workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: ROOT });
  }
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  pageForDebug = page;
  page.setDefaultTimeout(opt.timeout);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  // The explorer shows the workspace once the folder is open.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  // Open the file through Quick Open.
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(opt.file);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab[aria-label^="${opt.file}"]`).first().waitFor().catch(() => undefined);
  // Our diagnostic: an error squiggle in the editor.
  const squiggle = page.locator('.monaco-editor .view-overlays .squiggly-error, .monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached' });
  // Hover the text the finding is about.
  const target = page.locator('.monaco-editor .view-line span span', { hasText: opt.text }).first();
  await target.waitFor();
  const box = await target.boundingBox();
  if (!box) throw new Error(`"${opt.text}" is not visible`);
  const hover = page.locator('.monaco-hover .hover-row, .monaco-hover .hover-contents').first();
  // Mouse over the token; if no hover shows, put the cursor there and run editor.action.showHover.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const shown = await hover.waitFor({ state: 'visible', timeout: 8000 }).then(() => true, () => false);
  if (!shown) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await hover.waitFor({ state: 'visible' });
  }
  // Let the hover finish its layout (it resizes once markdown is rendered): wait for two animation frames.
  await page.evaluate(() => new Promise((r) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(r))));
  mkdirSync(dirname(opt.out), { recursive: true });
  await page.screenshot({ path: opt.out });
  process.stdout.write(`wrote ${opt.out}\n`);
  code = 0;
} catch (err) {
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  await pageForDebug?.screenshot({ path: join(ROOT, 'out', 'screenshot.failed.png') }).catch(() => undefined);
  process.stderr.write(`screenshot failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  scratch?.dispose();
}
process.exit(code);
