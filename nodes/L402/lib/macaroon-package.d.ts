/**
 * Types for the `macaroon` package (js-macaroon 3.0.4, go-macaroon compatible), which ships none:
 * only what this node uses. Source: node_modules/macaroon/macaroon.js.
 */
declare module 'macaroon' {
	export interface Macaroon {
		readonly identifier: Uint8Array;
		readonly location: string;
		readonly signature: Uint8Array;
		readonly caveats: Array<{ identifier: Uint8Array; location?: string; vid?: Uint8Array }>;
		addFirstPartyCaveat(condition: string | Uint8Array): void;
		/** Throws unless the signature chain matches the root key and `check` returns nothing for every first-party caveat. */
		verify(rootKey: Uint8Array, check: (condition: string) => string | null | undefined, discharges?: Macaroon[]): void;
		exportBinary(): Uint8Array;
		clone(): Macaroon;
	}
	export function newMacaroon(params: { identifier: string | Uint8Array; location?: string; rootKey: string | Uint8Array; version?: 1 | 2 }): Macaroon;
	/** A base64 string (standard or URL-safe, padded or not) or bytes of a binary v2 macaroon, or a JSON object. */
	export function importMacaroon(obj: string | Uint8Array | object): Macaroon;
	export function bytesToBase64(bytes: Uint8Array): string;
	export function base64ToBytes(text: string): Uint8Array;
}
