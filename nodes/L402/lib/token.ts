/**
 * L402 macaroons: minted and verified with the `macaroon` package (js-macaroon, the JavaScript
 * port of go-macaroon that lnd and Aperture use), serialized as binary v2 in standard base64
 * like Aperture does. The identifier follows Aperture (lsat/identifier.go) and lsat-js:
 *   uint16 big-endian version (0) ‖ 32-byte payment hash ‖ 32-byte token ID.
 * Aperture keeps a random root key per token ID in its database; here the key of each token is
 * derived from the credential's root key, HMAC-SHA256(rootKey, "l402 token key" ‖ identifier),
 * so verification needs no database and one leaked token key reveals nothing about the others.
 * No n8n imports.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { importMacaroon, newMacaroon, type Macaroon } from 'macaroon';

export const IDENTIFIER_VERSION = 0;
const IDENTIFIER_LENGTH = 2 + 32 + 32;
const HEX64 = /^[0-9a-f]{64}$/;

export interface Identifier {
	version: number;
	paymentHash: string;
	tokenId: string;
}

export function encodeIdentifier(id: Identifier): Uint8Array {
	if (id.version !== IDENTIFIER_VERSION) throw new Error(`unknown identifier version ${id.version}`);
	if (!HEX64.test(id.paymentHash)) throw new Error('payment hash must be 64 hex characters');
	if (!HEX64.test(id.tokenId)) throw new Error('token ID must be 64 hex characters');
	const out = new Uint8Array(IDENTIFIER_LENGTH);
	new DataView(out.buffer).setUint16(0, id.version, false);
	out.set(hexToBytes(id.paymentHash), 2);
	out.set(hexToBytes(id.tokenId), 34);
	return out;
}

/** Null when the bytes are not a version-0 identifier (another issuer's macaroon, or a forgery). */
export function decodeIdentifier(bytes: Uint8Array): Identifier | null {
	if (bytes.length !== IDENTIFIER_LENGTH) return null;
	const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(0, false);
	if (version !== IDENTIFIER_VERSION) return null;
	return { version, paymentHash: bytesToHex(bytes.subarray(2, 34)), tokenId: bytesToHex(bytes.subarray(34, 66)) };
}

/**
 * The credential's root key as bytes: 64+ hex characters are read as hex, anything else as
 * UTF-8 text; at least 32 bytes. The message never repeats the key.
 */
export function parseRootKey(raw: unknown): Uint8Array {
	const text = typeof raw === 'string' ? raw.trim() : '';
	const bytes = /^(?:[0-9a-fA-F]{2}){32,}$/.test(text) ? hexToBytes(text.toLowerCase()) : utf8ToBytes(text);
	if (bytes.length < 32) {
		throw new Error('The L402 root key must be at least 32 bytes: 64 hex characters, e.g. the output of `openssl rand -hex 32`');
	}
	return bytes;
}

const TOKEN_KEY_LABEL = utf8ToBytes('l402 token key');

/** The key one token is signed with, derived from the root key and the token's identifier. */
export function tokenKey(rootKey: Uint8Array, identifier: Uint8Array): Uint8Array {
	const message = new Uint8Array(TOKEN_KEY_LABEL.length + identifier.length);
	message.set(TOKEN_KEY_LABEL, 0);
	message.set(identifier, TOKEN_KEY_LABEL.length);
	return hmac(sha256, rootKey, message);
}

export interface MintInput {
	rootKey: Uint8Array;
	paymentHash: string;
	/** First-party caveats, `condition=value` each, in order. */
	caveats: readonly string[];
	/** 64 hex characters; random when omitted. */
	tokenId?: string;
	location?: string;
}

export interface MintedToken {
	/** Binary v2 macaroon, standard base64 (what goes in the header). */
	macaroon: string;
	tokenId: string;
	paymentHash: string;
}

export function mintMacaroon(input: MintInput): MintedToken {
	const paymentHash = input.paymentHash.toLowerCase();
	const tokenId = (input.tokenId ?? bytesToHex(randomBytes(32))).toLowerCase();
	const identifier = encodeIdentifier({ version: IDENTIFIER_VERSION, paymentHash, tokenId });
	const mac = newMacaroon({ version: 2, identifier, location: input.location ?? '', rootKey: tokenKey(input.rootKey, identifier) });
	for (const caveat of input.caveats) mac.addFirstPartyCaveat(caveat);
	return { macaroon: toBase64(encodeBinaryV2(mac)), tokenId, paymentHash };
}

/**
 * The binary v2 serialization (go-macaroon's MarshalBinary layout): version byte 2, [location],
 * identifier, end of section; per first-party caveat its identifier and end of section; end of
 * section; signature. Written here because js-macaroon 3.0.4's exportBinary() doubles its buffer
 * on every append (ByteBuffer._grow compares with an unset _capacity): a macaroon with five
 * caveats needs more memory than a process has. This is layout only; the signature is the
 * package's.
 */
export function encodeBinaryV2(mac: Macaroon): Uint8Array {
	const parts: number[] = [2];
	const field = (type: number, data: Uint8Array) => {
		parts.push(type);
		for (let n = data.length; ; n >>>= 7) {
			if (n < 0x80) {
				parts.push(n);
				break;
			}
			parts.push((n & 0x7f) | 0x80);
		}
		for (const b of data) parts.push(b);
	};
	if (mac.location) field(1, utf8ToBytes(mac.location));
	field(2, mac.identifier);
	parts.push(0);
	for (const caveat of mac.caveats) {
		if (caveat.vid && caveat.vid.length > 0) throw new Error('third-party caveats are not written by this node');
		field(2, caveat.identifier);
		parts.push(0);
	}
	parts.push(0);
	field(6, mac.signature);
	return Uint8Array.from(parts);
}

export function toBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes).toString('base64');
}

export interface DecodedMacaroon {
	macaroon: Macaroon;
	identifier: Identifier | null;
	location: string;
	/** First-party caveat conditions, in order. */
	caveats: string[];
	/** Third-party caveats (this node cannot discharge them). */
	thirdPartyCaveats: number;
}

/** Parses a base64 macaroon (standard or URL-safe) without checking it; null when it is not one. */
export function decodeMacaroon(text: string): DecodedMacaroon | null {
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
	let mac: Macaroon;
	try {
		mac = importMacaroon(text);
	} catch {
		return null;
	}
	if (Array.isArray(mac)) return null;
	const caveats: string[] = [];
	let thirdPartyCaveats = 0;
	for (const c of mac.caveats) {
		if (c.vid && c.vid.length > 0) {
			thirdPartyCaveats++;
			continue;
		}
		try {
			caveats.push(new TextDecoder('utf-8', { fatal: true }).decode(c.identifier));
		} catch {
			return null;
		}
	}
	return { macaroon: mac, identifier: decodeIdentifier(mac.identifier), location: mac.location, caveats, thirdPartyCaveats };
}

/** Whether the macaroon's signature chain (identifier and every caveat, in order) was made with this root key. */
export function signatureValid(decoded: DecodedMacaroon, rootKey: Uint8Array): boolean {
	if (decoded.thirdPartyCaveats > 0) return false;
	try {
		// Caveats are judged separately (caveats.ts), so every condition passes here.
		decoded.macaroon.verify(tokenKey(rootKey, decoded.macaroon.identifier), () => null);
		return true;
	} catch {
		return false;
	}
}

/** sha256(preimage) is the payment hash: the proof the invoice was paid. */
export function preimageMatches(preimage: string, paymentHash: string): boolean {
	if (!HEX64.test(preimage) || !HEX64.test(paymentHash)) return false;
	const digest = sha256(hexToBytes(preimage));
	const expected = hexToBytes(paymentHash);
	let diff = 0;
	for (let i = 0; i < 32; i++) diff |= digest[i] ^ expected[i];
	return diff === 0;
}
