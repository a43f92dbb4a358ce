'use strict';
/** Loads the example workflows in examples/ and points them at a given credential. */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const examplesDir = join(__dirname, '..', 'examples');

function exampleNames() {
	return readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''));
}

/**
 * @param {string} name file name in examples/ without .json
 * @param {{ credentials?: Record<string, {id: string, name: string}>, webhookId?: string, name?: string, extraNodes?: object[], connectTo?: string }} [options]
 */
function loadExample(name, options = {}) {
	const workflow = JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8'));
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (options.credentials?.[type]) node.credentials[type] = options.credentials[type];
		}
		if (node.webhookId && options.webhookId) node.webhookId = options.webhookId;
	}
	if (options.name) workflow.name = options.name;
	return workflow;
}

module.exports = { exampleNames, loadExample, examplesDir };
