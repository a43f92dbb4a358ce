/**
 * The harness that drives real n8n (scripts/n8n.js): n8n 2.x answers 503 "Database is not ready!" to every request
 * for a few seconds after a database ping timed out (a loaded machine; the Stripe e2e test met it once). The
 * harness sends such a request again, since n8n refused it before any handler ran; any other failure is final.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const { FakeProviderServer } = require('../fakes/fakeHttp.js') as {
	FakeProviderServer: new () => {
		url: string;
		calls: Array<{ method: string; path: string }>;
		start(): Promise<string>;
		stop(): Promise<void>;
		handle?: unknown;
	};
};
const { N8nInstance } = require('../../scripts/n8n.js') as {
	N8nInstance: new (options: { userFolder: string }) => {
		baseUrl: string;
		apiKey: string;
		api(method: string, path: string): Promise<unknown>;
	};
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A stand-in for n8n's public API: `answers` in turn, then 200. */
function scripted(answers: Array<{ status: number; body: unknown }>) {
	const server = new FakeProviderServer();
	server.handle = async () => answers.shift() ?? { status: 200, body: { data: ['ok'] } };
	return server;
}

async function harnessFor(server: { url: string }) {
	const n8n = new N8nInstance({ userFolder: '/tmp/verified-webhooks-harness-test' });
	n8n.baseUrl = server.url;
	n8n.apiKey = 'unused';
	return n8n;
}

it('sends a request again while n8n answers 503 "Database is not ready!", then returns the answer', async () => {
	const notReady = { status: 503, body: { code: 503, message: 'Database is not ready!' } };
	const server = scripted([notReady, notReady]);
	await server.start();
	try {
		const n8n = await harnessFor(server);
		const started = Date.now();
		await expect(n8n.api('GET', '/workflows')).resolves.toEqual({ data: ['ok'] });
		expect(server.calls).toHaveLength(3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
	} finally {
		await server.stop();
	}
});

it('does not send again after any other failure, a 503 of another kind included', async () => {
	const server = scripted([{ status: 503, body: { message: 'Service Unavailable' } }]);
	await server.start();
	try {
		const n8n = await harnessFor(server);
		await expect(n8n.api('POST', '/workflows')).rejects.toThrow(/→ 503: .*Service Unavailable/);
		expect(server.calls).toHaveLength(1);
	} finally {
		await server.stop();
	}
});
