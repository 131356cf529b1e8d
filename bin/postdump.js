#!/usr/bin/env node
// CommonJS (see bin/package.json): the bundled CLI starts without initialising the ES module loader.
require('../dist/cli/start.cjs').startCli();
