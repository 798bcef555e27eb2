/**
 * Bitcoin address and Lightning node URI checks done before any money moves:
 * bech32 / bech32m (BIP173, BIP350) and base58check (sha256 from @noble/hashes)
 * decoding, the network an address belongs to, and `pubkey@host:port` parsing.
 * Only the encoding is checked here; whether an address is spendable is the
 * node's business.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InputError } from './errors';

/** Address families: testnet and signet share their address formats (tb1…, m/n/2…). */
export type BitcoinNetwork = 'mainnet' | 'testnet' | 'regtest';

export interface DecodedAddress {
	address: string;
	network: BitcoinNetwork;
	type: 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'segwit';
}

/** The bech32 alphabet (BIP173). */
export const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CHARSET = BECH32_CHARSET;
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymod(values: number[]): number {
	const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
	let chk = 1;
	for (const v of values) {
		const top = chk >>> 25;
		chk = ((chk & 0x1ffffff) << 5) ^ v;
		for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i];
	}
	return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
	const out: number[] = [];
	for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
	out.push(0);
	for (const c of hrp) out.push(c.charCodeAt(0) & 31);
	return out;
}

function convertBits(data: number[], from: number, to: number, pad: boolean): number[] | undefined {
	let acc = 0;
	let bits = 0;
	const out: number[] = [];
	const maxv = (1 << to) - 1;
	for (const value of data) {
		if (value < 0 || value >> from) return undefined;
		acc = (acc << from) | value;
		bits += from;
		while (bits >= to) {
			bits -= to;
			out.push((acc >> bits) & maxv);
		}
	}
	if (pad) {
		if (bits > 0) out.push((acc << (to - bits)) & maxv);
	} else if (bits >= from || ((acc << (to - bits)) & maxv)) {
		return undefined;
	}
	return out;
}

/** bech32 (constant 1) or bech32m string of 5-bit `words` with their checksum; no length limit (BOLT11 is longer than 90). */
export function bech32Encode(hrp: string, words: number[], constant = BECH32_CONST): string {
	const mod = polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ constant;
	const checksum = Array.from({ length: 6 }, (_, i) => (mod >> (5 * (5 - i))) & 31);
	return `${hrp}1${[...words, ...checksum].map((d) => CHARSET[d]).join('')}`;
}

/** Encodes a segwit address (bech32 for version 0, bech32m above); used by tests and the emulator. */
export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array): string {
	return bech32Encode(hrp, [version, ...(convertBits([...program], 8, 5, true) ?? [])], version === 0 ? BECH32_CONST : BECH32M_CONST);
}

function decodeSegwit(address: string): { hrp: string; version: number; program: number[] } | string {
	if (address !== address.toLowerCase() && address !== address.toUpperCase()) return 'mixes upper and lower case';
	const text = address.toLowerCase();
	const sep = text.lastIndexOf('1');
	if (sep < 1 || sep + 7 > text.length || text.length > 90) return 'is not a bech32 address';
	const hrp = text.slice(0, sep);
	const data: number[] = [];
	for (const c of text.slice(sep + 1)) {
		const d = CHARSET.indexOf(c);
		if (d < 0) return `contains the character "${c}", which bech32 does not use`;
		data.push(d);
	}
	const check = polymod([...hrpExpand(hrp), ...data]);
	const version = data[0];
	if (check !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) return 'has a wrong checksum (a typo?)';
	if (version > 16) return 'has an unknown witness version';
	const program = convertBits(data.slice(1, -6), 5, 8, false);
	if (!program || program.length < 2 || program.length > 40) return 'has an invalid witness program';
	if (version === 0 && program.length !== 20 && program.length !== 32) return 'has an invalid version 0 witness program length';
	return { hrp, version, program };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function decodeBase58Check(text: string): Uint8Array | string {
	let n = 0n;
	for (const c of text) {
		const d = BASE58.indexOf(c);
		if (d < 0) return `contains the character "${c}", which base58 does not use`;
		n = n * 58n + BigInt(d);
	}
	const bytes: number[] = [];
	while (n > 0n) {
		bytes.unshift(Number(n & 0xffn));
		n >>= 8n;
	}
	for (const c of text) {
		if (c !== '1') break;
		bytes.unshift(0);
	}
	if (bytes.length < 5) return 'is too short';
	const payload = Uint8Array.from(bytes.slice(0, -4));
	const checksum = sha256(sha256(payload)).slice(0, 4);
	if (bytes.slice(-4).some((b, i) => b !== checksum[i])) return 'has a wrong checksum (a typo?)';
	return payload;
}

/** Base58check encoding (tests and the emulator build legacy addresses with it). */
export function encodeBase58Check(payload: Uint8Array): string {
	const full = Uint8Array.from([...payload, ...sha256(sha256(payload)).slice(0, 4)]);
	let n = BigInt(`0x${Buffer.from(full).toString('hex') || '0'}`);
	let out = '';
	while (n > 0n) {
		out = BASE58[Number(n % 58n)] + out;
		n /= 58n;
	}
	for (const b of full) {
		if (b !== 0) break;
		out = `1${out}`;
	}
	return out;
}

const SEGWIT_HRP: Record<string, BitcoinNetwork> = { bc: 'mainnet', tb: 'testnet', bcrt: 'regtest' };
/** Version byte → [network, type]; regtest uses testnet's base58 prefixes. */
const BASE58_VERSION: Record<number, [BitcoinNetwork, 'p2pkh' | 'p2sh']> = {
	0x00: ['mainnet', 'p2pkh'],
	0x05: ['mainnet', 'p2sh'],
	0x6f: ['testnet', 'p2pkh'],
	0xc4: ['testnet', 'p2sh'],
};

/**
 * Decodes a Bitcoin address and tells its network. Throws an InputError naming
 * `field` for anything that is not a valid address (checksum included).
 * Base58 testnet addresses are reported as `testnet` (regtest uses the same prefixes).
 */
export function decodeBitcoinAddress(raw: unknown, field: string, service?: string): DecodedAddress {
	const address = typeof raw === 'string' ? raw.trim() : '';
	if (!address) throw new InputError(field, 'is required (a Bitcoin address)', service);
	if (/^bitcoin:/i.test(address)) throw new InputError(field, 'is a payment link (bitcoin:…); give the plain address and the amount separately', service);
	const lower = address.toLowerCase();
	const segwitHrp = Object.keys(SEGWIT_HRP).sort((a, b) => b.length - a.length).find((hrp) => lower.startsWith(`${hrp}1`));
	if (segwitHrp) {
		const decoded = decodeSegwit(address);
		if (typeof decoded === 'string') throw new InputError(field, `"${address}" ${decoded}`, service);
		const { version, program } = decoded;
		const type = version === 0 ? (program.length === 20 ? 'p2wpkh' : 'p2wsh') : version === 1 && program.length === 32 ? 'p2tr' : 'segwit';
		return { address: lower, network: SEGWIT_HRP[decoded.hrp], type };
	}
	const payload = decodeBase58Check(address);
	if (typeof payload === 'string') throw new InputError(field, `"${address}" is not a Bitcoin address (it ${payload})`, service);
	const known = payload.length === 21 ? BASE58_VERSION[payload[0]] : undefined;
	if (!known) throw new InputError(field, `"${address}" is not a Bitcoin address (unknown version byte or length)`, service);
	return { address, network: known[0], type: known[1] };
}

/** Whether an address of network `actual` can be used on a wallet of network `expected` (regtest accepts testnet base58 prefixes). */
function sameNetwork(decoded: DecodedAddress, expected: BitcoinNetwork): boolean {
	if (decoded.network === expected) return true;
	return expected === 'regtest' && decoded.network === 'testnet' && (decoded.type === 'p2pkh' || decoded.type === 'p2sh');
}

/** Decodes `raw` and refuses an address of another network than `expected`. */
export function checkBitcoinAddress(raw: unknown, expected: BitcoinNetwork, field: string, service?: string): DecodedAddress {
	const decoded = decodeBitcoinAddress(raw, field, service);
	if (!sameNetwork(decoded, expected)) {
		throw new InputError(field, `"${decoded.address}" is a ${decoded.network} address, but the wallet is on ${expected}: nothing was sent`, service);
	}
	return decoded;
}

/** The network of a wallet, read from one of its own addresses. */
export function networkOfAddress(address: string): BitcoinNetwork {
	const lower = address.trim().toLowerCase();
	if (lower.startsWith('bcrt1')) return 'regtest';
	return decodeBitcoinAddress(address, 'wallet address').network;
}

export interface NodeUri {
	/** 33-byte compressed public key, lowercase hex. */
	nodeId: string;
	host: string;
	port: number;
	/** `nodeId@host:port`. */
	uri: string;
}

/** Parses a Lightning peer `nodeId@host:port` (port defaults to 9735; IPv6 hosts in brackets). */
export function parseNodeUri(raw: unknown, field: string, service?: string): NodeUri {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) throw new InputError(field, 'is required (nodeId@host:port)', service);
	const m = /^([0-9a-fA-F]{66})@(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
	if (!m) {
		const hint = /^[0-9a-fA-F]{66}$/.test(text) ? ' (the host is missing)' : '';
		throw new InputError(field, `"${text}" is not a node URI${hint}: expected <66 hex node ID>@<host>:<port>`, service);
	}
	const nodeId = m[1].toLowerCase();
	if (!/^0[23]/.test(nodeId)) throw new InputError(field, 'the node ID must be a compressed public key (starting with 02 or 03)', service);
	const port = m[3] === undefined ? 9735 : Number(m[3]);
	if (port < 1 || port > 65535) throw new InputError(field, `port ${m[3]} is out of range (1-65535)`, service);
	return { nodeId, host: m[2], port, uri: `${nodeId}@${m[2]}:${port}` };
}
