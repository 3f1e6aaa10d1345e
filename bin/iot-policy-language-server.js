#!/usr/bin/env node
'use strict';
// The IoT policy language server for any LSP client.
//   iot-policy-language-server --stdio        (Neovim, Helix, Emacs, ...)
//   iot-policy-language-server --node-ipc     (when started by a Node parent with an IPC channel)
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('Usage: iot-policy-language-server --stdio | --node-ipc | --socket=<port>\n');
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(require('../package.json').version + '\n');
  process.exit(0);
}
if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe=') || a.startsWith('--clientProcessId'))) {
  // vscode-languageserver needs a transport; stdio is what editors expect by default.
  process.argv.push('--stdio');
}
require('../server/dist/server.js');
