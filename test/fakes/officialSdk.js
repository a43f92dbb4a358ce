'use strict';
/**
 * Official SDK functions that ship only as ES modules (jest's CommonJS runtime cannot load them). They run
 * in a child Node process, so the signatures still come from the SDK's own code.
 */
const { execFileSync } = require('node:child_process');

function runModule(source, input) {
	return execFileSync(process.execPath, ['--input-type=module', '-e', source], {
		input,
		cwd: __dirname,
		encoding: 'utf8',
	});
}

/** `sign(secret, payload)` from @octokit/webhooks-methods: `sha256=<hex>`. */
function octokitSign(secret, payload) {
	const source = `import { sign } from '@octokit/webhooks-methods';
let input = ''; for await (const chunk of process.stdin) input += chunk;
const { secret, payload } = JSON.parse(input);
process.stdout.write(await sign(secret, payload));`;
	return runModule(source, JSON.stringify({ secret, payload }));
}

/** `verify(secret, payload, signature)` from @octokit/webhooks-methods. */
function octokitVerify(secret, payload, signature) {
	const source = `import { verify } from '@octokit/webhooks-methods';
let input = ''; for await (const chunk of process.stdin) input += chunk;
const { secret, payload, signature } = JSON.parse(input);
process.stdout.write(String(await verify(secret, payload, signature)));`;
	return runModule(source, JSON.stringify({ secret, payload, signature })) === 'true';
}

module.exports = { octokitSign, octokitVerify };

/** `new LinearWebhookClient(secret).verify(rawBody, signature)` from @linear/sdk/webhooks: true, or the SDK's error message. */
function linearVerify(secret, rawBody, signature) {
	const source = `import { LinearWebhookClient } from '@linear/sdk/webhooks';
let input = ''; for await (const chunk of process.stdin) input += chunk;
const { secret, rawBody, signature } = JSON.parse(input);
try { process.stdout.write(String(new LinearWebhookClient(secret).verify(Buffer.from(rawBody), signature))); }
catch (error) { process.stdout.write(error.message); }`;
	const answer = runModule(source, JSON.stringify({ secret, rawBody, signature }));
	return answer === 'true' ? true : answer;
}

module.exports.linearVerify = linearVerify;
