#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a local n8n at http://127.0.0.1:5678 with this package installed, the example workflows
 * imported, credentials pointing at local fake providers, and the Stripe example active. Ctrl-C stops all.
 *
 *   npm start                     n8n 2.41.1 (the default pin)
 *   npm start -- --n8n 1.123.81   another pinned version
 *   npm start -- --fresh          forget the previous demo (workflows, executions, login)
 *
 * State lives in <cache>/demo-<version>, so workflows you build survive restarts. Every fake provider in
 * test/fakes that exports `demo` listens on its own fixed port from 127.0.0.1:12111 up (Stripe 12111; the
 * list with ports is printed at start).
 */
const { join } = require('node:path');
const { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');

const { ensureDependencies } = require('./bootstrap');

/** Fixed ports, so the demo's credentials stay valid from one run to the next. */
const N8N_PORT = 5678;

function option(name) {
	const index = process.argv.indexOf(name);
	return index === -1 ? undefined : process.argv[index + 1];
}

async function main() {
	ensureDependencies();
	const { cacheRoot, pins } = require('./provision');
	const { N8nInstance, OWNER } = require('./n8n');
	const { exampleNames, loadExample } = require('./examples');

	const version = option('--n8n') ?? pins.default;
	const userFolder = join(cacheRoot(), `demo-${version}`);
	if (process.argv.includes('--fresh')) rmSync(userFolder, { recursive: true, force: true });

	// Every fake provider that says how to run it beside the demo (its module exports `demo`).
	const fakesFolder = join(__dirname, '..', 'test', 'fakes');
	const demos = readdirSync(fakesFolder)
		.filter((file) => /^fake\w+\.js$/.test(file))
		.map((file) => require(join(fakesFolder, file)).demo)
		.filter(Boolean)
		.sort((a, b) => a.port - b.port);
	const fakes = Object.fromEntries(demos.map((demo) => [demo.provider, demo.create(demo.port)]));
	for (const fake of Object.values(fakes)) await fake.start();
	const fake = fakes.stripe;
	const n8n = new N8nInstance({
		version,
		port: N8N_PORT,
		userFolder,
		quiet: !process.argv.includes('--verbose'),
	});
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		process.stderr.write('\nstopping n8n and the fake providers…\n');
		await n8n.stop();
		for (const each of Object.values(fakes)) await each.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	process.stderr.write(
		`[start] preparing n8n ${version} (first run installs it: several minutes)\n`,
	);
	await n8n.prepare();
	process.stderr.write(`[start] starting n8n ${version} on ${n8n.baseUrl} (log: ${n8n.logFile})\n`);
	await n8n.start();
	await n8n.setupOwner();

	// The fakes' ports and keys are fixed, so one credential per provider serves every run of this demo folder.
	const credentialFile = join(userFolder, 'demo-credentials.json');
	const saved = existsSync(credentialFile) ? JSON.parse(readFileSync(credentialFile, 'utf8')) : {};
	const wanted = Object.fromEntries(
		demos.map((demo) => [
			demo.credentialType,
			[demo.credentialName, demo.credential(fakes[demo.provider])],
		]),
	);
	const credentials = {};
	for (const [type, [name, data]] of Object.entries(wanted)) {
		const id = saved[type] ?? (await n8n.createCredential(name, type, data)).id;
		credentials[type] = { id, name };
	}
	writeFileSync(
		credentialFile,
		JSON.stringify(
			Object.fromEntries(Object.entries(credentials).map(([type, value]) => [type, value.id])),
		),
	);
	const existing = (await n8n.api('GET', '/workflows?limit=250')).data;
	// Everything the previous run left active points at the previous fake, whose endpoints are gone.
	for (const workflow of existing)
		if (workflow.active) await n8n.deactivate(workflow.id).catch(() => undefined);
	let stripeWorkflowId;
	for (const name of exampleNames()) {
		const workflow = loadExample(name, { credentials });
		const found = existing.find((candidate) => candidate.name === workflow.name);
		const id = found ? found.id : (await n8n.createWorkflow(workflow)).id;
		if (found)
			await n8n.api('PUT', `/workflows/${id}`, {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings,
			});
		if (name === 'stripe-verified-trigger') stripeWorkflowId = id;
	}
	await n8n.activate(stripeWorkflowId);
	await n8n.waitFor(async () => fake.activeEndpoints().length > 0, {
		what: 'the Stripe endpoint registration',
		timeoutMs: 30_000,
	});
	const endpoint = fake.activeEndpoints()[0];

	process.stdout.write(
		[
			'',
			`n8n ${version} is running with n8n-nodes-verified-webhooks installed.`,
			'',
			`  Editor:   ${n8n.baseUrl}/workflow/${stripeWorkflowId}`,
			`  Login:    ${OWNER.email} / ${OWNER.password}`,
			`  Stripe:   a local fake at ${fake.url}; the active example registered ${endpoint.id} -> ${endpoint.url}`,
			'',
			'Send a signed sample event (the fake signs it with the official stripe SDK and the endpoint secret):',
			'',
			`  curl -s -X POST ${fake.url}/_control/deliver -H 'content-type: application/json' -d '{"type":"payment_intent.succeeded"}'`,
			'',
			'Send the same event id twice to see the duplicate dropped: add "id":"evt_demo_1" to the JSON.',
			`The other examples are imported with credentials pointing at local fakes (${demos
				.filter((demo) => demo.provider !== 'stripe')
				.map((demo) => `${demo.provider} ${fakes[demo.provider].url}`)
				.join(', ')}); activate them in the editor.`,
			'Ctrl-C stops n8n and the fake providers.',
			'',
		].join('\n'),
	);
	await new Promise(() => undefined);
}

main().catch((error) => {
	process.stderr.write(`[start] ${error.stack ?? error}\n`);
	process.exit(1);
});
