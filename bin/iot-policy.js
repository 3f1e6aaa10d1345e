#!/usr/bin/env node
'use strict';
// The `iot-policy` command line tool (bundled by `npm run build` into server/dist/cli.js).
require('../server/dist/cli.js');
