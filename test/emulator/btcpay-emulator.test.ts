/** The emulator's own guarantees: it catches spec violations, and its test hooks work. */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { greenfieldSpec } from '../btcpay-emulator/openapi';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
beforeEach(async () => {
	emu = await startEmulator();
});
afterEach(async () => {
	await emu.close();
});

async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`${emu.url}${path}`, {
		method,
		headers: { Authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('OpenAPI validation', () => {
	it('merges the whole spec, subscriptions included, and finds nested aliases of flat routes', () => {
		const spec = greenfieldSpec();
		expect(spec.operations.length).toBeGreaterThan(100);
		const subscriptions = spec.operations.filter((o) => o.template.includes('/offerings'));
		expect(subscriptions.length).toBeGreaterThan(5);
		// the `Subscriptions/Currency` parameter resolves under its normalized name
		const credit = spec.operations.find((o) => o.paramNames.includes('currency') && o.template.includes('credits'));
		expect(credit?.parameters.find((p) => p.name === 'currency')).toMatchObject({ in: 'path', required: true });
		expect(spec.find('GET', '/api/v1/stores/abc/invoices/def')?.op.operationId).toBe('Invoices_GetInvoice');
		expect(spec.find('GET', '/api/v1/stores/abc/invoices')?.op.operationId).toBe('Invoices_GetInvoices');
	});

	it('records a request body that breaks the schema', async () => {
		const store = seedStore(emu, { name: 'S' });
		await raw('POST', `/api/v1/stores/${store.id}/invoices`, { amount: 5, checkout: { speedPolicy: 'Warp' } });
		expect(emu.violations).toHaveLength(1);
		expect(emu.violations[0].kind).toBe('request');
		expect(emu.violations[0].problems.join(' ')).toMatch(/speedPolicy|amount/);
		expect(() => emu.assertNoViolations()).toThrow(/OpenAPI violations/);
	});

	it('records an undocumented query parameter and a bad enum value in the query', async () => {
		const store = seedStore(emu, { name: 'S' });
		await raw('GET', `/api/v1/stores/${store.id}/invoices?pageSize=3&status=Paid`);
		const problems = emu.violations.flatMap((v) => v.problems).join('\n');
		expect(problems).toMatch(/"pageSize" is not documented/);
		expect(problems).toMatch(/query "status"="Paid"/);
	});

	it('records an undocumented route', async () => {
		await raw('GET', '/api/v1/nope');
		expect(emu.violations[0]).toMatchObject({ kind: 'route', path: '/api/v1/nope' });
	});

	it('records a response that breaks the schema', async () => {
		emu.failNext({ path: '/api/v1/health', status: 200, body: { synchronized: 'yes' } });
		await raw('GET', '/api/v1/health');
		expect(emu.violations.some((v) => v.kind === 'response' && v.problems.join(' ').includes('synchronized'))).toBe(true);
	});

	it('does not flag a valid composed (allOf) payload: additionalProperties relaxed', async () => {
		const store = seedStore(emu, { name: 'S' });
		const r = await raw('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '5', currency: 'USD', metadata: { orderId: 'x' }, checkout: { speedPolicy: 'HighSpeed' } });
		expect(r.status).toBe(200);
		expect(emu.violations).toEqual([]);
	});
});

describe('test hooks', () => {
	it('injects latency and reports the maximum concurrency seen', async () => {
		emu.latencyMs = 200;
		const client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		await Promise.all(Array.from({ length: 6 }, () => client.server.health()));
		expect(emu.maxConcurrent).toBeGreaterThanOrEqual(2);
		expect(emu.maxConcurrent).toBeLessThanOrEqual(6);
		emu.resetStats();
		await client.server.health();
		expect(emu.maxConcurrent).toBe(1);
		expect(emu.requestLog).toHaveLength(1);
		expect(emu.requestLog[0].durationMs).toBeGreaterThanOrEqual(190);
	});

	it('forced errors apply the given number of times, to the matching route only', async () => {
		emu.failNext({ path: '/api/v1/health', status: 503, times: 2 });
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await fetch(`${emu.url}/api/v1/health`)).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect((await raw('GET', '/api/v1/stores')).status).toBe(200);
	});

	it('429 carries Retry-After', async () => {
		emu.failNext({ status: 429, headers: { 'Retry-After': '7' } });
		const r = await fetch(`${emu.url}/api/v1/health`);
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('7');
	});

	it('startEmulator({latencyMs}) sets the latency', async () => {
		const slow = await startEmulator({ latencyMs: 30, log: false });
		try {
			const t = Date.now();
			await fetch(`${slow.url}/api/v1/health`);
			expect(Date.now() - t).toBeGreaterThanOrEqual(25);
			expect(slow.requestLog).toHaveLength(0);
			expect(slow.requestCount).toBe(1);
		} finally {
			await slow.close();
		}
	});
});

describe('permissions', () => {
	it('follows the BTCPay policy tree and store scopes', () => {
		const key = emu.addApiKey({ permissions: ['btcpay.store.canmodifyinvoices:StoreA', 'btcpay.store.canviewstoresettings'] });
		expect(emu.hasPermission(key, 'btcpay.store.cancreateinvoice', 'StoreA')).toBe(true);
		expect(emu.hasPermission(key, 'btcpay.store.cancreateinvoice', 'StoreB')).toBe(false);
		expect(emu.hasPermission(key, 'btcpay.store.canviewinvoices', 'StoreB')).toBe(true);
		expect(emu.hasPermission(key, 'btcpay.store.canviewpayouts', 'StoreB')).toBe(true);
		expect(emu.hasPermission(key, 'btcpay.store.canmodifystoresettings', 'StoreA')).toBe(false);
		const owner = emu.addApiKey({ permissions: ['btcpay.store.canmodifystoresettings:StoreA'] });
		expect(emu.hasPermission(owner, 'btcpay.store.cancreateinvoice', 'StoreA')).toBe(true);
		expect(emu.hasPermission(owner, 'btcpay.store.webhooks.canmodifywebhooks', 'StoreA')).toBe(true);
		expect(emu.hasPermission(owner, 'btcpay.store.canmodifystoresettings', undefined, true)).toBe(false);
	});
});

describe('flat 2.4 invoice routes', () => {
	it('serve the same invoice and scope permissions by the invoice store', async () => {
		const a = seedStore(emu, { name: 'A' });
		const b = seedStore(emu, { name: 'B' });
		const client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		const inA = await client.invoices.create(a.id, { amount: '1', currency: 'USD' });
		const inB = await client.invoices.create(b.id, { amount: '1', currency: 'USD' });
		const key = emu.addApiKey({ permissions: [`btcpay.store.canviewinvoices:${a.id}`] });
		const get = (id: string) => fetch(`${emu.url}/api/v1/invoices/${id}`, { headers: { Authorization: `token ${key.apiKey}` } });
		const okA = await get(inA.id);
		expect(okA.status).toBe(200);
		expect(((await okA.json()) as { id: string }).id).toBe(inA.id);
		const denied = await get(inB.id);
		expect(denied.status).toBe(403);
		expect(((await denied.json()) as { missingPermission: string }).missingPermission).toBe('btcpay.store.canviewinvoices');
		// The nested route refuses an invoice of another store: 403 (BuiltInPermissionScopeProvider.cs).
		const nested = await fetch(`${emu.url}/api/v1/stores/${a.id}/invoices/${inB.id}`, { headers: { Authorization: `token ${emu.apiKey}` } });
		expect(nested.status).toBe(403);
		emu.assertNoViolations();
	});
});
