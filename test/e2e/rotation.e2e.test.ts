/**
 * Rotating the API key or token in the credential must not stop verification (issue: a GitHub token change
 * made every delivery `401 no_secret`, and GitHub never redelivers). In a real n8n (each pinned version), for
 * Stripe, GitHub and Paddle: activate, deliver, change the credential's key through n8n's own REST API (the
 * editor's call), deliver again after the secret cache expired, restart n8n, deliver again, deactivate with the
 * new key. Every delivery must run: 0 rejected across the rotation.
 */
import { loadExample } from '../../scripts/examples';
import { N8nInstance, sleep, testedVersions } from '../../scripts/n8n';
import { FakeGitHub } from '../fakes/fakeGitHub';
import { FakePaddle, samplePaddleEvent } from '../fakes/fakePaddle';
import { FakeStripe, sampleEvent } from '../fakes/fakeStripe';

jest.setTimeout(300_000);

/** Past the trigger's 10 s secret cache, so the next delivery reads the changed credential. */
const SECRET_CACHE_WAIT_MS = 11_000;

interface Provider {
	name: string;
	credentialType: string;
	example: string;
	webhookId: string;
	fake: { start(): Promise<string>; stop(): Promise<void>; url: string };
	credentialData(key: string): Record<string, string>;
	/** Makes the fake accept a new key (the provider side of a rotation). */
	rotateAtProvider(key: string): void;
	/** The current key, as the fake knows it. */
	key(): string;
	/** One signed delivery of a new event to the registered endpoint; the HTTP status n8n answered. */
	deliver(index: number): Promise<number>;
	/** How many endpoints of this workflow the provider holds. */
	endpoints(url: string): number;
}

function providers(version: string): Provider[] {
	const tag = version.replace(/\./g, '_');
	const stripe = new FakeStripe();
	const github = new FakeGitHub();
	const paddle = new FakePaddle();
	return [
		{
			name: 'Stripe',
			credentialType: 'stripeVerifiedApi',
			example: 'stripe-verified-trigger',
			webhookId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
			fake: stripe,
			credentialData: (key) => ({ secretKey: key, baseUrl: stripe.url, signingSecrets: '' }),
			rotateAtProvider: (key) => {
				stripe.apiKey = key;
			},
			key: () => stripe.apiKey,
			deliver: async (index) =>
				(
					await stripe.deliver(
						sampleEvent('payment_intent.succeeded', { id: `evt_rotation_${tag}_${index}` }),
					)
				)[0]?.status ?? 0,
			endpoints: (url) =>
				stripe.activeEndpoints().filter((endpoint: { url: string }) => endpoint.url === url).length,
		},
		{
			name: 'GitHub',
			credentialType: 'gitHubVerifiedApi',
			example: 'github-verified-trigger',
			webhookId: '1c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e',
			fake: github,
			credentialData: (key) => ({ accessToken: key, baseUrl: github.url, webhookSecrets: '' }),
			rotateAtProvider: (key) => {
				github.token = key;
			},
			key: () => github.token,
			deliver: async (index) =>
				(
					await github.deliver(
						'issues',
						{ action: 'opened', issue: { number: index }, repository: { full_name: 'octo/hello' } },
						{ deliveryId: `rotation-${tag}-${index}` },
					)
				)[0]?.status ?? 0,
			endpoints: (url) =>
				github.activeHooks().filter((hook: { config: { url: string } }) => hook.config.url === url)
					.length,
		},
		{
			name: 'Paddle',
			credentialType: 'paddleVerifiedApi',
			example: 'paddle-verified-trigger',
			webhookId: '2d3e4f50-6172-4c8d-8e9f-1a2b3c4d5e6f',
			fake: paddle,
			credentialData: (key) => ({
				apiKey: key,
				environment: 'custom',
				baseUrl: paddle.url,
				endpointSecretKeys: '',
			}),
			rotateAtProvider: (key) => {
				paddle.apiKey = key;
			},
			key: () => paddle.apiKey,
			deliver: async (index) =>
				(
					await paddle.deliver(
						samplePaddleEvent('transaction.completed', {
							event_id: `evt_rotation_${tag}_${index}`,
						}),
					)
				)[0]?.status ?? 0,
			endpoints: (url) =>
				paddle
					.activeSettings()
					.filter((setting: { destination: string }) => setting.destination === url).length,
		},
	];
}

describe.each(testedVersions())('API key rotation in real n8n %s', (version) => {
	const n8n = new N8nInstance({ version });
	const cases = providers(version);

	beforeAll(async () => {
		for (const each of cases) await each.fake.start();
		await n8n.prepare();
		await n8n.start();
		await n8n.setupOwner();
	});

	afterAll(async () => {
		await n8n.stop();
		for (const each of cases) await each.fake.stop();
		n8n.cleanup();
	});

	it('Stripe, GitHub and Paddle: every delivery before, after and (after a restart) long after the key change runs', async () => {
		const setups: Array<{
			each: Provider;
			credential: { id: string };
			id: string;
			url: string;
			name: string;
		}> = [];
		for (const each of cases) {
			const name = `${each.name} (fake, loopback)`;
			const credential = await n8n.createCredential(
				name,
				each.credentialType,
				each.credentialData(each.key()),
			);
			const workflow = loadExample(each.example, {
				credentials: { [each.credentialType]: { id: credential.id, name } },
				webhookId: each.webhookId,
				name: `${each.name} rotation`,
			});
			const { id } = await n8n.createWorkflow(workflow);
			await n8n.activate(id);
			const url = `${n8n.baseUrl}/webhook/${each.webhookId}/webhook`;
			await n8n.waitFor(async () => each.endpoints(url) === 1, {
				what: `${each.name} registration`,
			});
			setups.push({ each, credential, id, url, name });
		}
		const statuses: Record<string, number[]> = {};
		const deliverAll = async (index: number) => {
			for (const { each } of setups) (statuses[each.name] ??= []).push(await each.deliver(index));
		};

		await deliverAll(1);
		for (const { each, credential, name } of setups) {
			const rotated = `${each.key()}_rotated`;
			each.rotateAtProvider(rotated);
			await n8n.rest('PATCH', `/credentials/${credential.id}`, {
				name,
				type: each.credentialType,
				data: each.credentialData(rotated),
			});
		}
		await sleep(SECRET_CACHE_WAIT_MS);
		await deliverAll(2);
		await sleep(2000); // the re-sealed secret is saved after the answer
		await n8n.restart();
		await deliverAll(3);

		expect(statuses).toEqual({
			Stripe: [200, 200, 200],
			GitHub: [200, 200, 200],
			Paddle: [200, 200, 200],
		});
		for (const { id } of setups) {
			await n8n.waitFor(async () => (await n8n.executionCounts(id)).success === 3, {
				what: `3 executions of ${id}`,
			});
		}
		for (const { each, id, url } of setups) {
			await n8n.deactivate(id);
			await n8n.waitFor(async () => each.endpoints(url) === 0, {
				what: `${each.name} removal with the new key`,
			});
		}
	});
});
