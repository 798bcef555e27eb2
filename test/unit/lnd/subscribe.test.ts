import nock from 'nock';
import { Readable } from 'node:stream';
import { LndClient, type Invoice } from '../../../nodes/Lnd/client';
import { InvoiceSubscription } from '../../../nodes/Lnd/client/subscribe';
import { BASE, MACAROON_HEX, lndInvoice, streamBody } from './fixtures';

jest.setTimeout(30_000);

function client() {
	return new LndClient({ url: BASE, macaroon: MACAROON_HEX, retries: 0, retryDelayMs: 1 });
}

const settled = (i: number) => lndInvoice({ state: 'SETTLED', settled: true, settle_index: String(i), add_index: String(i + 100), memo: `inv ${i}` });
const open = (i: number) => lndInvoice({ state: 'OPEN', add_index: String(i) });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

describe('settled invoice subscription', () => {
	it('starts after the newest settled invoice, skips replays, reconnects with catch-up, delivers each once', async () => {
		const queries: string[] = [];
		const scope = nock(BASE, { reqheaders: { 'grpc-metadata-macaroon': MACAROON_HEX } })
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '100', reversed: 'true' })
			.reply(200, { invoices: [settled(3), open(9), settled(5)], first_index_offset: '3', last_index_offset: '105' })
			.get('/v1/invoices/subscribe')
			.query((q) => (queries.push(String(q.settle_index)), q.settle_index === '5'))
			.reply(200, streamBody(open(200), settled(5), settled(6), settled(7)))
			.get('/v1/invoices/subscribe')
			.query((q) => (queries.push(String(q.settle_index)), q.settle_index === '7'))
			.reply(200, streamBody(settled(6), settled(7), settled(8)));
		const delivered: Invoice[] = [];
		const cursors: string[] = [];
		const sub = new InvoiceSubscription({
			client: client(),
			onSettled: (inv) => {
				delivered.push(inv);
			},
			onCursor: (c) => cursors.push(c),
			backoff: { initialMs: 5, maxMs: 10 },
			maxEvents: 3,
		});
		await sub.start();
		await sub.done();
		expect(delivered.map((i) => i.settle_index)).toEqual(['6', '7', '8']);
		expect(cursors).toEqual(['6', '7', '8']);
		expect(queries).toEqual(['5', '7']);
		expect(sub.settleIndex).toBe('8');
		scope.done();
	});

	it('resumes from a stored settle index and backs off after a server error', async () => {
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '41' })
			.reply(503, { code: 14, message: 'server is still in the process of starting' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '41' })
			.reply(200, streamBody(settled(41), settled(42)));
		const delivered: string[] = [];
		const logs: string[] = [];
		const sub = new InvoiceSubscription({
			client: client(),
			settleIndex: '41',
			onSettled: (inv) => {
				delivered.push(String(inv.settle_index));
			},
			log: (level, message) => logs.push(`${level}: ${message}`),
			backoff: { initialMs: 5, maxMs: 10 },
			maxEvents: 1,
		});
		await sub.start();
		await sub.done();
		expect(delivered).toEqual(['42']);
		expect(logs.some((l) => l.startsWith('warn: invoice stream failed: LND is not ready'))).toBe(true);
		scope.done();
	});

	it('reconnects with catch-up when the stream goes quiet', async () => {
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices')
			.query(true)
			.twice() // nothing settled yet: each connection first looks at the list
			.reply(200, { invoices: [open(1)], first_index_offset: '1', last_index_offset: '1' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '0' })
			.reply(200, () => new Readable({ read() {} })) // connected, then silence
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '0' })
			.reply(200, streamBody(settled(1)));
		const delivered: string[] = [];
		const sub = new InvoiceSubscription({
			client: client(),
			onSettled: (inv) => {
				delivered.push(String(inv.settle_index));
			},
			idleReconnectMs: 300,
			backoff: { initialMs: 5, maxMs: 10 },
			maxEvents: 1,
		});
		await sub.start();
		await sub.done();
		expect(delivered).toEqual(['1']);
		scope.done();
	});

	it('fails to start with a macaroon that cannot read invoices', async () => {
		nock(BASE).get('/v1/invoices').query(true).reply(500, { code: 2, message: 'permission denied', details: [] });
		const sub = new InvoiceSubscription({ client: client(), onSettled: () => undefined });
		await expect(sub.start()).rejects.toMatchObject({ kind: 'permission' });
	});

	it('stops on request while waiting for invoices', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices/subscribe')
			.query(true)
			.reply(200, () => new Readable({ read() {} }));
		const sub = new InvoiceSubscription({ client: client(), onSettled: () => undefined });
		await sub.start();
		await new Promise((r) => setTimeout(r, 50));
		await sub.stop();
		await sub.done();
	});

	it('finds the starting point in all invoices when the newest ones are not settled', async () => {
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '2', reversed: 'true' })
			.reply(200, { invoices: [open(5), open(6)], first_index_offset: '5', last_index_offset: '6' })
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '500', reversed: 'false' })
			.reply(200, { invoices: [settled(4), open(5), open(6)], first_index_offset: '1', last_index_offset: '6' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '4' })
			.reply(200, streamBody(settled(5)));
		const delivered: string[] = [];
		const sub = new InvoiceSubscription({ client: client(), onSettled: (inv) => void delivered.push(String(inv.settle_index)), baselineScan: 2, maxEvents: 1 });
		await sub.start();
		expect(sub.settleIndex).toBe('4');
		await sub.done();
		expect(delivered).toEqual(['5']);
		scope.done();
	});

	it('with nothing settled before, catches up from the invoice list (LND replays nothing for settle_index 0)', async () => {
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '100', reversed: 'true' })
			.reply(200, { invoices: [open(1)], first_index_offset: '1', last_index_offset: '1' })
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '500', reversed: 'false' })
			.reply(200, { invoices: [settled(2), settled(1), open(3)], first_index_offset: '1', last_index_offset: '3' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '2' })
			.reply(200, streamBody(settled(2), settled(3)));
		const delivered: string[] = [];
		const sub = new InvoiceSubscription({ client: client(), onSettled: (inv) => void delivered.push(String(inv.settle_index)), maxEvents: 3 });
		await sub.start();
		expect(sub.settleIndex).toBe('0');
		await sub.done();
		expect(delivered).toEqual(['1', '2', '3']);
		scope.done();
	});

	it('fills a gap when the first live invoice is not settle_index 1', async () => {
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '100', reversed: 'true' })
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '500', reversed: 'false' })
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '0' })
			.reply(200, streamBody(settled(2)))
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '500', reversed: 'false' })
			.reply(200, { invoices: [settled(1), settled(2)], first_index_offset: '1', last_index_offset: '2' });
		const delivered: string[] = [];
		const sub = new InvoiceSubscription({ client: client(), onSettled: (inv) => void delivered.push(String(inv.settle_index)), maxEvents: 2 });
		await sub.start();
		await sub.done();
		expect(delivered).toEqual(['1', '2']);
		scope.done();
	});
});

describe('stream check (a stream that stays open but delivers nothing)', () => {
	it('reopens a silent stream when the list shows a settled invoice the stream did not report, and LND replays it once', async () => {
		const queries: string[] = [];
		let lists = 0;
		const scope = nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '1', reversed: 'true' })
			.reply(200, { invoices: [open(104)], first_index_offset: '104', last_index_offset: '104' })
			// The first stream is open but silent (a proxy that stopped forwarding).
			.get('/v1/invoices/subscribe')
			.query((q) => (queries.push(String(q.settle_index)), q.settle_index === '4'))
			.reply(200, () => new Readable({ read() {} }))
			// Stream checks: invoice 5 was settled meanwhile (add_index 105).
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '50', reversed: 'true' })
			.times(2)
			.reply(200, () => (lists++, { invoices: [settled(5)], first_index_offset: '105', last_index_offset: '105' }))
			.get('/v1/invoices/subscribe')
			.query((q) => (queries.push(String(q.settle_index)), q.settle_index === '4'))
			.reply(200, streamBody(settled(5)));
		const delivered: string[] = [];
		const sub = new InvoiceSubscription({
			client: client(),
			settleIndex: '4',
			onSettled: (inv) => void delivered.push(String(inv.settle_index)),
			probeIntervalMs: 100,
			maxEvents: 1,
		});
		const started = Date.now();
		await sub.start();
		await sub.done();
		expect(delivered).toEqual(['5']);
		expect(lists).toBe(2); // suspected at the first check, confirmed at the second
		expect(sub.probeReconnects).toBe(1);
		expect(queries).toEqual(['4', '4']);
		expect(Date.now() - started).toBeLessThan(5000);
		scope.done();
	});

	it('leaves a quiet but healthy stream alone', async () => {
		let lists = 0;
		nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '1', reversed: 'true' })
			.reply(200, { invoices: [settled(5)], first_index_offset: '105', last_index_offset: '105' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '5' })
			.reply(200, () => new Readable({ read() {} }))
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '50', reversed: 'true' })
			.times(20)
			.reply(200, () => (lists++, { invoices: [settled(5)], first_index_offset: '105', last_index_offset: '105' }));
		const sub = new InvoiceSubscription({ client: client(), settleIndex: '5', onSettled: () => undefined, probeIntervalMs: 50 });
		await sub.start();
		for (let i = 0; i < 100 && lists < 4; i++) await new Promise((r) => setTimeout(r, 20));
		await sub.stop();
		expect(lists).toBeGreaterThanOrEqual(4);
		expect(sub.probeReconnects).toBe(0);
	});
});
