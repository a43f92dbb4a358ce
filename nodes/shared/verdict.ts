/**
 * What a verifier answers: accepted (which secret matched, the signed time, the replay fingerprint) or refused
 * with one reason code from a closed list, the same code for the same fault in every provider.
 */
export type VerificationResult =
	| {
			ok: true;
			secretIndex: number;
			timestamp?: number;
			/**
			 * The digest of the signed content under the first configured secret: the same for every replay of
			 * the same signed bytes, whatever unsigned headers travel with them. Dedup remembers it next to the
			 * event id, so a captured delivery resent under a fresh unsigned id header runs nothing.
			 */
			fingerprint?: Buffer;
	  }
	| {
			ok: false;
			reason:
				| 'no_secret'
				| 'missing_signature'
				| 'malformed_signature'
				| 'timestamp_too_old'
				| 'timestamp_in_future'
				| 'signature_mismatch';
			detail: string;
			/** The signature header as documented, and the form it must have (for diagnostics; never a value). */
			header?: string;
			expected?: string;
			/** The signed unix time, when one was read before the rejection. */
			timestamp?: number;
	  };

export type Rejection = Extract<VerificationResult, { ok: false }>;

export function reject(reason: Rejection['reason'], detail: string): Rejection {
	return { ok: false, reason, detail };
}
