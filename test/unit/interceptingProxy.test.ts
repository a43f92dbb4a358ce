/**
 * The bench runs n8n's own Stripe Trigger, whose API host (api.stripe.com) is hard-coded, against the fake
 * Stripe through scripts/services.js's intercepting proxy. Tests contact 127.0.0.1 only, so the proxy must
 * tunnel exactly the one named host — to the local fake, over TLS that only its throwaway CA makes valid —
 * and refuse every other CONNECT.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Socket = { destroy(): void };
type Server = object;

const services = require('../../scripts/services.js') as {
	startInterceptingProxy: (options: { hostName: string; server: Server }) => Promise<{
		url: string;
		caFile: string;
		connects: string[];
		stop(): Promise<void>;
	}>;
};
const tunnel = require('../support/tunnel.js') as {
	connect: (proxyUrl: string, target: string) => Promise<{ status: number; socket: Socket }>;
	getThrough: (socket: Socket, servername: string, caFile?: string) => Promise<string>;
	recordingServer: (answer: string) => { server: Server; seen: string[] };
};

describe('intercepting proxy (bench: n8n’s Stripe Trigger against the fake Stripe)', () => {
	const { server: fake, seen } = tunnel.recordingServer('fake stripe answered');
	let proxy: Awaited<ReturnType<typeof services.startInterceptingProxy>>;

	beforeAll(async () => {
		proxy = await services.startInterceptingProxy({ hostName: 'api.stripe.com', server: fake });
	}, 60_000);
	afterAll(async () => {
		await proxy.stop();
	});

	it('hands a CONNECT to the named host to the local server, over TLS trusted through its CA file', async () => {
		const { status, socket } = await tunnel.connect(proxy.url, 'api.stripe.com:443');
		expect(status).toBe(200);
		const body = await tunnel.getThrough(socket, 'api.stripe.com', proxy.caFile);
		expect(body).toMatch(/^HTTP\/1\.1 200/);
		expect(body).toContain('fake stripe answered');
		expect(seen).toEqual(['GET /v1/probe host=api.stripe.com']);
	});

	it('refuses a CONNECT to any other host, and to the named host on another port', async () => {
		for (const target of [
			'example.com:443',
			'api.stripe.com:8443',
			'api.stripe.com.evil.test:443',
		]) {
			const { status, socket } = await tunnel.connect(proxy.url, target);
			socket.destroy();
			expect(status).toBe(403);
		}
		expect(seen).toHaveLength(1);
	});

	it('its certificate is not trusted without the CA file (the trust is opt-in per process)', async () => {
		const { socket } = await tunnel.connect(proxy.url, 'api.stripe.com:443');
		await expect(tunnel.getThrough(socket, 'api.stripe.com')).rejects.toThrow(
			/self.signed|certificate/i,
		);
	});
});
