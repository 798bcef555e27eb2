/**
 * Generated attacks on Verify (the node's operation, as a workflow runs it): forged macaroons,
 * altered caveats, expired tokens, wrong preimages, tokens for another path, replays of a
 * single-use token. Each case is refused with its reason, and the honest token made beside it
 * is accepted (so a verifier that refuses everything fails this test). Deterministic: seeded.
 */
import { createHash, createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { L402 } from '../../../nodes/L402/L402.node';
import { verify } from '../../../nodes/L402/actions/server/verify';
import { buildCaveats, mintMacaroon } from '../../../nodes/L402/lib';
import { executeContext } from '../../helpers/execute-context';
import { specDecode, specEncode } from './spec-macaroon';

const ROOT_HEX = '5a'.repeat(32);
const ROOT = Buffer.from(ROOT_HEX, 'hex');
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const PER_KIND = 40;

function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rand = prng(402);
const int = (n: number) => Math.floor(rand() * n);
const hex = (bytes: number) => Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, '0')).join('');
const word = () => Array.from({ length: 3 + int(6) }, () => 'abcdefghijklmnopqrstuvwxyz'[int(26)]).join('');

let folder: string;
beforeAll(() => {
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'l402-refusals-'));
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

async function runVerify(authorization: string, params: IDataObject = {}): Promise<IDataObject> {
	const ctx = executeContext({
		nodeType: new L402(),
		parameters: { resource: 'server', operation: 'verify', authorization, serviceName: 'svc', requestPath: '/api/data', verifyOptions: { storeFolder: folder }, ...params },
		credentials: { l402Api: { rootKey: ROOT_HEX } },
	});
	return (await verify.execute(ctx, 0, { now: () => NOW, fetch })) as IDataObject;
}

interface Case {
	honest: string;
	attack: string;
	params?: IDataObject;
	/** The honest token is replayed: the attack is its second use. */
	replay?: boolean;
}

function token(opts: { root?: Buffer; validUntil?: number; path?: string; preimage?: string; service?: string } = {}) {
	const preimage = opts.preimage ?? hex(32);
	const paymentHash = createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex');
	const caveats = buildCaveats({ service: opts.service ?? 'svc', validUntil: opts.validUntil ?? NOW / 1000 + 60 + int(86_400), path: opts.path ?? '/api' });
	const { macaroon } = mintMacaroon({ rootKey: opts.root ?? ROOT, paymentHash, caveats });
	return { macaroon, preimage, header: `L402 ${macaroon}:${preimage}` };
}

const kinds: Record<string, { reason: string | string[]; make: () => Case }> = {
	'forged macaroon': {
		reason: 'bad_signature',
		make: () => {
			const honest = token();
			const variant = int(3);
			if (variant === 0) {
				// Minted with another root key.
				const forged = token({ root: Buffer.from(hex(32), 'hex'), preimage: honest.preimage });
				return { honest: honest.header, attack: forged.header };
			}
			const spec = specDecode(Buffer.from(honest.macaroon, 'base64'));
			// A signature with one bit flipped, or a signature chain computed without the key (from the identifier alone).
			const flipAt = int(32);
			const flipBit = 1 << int(8);
			const signature =
				variant === 1
					? Buffer.from(spec.signature.map((b, i) => (i === flipAt ? b ^ flipBit : b)))
					: spec.caveats.reduce((sig, c) => createHmac('sha256', sig).update(c).digest(), createHmac('sha256', spec.identifier).update(spec.identifier).digest());
			return { honest: honest.header, attack: `L402 ${specEncode(spec.identifier, spec.caveats, signature).toString('base64')}:${honest.preimage}` };
		},
	},
	'altered caveat': {
		reason: 'bad_signature',
		make: () => {
			const honest = token();
			const spec = specDecode(Buffer.from(honest.macaroon, 'base64'));
			const caveats = [...spec.caveats];
			const variant = int(4);
			if (variant === 0) caveats[1] = `svc_valid_until=${NOW / 1000 + 10_000_000 + int(1000)}`;
			else if (variant === 1) caveats[2] = `svc_path=/${word()}`;
			else if (variant === 2) caveats.splice(1 + int(2), 1);
			else caveats[0] = `services=svc:${1 + int(9)}`;
			// The payment hash swapped for another one (a token paid for a cheaper invoice) is an identifier change.
			const identifier = variant === 3 && rand() < 0.5 ? Buffer.concat([spec.identifier.subarray(0, 2), Buffer.from(hex(32), 'hex'), spec.identifier.subarray(34)]) : spec.identifier;
			return { honest: honest.header, attack: `L402 ${specEncode(identifier, caveats, spec.signature).toString('base64')}:${honest.preimage}` };
		},
	},
	'expired token': {
		reason: 'expired',
		make: () => {
			const preimage = hex(32);
			const honest = token({ preimage, validUntil: NOW / 1000 + 1 + int(1000) });
			const attack = token({ preimage, validUntil: NOW / 1000 - int(10_000_000) });
			return { honest: honest.header, attack: attack.header };
		},
	},
	'wrong preimage': {
		reason: 'wrong_preimage',
		make: () => {
			const honest = token();
			const other = rand() < 0.5 ? hex(32) : honest.preimage.slice(0, 63) + ((parseInt(honest.preimage[63], 16) + 1) % 16).toString(16);
			return { honest: honest.header, attack: `L402 ${honest.macaroon}:${other}` };
		},
	},
	'other path': {
		reason: 'wrong_path',
		make: () => {
			const base = `/api/${word()}`;
			const t = token({ path: base });
			const variant = int(3);
			const other = variant === 0 ? `/api/${word()}x` : variant === 1 ? `${base}x` : `/${word()}${base}`;
			return { honest: t.header, attack: t.header, params: { requestPath: other } };
		},
	},
	'replay of a single-use token': {
		reason: 'already_used',
		make: () => {
			const t = token({ path: '/api' });
			return { honest: t.header, attack: t.header, params: { usage: rand() < 0.5 ? 'single' : 'limited', maxUses: 1 }, replay: true };
		},
	},
};

describe(`Verify refuses ${PER_KIND * Object.keys(kinds).length} generated attacks`, () => {
	const refused: Record<string, number> = {};
	afterAll(() => {
		// The tally the closing note quotes.
		process.stdout.write(`L402 refusals: ${JSON.stringify(refused)} total ${Object.values(refused).reduce((a, b) => a + b, 0)}\n`);
	});

	it.each(Object.keys(kinds))('%s', async (kind) => {
		const { reason, make } = kinds[kind];
		refused[kind] = 0;
		for (let n = 0; n < PER_KIND; n++) {
			const c = make();
			// The honest token beside it passes (on its own path for the path cases; first use for the replays).
			const honest = await runVerify(c.honest, kind === 'other path' ? { requestPath: pathOf(c.honest) } : c.params);
			expect({ kind, n, valid: honest.valid, reason: honest.reason }).toEqual({ kind, n, valid: true, reason: null });
			const attack = await runVerify(c.attack, c.params);
			expect({ kind, n, valid: attack.valid, reason: attack.reason }).toEqual({ kind, n, valid: false, reason });
			refused[kind]++;
		}
		expect(refused[kind]).toBe(PER_KIND);
	});
});

/** The path a token's path caveat names (its own path is accepted). */
function pathOf(header: string): string {
	const mac = header.slice('L402 '.length, header.lastIndexOf(':'));
	return specDecode(Buffer.from(mac, 'base64')).caveats.find((c) => c.startsWith('svc_path='))!.slice('svc_path='.length);
}
