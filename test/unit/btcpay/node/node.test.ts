import * as fs from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { NodeApiError, NodeHelpers, NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { BtcPay } from '../../../../nodes/BtcPay/BtcPay.node';
import { resources } from '../../../../nodes/BtcPay/actions';
import { propertiesForVersion } from '../../../helpers/description-for-version';
import { searchStores } from '../../../../nodes/BtcPay/methods/searchStores';
import { executeContext } from '../../../helpers/execute-context';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-node-0123456789abcdef';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const INV = 'NxHkgTkK7qX5p6X4p5Zc8q';
const credentials = { btcPayApi: { url: BASE, apiKey: KEY } };
const storeRl = { __rl: true, mode: 'list', value: STORE };

const invoice = (id = INV, extra: IDataObject = {}) => ({
	id,
	storeId: STORE,
	amount: '12.50',
	paidAmount: '0.00',
	currency: 'USD',
	type: 'Standard',
	checkoutLink: `${BASE}/i/${id}`,
	createdTime: 1700000000,
	expirationTime: 1700000900,
	status: 'New',
	additionalStatus: 'None',
	archived: false,
	metadata: { orderId: 'A-1', buyerEmail: 'b@example.com' },
	checkout: { speedPolicy: 'MediumSpeed' },
	...extra,
});

const store = { id: STORE, name: 'Shop', website: null, defaultCurrency: 'USD', invoiceExpiration: 900, speedPolicy: 'MediumSpeed', defaultLang: 'en', archived: false, paymentTolerance: 0 };

async function run(parameters: IDataObject | ((i: number) => IDataObject), options: { items?: number; continueOnFail?: boolean; typeVersion?: number } = {}) {
	const node = new BtcPay();
	const ctx = executeContext({
		nodeType: node,
		parameters,
		credentials,
		items: Array.from({ length: options.items ?? 1 }, (_, i) => ({ json: { i } })),
		continueOnFail: options.continueOnFail,
		typeVersion: options.typeVersion,
	});
	const [out] = await node.execute.call(ctx);
	return out;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('BTCPay node description', () => {
	const { description } = new BtcPay();

	it('is the BTCPay Server node, usable as a tool, with the btcPayApi credential', () => {
		expect(description.displayName).toBe('BTCPay Server');
		expect(description.name).toBe('btcPay');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest' }]);
	});

	it('lists every registered resource and shows each field only for its resource', () => {
		const resourceProp = description.properties.find((p) => p.name === 'resource');
		const values = (resourceProp?.options as Array<{ value: string }>).map((o) => o.value);
		for (const r of resources) expect(values).toContain(r.value);
		for (const r of resources) {
			for (const prop of r.properties) expect(prop.displayOptions?.show?.resource).toEqual([r.value]);
		}
	});

	it('has a codex file', () => {
		const codex = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../nodes/BtcPay/BtcPay.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-btcpay-lnbits.btcPay');
	});
});

describe('Concurrency by node version (1: node-wide field, 2: an option of each operation)', () => {
	const { description } = new BtcPay();
	const v1 = propertiesForVersion(description, 1);
	const v2 = propertiesForVersion(description, 2);
	const concurrency = { displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5, typeOptions: { minValue: 1, maxValue: 50 } };
	const operations = resources.flatMap((r) => Object.keys(r.operations).map((o) => [r.value, o] as const));
	/** The Options collections (v1 or v2 parameters) shown for `operation` of `resource`. */
	const optionsOf = (properties: typeof v1, resource: string, operation: string) =>
		properties.filter((p) => p.type === 'collection' && p.displayName === 'Options' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions.show.operation?.includes(operation));
	const items = (collection: (typeof v1)[number]) => (collection.options ?? []) as typeof v1;

	it('new nodes get version 2; saved version 1 nodes stay version 1', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it('version 1: Concurrency is the last, node-wide field (default 5) and in no Options collection', () => {
		const top = v1.filter((p) => p.name === 'concurrency');
		expect(top).toEqual([expect.objectContaining(concurrency)]);
		expect(v1[v1.length - 1]).toBe(top[0]);
		expect(top[0].displayOptions).toBeUndefined();
		for (const collection of v1.filter((p) => p.type === 'collection')) expect(items(collection).map((o) => o.name)).not.toContain('concurrency');
	});

	it("version 2: no node-wide Concurrency; each operation has exactly one Options collection, holding Concurrency (default 5), in name order", () => {
		expect(v2.filter((p) => p.name === 'concurrency')).toEqual([]);
		expect(operations.length).toBeGreaterThan(100);
		for (const [resource, operation] of operations) {
			const collections = optionsOf(v2, resource, operation);
			expect([resource, operation, collections.length]).toEqual([resource, operation, 1]);
			const names = items(collections[0]).map((o) => o.displayName);
			expect(items(collections[0]).find((o) => o.name === 'concurrency')).toEqual(expect.objectContaining(concurrency));
			const at = names.indexOf('Concurrency');
			if (at > 0) expect(names[at - 1].localeCompare('Concurrency')).toBeLessThan(0);
			if (at < names.length - 1) expect(names[at + 1].localeCompare('Concurrency')).toBeGreaterThan(0);
		}
	});

	it('the operations that had an Options collection keep it (same name), with Concurrency added', () => {
		const had = operations.filter(([r, o]) => optionsOf(v1, r, o).length > 0);
		expect(had.length).toBeGreaterThanOrEqual(7);
		for (const [resource, operation] of had) {
			const [before] = optionsOf(v1, resource, operation);
			const [after] = optionsOf(v2, resource, operation);
			expect(after.name).toBe(before.name);
			expect(items(after).filter((o) => o.name !== 'concurrency')).toEqual(items(before));
		}
	});

	it("as n8n's editor and runtime decide it (displayParameter with the node's typeVersion): each version shows only its own Concurrency", () => {
		const shown = (parameter: INodeProperties, values: INodeParameters, typeVersion: number) => NodeHelpers.displayParameter(values, parameter, { typeVersion }, description);
		const top = description.properties.find((p) => p.name === 'concurrency')!;
		const values = { resource: 'invoice', operation: 'getPaymentMethods' };
		expect([shown(top, values, 1), shown(top, values, 2)]).toEqual([true, false]);
		// Get Payment Methods' own Options: Concurrency is one of its items from version 2 on (the editor filters items the same way).
		const own = description.properties.find((p) => p.name === 'paymentMethodOptions')!;
		expect([shown(own, values, 1), shown(own, values, 2)]).toEqual([true, true]);
		const item = items(own).find((o) => o.name === 'concurrency')!;
		expect([shown(item, {}, 1), shown(item, {}, 2)]).toEqual([false, true]);
		// Create Invoice had no Options: the added collection is shown from version 2 on.
		const create = { resource: 'invoice', operation: 'create' };
		const added = description.properties.filter((p) => p.name === 'options' && shown(p, create, 2));
		expect(added).toHaveLength(1);
		expect(shown(added[0], create, 1)).toBe(false);
	});

	it('apart from Concurrency, the parameters of both versions are the same', () => {
		const strip = (properties: typeof v1) =>
			properties
				.filter((p) => p.name !== 'concurrency')
				.map((p) => (p.type === 'collection' ? { ...p, options: items(p).filter((o) => o.name !== 'concurrency') } : p))
				.filter((p) => !(p.type === 'collection' && p.displayName === 'Options' && items(p).length === 0));
		expect(strip(v2)).toEqual(strip(v1));
	});
});

describe('Store operations through the node', () => {
	it('get many → simplified stores, limited', async () => {
		nock(BASE).get('/api/v1/stores').reply(200, [store, { ...store, id: 'Other0000001', name: 'Other' }]);
		const out = await run({ resource: 'store', operation: 'getAll', returnAll: false, limit: 1 });
		expect(out.map((o) => o.json)).toEqual([{ id: STORE, name: 'Shop', website: null, defaultCurrency: 'USD', invoiceExpiration: 900, speedPolicy: 'MediumSpeed', defaultLang: 'en', archived: false }]);
	});

	it('get by URL mode; raw output when Simplify is off', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}`).reply(200, store);
		const out = await run({
			resource: 'store',
			operation: 'get',
			store: { __rl: true, mode: 'url', value: `https://btcpay.test/stores/${STORE}/settings` },
			simplify: false,
		});
		expect(out[0].json).toEqual(store);
	});

	it('create converts minutes to seconds', async () => {
		const scope = nock(BASE).post('/api/v1/stores', { name: 'New', invoiceExpiration: 1800, defaultCurrency: 'EUR' }).reply(200, { ...store, name: 'New' });
		const out = await run({ resource: 'store', operation: 'create', name: 'New', additionalFields: { invoiceExpirationMinutes: 30, defaultCurrency: 'EUR' } });
		expect(out[0].json.name).toBe('New');
		scope.done();
	});

	it('update sends only the changed fields on top of the current store', async () => {
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}`)
			.reply(200, store)
			.put(`/api/v1/stores/${STORE}`, (body) => body.name === 'Renamed' && body.defaultCurrency === 'USD' && !('id' in body))
			.reply(200, { ...store, name: 'Renamed' });
		const out = await run({ resource: 'store', operation: 'update', store: storeRl, updateFields: { name: 'Renamed' } });
		expect(out[0].json.name).toBe('Renamed');
		scope.done();
	});
});

describe('Invoice operations through the node', () => {
	it('create with additional fields → simplified invoice with order data', async () => {
		const scope = nock(BASE)
			.post(`/api/v1/stores/${STORE}/invoices`, {
				amount: '12.5',
				currency: 'USD',
				metadata: { tag: 'x', orderId: 'A-1', buyerEmail: 'b@example.com' },
				checkout: { speedPolicy: 'HighSpeed', paymentMethods: ['BTC-CHAIN', 'BTC-LN'], expirationMinutes: 20 },
			})
			.reply(200, invoice());
		const out = await run({
			resource: 'invoice',
			operation: 'create',
			store: storeRl,
			amount: '12.50',
			currency: 'USD',
			additionalFields: { orderId: 'A-1', buyerEmail: 'b@example.com', metadata: '{"tag":"x"}', speedPolicy: 'HighSpeed', paymentMethods: 'BTC-CHAIN, BTC-LN', expirationMinutes: 20 },
		});
		expect(out[0].json).toMatchObject({ id: INV, amount: '12.50', orderId: 'A-1', buyerEmail: 'b@example.com', createdAt: '2023-11-14T22:13:20.000Z' });
		scope.done();
	});

	it('the simplified invoice keeps the currency decimals, reads in workflow order and has ISO times only', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/${INV}`).reply(200, invoice(INV, { amount: '12.5', paidAmount: '0' }));
		const [{ json }] = await run({ resource: 'invoice', operation: 'get', store: storeRl, invoiceId: INV });
		expect(Object.keys(json)).toEqual(['checkoutLink', 'status', 'additionalStatus', 'amount', 'paidAmount', 'currency', 'orderId', 'buyerEmail', 'createdAt', 'expiresAt', 'type', 'archived', 'id', 'storeId']);
		expect(json).toMatchObject({ amount: '12.50', paidAmount: '0.00', createdAt: '2023-11-14T22:13:20.000Z', expiresAt: '2023-11-14T22:28:20.000Z' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/${INV}`).reply(200, invoice(INV, { amount: '1500', currency: 'JPY' }));
		expect((await run({ resource: 'invoice', operation: 'get', store: storeRl, invoiceId: INV }))[0].json.amount).toBe('1500');
	});

	it('create: metadata as key/value pairs merged over the JSON, payment methods from the multi-select or the older comma text', async () => {
		const scope = nock(BASE)
			.post(`/api/v1/stores/${STORE}/invoices`, {
				amount: '5',
				currency: 'EUR',
				metadata: { tag: 'pairs', customerId: 'c-9', orderId: 'B-2' },
				checkout: { paymentMethods: ['BTC-LN', 'BTC-CHAIN'] },
			})
			.times(2)
			.reply(200, invoice());
		const base = { resource: 'invoice', operation: 'create', store: storeRl, amount: '5', currency: 'EUR' };
		const metadataFields = { field: [{ key: 'tag', value: 'pairs' }, { key: 'customerId', value: 'c-9' }] };
		await run({ ...base, additionalFields: { orderId: 'B-2', metadata: '{"tag":"json"}', metadataFields, paymentMethods: ['BTC-LN', 'BTC-CHAIN'] } });
		await run({ ...base, additionalFields: { orderId: 'B-2', metadataFields, paymentMethods: 'BTC-LN, BTC-CHAIN' } });
		scope.done();
		const [bad] = await run({ ...base, additionalFields: { metadataFields: { field: [{ key: 'a', value: '1' }, { key: ' ', value: '2' }] } } }, { continueOnFail: true });
		expect(bad.json).toMatchObject({ error: 'Metadata Fields: field 2 has no key' });
	});

	it('create top-up sends no amount', async () => {
		const scope = nock(BASE).post(`/api/v1/stores/${STORE}/invoices`, {}).reply(200, invoice(INV, { type: 'TopUp' }));
		await run({ resource: 'invoice', operation: 'create', store: storeRl, amountType: 'topUp' });
		scope.done();
	});

	it('get many with Return All pages with skip/take until a short page', async () => {
		const page = (n: number, from: number) => Array.from({ length: n }, (_, k) => invoice(`Inv${from + k}`));
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`)
			.query({ status: ['New', 'Settled'], orderId: 'A-1', skip: '0', take: '100' })
			.reply(200, page(100, 0))
			.get(`/api/v1/stores/${STORE}/invoices`)
			.query({ status: ['New', 'Settled'], orderId: 'A-1', skip: '100', take: '100' })
			.reply(200, page(100, 100))
			.get(`/api/v1/stores/${STORE}/invoices`)
			.query({ status: ['New', 'Settled'], orderId: 'A-1', skip: '200', take: '100' })
			.reply(200, page(7, 200));
		const out = await run({ resource: 'invoice', operation: 'getAll', store: storeRl, returnAll: true, filters: { status: ['New', 'Settled'], orderId: 'A-1' } });
		expect(out).toHaveLength(207);
		expect(out[206].json.id).toBe('Inv206');
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
		scope.done();
	});

	it('get many with a Limit asks for just that many', async () => {
		const scope = nock(BASE).get(`/api/v1/stores/${STORE}/invoices`).query({ skip: '0', take: '3', startDate: '1704067200' }).reply(200, [invoice('a'), invoice('b'), invoice('c')]);
		const out = await run({ resource: 'invoice', operation: 'getAll', store: storeRl, returnAll: false, limit: 3, filters: { startDate: '2024-01-01T00:00:00.000Z' } });
		expect(out.map((o) => o.json.id)).toEqual(['a', 'b', 'c']);
		scope.done();
	});

	it('get many with Include Archived asks BTCPay for archived invoices too (hidden by default)', async () => {
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`)
			.query({ includeArchived: 'true', textSearch: 'A-1', skip: '0', take: '2' })
			.reply(200, [invoice('a'), invoice('b')]);
		const out = await run({ resource: 'invoice', operation: 'getAll', store: storeRl, returnAll: false, limit: 2, filters: { includeArchived: true, textSearch: 'A-1' } });
		expect(out.map((o) => o.json.id)).toEqual(['a', 'b']);
		scope.done();
	});

	it('get payment methods → one item per method with payments', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices/${INV}/payment-methods`)
			.query({ onlyAccountedPayments: 'false' })
			.reply(200, [
				{ paymentMethodId: 'BTC-CHAIN', amount: '0.0001', due: '0', payments: [{ id: 'p', value: '0.0001', fee: '0', status: 'Settled', receivedDate: 1 }] },
				{ paymentMethodId: 'BTC-LN', amount: '0.0001', due: '0.0001', payments: [] },
			]);
		const out = await run({ resource: 'invoice', operation: 'getPaymentMethods', store: storeRl, invoiceId: INV, paymentMethodOptions: { onlyAccountedPayments: false } });
		expect(out.map((o) => o.json.paymentMethodId)).toEqual(['BTC-CHAIN', 'BTC-LN']);
		expect(out[0].json.payments).toEqual([{ id: 'p', value: '0.0001', fee: '0', status: 'Settled', receivedDate: 1 }]);
	});

	it('mark status, archive, unarchive and get', async () => {
		const scope = nock(BASE)
			.post(`/api/v1/stores/${STORE}/invoices/${INV}/status`, { status: 'Invalid' })
			.reply(200, invoice(INV, { status: 'Invalid' }))
			.delete(`/api/v1/stores/${STORE}/invoices/${INV}`)
			.reply(200)
			.post(`/api/v1/stores/${STORE}/invoices/${INV}/unarchive`)
			.reply(200, invoice())
			.get(`/api/v1/stores/${STORE}/invoices/${INV}`)
			.reply(200, invoice());
		expect((await run({ resource: 'invoice', operation: 'markStatus', store: storeRl, invoiceId: INV, markAs: 'Invalid' }))[0].json.status).toBe('Invalid');
		expect((await run({ resource: 'invoice', operation: 'archive', store: storeRl, invoiceId: INV }))[0].json).toEqual({ success: true, invoiceId: INV, archived: true });
		expect((await run({ resource: 'invoice', operation: 'unarchive', store: storeRl, invoiceId: INV }))[0].json.archived).toBe(false);
		expect((await run({ resource: 'invoice', operation: 'get', store: storeRl, invoiceId: INV }))[0].json.id).toBe(INV);
		scope.done();
	});

	it('server health', async () => {
		nock(BASE).get('/api/v1/health').reply(200, { synchronized: true });
		expect((await run({ resource: 'server', operation: 'health' }))[0].json).toEqual({ synchronized: true });
	});
});

describe('Bad input, failures and many items', () => {
	it.each([
		['negative amount', { amount: '-1', currency: 'USD' }, 'Amount', /negative/],
		['non-numeric amount', { amount: 'abc', currency: 'USD' }, 'Amount', /not a number/],
		['too many decimals', { amount: '1.001', currency: 'EUR' }, 'Amount', /EUR allows 2/],
		['missing amount', { amount: '', currency: 'USD' }, 'Amount', /required/],
		['bad metadata JSON', { amount: '1', additionalFields: { metadata: '{oops' } }, 'Metadata (JSON)', /not valid JSON/],
		['malformed store id', { amount: '1', store: { __rl: true, mode: 'id', value: 'no such/store' } }, 'Store', /not a BTCPay store ID/],
		['store URL without a store', { amount: '1', store: { __rl: true, mode: 'url', value: 'https://btcpay.test/invoices' } }, 'Store', /not a BTCPay store URL/],
	])('%s → NodeOperationError naming field and item, no request', async (_n, params, field, message) => {
		const scope = nock(BASE).post(/.*/).reply(500);
		const error = await run({ resource: 'invoice', operation: 'create', store: storeRl, ...(params as IDataObject) }, { items: 2 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).description).toContain(`Item 0, field "${field}"`);
		expect(scope.isDone()).toBe(false);
	});

	it('unknown status filter → error naming Status, nothing sent', async () => {
		const scope = nock(BASE).get(/.*/).reply(500);
		const error = await run({ resource: 'invoice', operation: 'getAll', store: storeRl, filters: { status: ['New', 'Paid'] } }).catch((e: unknown) => e);
		expect((error as NodeOperationError).message).toMatch(/"Paid" is not one of/);
		expect((error as NodeOperationError).description).toContain('field "Status"');
		expect(scope.isDone()).toBe(false);
	});

	it('API errors become NodeApiError with status and permission', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices/${INV}`)
			.reply(403, { code: 'missing-permission', message: 'x', missingPermission: 'btcpay.store.canviewinvoices' });
		const error = await run({ resource: 'invoice', operation: 'get', store: storeRl, invoiceId: INV }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('403');
		expect((error as NodeApiError).message).toContain('btcpay.store.canviewinvoices');
		expect(JSON.stringify(error)).not.toContain(KEY);
	});

	it('Continue On Fail: a failed item becomes an error item, the others go on', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices/I0`)
			.reply(200, invoice('I0'))
			.get(`/api/v1/stores/${STORE}/invoices/I1`)
			.reply(404, { code: 'invoice-not-found', message: 'not found' })
			.get(`/api/v1/stores/${STORE}/invoices/I3`)
			.reply(200, invoice('I3'));
		const out = await run(
			(i) => ({ resource: 'invoice', operation: 'get', store: storeRl, invoiceId: i === 2 ? 'bad id' : `I${i}` }),
			{ items: 4, continueOnFail: true },
		);
		expect(out).toHaveLength(4);
		expect(out[0].json.id).toBe('I0');
		expect(out[1].json).toMatchObject({ errorKind: 'not_found', httpCode: 404 });
		expect(out[1].json.error).toContain('Invoice "I1" was not found');
		expect(out[2].json).toMatchObject({ errorKind: 'input', field: 'Invoice ID' });
		expect(out[3].json.id).toBe('I3');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('many items: bounded concurrency, output in input order with pairedItem', async () => {
		const max = await inFlightCreating({ concurrency: 3 });
		expect(max).toBeLessThanOrEqual(3);
		expect(max).toBeGreaterThan(1);
	});

	/**
	 * Creates 12 invoices (later items answer sooner, so completion order differs from input order),
	 * checks the output keeps input order with pairedItem, and returns the most requests seen in flight.
	 */
	async function inFlightCreating(parameters: IDataObject, typeVersion?: number): Promise<number> {
		let inFlight = 0;
		let max = 0;
		nock(BASE)
			.post(`/api/v1/stores/${STORE}/invoices`)
			.times(12)
			.reply(async (_uri, body) => {
				inFlight++;
				max = Math.max(max, inFlight);
				const order = (body as { metadata: { orderId: string } }).metadata.orderId;
				await new Promise((r) => setTimeout(r, 3 * (12 - Number(order))));
				inFlight--;
				return [200, invoice(`Inv${order}`, { metadata: { orderId: order } })];
			});
		const out = await run((i) => ({ resource: 'invoice', operation: 'create', store: storeRl, amount: '1', currency: 'USD', additionalFields: { orderId: String(i) }, ...parameters }), { items: 12, typeVersion });
		expect(out.map((o) => o.json.id)).toEqual(Array.from({ length: 12 }, (_, i) => `Inv${i}`));
		expect(out.map((o) => (o.pairedItem as { item: number }).item)).toEqual(Array.from({ length: 12 }, (_, i) => i));
		expect(nock.isDone()).toBe(true);
		return max;
	}

	it('version 1 reads the node-wide Concurrency, version 2 the one in Options; both default to 5', async () => {
		expect(await inFlightCreating({ concurrency: 2 }, 1)).toBe(2);
		expect(await inFlightCreating({ options: { concurrency: 3 } }, 2)).toBe(3);
		expect(await inFlightCreating({}, 1)).toBe(5);
		expect(await inFlightCreating({}, 2)).toBe(5);
		expect(await inFlightCreating({ options: {} }, 2)).toBe(5);
		// Each version reads only its own place: a value left in the other one changes nothing.
		expect(await inFlightCreating({ options: { concurrency: 1 } }, 1)).toBe(5);
		expect(await inFlightCreating({ concurrency: 1 }, 2)).toBe(5);
	});

	it("version 2 reads Concurrency in an operation's own Options collection (Get Payment Methods: paymentMethodOptions)", async () => {
		let inFlight = 0;
		let max = 0;
		nock(BASE)
			.get(/\/api\/v1\/stores\/[^/]+\/invoices\/I\d+\/payment-methods/)
			.times(6)
			.reply(async () => {
				inFlight++;
				max = Math.max(max, inFlight);
				await new Promise((r) => setTimeout(r, 10));
				inFlight--;
				return [200, [{ paymentMethodId: 'BTC-CHAIN', currency: 'BTC', destination: 'bcrt1qexample', amount: '0.001', due: '0.001', payments: [] }]];
			});
		const out = await run((i) => ({ resource: 'invoice', operation: 'getPaymentMethods', store: storeRl, invoiceId: `I${i}`, paymentMethodOptions: { onlyAccountedPayments: true, concurrency: 2 } }), { items: 6, typeVersion: 2 });
		expect(out).toHaveLength(6);
		expect(nock.isDone()).toBe(true);
		expect(max).toBe(2);
	});

	it('refuses an invalid concurrency value', async () => {
		const error = await run({ resource: 'server', operation: 'health', concurrency: 0 }).catch((e: unknown) => e);
		expect((error as NodeOperationError).message).toMatch(/Concurrency/);
		const v2 = await run({ resource: 'server', operation: 'health', options: { concurrency: 51 } }, { typeVersion: 2 }).catch((e: unknown) => e);
		expect((v2 as NodeOperationError).message).toBe('Concurrency: must be a whole number from 1 to 50 (got 51)');
	});

	it('a bad credential URL is reported without a request', async () => {
		const node = new BtcPay();
		const ctx = executeContext({ nodeType: node, parameters: { resource: 'server', operation: 'health' }, credentials: { btcPayApi: { url: 'ftp://x', apiKey: KEY } } });
		const error = await node.execute.call(ctx).catch((e: unknown) => e);
		expect((error as NodeOperationError).message).toMatch(/Server URL/);
	});
});

describe('searchStores', () => {
	it('filters stores by name or ID and links to them', async () => {
		nock(BASE).get('/api/v1/stores').reply(200, [store, { ...store, id: 'Zeta00000001', name: 'Zeta' }, { ...store, id: 'Alpha0000001', name: 'alpha shop' }]);
		const ctx = { getCredentials: async () => credentials.btcPayApi } as unknown as ILoadOptionsFunctions;
		const result = await searchStores.call(ctx, 'SHOP');
		expect(result.results).toEqual([
			{ name: 'alpha shop', value: 'Alpha0000001', url: `${BASE}/stores/Alpha0000001` },
			{ name: 'Shop', value: STORE, url: `${BASE}/stores/${STORE}` },
		]);
	});
});
