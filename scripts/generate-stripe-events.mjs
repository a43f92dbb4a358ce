#!/usr/bin/env node
// Regenerates nodes/StripeVerifiedTrigger/events.json from the event names the official `stripe` SDK
// (a devDependency) accepts for webhook endpoints. Run after upgrading `stripe`.
import { readFileSync, writeFileSync } from 'node:fs';

const typesFile = new URL(
	'../node_modules/stripe/cjs/resources/WebhookEndpoints.d.ts',
	import.meta.url,
);
const source = readFileSync(typesFile, 'utf8');
const start = source.indexOf('type EnabledEvent');
const names = [
	...source.slice(start, source.indexOf(';', start)).matchAll(/'([a-z0-9_.*]+)'/g),
].map((m) => m[1]);
const humanize = (name) => {
	const words = name.replace(/[._]/g, ' ').split(' ');
	const sentence = words.join(' ');
	return sentence.charAt(0).toUpperCase() + sentence.slice(1);
};
const events = names
	.filter((name) => name !== '*')
	.sort()
	.map((name) => ({ name, value: name, description: `Occurs on ${humanize(name).toLowerCase()}` }));
const catalogue = [
	{ name: 'All Events (*)', value: '*', description: 'Every event type, including new ones' },
	...events,
];
writeFileSync(
	new URL('../nodes/StripeVerifiedTrigger/events.json', import.meta.url),
	`${JSON.stringify(catalogue, null, '\t')}\n`,
);
console.log(`wrote ${catalogue.length} events`);
