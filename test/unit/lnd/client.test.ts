import nock from 'nock';
import { Readable } from 'node:stream';
import { LndClient, collectPages, normalizeMacaroon, normalizePaymentHash, parseCertificate } from '../../../nodes/Lnd/client';
import { simplifyInvoice, simplifyPayment, simplifyPayReq, simplifyInfo, simplifyChannelBalance, simplifyWalletBalance } from '../../../nodes/Lnd/client/simplify';
import { InputError, SafetyError, ServiceError } from '../../../nodes/shared/errors';
import { caught } from '../../helpers/caught';
import { DONATION } from '../../fixtures/bolt11-spec';
import { BASE, COFFEE, HASH_B64, HASH_B64URL, HASH_HEX, INFO, MACAROON_B64, MACAROON_HEX, NOW, lndInvoice, lndPayment, streamBody } from './fixtures';

function client(extra: Partial<ConstructorParameters<typeof LndClient>[0]> = {}) {
	return new LndClient({ url: BASE, macaroon: MACAROON_HEX, retries: 0, retryDelayMs: 1, ...extra });
}

function lnd() {
	return nock(BASE, { reqheaders: { 'grpc-metadata-macaroon': MACAROON_HEX } });
}

const PAY = { paymentRequest: COFFEE, maxAmountSats: 300_000, feeLimitSats: 100, timeoutSeconds: 30, now: NOW };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

describe('credential values', () => {
	it('accepts the macaroon as hex or base64 and always sends hex', async () => {
		expect(normalizeMacaroon(MACAROON_HEX.toUpperCase())).toBe(MACAROON_HEX);
		expect(normalizeMacaroon(MACAROON_B64)).toBe(MACAROON_HEX);
		expect(normalizeMacaroon(Buffer.from(MACAROON_HEX, 'hex').toString('base64url'))).toBe(MACAROON_HEX);
		const scope = lnd().get('/v1/getinfo').reply(200, INFO);
		await client({ macaroon: MACAROON_B64 }).getInfo();
		scope.done();
	});

	it('refuses something that is not a macaroon without echoing it', () => {
		const secret = 'not-a-macaroon-but-a-secret-value';
		const error = (() => {
			try {
				normalizeMacaroon(secret);
			} catch (e) {
				return e as InputError;
			}
			throw new Error('expected an error');
		})();
		expect(error).toBeInstanceOf(InputError);
		expect(error.field).toBe('Macaroon');
		expect(error.message).not.toContain(secret);
		expect(() => normalizeMacaroon('')).toThrow('Macaroon: is empty');
	});

	it('refuses a certificate that is not a certificate, and http:// with a certificate', () => {
		expect(() => parseCertificate('hello world')).toThrow(/TLS Certificate: is not/);
		expect(() => new LndClient({ url: 'http://lnd.test:8080', macaroon: MACAROON_HEX, tlsCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })).toThrow(
			/REST URL: must start with https/,
		);
	});

	it('accepts payment hashes as hex or base64 only', () => {
		expect(normalizePaymentHash(HASH_HEX.toUpperCase())).toBe(HASH_HEX);
		expect(normalizePaymentHash(HASH_B64)).toBe(HASH_HEX);
		expect(() => normalizePaymentHash('abc')).toThrow('Payment Hash: must be a 32-byte payment hash');
	});
});

describe('read operations', () => {
	it('gets info and both balances', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get('/v1/balance/channels')
			.reply(200, {
				balance: '50000',
				pending_open_balance: '0',
				local_balance: { sat: '50000', msat: '50000123' },
				remote_balance: { sat: '20000', msat: '20000000' },
				unsettled_local_balance: { sat: '0', msat: '0' },
				unsettled_remote_balance: { sat: '0', msat: '0' },
				pending_open_local_balance: { sat: '1000', msat: '1000000' },
				pending_open_remote_balance: { sat: '0', msat: '0' },
			})
			.get('/v1/balance/blockchain')
			.reply(200, { total_balance: '150000', confirmed_balance: '100000', unconfirmed_balance: '50000', locked_balance: '0', reserved_balance_anchor_chan: '10000' });
		const c = client();
		expect(simplifyInfo(await c.getInfo())).toMatchObject({ alias: 'mynode', network: 'mainnet', blockHeight: 900000, activeChannels: 3 });
		expect(simplifyChannelBalance(await c.channelBalance())).toMatchObject({ localSats: 50000, localMsat: '50000123', remoteSats: 20000, pendingOpenLocalSats: 1000 });
		expect(simplifyWalletBalance(await c.walletBalance())).toEqual({ totalSats: 150000, confirmedSats: 100000, unconfirmedSats: 50000, lockedSats: 0, reservedAnchorSats: 10000 });
		scope.done();
	});

	it('creates an invoice with sats as a string, memo and expiry; returns the hash as hex', async () => {
		let sent: unknown;
		const scope = lnd()
			.post('/v1/invoices', (body) => {
				sent = body;
				return true;
			})
			.reply(200, { r_hash: HASH_B64, payment_request: 'lnbc10u1pnew', add_index: '8', payment_addr: HASH_B64 });
		const res = await client().createInvoice({ amountSats: 1000, memo: 'coffee', expirySeconds: 600 });
		expect(sent).toEqual({ value: '1000', memo: 'coffee', expiry: '600' });
		expect(Buffer.from(res.r_hash, 'base64').toString('hex')).toBe(HASH_HEX);
		scope.done();
	});

	it('refuses bad invoice input before any request', async () => {
		const c = client();
		expect((await caught(c.createInvoice({ amountSats: -1 }))).field).toBe('Amount (Sats)');
		expect((await caught(c.createInvoice({ amountSats: 1.5 }))).field).toBe('Amount (Sats)');
		expect((await caught(c.createInvoice({ amountSats: 1, expirySeconds: 0 }))).field).toBe('Expiry (Seconds)');
		expect((await caught(c.createInvoice({ amountSats: 1, memo: 'x'.repeat(700) }))).field).toBe('Memo');
	});

	it('looks up an invoice by hex hash and simplifies it', async () => {
		const scope = lnd()
			.get(`/v1/invoice/${HASH_HEX}`)
			.reply(200, lndInvoice({ state: 'SETTLED', settled: true, settle_date: '1700000100', amt_paid_sat: '1000', amt_paid_msat: '1000000', settle_index: '3' }));
		const inv = simplifyInvoice(await client().lookupInvoice(HASH_HEX.toUpperCase()));
		expect(inv).toMatchObject({
			paymentHash: HASH_HEX,
			state: 'SETTLED',
			settled: true,
			amountSats: 1000,
			amountMsat: '1000000',
			amountPaidSats: 1000,
			settledAt: '2023-11-14T22:15:00.000Z',
			expiresAt: '2023-11-14T23:13:20.000Z',
			settleIndex: '3',
			preimage: '22'.repeat(32),
		});
		scope.done();
	});

	it('hides the preimage of an open invoice', () => {
		expect(simplifyInvoice(lndInvoice() as never).preimage).toBeNull();
	});

	it('maps an unknown invoice (404 and the older 500 "unable to locate invoice") to not found', async () => {
		lnd().get(`/v1/invoice/${HASH_HEX}`).reply(404, { code: 5, message: 'there are no existing invoices', details: [] });
		const e1 = await caught(client().lookupInvoice(HASH_HEX));
		expect(e1.kind).toBe('not_found');
		expect(e1.message).toContain(`Invoice ${HASH_HEX} was not found on LND`);
		lnd().get(`/v1/invoice/${HASH_HEX}`).reply(500, { code: 2, message: 'unable to locate invoice', details: [] });
		expect((await caught(client().lookupInvoice(HASH_HEX))).kind).toBe('not_found');
	});

	it('decodes a payment request through LND', async () => {
		const scope = lnd()
			.get(`/v1/payreq/${COFFEE}`)
			.reply(200, {
				destination: '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad',
				payment_hash: HASH_HEX,
				num_satoshis: '250000',
				timestamp: '1496314658',
				expiry: '60',
				description: '1 cup coffee',
				description_hash: '',
				fallback_addr: '',
				cltv_expiry: '9',
				route_hints: [],
				payment_addr: HASH_B64,
				num_msat: '250000000',
				features: {},
			});
		const out = simplifyPayReq(await client().decodePayReq(`lightning:${COFFEE.toUpperCase()}`), COFFEE);
		expect(out).toMatchObject({ paymentHash: HASH_HEX, amountSats: 250000, amountMsat: '250000000', description: '1 cup coffee', expiresAt: '2017-06-01T10:58:38.000Z' });
		scope.done();
	});

	it('maps a bad payment request to a validation error', async () => {
		lnd().get('/v1/payreq/lnbc1bad').reply(500, { code: 2, message: 'checksum failed. Expected abcdef, got 123456.', details: [] });
		expect((await caught(client().decodePayReq('lnbc1bad'))).kind).toBe('validation');
		// What LND 0.19.3 answers for a payment request with characters outside bech32:
		lnd().get('/v1/payreq/lnbcrt1garbage').reply(500, { code: 2, message: 'failed converting data to bytes: invalid character not part of charset: 98', details: [] });
		expect((await caught(client().decodePayReq('lnbcrt1garbage'))).kind).toBe('validation');
		expect((await caught(client().decodePayReq('hello'))).field).toBe('Payment Request');
	});
});

describe('paging', () => {
	it('lists invoices newest first across pages up to the limit', async () => {
		const seen: Array<Record<string, string>> = [];
		const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => lndInvoice({ add_index: String(from - i) }));
		const scope = lnd()
			.get('/v1/invoices')
			.query((q) => (seen.push(q as Record<string, string>), q.index_offset === '0'))
			.reply(200, { invoices: page(10, 2).reverse(), first_index_offset: '9', last_index_offset: '10' })
			.get('/v1/invoices')
			.query((q) => (seen.push(q as Record<string, string>), q.index_offset === '9'))
			.reply(200, { invoices: page(8, 1), first_index_offset: '8', last_index_offset: '8' });
		const out = await client().listInvoices({ limit: 3, reversed: true, pageSize: 2 });
		expect(out.map((i) => i.add_index)).toEqual(['10', '9', '8']);
		expect(seen[0]).toMatchObject({ reversed: 'true', num_max_invoices: '2' });
		expect(seen[1]).toMatchObject({ reversed: 'true', num_max_invoices: '1', index_offset: '9' });
		scope.done();
	});

	it('returns all payments oldest first until a short page', async () => {
		const scope = lnd()
			.get('/v1/payments')
			.query({ index_offset: '0', max_payments: '2', reversed: 'false', include_incomplete: 'true' })
			.reply(200, { payments: [lndPayment('SUCCEEDED', { payment_index: '1' }), lndPayment('FAILED', { payment_index: '2' })], first_index_offset: '1', last_index_offset: '2', total_num_payments: '0' })
			.get('/v1/payments')
			.query({ index_offset: '2', max_payments: '2', reversed: 'false', include_incomplete: 'true' })
			.reply(200, { payments: [lndPayment('IN_FLIGHT', { payment_index: '3' })], first_index_offset: '3', last_index_offset: '3', total_num_payments: '0' });
		const out = await client().listPayments({ pageSize: 2 });
		expect(out.map((p) => simplifyPayment(p).status)).toEqual(['succeeded', 'failed', 'pending']);
		scope.done();
	});

	it('stops when LND returns an empty list or null', async () => {
		const scope = lnd().get('/v1/invoices').query(true).reply(200, { invoices: null, first_index_offset: '0', last_index_offset: '0' });
		expect(await client().listInvoices({})).toEqual([]);
		scope.done();
		await expect(collectPages(async () => ({ items: [], firstIndexOffset: '0', lastIndexOffset: '0' }), { limit: 0 })).rejects.toThrow('Limit');
	});
});

describe('errors', () => {
	it('reports a wrong macaroon in plain words without the macaroon', async () => {
		lnd().get('/v1/getinfo').reply(500, { code: 2, message: 'verification failed: signature mismatch after caveat verification', details: [] });
		const e = await caught(client().getInfo());
		expect(e.kind).toBe('auth');
		expect(e.message).toMatch(/LND rejected the macaroon/);
		expect(JSON.stringify({ m: e.message, h: e.hint, d: e.details })).not.toContain(MACAROON_HEX);
	});

	it('reports a macaroon without the needed permission', async () => {
		lnd().post('/v1/invoices').reply(500, { code: 2, message: 'permission denied', details: [] });
		const e = await caught(client().createInvoice({ amountSats: 5 }));
		expect(e.kind).toBe('permission');
		expect(e.hint).toMatch(/invoice\.macaroon/);
	});

	it('redacts the macaroon when LND echoes it back', async () => {
		lnd().get('/v1/getinfo').reply(500, { code: 2, message: `cannot get macaroon: bad ${MACAROON_HEX} / ${MACAROON_B64}`, details: [] });
		const e = await caught(client().getInfo());
		expect(e.kind).toBe('auth');
		expect(e.message).not.toContain(MACAROON_HEX);
		expect(e.message).not.toContain(MACAROON_B64);
		expect(e.message).toContain('***');
	});

	it('explains a locked wallet', async () => {
		lnd().get('/v1/getinfo').reply(500, { code: 2, message: 'wallet locked, unlock it to enable full RPC access', details: [] });
		const e = await caught(client().getInfo());
		expect(e.kind).toBe('server');
		expect(e.hint).toMatch(/Unlock/);
	});

	it('retries a read when LND is unavailable (503) but not its deterministic 500 answers', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(503, { code: 14, message: 'server is still in the process of starting' })
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get('/v1/balance/channels')
			.once()
			.reply(500, { code: 2, message: 'permission denied', details: [] });
		const c = client({ retries: 2 });
		expect((await c.getInfo()).alias).toBe('mynode');
		expect((await caught(c.channelBalance())).kind).toBe('permission');
		scope.done();
	});

	it('reports an unreachable node as a network error', async () => {
		nock(BASE).get('/v1/getinfo').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
		const e = await caught(client().getInfo());
		expect(e.kind).toBe('network');
		expect(e.message).toContain('lnd.test:8080');
	});
});

describe('pay invoice', () => {
	function trackNotFound(scope: nock.Scope) {
		return scope.get(`/v2/router/track/${HASH_B64URL}`).reply(404, { error: { code: 5, message: "payment isn't initiated", details: [] } });
	}

	it('decodes, checks the network, looks for an earlier payment, then sends once', async () => {
		let sent: Record<string, unknown> = {};
		const scope = trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send', (body) => {
				sent = body;
				return true;
			})
			.reply(200, streamBody(lndPayment('IN_FLIGHT'), lndPayment('SUCCEEDED')));
		const res = await client().payInvoice(PAY);
		expect(sent).toEqual({ payment_request: COFFEE, timeout_seconds: 30, fee_limit_sat: '100', no_inflight_updates: false });
		expect(res.state).toBe('succeeded');
		expect(res.alreadyPaid).toBe(false);
		expect(simplifyPayment(res.payment)).toMatchObject({ status: 'succeeded', amountSats: 250000, feeSats: 3, feeMsat: '3210', preimage: '33'.repeat(32), createdAt: '2023-11-14T22:13:20.123Z' });
		scope.done();
	});

	it('does not pay again an invoice that was already paid', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		const res = await client().payInvoice(PAY);
		expect(res).toMatchObject({ state: 'succeeded', alreadyPaid: true });
		scope.done();
	});

	it('reports a payment already in flight as pending without sending', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('IN_FLIGHT')));
		const res = await client().payInvoice(PAY);
		expect(res).toMatchObject({ state: 'pending', alreadyPaid: true });
		expect(simplifyPayment(res.payment).preimage).toBeNull();
		scope.done();
	});

	it('tries again after an earlier failed attempt', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('FAILED', { failure_reason: 'FAILURE_REASON_NO_ROUTE' })))
			.post('/v2/router/send')
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		expect((await client().payInvoice(PAY)).state).toBe('succeeded');
		scope.done();
	});

	it('treats a "payment isn\'t initiated" error line in a 200 stream as no earlier payment', async () => {
		const scope = lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, JSON.stringify({ error: { code: 5, message: "payment isn't initiated", details: [] } }) + '\n')
			.post('/v2/router/send')
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		expect((await client().payInvoice(PAY)).alreadyPaid).toBe(false);
		scope.done();
	});

	it.each([
		['FAILURE_REASON_NO_ROUTE', /no route/],
		['FAILURE_REASON_INSUFFICIENT_BALANCE', /not enough outbound balance/],
		['FAILURE_REASON_TIMEOUT', /before the payment timeout/],
		['FAILURE_REASON_INCORRECT_PAYMENT_DETAILS', /payee rejected/],
	])('reports %s as a failed payment', async (reason, message) => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.reply(200, streamBody(lndPayment('IN_FLIGHT'), lndPayment('FAILED', { failure_reason: reason })));
		const e = await caught(client().payInvoice(PAY));
		expect(e.kind).toBe('business');
		expect(e.code).toBe(reason);
		expect(e.message).toMatch(message);
		expect(e.message).toContain('nothing was paid');
	});

	it('reports a payment still in flight after the wait as pending', async () => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.reply(200, () => {
				const stream = new Readable({ read() {} });
				stream.push(JSON.stringify({ result: lndPayment('IN_FLIGHT') }) + '\n');
				return stream; // never ends: LND keeps the stream open while HTLCs are pending
			});
		const res = await client().payInvoice({ ...PAY, timeoutSeconds: 1, graceMs: 0 });
		expect(res).toMatchObject({ state: 'pending', alreadyPaid: false });
		expect(res.payment.status).toBe('IN_FLIGHT');
	});

	it('asks LND after a lost answer and reports what it says', async () => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('IN_FLIGHT')));
		const res = await client().payInvoice(PAY);
		expect(res).toMatchObject({ state: 'pending', alreadyPaid: false });
	});

	it('turns LND\'s "invoice is already paid" into the existing payment', async () => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.reply(409, { error: { code: 6, message: 'invoice is already paid', details: [] } })
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		expect(await client().payInvoice(PAY)).toMatchObject({ state: 'succeeded', alreadyPaid: true });
	});

	it('maps an error line in the send stream (permission denied)', async () => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.reply(200, JSON.stringify({ error: { code: 2, message: 'permission denied', details: [] } }) + '\n');
		expect((await caught(client().payInvoice(PAY))).kind).toBe('permission');
	});

	it('redacts the macaroon from an error line in the stream', async () => {
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send')
			.reply(200, JSON.stringify({ error: { code: 2, message: `unable to route with macaroon ${MACAROON_HEX}`, details: [] } }) + '\n');
		const e = await caught(client().payInvoice(PAY));
		expect(e.message).toContain('***');
		expect(e.message).not.toContain(MACAROON_HEX);
	});

	it('refuses above the max amount before any request', async () => {
		const e = await caught(client().payInvoice({ ...PAY, maxAmountSats: 249_999 }));
		expect(e).toBeInstanceOf(SafetyError);
		expect(e.message).toMatch(/asks for 250000 sats, above the node's Max Amount of 249999 sats/);
	});

	it('refuses an expired invoice before any request', async () => {
		const e = await caught(client().payInvoice({ ...PAY, now: NOW + 3600 }));
		expect(e).toBeInstanceOf(SafetyError);
		expect(e.message).toMatch(/expired/);
	});

	it('refuses an invoice for another network than the node', async () => {
		const scope = lnd().get('/v1/getinfo').reply(200, { ...INFO, chains: [{ chain: 'bitcoin', network: 'testnet' }] });
		const e = await caught(client().payInvoice(PAY));
		expect(e).toBeInstanceOf(SafetyError);
		expect(e.message).toMatch(/mainnet but the LND wallet is on testnet/);
		scope.done();
	});

	it('requires an amount for an "any amount" invoice and sends it as amt', async () => {
		expect((await caught(client().payInvoice({ ...PAY, paymentRequest: DONATION })))).toBeInstanceOf(SafetyError);
		let sent: Record<string, unknown> = {};
		trackNotFound(lnd().get('/v1/getinfo').reply(200, INFO))
			.post('/v2/router/send', (b) => ((sent = b), true))
			.reply(200, streamBody(lndPayment('SUCCEEDED', { value_sat: '1234' })));
		await client().payInvoice({ ...PAY, paymentRequest: DONATION, amountSats: 1234 });
		expect(sent.amt).toBe('1234');
	});

	it('validates fee limit and timeout', async () => {
		expect((await caught(client().payInvoice({ ...PAY, feeLimitSats: -1 }))).field).toBe('Fee Limit (Sats)');
		expect((await caught(client().payInvoice({ ...PAY, timeoutSeconds: 0 }))).field).toBe('Timeout (Seconds)');
		expect(await caught(client().payInvoice({ ...PAY, maxAmountSats: 0 }))).toBeInstanceOf(ServiceError);
	});
});
