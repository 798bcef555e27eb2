/**
 * Real HTTPS on 127.0.0.1 against the LND emulator: the pinned certificate is
 * accepted, any other certificate is refused before a request is sent.
 */
import { LndClient } from '../../../nodes/Lnd/client';
import { InvoiceSubscription } from '../../../nodes/Lnd/client/subscribe';
import { ServiceError } from '../../../nodes/shared/errors';
import { caught } from '../../helpers/caught';
import { makeSelfSignedCert, startLndEmulator, type LndEmulator, type TlsPair } from '../../lnd-emulator/server';
import { COFFEE, MACAROON_HEX, NOW } from './fixtures';

jest.setTimeout(60_000);

let right: TlsPair;
let wrong: TlsPair;
let emulator: LndEmulator;

beforeAll(async () => {
	right = makeSelfSignedCert({ cn: 'lnd', san: 'DNS:localhost,IP:127.0.0.1' });
	wrong = makeSelfSignedCert({ cn: 'lnd', san: 'DNS:localhost,IP:127.0.0.1' });
	emulator = await startLndEmulator({ tls: right, macaroonHex: MACAROON_HEX });
});

afterAll(async () => {
	await emulator?.close();
});

function client(tlsCert: string | undefined, macaroon = MACAROON_HEX) {
	return new LndClient({ url: emulator.url, macaroon, tlsCert, retries: 0, timeoutMs: 20_000 });
}

describe('TLS pinning against a local HTTPS LND emulator', () => {
	it('accepts the pinned certificate and runs invoice and payment operations', async () => {
		const c = client(right.cert);
		expect((await c.getInfo()).alias).toBe('emulator');
		const created = await c.createInvoice({ amountSats: 2100, memo: 'pinned', expirySeconds: 600 });
		const hash = Buffer.from(created.r_hash, 'base64').toString('hex');
		const looked = await c.lookupInvoice(hash);
		expect(looked).toMatchObject({ memo: 'pinned', value: '2100', state: 'OPEN' });
		expect((await caught(c.lookupInvoice('ff'.repeat(32)))).kind).toBe('not_found');

		const first = await c.payInvoice({ paymentRequest: COFFEE, maxAmountSats: 250_000, feeLimitSats: 10, timeoutSeconds: 30, now: NOW });
		expect(first).toMatchObject({ state: 'succeeded', alreadyPaid: false });
		expect(first.payment.payment_preimage).toBe('44'.repeat(32));
		const again = await c.payInvoice({ paymentRequest: COFFEE, maxAmountSats: 250_000, feeLimitSats: 10, timeoutSeconds: 30, now: NOW });
		expect(again).toMatchObject({ state: 'succeeded', alreadyPaid: true });
		expect(emulator.requests.filter((r) => r.path === '/v2/router/send')).toHaveLength(1);
	});

	it('refuses a server whose certificate is not the pinned one, before sending anything', async () => {
		const before = emulator.requests.length;
		const error = await caught(client(wrong.cert).getInfo());
		expect(error.kind).toBe('network');
		expect(error.message).toMatch(/presented a TLS certificate that does not match the certificate in the credential/);
		expect(error.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
		expect(error.hint).toMatch(/never switched off/);
		expect(emulator.requests.length).toBe(before);
	});

	it('accepts the exact pinned certificate even when it does not name the address used', async () => {
		const odd = makeSelfSignedCert({ cn: 'lnd.internal', san: 'DNS:lnd.internal' });
		const other = await startLndEmulator({ tls: odd, macaroonHex: MACAROON_HEX });
		try {
			const c = new LndClient({ url: other.url, macaroon: MACAROON_HEX, tlsCert: odd.cert, retries: 0 });
			expect((await c.getInfo()).alias).toBe('emulator');
		} finally {
			await other.close();
		}
	});

	it('pins a plain (non-CA) self-signed server certificate as well', async () => {
		const plain = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1', ca: false });
		const other = await startLndEmulator({ tls: plain, macaroonHex: MACAROON_HEX });
		try {
			const ok = new LndClient({ url: other.url, macaroon: MACAROON_HEX, tlsCert: plain.cert, retries: 0 });
			expect((await ok.getInfo()).alias).toBe('emulator');
			const refused = new LndClient({ url: other.url, macaroon: MACAROON_HEX, tlsCert: right.cert, retries: 0 });
			expect((await caught(refused.getInfo())).message).toMatch(/does not match the certificate in the credential/);
			expect(other.requests).toHaveLength(1);
		} finally {
			await other.close();
		}
	});

	it('without a certificate, refuses the self-signed one with a clear explanation', async () => {
		const error = await caught(client(undefined).getInfo());
		expect(error.kind).toBe('network');
		expect(error.message).toMatch(/not publicly trusted/);
		expect(error.hint).toMatch(/tls\.cert/);
	});

	it('reports a wrong macaroon over the pinned connection without revealing it', async () => {
		const otherMacaroon = MACAROON_HEX.replace(/ab/g, 'cd');
		const error = await caught(client(right.cert, otherMacaroon).getInfo());
		expect(error).toBeInstanceOf(ServiceError);
		expect(error.kind).toBe('auth');
		expect(error.message).not.toContain(otherMacaroon);
	});

	it('reports insufficient balance from the streamed result', async () => {
		const poor = await startLndEmulator({ tls: right, macaroonHex: MACAROON_HEX, localBalanceSats: 1000 });
		try {
			const c = new LndClient({ url: poor.url, macaroon: MACAROON_HEX, tlsCert: right.cert, retries: 0 });
			const error = await caught(c.payInvoice({ paymentRequest: COFFEE, maxAmountSats: 250_000, feeLimitSats: 10, timeoutSeconds: 30, now: NOW }));
			expect(error.code).toBe('FAILURE_REASON_INSUFFICIENT_BALANCE');
			expect(poor.payments.size).toBe(1);
		} finally {
			await poor.close();
		}
	});

	it('streams settled invoices over the pinned connection and catches up after a dropped stream, each once', async () => {
		const emu = await startLndEmulator({ tls: right, macaroonHex: MACAROON_HEX });
		const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
		const until = async (check: () => boolean) => {
			for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
			expect(check()).toBe(true);
		};
		let sub: InvoiceSubscription | undefined;
		try {
			const c = new LndClient({ url: emu.url, macaroon: MACAROON_HEX, tlsCert: right.cert, retries: 0 });
			const [a, b, d] = [hex((await c.createInvoice({ amountSats: 1 })).r_hash), hex((await c.createInvoice({ amountSats: 2 })).r_hash), hex((await c.createInvoice({ amountSats: 3 })).r_hash)];
			emu.settle(a); // paid before the subscription: not delivered
			const delivered: string[] = [];
			sub = new InvoiceSubscription({ client: c, onSettled: (inv) => void delivered.push(hex(inv.r_hash)), backoff: { initialMs: 20, maxMs: 50 } });
			await sub.start();
			expect(sub.settleIndex).toBe('1');
			await until(() => emu.streamCount() === 1);
			emu.settle(b);
			await until(() => delivered.length === 1);
			emu.dropStreams();
			emu.settle(d); // paid while the stream is down: caught up on reconnect
			await until(() => delivered.length === 2);
			await until(() => emu.streamCount() === 1);
			emu.dropStreams(); // a reconnect that replays nothing new
			await until(() => emu.streamCount() === 1);
			expect(delivered).toEqual([b, d]);
			expect(sub.settleIndex).toBe('3');
			expect(emu.requests.filter((r) => r.path === '/v1/invoices/subscribe').length).toBeGreaterThanOrEqual(3);
		} finally {
			await sub?.stop();
			await emu.close();
		}
	});
});
