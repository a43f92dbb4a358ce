import type { IncomingHeaders } from '../../nodes/shared/delivery';
import type { SignedDelivery } from '../../nodes/shared/trigger';

/**
 * A provider declaration's verifier (what the trigger runs) called with one signature header, as the
 * per-provider signature tests state their cases.
 */
export function oneHeaderVerifier(
	declaration: { verify(delivery: SignedDelivery): unknown },
	headerName: string,
) {
	return (input: {
		rawBody: Buffer;
		header: string | string[] | undefined;
		secrets: string[];
		nowSeconds?: number;
		toleranceSeconds?: number;
	}) => {
		const { header, ...delivery } = input;
		const headers: IncomingHeaders = { [headerName]: header };
		return declaration.verify({ nowSeconds: 0, toleranceSeconds: 0, ...delivery, headers }) as
			| { ok: true; secretIndex: number; timestamp?: number }
			| { ok: false; reason: string; detail: string };
	};
}
