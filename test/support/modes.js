'use strict';
/**
 * Sizes and seeds of the adversarial, fault and burst suites. `npm test` runs quick sizes; the long mode
 * (`npm run test:long`, i.e. VERIFIED_WEBHOOKS_LONG=1) runs the sizes the issues ask for. A seed comes from
 * SEED when given (to replay a failure), else from the clock, and every suite prints the one it used.
 */
function longMode() {
	return process.env.VERIFIED_WEBHOOKS_LONG === '1';
}

function seed() {
	return process.env.SEED ? Number(process.env.SEED) : Date.now() % 1_000_000;
}

/** One line of a suite's figures on the test output (jest keeps stdout of the test process). */
function report(line) {
	process.stdout.write(`${line}\n`);
}

module.exports = { longMode, seed, report };
