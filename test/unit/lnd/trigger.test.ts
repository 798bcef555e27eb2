import nock from 'nock';
import { Readable } from 'node:stream';
import type { IDataObject, INode, ITriggerFunctions, INodeExecutionData } from 'n8n-workflow';
import { deferred, type Deferred } from '../../helpers/fake-emit';
import { LndTrigger } from '../../../nodes/Lnd/LndTrigger.node';
import { BASE, HASH_HEX, MACAROON_HEX, lndInvoice, streamBody } from './fixtures';

jest.setTimeout(30_000);

const node: INode = { id: '2', name: 'LND Trigger', type: 'n8n-nodes-btcpay-lnbits.lndTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const settled = (i: number, sats = 1000) =>
	lndInvoice({ state: 'SETTLED', settled: true, settle_index: String(i), settle_date: '1700000100', amt_paid_sat: String(sats), amt_paid_msat: String(sats * 1000) });

/** n8n's side of an emit: the deduplication key and the done promise (resolved at once unless `held`). */
interface Recorded {
	keys: Array<string | undefined>;
	done: Deferred[];
	held?: boolean;
}

function triggerContext(staticData: IDataObject, emitted: INodeExecutionData[][], options: IDataObject = {}, mode = 'trigger', recorded: Recorded = { keys: [], done: [] }): ITriggerFunctions {
	const log = () => undefined;
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf1', name: 'w', active: true }),
		getMode: () => mode,
		getNodeParameter: (name: string, fallback: unknown) => (name === 'options' ? options : fallback),
		getCredentials: async () => ({ url: BASE, macaroon: MACAROON_HEX, tlsCert: '' }),
		getWorkflowStaticData: () => staticData,
		emit: (data: INodeExecutionData[][], _response: unknown, done: Deferred | undefined, key: string | undefined) => {
			emitted.push(...data);
			recorded.keys.push(key);
			if (done) recorded.done.push(done);
			if (done && !recorded.held) done.resolve({});
		},
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })), createDeferredPromise: deferred },
		logger: { debug: log, info: log, warn: log, error: log },
	} as unknown as ITriggerFunctions;
}

async function until(check: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
	expect(check()).toBe(true);
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

describe('LND Trigger', () => {
	it('resumes from the stored settle index, emits each paid invoice once, filters small ones, saves the cursor', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '10' })
			.reply(200, streamBody(settled(10), settled(11), settled(12, 5), settled(13)))
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '13' })
			.reply(200, () => new Readable({ read() {} }));
		const staticData: IDataObject = { lndCursor: { url: BASE, settleIndex: '10' } };
		const emitted: INodeExecutionData[][] = [];
		const response = await new LndTrigger().trigger.call(triggerContext(staticData, emitted, { minAmountSats: 10 }));
		await until(() => (staticData.lndCursor as IDataObject).settleIndex === '13');
		await response.closeFunction!();
		expect(emitted.map((e) => e[0].json.settleIndex)).toEqual(['11', '13']);
		expect(emitted[0][0].json).toMatchObject({ paymentHash: HASH_HEX, state: 'SETTLED', amountPaidSats: 1000, settledAt: '2023-11-14T22:15:00.000Z' });
		expect(staticData.lndCursor).toEqual({ url: BASE, settleIndex: '13' });
	});

	it('emits with a deduplication key per invoice and stores only a cursor whose executions n8n has recorded', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [], first_index_offset: '0', last_index_offset: '0' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '20' })
			.reply(200, streamBody(settled(21), settled(22), settled(23)))
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '23' })
			.reply(200, () => new Readable({ read() {} }));
		const staticData: IDataObject = { lndCursor: { url: BASE, settleIndex: '20' } };
		const emitted: INodeExecutionData[][] = [];
		const recorded: Recorded = { keys: [], done: [], held: true };
		const response = await new LndTrigger().trigger.call(triggerContext(staticData, emitted, {}, 'trigger', recorded));
		await until(() => emitted.length === 3);
		const hash = HASH_HEX;
		expect(recorded.keys).toEqual([`lnd:wf1:2:${hash}:21`, `lnd:wf1:2:${hash}:22`, `lnd:wf1:2:${hash}:23`]);
		// Nothing recorded yet: a crash now must replay 21..23, so the cursor stays at 20.
		expect(staticData.lndCursor).toEqual({ url: BASE, settleIndex: '20' });
		recorded.done[1].resolve({}); // 22 recorded before 21: still 20
		await new Promise((r) => setImmediate(r));
		expect((staticData.lndCursor as IDataObject).settleIndex).toBe('20');
		recorded.done[0].resolve({});
		await until(() => (staticData.lndCursor as IDataObject).settleIndex === '22');
		recorded.done[2].reject(new Error('database is locked')); // never recorded: stays behind
		await new Promise((r) => setImmediate(r));
		expect((staticData.lndCursor as IDataObject).settleIndex).toBe('22');
		await response.closeFunction!();
	});

	it('starts from the newest settled invoice on first activation and stores that cursor', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '100', reversed: 'true' })
			.reply(200, { invoices: [settled(7)], first_index_offset: '1', last_index_offset: '1' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '7' })
			.reply(200, () => new Readable({ read() {} }));
		const staticData: IDataObject = {};
		const response = await new LndTrigger().trigger.call(triggerContext(staticData, []));
		expect(staticData.lndCursor).toEqual({ url: BASE, settleIndex: '7' });
		await response.closeFunction!();
	});

	it('in a manual test run emits the next paid invoice and leaves the stored cursor alone', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query(true)
			.reply(200, { invoices: [settled(2)], first_index_offset: '1', last_index_offset: '1' })
			.get('/v1/invoices/subscribe')
			.query({ settle_index: '2' })
			.reply(200, streamBody(settled(3)));
		const staticData: IDataObject = { lndCursor: { url: BASE, settleIndex: '1' } };
		const emitted: INodeExecutionData[][] = [];
		const response = await new LndTrigger().trigger.call(triggerContext(staticData, emitted, {}, 'manual'));
		await response.manualTriggerFunction!();
		expect(emitted).toHaveLength(1);
		expect(staticData.lndCursor).toEqual({ url: BASE, settleIndex: '1' });
		await response.closeFunction!();
	});

	it('fails activation with a clear error when the macaroon is wrong', async () => {
		nock(BASE).get('/v1/invoices').query(true).once().reply(500, { code: 2, message: 'verification failed: signature mismatch after caveat verification' });
		await expect(new LndTrigger().trigger.call(triggerContext({}, []))).rejects.toThrow(/LND rejected the macaroon/);
	});
});
