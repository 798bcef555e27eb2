/**
 * The macaroon construction written from the specification for tests (Birgisson et al. 2014;
 * go-macaroon/libmacaroons v2 binary format), independent of the `macaroon` package the node
 * uses: HMAC-SHA256 chain from node:crypto, the root key derived with "macaroons-key-generator"
 * as go-macaroon and libmacaroons do, fields as varint-tagged packets.
 */
import { createHmac } from 'node:crypto';

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

export function derivedKey(rootKey: Buffer): Buffer {
	return hmac(Buffer.from('macaroons-key-generator'), rootKey);
}

/** The signature of a first-party-only macaroon. */
export function specSignature(rootKey: Buffer, identifier: Buffer, caveats: string[]): Buffer {
	let sig = hmac(derivedKey(rootKey), identifier);
	for (const c of caveats) sig = hmac(sig, Buffer.from(c));
	return sig;
}

function varint(n: number): Buffer {
	const out: number[] = [];
	while (n >= 0x80) {
		out.push((n & 0x7f) | 0x80);
		n >>>= 7;
	}
	out.push(n);
	return Buffer.from(out);
}

function field(type: number, data: Buffer): Buffer {
	return Buffer.concat([Buffer.from([type]), varint(data.length), data]);
}

/** Binary v2: version 2, [location 1], identifier 2, EOS, caveats (identifier 2, EOS)…, EOS, signature 6. */
export function specEncode(identifier: Buffer, caveats: string[], signature: Buffer, location = ''): Buffer {
	const parts: Buffer[] = [Buffer.from([2])];
	if (location) parts.push(field(1, Buffer.from(location)));
	parts.push(field(2, identifier), Buffer.from([0]));
	for (const c of caveats) parts.push(field(2, Buffer.from(c)), Buffer.from([0]));
	parts.push(Buffer.from([0]), field(6, signature));
	return Buffer.concat(parts);
}

export interface SpecMacaroon {
	location: string;
	identifier: Buffer;
	caveats: string[];
	signature: Buffer;
}

function readVarint(buf: Buffer, at: number): [number, number] {
	let n = 0;
	let shift = 0;
	for (;;) {
		const b = buf[at++];
		n |= (b & 0x7f) << shift;
		if (b < 0x80) return [n, at];
		shift += 7;
	}
}

/** Parses a first-party-only binary v2 macaroon. */
export function specDecode(buf: Buffer): SpecMacaroon {
	if (buf[0] !== 2) throw new Error('not a v2 macaroon');
	let at = 1;
	const readField = (): [number, Buffer] | null => {
		const type = buf[at++];
		if (type === 0) return null;
		const [len, next] = readVarint(buf, at);
		at = next + len;
		return [type, buf.subarray(next, next + len)];
	};
	let location = '';
	let identifier = Buffer.alloc(0);
	for (let f = readField(); f; f = readField()) {
		if (f[0] === 1) location = f[1].toString();
		if (f[0] === 2) identifier = Buffer.from(f[1]);
	}
	const caveats: string[] = [];
	for (;;) {
		const f = readField();
		if (!f) break;
		if (f[0] === 2) caveats.push(f[1].toString());
		while (readField()) {
			// vid / location of third-party caveats: none here
		}
	}
	const sig = readField();
	if (!sig || sig[0] !== 6) throw new Error('no signature');
	return { location, identifier, caveats, signature: Buffer.from(sig[1]) };
}
