'use strict';
/** Reads a file of this repository as text (for tests that check files which cannot run here). */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function readRepoFile(relativePath) {
	return readFileSync(join(__dirname, '..', '..', relativePath), 'utf8');
}

module.exports = { readRepoFile };
