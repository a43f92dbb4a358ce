/**
 * The bench runs n8n's own Stripe Trigger, whose API host (api.stripe.com) is hard-coded, against the fake
 * Stripe through scripts/services.js's intercepting proxy. Tests contact 127.0.0.1 only, so the proxy must
 * tunnel exactly the one named host — to the local fake, over TLS that only its throwaway CA makes valid —
 * and refuse every other CONNECT.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

const services = require('../../scripts/services.js') as {
	startInterceptingProxy: (options: { hostName: string; server: http.Server }) => Promise<{
		url: string;
		caFile: string;
		connects: string[];
		stop(): Promise<void>;
	}>;
};

/** Sends CONNECT host:443 to the proxy; resolves with the proxy's status line and the open socket. */
function connect(proxyUrl: string, target: string) {
	return new Promise<{ status: number; socket: import('node:net').Socket }>((resolve, reject) => {
		const request = http.request(proxyUrl, { method: 'CONNECT', path: target });
		request.on('connect', (response, socket) =>
			resolve({ status: response.statusCode ?? 0, socket }),
		);
		request.on('error', reject);
		request.end();
	});
}

/** A GET over TLS inside an established tunnel; resolves with the body, or rejects on a TLS failure. */
function getThrough(socket: import('node:net').Socket, servername: string, ca?: Buffer) {
	return new Promise<string>((resolve, reject) => {
		const secure = tls.connect({ socket, servername, ca, rejectUnauthorized: true }, () => {
			secure.write(`GET /v1/probe HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`);
		});
		let text = '';
		secure.on('data', (chunk) => (text += chunk.toString()));
		secure.on('end', () => resolve(text));
		secure.on('error', reject);
	});
}

describe('intercepting proxy (bench: n8n’s Stripe Trigger against the fake Stripe)', () => {
	const seen: string[] = [];
	const fake = http.createServer((request, response) => {
		seen.push(`${request.method} ${request.url} host=${request.headers.host}`);
		response.end('fake stripe answered');
	});
	let proxy: Awaited<ReturnType<typeof services.startInterceptingProxy>>;

	beforeAll(async () => {
		proxy = await services.startInterceptingProxy({ hostName: 'api.stripe.com', server: fake });
	}, 60_000);
	afterAll(async () => {
		await proxy.stop();
	});

	it('hands a CONNECT to the named host to the local server, over TLS trusted through its CA file', async () => {
		const { status, socket } = await connect(proxy.url, 'api.stripe.com:443');
		expect(status).toBe(200);
		const body = await getThrough(socket, 'api.stripe.com', readFileSync(proxy.caFile));
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
			const { status, socket } = await connect(proxy.url, target);
			socket.destroy();
			expect(status).toBe(403);
		}
		expect(seen).toHaveLength(1);
	});

	it('its certificate is not trusted without the CA file (the trust is opt-in per process)', async () => {
		const { socket } = await connect(proxy.url, 'api.stripe.com:443');
		await expect(getThrough(socket, 'api.stripe.com')).rejects.toThrow(/self.signed|certificate/i);
	});
});
