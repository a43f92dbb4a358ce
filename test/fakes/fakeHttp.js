'use strict';
/** What every fake provider API shares: a loopback server, recorded calls, injected failures, JSON answers. */
const http = require('node:http');

function readBody(request) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

class FakeProviderServer {
	/** @param {{ port?: number }} [options] */
	constructor({ port = 0 } = {}) {
		this.port = port;
		this.url = '';
		this.calls = [];
		this.faults = [];
		this.server = http.createServer((request, response) => {
			this.dispatch(request, response).catch((error) => {
				response.writeHead(500, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ message: String(error) }));
			});
		});
	}

	async start() {
		await new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
		this.port = this.server.address().port;
		this.url = `http://127.0.0.1:${this.port}`;
		return this.url;
	}

	async stop() {
		this.server.closeAllConnections?.();
		await new Promise((resolve) => this.server.close(() => resolve()));
	}

	/**
	 * The next `count` API calls matching `method`/`path` (a prefix) fail with `status`. With `after`, the
	 * call is carried out first (the provider did it; the client sees only the failure). With `body`, the
	 * answer is that raw text (an empty or broken body) with `status`.
	 * @param {{ count?: number, status?: number, method?: string, path?: string, after?: boolean, body?: string }} [fault]
	 */
	failNext({
		count = 1,
		status = 500,
		method = undefined,
		path = undefined,
		after = false,
		body = undefined,
	} = {}) {
		this.faults.push({ count, status, method, path, after, body });
	}

	/**
	 * From now on every API call fails with probability `p` (deterministic for a `seed`), in one of three
	 * ways: a 500 before anything happens; the call carried out and then answered 500; the call carried
	 * out and answered 200 with an empty or non-JSON body. `p = 0` turns it off.
	 * @param {{ p: number, seed?: number }} options
	 */
	randomFaults({ p, seed = 1 }) {
		let state = seed >>> 0 || 1;
		const next = () => {
			// xorshift32: the same seed gives the same faults on every run.
			state ^= state << 13;
			state >>>= 0;
			state ^= state >>> 17;
			state ^= state << 5;
			state >>>= 0;
			return state / 4294967296;
		};
		this.random = p > 0 ? { p, next } : undefined;
		this.injected ??= { before: 0, after: 0, garbage: 0 };
	}

	randomFault() {
		if (!this.random || this.random.next() >= this.random.p) return undefined;
		const pick = this.random.next();
		if (pick < 1 / 3) {
			this.injected.before++;
			return { status: 500 };
		}
		if (pick < 2 / 3) {
			this.injected.after++;
			return { status: 500, after: true };
		}
		this.injected.garbage++;
		return { status: 200, after: true, body: pick < 5 / 6 ? '' : '<html>upstream error</html>' };
	}

	takeFault(method, path) {
		const fault = this.faults.find(
			(candidate) =>
				(!candidate.method || candidate.method === method) &&
				(!candidate.path || path.startsWith(candidate.path)),
		);
		if (!fault) return undefined;
		if (--fault.count <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
		return fault;
	}

	callsTo(method, pathPrefix = '/') {
		return this.calls.filter((call) => call.method === method && call.path.startsWith(pathPrefix));
	}

	async dispatch(request, response) {
		const url = new URL(request.url, 'http://127.0.0.1');
		const raw = (await readBody(request)).toString('utf8');
		if (url.pathname.startsWith('/_control/') && this.control) {
			// Control routes (npm start's "send an event") are not API calls: not recorded, never faulted.
			const { status, body } = await this.control(request.method, url, raw);
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
			return;
		}
		const call = {
			method: request.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: request.headers,
			raw,
		};
		this.calls.push(call);
		const fault = this.takeFault(call.method, call.path) ?? this.randomFault();
		if (fault?.after) await this.handle(call, url);
		if (fault?.body !== undefined) {
			call.status = fault.status;
			response.writeHead(fault.status, { 'content-type': 'application/json' });
			response.end(fault.body);
			return;
		}
		const {
			status,
			body,
			headers = {},
			text,
		} = fault ? this.faultResponse(fault.status) : await this.handle(call, url);
		call.status = status;
		if (text !== undefined) {
			// A non-JSON answer (PayPal's certificates are PEM text).
			response.writeHead(status, { 'content-type': 'text/plain', ...headers });
			response.end(text);
			return;
		}
		response.writeHead(status, { 'content-type': 'application/json', ...headers });
		response.end(body === undefined ? '' : JSON.stringify(body));
	}

	/** Subclasses answer an injected failure in the provider's error shape. */
	faultResponse(status) {
		return { status, body: { message: `Injected failure ${status}` } };
	}

	/**
	 * One POST of exact bytes to a registered URL, as the provider would send it. A receiver that cannot be
	 * reached (n8n down) is a failed delivery with status 0, as a provider records it.
	 */
	async post(url, payload, headers) {
		return await this.transmit(url, payload, headers);
	}

	/** The network under every delivery (tests route it elsewhere). */
	async transmit(url, payload, headers) {
		try {
			const response = await fetch(url, { method: 'POST', headers, body: Buffer.from(payload) });
			return { status: response.status, body: await response.text() };
		} catch (error) {
			return { status: 0, body: `unreachable: ${error.cause?.code ?? error.message}` };
		}
	}
}

module.exports = { FakeProviderServer, readBody };
