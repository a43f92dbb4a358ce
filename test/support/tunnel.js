'use strict';
/** Client side of an HTTPS proxy tunnel, for test/unit/interceptingProxy.test.ts (node modules live here). */
const http = require('node:http');
const { readFileSync } = require('node:fs');
const tls = require('node:tls');

/** Sends CONNECT `target` to the proxy; resolves with the proxy's status and the open socket. */
function connect(proxyUrl, target) {
	return new Promise((resolve, reject) => {
		const request = http.request(proxyUrl, { method: 'CONNECT', path: target });
		request.on('connect', (response, socket) =>
			resolve({ status: response.statusCode ?? 0, socket }),
		);
		request.on('error', reject);
		request.end();
	});
}

/**
 * A GET over TLS inside an established tunnel, verifying the certificate for `servername` (against `caFile`
 * when given, else the default trust store); resolves with the raw answer, rejects on a TLS failure.
 */
function getThrough(socket, servername, caFile) {
	const ca = caFile ? readFileSync(caFile) : undefined;
	return new Promise((resolve, reject) => {
		const secure = tls.connect({ socket, servername, ca, rejectUnauthorized: true }, () => {
			secure.write(`GET /v1/probe HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`);
		});
		let text = '';
		secure.on('data', (chunk) => (text += chunk.toString()));
		secure.on('end', () => resolve(text));
		secure.on('error', reject);
	});
}

/** A plain HTTP server on no port yet that answers every request with `answer` and records what it saw. */
function recordingServer(answer) {
	const seen = [];
	const server = http.createServer((request, response) => {
		seen.push(`${request.method} ${request.url} host=${request.headers.host}`);
		response.end(answer);
	});
	return { server, seen };
}

module.exports = { connect, getThrough, recordingServer };
