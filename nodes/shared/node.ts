import type {
	ICredentialTestFunction,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { dedupStoreRedisTest } from './dedupStore';
import { deliveryOutputs, deliveryWebhooks } from './descriptions';

/**
 * A trigger's node class, assembled: what differs between the triggers is in `TriggerNodeFacts`; the rest of the
 * description (group, inputs, outputs, the webhook, the Redis credential) and the methods are the same for all.
 */
export interface TriggerNodeFacts {
	/** Shown on the canvas and in the nodes panel; the node's default name too. */
	displayName: string;
	name: string;
	/** The icon's file name in `icons/` without `.svg`; its dark variant is `<icon>.dark.svg`. */
	icon: string;
	subtitle: string;
	description: string;
	properties: INodeProperties[];
	/** The provider's credential type, and the credential test the node offers for it (if any). */
	credential: string;
	credentialTest?: { name: string; test: ICredentialTestFunction };
	/** The webhook handler and lifecycle (and `trigger` for registering providers): see trigger.ts. */
	handlers: Pick<INodeType, 'webhook' | 'webhookMethods' | 'trigger'>;
}

/** The base of every assembled node class: an instance holds the assembled members. */
class AssembledTrigger implements INodeType {
	description!: INodeTypeDescription;

	constructor(node: INodeType) {
		Object.assign(this, node);
	}
}

/** The class a node file exports (`export class XTrigger extends triggerNode({...}) {}`). */
export function triggerNode(facts: TriggerNodeFacts): new () => INodeType {
	const test = facts.credentialTest;
	const node: INodeType = {
		description: {
			displayName: facts.displayName,
			name: facts.name,
			icon: {
				light: `file:../../icons/${facts.icon}.svg`,
				dark: `file:../../icons/${facts.icon}.dark.svg`,
			},
			group: ['trigger'],
			version: 1,
			subtitle: facts.subtitle,
			description: facts.description,
			defaults: { name: facts.displayName },
			inputs: [],
			outputs: deliveryOutputs,
			credentials: [
				{ name: facts.credential, required: true, ...(test ? { testedBy: test.name } : {}) },
				{
					name: 'verifiedWebhooksRedisApi',
					required: true,
					testedBy: 'dedupStoreRedisTest',
					displayOptions: { show: { dedupStore: ['redis'] } },
				},
			],
			webhooks: deliveryWebhooks,
			properties: facts.properties,
		},
		methods: {
			credentialTest: { dedupStoreRedisTest, ...(test ? { [test.name]: test.test } : {}) },
		},
		...facts.handlers,
	};
	return class extends AssembledTrigger {
		constructor() {
			super(node);
		}
	};
}
