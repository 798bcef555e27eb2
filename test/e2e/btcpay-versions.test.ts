/**
 * Both versions of the BTCPay Server node run in a real n8n against the BTCPay emulator:
 * version 1 (saved workflows) takes Concurrency from the node-wide field, version 2 from the
 * operation's Options collection (the one added for Create Invoice, Get Payment Methods' own).
 * Each workflow sends 12 requests; the emulator answers every request after 150 ms and counts the
 * requests in flight, so the count is the concurrency the node used.
 */
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { N8nInstance, PACKAGE_NAME, nodeOutput, type WorkflowJson } from './harness/n8n';

jest.setTimeout(10 * 60_000);

const ITEMS = 12;

let emu: BtcPayEmulator;
let n8n: N8nInstance;
let storeId: string;
/** Invoices created before the runs, for Get Payment Methods. */
let invoiceIds: string[] = [];

const createInvoice = () => ({
	resource: 'invoice',
	operation: 'create',
	store: { __rl: true, mode: 'id', value: storeId },
	amountType: 'fixed',
	amount: '={{ $json.price }}',
	currency: 'EUR',
	additionalFields: { orderId: '={{ $json.orderId }}' },
});

const getPaymentMethods = () => ({
	resource: 'invoice',
	operation: 'getPaymentMethods',
	store: { __rl: true, mode: 'id', value: storeId },
	invoiceId: '={{ $json.invoiceId }}',
});

/** Manual Trigger → Code (12 items: orderId, price, invoiceId) → the BTCPay node at `typeVersion` with `parameters`. */
function workflow(id: string, typeVersion: number, parameters: Record<string, unknown>): WorkflowJson {
	const items = JSON.stringify(Array.from({ length: ITEMS }, (_, i) => ({ json: { orderId: `${id}-${i}`, price: `${i + 1}.50`, invoiceId: invoiceIds[i] } })));
	return {
		id,
		name: `e2e BTCPay v${typeVersion} ${id}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ parameters: {}, id: `${id}-1`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{ parameters: { jsCode: `return ${items};` }, id: `${id}-2`, name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0] },
			{
				parameters,
				id: `${id}-3`,
				name: 'BTCPay',
				type: `${PACKAGE_NAME}.btcPay`,
				typeVersion,
				position: [400, 0],
				credentials: { btcPayApi: { id: 'e2eVersionsCred1', name: 'BTCPay Server account' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'BTCPay', type: 'main', index: 0 }]] },
		},
	};
}

type Run = [id: string, version: number, label: string, expected: number, parameters: () => Record<string, unknown>];
const runs: Run[] = [
	['e2eBtcPayV1Conc2', 1, 'Create Invoice, concurrency 2', 2, () => ({ ...createInvoice(), concurrency: 2 })],
	['e2eBtcPayV2Conc3', 2, 'Create Invoice, options.concurrency 3', 3, () => ({ ...createInvoice(), options: { concurrency: 3 } })],
	// A node-wide value left in a version 2 node is not read: the default (5) applies.
	['e2eBtcPayV2Deflt', 2, 'Create Invoice, a stray node-wide concurrency 1', 5, () => ({ ...createInvoice(), concurrency: 1 })],
	['e2eBtcPayV2OwnOp', 2, 'Get Payment Methods, paymentMethodOptions.concurrency 4', 4, () => ({ ...getPaymentMethods(), paymentMethodOptions: { onlyAccountedPayments: true, concurrency: 4 } })],
];

beforeAll(async () => {
	emu = await startEmulator({ latencyMs: 150 });
	storeId = String(seedStore(emu, { name: 'Versions' }).id);
	for (let i = 0; i < ITEMS; i++) {
		const res = await fetch(`${emu.url}/api/v1/stores/${storeId}/invoices`, {
			method: 'POST',
			headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ amount: '1', currency: 'EUR' }),
		});
		expect(res.status).toBe(200);
		invoiceIds.push(((await res.json()) as { id: string }).id);
	}
	n8n = await N8nInstance.create();
	await n8n.importCredentials([{ id: 'e2eVersionsCred1', name: 'BTCPay Server account', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } }]);
	await n8n.importWorkflow(runs.map(([id, version, , , parameters]) => workflow(id, version, parameters())));
});

afterAll(async () => {
	await n8n?.dispose();
	await emu?.close();
});

test.each(runs)('%s: a version %i node (%s) sends %i requests at a time; output in input order', async (id, _version, _label, expected) => {
	emu.resetStats();
	const { ok, run, result } = await n8n.execute(id);
	if (!ok) throw new Error(`n8n execute ${id} failed:\n${result.stdout.slice(-6000)}\n${result.stderr.slice(-3000)}`);
	expect(run.status).toBe('success');
	const out = nodeOutput(run, 'BTCPay');
	if (id === 'e2eBtcPayV2OwnOp') {
		// The payment methods of each invoice, invoices in input order.
		const perInvoice = out.length / ITEMS;
		expect(perInvoice).toBeGreaterThanOrEqual(1);
		const methods = out.slice(0, perInvoice).map((o) => o.paymentMethodId);
		expect(out.map((o) => o.paymentMethodId)).toEqual(Array.from({ length: ITEMS }, () => methods).flat());
	} else {
		expect(out.map((o) => o.orderId)).toEqual(Array.from({ length: ITEMS }, (_, i) => `${id}-${i}`));
		expect(out.map((o) => o.amount)).toEqual(Array.from({ length: ITEMS }, (_, i) => `${i + 1}.50`));
	}
	expect(emu.requestCount).toBe(ITEMS);
	expect(emu.maxConcurrent).toBe(expected);
});
