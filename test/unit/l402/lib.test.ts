/**
 * The L402 library (nodes/L402/lib): headers in both spellings and as other implementations
 * write them (Alby's lightning-tools), the Aperture identifier layout, macaroons checked against
 * the specification written independently in spec-macaroon.ts, caveats, preimages, and the
 * durable usage ledger under concurrent processes.
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makeL402AuthenticateHeader, parseL402, parseL402Authorization } from '@getalby/lightning-tools/402/l402';
import {
	buildAuthorization,
	buildCaveats,
	buildWwwAuthenticate,
	checkCaveat,
	decodeIdentifier,
	decodeMacaroon,
	encodeBinaryV2,
	encodeIdentifier,
	mintMacaroon,
	parseAuthorization,
	parseRootKey,
	parseWwwAuthenticate,
	preimageMatches,
	tokenKey,
	TokenStore,
	UsageLedger,
	verifyToken,
} from '../../../nodes/L402/lib';
import { importMacaroon, newMacaroon } from 'macaroon';
import { specDecode, specEncode, specSignature } from './spec-macaroon';

const ROOT = Buffer.from('11'.repeat(32), 'hex');
const PREIMAGE = 'ab'.repeat(32);
const HASH = createHash('sha256').update(Buffer.from(PREIMAGE, 'hex')).digest('hex');
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const ctx = { service: 'weather', now: NOW, path: '/api/forecast' };

function mint(caveats = buildCaveats({ service: 'weather', validUntil: NOW / 1000 + 3600, path: '/api' })) {
	return mintMacaroon({ rootKey: ROOT, paymentHash: HASH, caveats, tokenId: 'cd'.repeat(32) });
}

describe('WWW-Authenticate', () => {
	it('builds the L402, LSAT and combined challenges and reads them back', () => {
		expect(buildWwwAuthenticate('AgEE', 'lnbc1x')).toBe('L402 macaroon="AgEE", invoice="lnbc1x"');
		expect(buildWwwAuthenticate('AgEE', 'lnbc1x', 'LSAT')).toBe('LSAT macaroon="AgEE", invoice="lnbc1x"');
		const both = buildWwwAuthenticate('AgEE', 'lnbc1x', 'both');
		expect(both).toBe('LSAT macaroon="AgEE", invoice="lnbc1x", L402 macaroon="AgEE", invoice="lnbc1x"');
		expect(parseWwwAuthenticate(both)).toEqual({ scheme: 'L402', macaroon: 'AgEE', invoice: 'lnbc1x', params: { macaroon: 'AgEE', invoice: 'lnbc1x' } });
		expect(parseWwwAuthenticate('LSAT macaroon="AgEE", invoice="lnbc1x"')?.scheme).toBe('LSAT');
	});

	it('reads the variants clients and servers send: token=, version=, unquoted, other challenges first, lower-case scheme', () => {
		const alby = makeL402AuthenticateHeader({ token: 'AgEE+/=', invoice: 'lnbc10n1x' });
		expect(parseWwwAuthenticate(alby)).toMatchObject({ scheme: 'L402', macaroon: 'AgEE+/=', invoice: 'lnbc10n1x', params: { version: '0' } });
		expect(parseWwwAuthenticate('Bearer realm="x", l402 macaroon=AgEE, invoice=lnbc1x')).toMatchObject({ scheme: 'L402', macaroon: 'AgEE', invoice: 'lnbc1x' });
		// A macaroon may contain the letters L402: only a scheme at the start or after a comma counts.
		expect(parseWwwAuthenticate('L402 macaroon="AL402 gE", invoice="lnbc1x"')?.macaroon).toBe('AL402 gE');
		expect(parseWwwAuthenticate('L402 invoice="lnbc1x"')).toBeNull();
		expect(parseWwwAuthenticate('Basic realm="x"')).toBeNull();
		expect(parseWwwAuthenticate(undefined)).toBeNull();
	});

	it("is read by Alby's parser as we write it", () => {
		const { macaroon } = mint();
		for (const spelling of ['L402', 'LSAT', 'both'] as const) {
			const parsed = parseL402(buildWwwAuthenticate(macaroon, 'lnbc10n1abc', spelling));
			expect([parsed.token, parsed.invoice]).toEqual([macaroon, 'lnbc10n1abc']);
		}
	});

	it('refuses to write a value that would break the header', () => {
		expect(() => buildWwwAuthenticate('a"b', 'lnbc')).toThrow(/quotes/);
	});
});

describe('Authorization', () => {
	it('reads L402 and LSAT, any case, and agrees with Alby on the parts', () => {
		for (const scheme of ['L402', 'LSAT', 'l402', 'lsat']) {
			const header = `${scheme} AgEEbWFj:${PREIMAGE.toUpperCase()}`;
			expect(parseAuthorization(header)).toEqual({ ok: true, value: { scheme: scheme.toUpperCase(), macaroon: 'AgEEbWFj', preimage: PREIMAGE } });
		}
		const alby = parseL402Authorization(buildAuthorization('AgEEbWFj', PREIMAGE, 'LSAT'))!;
		expect(alby).toEqual({ token: 'AgEEbWFj', preimage: PREIMAGE });
	});

	it.each([
		['', 'missing_header'],
		['Bearer abc', 'malformed_header'],
		['L402 AgEE', 'malformed_header'],
		['L402 AgEE:1234', 'malformed_header'],
		[`L402 AgEE,AgFF:${PREIMAGE}`, 'malformed_header'],
		[`L402 :${PREIMAGE}`, 'malformed_header'],
	])('refuses %j (%s)', (header, reason) => {
		expect(parseAuthorization(header)).toMatchObject({ ok: false, reason });
	});
});

describe('identifier and macaroon', () => {
	it('lays the identifier out as Aperture does: uint16 BE version, payment hash, token ID', () => {
		const id = encodeIdentifier({ version: 0, paymentHash: HASH, tokenId: 'cd'.repeat(32) });
		expect(Buffer.from(id).toString('hex')).toBe(`0000${HASH}${'cd'.repeat(32)}`);
		expect(decodeIdentifier(id)).toEqual({ version: 0, paymentHash: HASH, tokenId: 'cd'.repeat(32) });
		expect(decodeIdentifier(Buffer.from(`0001${HASH}${'cd'.repeat(32)}`, 'hex'))).toBeNull();
		expect(decodeIdentifier(id.subarray(0, 65))).toBeNull();
	});

	it('mints a binary v2 macaroon in standard base64 whose signature the specification confirms', () => {
		const caveats = buildCaveats({ service: 'weather', validUntil: 1_800_000_000, path: '/api', capabilities: ['read'], custom: [{ name: 'plan', value: 'pro' }] });
		expect(caveats).toEqual(['services=weather:0', 'weather_valid_until=1800000000', 'weather_path=/api', 'weather_capabilities=read', 'plan=pro']);
		const { macaroon } = mint(caveats);
		expect(macaroon).toMatch(/^[A-Za-z0-9+/]+=*$/);
		const spec = specDecode(Buffer.from(macaroon, 'base64'));
		expect(spec.identifier.toString('hex')).toBe(`0000${HASH}${'cd'.repeat(32)}`);
		expect(spec.caveats).toEqual(caveats);
		// The token's key is HMAC-SHA256(root key, "l402 token key" ‖ identifier).
		const key = createHmac('sha256', ROOT).update(Buffer.concat([Buffer.from('l402 token key'), spec.identifier])).digest();
		expect(Buffer.from(tokenKey(ROOT, spec.identifier))).toEqual(key);
		expect(spec.signature).toEqual(specSignature(key, spec.identifier, caveats));
	});

	it('verifies a macaroon built by the specification code, and a caveat added by the holder (attenuation)', () => {
		const identifier = Buffer.from(encodeIdentifier({ version: 0, paymentHash: HASH, tokenId: 'ef'.repeat(32) }));
		const key = Buffer.from(tokenKey(ROOT, identifier));
		const caveats = ['services=weather:0', `weather_valid_until=${NOW / 1000 + 60}`];
		const built = specEncode(identifier, caveats, specSignature(key, identifier, caveats), 'https://api.example');
		expect(verifyToken(`L402 ${built.toString('base64')}:${PREIMAGE}`, ROOT, ctx)).toMatchObject({ valid: true, tokenId: 'ef'.repeat(32) });
		// The holder restricts it further: HMAC of the old signature with the new caveat.
		const more = [...caveats, 'weather_path=/api/other'];
		const attenuated = specEncode(identifier, more, createHmac('sha256', specSignature(key, identifier, caveats)).update('weather_path=/api/other').digest());
		expect(verifyToken(`L402 ${attenuated.toString('base64url')}:${PREIMAGE}`, ROOT, ctx)).toMatchObject({ valid: false, reason: 'wrong_path' });
		expect(verifyToken(`L402 ${attenuated.toString('base64url')}:${PREIMAGE}`, ROOT, { ...ctx, path: '/api/other/x' })).toMatchObject({ valid: true });
	});

	it("writes the same bytes as the package's own exportBinary (checked where that still fits in memory: few fields)", () => {
		const mac = newMacaroon({ version: 2, identifier: new Uint8Array(66), location: 'https://api.example', rootKey: new Uint8Array(32) });
		mac.addFirstPartyCaveat('services=weather:0');
		expect(Buffer.from(encodeBinaryV2(mac))).toEqual(Buffer.from(mac.exportBinary()));
		const back = importMacaroon(Buffer.from(encodeBinaryV2(mac)).toString('base64'));
		expect(Buffer.from(back.signature)).toEqual(Buffer.from(mac.signature));
	});

	it('decodes what it can and says null for what is not a macaroon', () => {
		expect(decodeMacaroon(mint().macaroon)?.caveats[0]).toBe('services=weather:0');
		expect(decodeMacaroon('not base64!')).toBeNull();
		expect(decodeMacaroon('AAAA')).toBeNull();
	});

	it('takes a root key of 32+ bytes, as hex or text, and never repeats it', () => {
		expect(parseRootKey('ab'.repeat(32))).toEqual(new Uint8Array(32).fill(0xab));
		expect(parseRootKey('x'.repeat(40)).length).toBe(40);
		const short = 'secret-but-short';
		expect(() => parseRootKey(short)).toThrow(/at least 32 bytes.*openssl rand -hex 32/);
		expect(caughtMessage(() => parseRootKey(short))).not.toContain(short);
	});

	it('matches preimages against the payment hash', () => {
		expect(preimageMatches(PREIMAGE, HASH)).toBe(true);
		expect(preimageMatches('ac'.repeat(32), HASH)).toBe(false);
		expect(preimageMatches('ab', HASH)).toBe(false);
	});
});

function caughtMessage(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		return (error as Error).message;
	}
	return '';
}

describe('caveats', () => {
	const check = (caveat: string, extra: object = {}) => checkCaveat(caveat, { ...ctx, ...extra });
	it('judges services, both expiry spellings, capabilities, paths and custom caveats', () => {
		expect(check('services=other:0,weather:1').outcome).toBe('satisfied');
		expect(check('services=other:0')).toMatchObject({ outcome: 'failed', reason: 'wrong_service' });
		expect(check('services=weather')).toMatchObject({ outcome: 'failed', reason: 'malformed_caveat' });
		expect(check(`weather_valid_until=${NOW / 1000 + 1}`).outcome).toBe('satisfied');
		expect(check(`weather_valid_until=${NOW / 1000}`)).toMatchObject({ outcome: 'failed', reason: 'expired' });
		expect(check(`expiration=${NOW + 1}`).outcome).toBe('satisfied');
		expect(check(`expiration=${NOW}`)).toMatchObject({ outcome: 'failed', reason: 'expired' });
		expect(check('other_valid_until=1').outcome).toBe('skipped');
		expect(check('weather_capabilities=read, search', { capability: 'search' }).outcome).toBe('satisfied');
		expect(check('weather_capabilities=read', { capability: 'write' })).toMatchObject({ outcome: 'failed', reason: 'missing_capability' });
		expect(check('weather_capabilities=read').outcome).toBe('satisfied');
		expect(check('weather_path=/api').outcome).toBe('satisfied');
		expect(check('weather_path=/ap')).toMatchObject({ outcome: 'failed', reason: 'wrong_path' });
		expect(check('weather_path=/api', { path: 'https://x.example/api/forecast?q=1' }).outcome).toBe('satisfied');
		expect(check('weather_path=/api', { path: '' })).toMatchObject({ outcome: 'failed', reason: 'wrong_path' });
		expect(check('plan=pro', { expected: { plan: 'pro' } }).outcome).toBe('satisfied');
		expect(check('plan=pro', { expected: { plan: 'free' } })).toMatchObject({ outcome: 'failed', reason: 'custom_caveat' });
		expect(check('plan=pro')).toMatchObject({ outcome: 'failed', reason: 'custom_caveat' });
		expect(check('garbage')).toMatchObject({ outcome: 'failed', reason: 'malformed_caveat' });
	});

	it('refuses caveats it could not write safely', () => {
		expect(() => buildCaveats({ service: 'a:b', validUntil: 1 })).toThrow(/Service Name/);
		expect(() => buildCaveats({ service: 'a', validUntil: 1, path: 'api' })).toThrow(/Path/);
		expect(() => buildCaveats({ service: 'a', validUntil: 1, custom: [{ name: 'services', value: 'x' }] })).toThrow(/Custom Caveat 1.*reserved/);
		expect(() => buildCaveats({ service: 'a', validUntil: 1, custom: [{ name: 'ok', value: 'x' }, { name: 'b', value: ' ' }] })).toThrow(/Custom Caveat 2/);
	});
});

describe('verifyToken', () => {
	it('accepts a paid token and lists every caveat', () => {
		const { macaroon } = mint();
		const out = verifyToken(`L402 ${macaroon}:${PREIMAGE}`, ROOT, ctx);
		expect(out).toMatchObject({ valid: true, reason: null, paymentHash: HASH, tokenId: 'cd'.repeat(32), scheme: 'L402', expiresAt: new Date(NOW + 3600_000).toISOString() });
		expect(out.caveats.map((c) => c.outcome)).toEqual(['satisfied', 'satisfied', 'satisfied']);
	});

	it('checks the signature before trusting any caveat', () => {
		const { macaroon } = mint();
		expect(verifyToken(`L402 ${macaroon}:${PREIMAGE}`, Buffer.from('22'.repeat(32), 'hex'), ctx)).toMatchObject({ valid: false, reason: 'bad_signature', caveats: [] });
	});
});

describe('durable memory', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'l402-'));
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('counts uses up to the limit and survives a new ledger (restart)', () => {
		const id = '01'.repeat(32);
		expect(new UsageLedger(dir).claim(id, 2)).toEqual({ accepted: true, use: 1, maxUses: 2 });
		expect(new UsageLedger(dir).claim(id, 2)).toEqual({ accepted: true, use: 2, maxUses: 2 });
		expect(new UsageLedger(dir).claim(id, 2)).toEqual({ accepted: false, use: 2, maxUses: 2 });
		expect(new UsageLedger(dir).uses(id)).toBe(2);
		expect(() => new UsageLedger(dir).claim('../x', 1)).toThrow(/64 hex/);
	});

	it('lets exactly one of several processes claiming a single-use token at once win', async () => {
		const run = promisify(execFile);
		const id = randomBytes(32).toString('hex');
		const script = `
			const fs = require('fs'), path = require('path');
			const dir = path.join(process.argv[1], 'uses'); fs.mkdirSync(dir, { recursive: true });
			try { fs.closeSync(fs.openSync(path.join(dir, process.argv[2] + '.1'), 'wx')); console.log('won'); } catch (e) { console.log(e.code); }`;
		// The child uses the same O_EXCL create as UsageLedger.claim; the parent claims too.
		const children = Array.from({ length: 4 }, () => run(process.execPath, ['-e', script, dir, id]));
		const mine = new UsageLedger(dir).claim(id, 1);
		const outputs = (await Promise.all(children)).map((r) => r.stdout.trim());
		const winners = outputs.filter((o) => o === 'won').length + (mine.accepted ? 1 : 0);
		expect(winners).toBe(1);
		expect(outputs.filter((o) => o !== 'won').every((o) => o === 'EEXIST')).toBe(true);
		expect(new UsageLedger(dir).claim(id, 1).accepted).toBe(false);
	});

	it('stores tokens by key, replaced whole, owner-only', () => {
		const store = new TokenStore(dir);
		expect(store.get('url:https://x/a')).toBeNull();
		const token = { state: 'paid' as const, scheme: 'L402' as const, macaroon: 'AgEE', invoice: 'lnbc1', paymentHash: HASH, preimage: PREIMAGE, url: 'https://x/a', services: ['weather'], expiresAt: null, savedAt: 'now', amountSats: 5 };
		store.put('url:https://x/a', token);
		expect(new TokenStore(dir).get('url:https://x/a')).toEqual(token);
		const files = fs.readdirSync(path.join(dir, 'tokens'));
		expect(files).toHaveLength(1);
		expect(fs.statSync(path.join(dir, 'tokens', files[0])).mode & 0o077).toBe(0);
		store.delete('url:https://x/a');
		expect(store.get('url:https://x/a')).toBeNull();
	});
});
