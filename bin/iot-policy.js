#!/usr/bin/env node
'use strict';
// The `iot-policy` command line tool (bundled by `npm run build` into server/dist/cli.js).
// Before the bundle loads (loading it grows the young generation): keep V8's young generation at
// its initial size, as the bundle's run() does (server/src/cli/heap.ts says why).
require('v8').setFlagsFromString('--semi-space-growth-factor=1');
require('../server/dist/cli.js');
