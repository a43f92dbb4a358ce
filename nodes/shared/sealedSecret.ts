import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'crypto';

/**
 * Keeps a provider-issued signing secret out of static data in plaintext. Static data is stored as plain
 * JSON in the workflow row (and shows up in workflow exports), so the secret is sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256) from the credential's API key and a context naming what the secret is
 * for. Changing the API key makes the sealed secret unreadable; the trigger then re-registers its endpoint
 * on the next activation (checkExists reports it missing).
 */

const VERSION = 's1';
const SALT = 'n8n-nodes-verified-webhooks/sealed-secret';

function deriveKey(keyMaterial: string, context: string): Buffer {
	return Buffer.from(hkdfSync('sha256', keyMaterial, SALT, context, 32));
}

/** `s1.<iv>.<ciphertext+tag>` in base64url. */
export function sealSecret(secret: string, keyMaterial: string, context: string): string {
	if (!keyMaterial) throw new TypeError('[verified-webhooks] sealSecret needs key material');
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', deriveKey(keyMaterial, context), iv);
	const sealed = Buffer.concat([
		cipher.update(secret, 'utf8'),
		cipher.final(),
		cipher.getAuthTag(),
	]);
	return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The secret, or undefined when the value is not ours or was sealed under another key or context. */
export function openSecret(
	sealed: unknown,
	keyMaterial: string,
	context: string,
): string | undefined {
	if (typeof sealed !== 'string' || !keyMaterial) return undefined;
	const [version, ivText, bodyText] = sealed.split('.');
	if (version !== VERSION || !ivText || !bodyText) return undefined;
	const iv = Buffer.from(ivText, 'base64url');
	const body = Buffer.from(bodyText, 'base64url');
	if (iv.length !== 12 || body.length <= 16) return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', deriveKey(keyMaterial, context), iv);
		decipher.setAuthTag(body.subarray(body.length - 16));
		return Buffer.concat([
			decipher.update(body.subarray(0, body.length - 16)),
			decipher.final(),
		]).toString('utf8');
	} catch {
		// Authentication failed: wrong key or tampered value. The caller treats it as "no stored secret".
		return undefined;
	}
}
