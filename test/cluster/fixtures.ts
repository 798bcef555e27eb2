/**
 * Workflows, a collector and the BTCPay-side driver for the queue-mode tests.
 *
 * Each workflow is BTCPay Trigger (automatic registration, InvoiceSettled, Confirm With
 * API on: the defaults) → HTTP Request to a collector in the test process, so every
 * execution reports which event it ran for. The workers make that request.
 */
import * as http from 'node:http';
import type { WorkflowJson } from '../e2e/harness/n8n';
import { simulatePayment, type BtcPayEmulator } from '../btcpay-emulator';
import { deliveryAttempts, type DeliveryAttempt } from '../btcpay-emulator/routes/webhooks';

export const PKG = 'n8n-nodes-btcpay-lnbits';
export const CLUSTER_CREDENTIAL_ID = 'clusterBtcPayCred1';

export function triggerWorkflow(index: number, storeId: string, collectorUrl: string): WorkflowJson {
	const n = String(index).padStart(3, '0');
	return {
		id: `clusterBtcWf${n}`,
		name: `cluster BTCPay ${n}`,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all' },
		nodes: [
			{
				parameters: { store: { __rl: true, mode: 'id', value: storeId }, events: ['InvoiceSettled'], options: {} },
				id: `c1000000-0000-4000-8000-000000000${n}`,
				name: 'BTCPay Trigger',
				type: `${PKG}.btcPayTrigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId: `c1e20000-b7c0-4a11-9000-000000000${n}`,
				credentials: { btcPayApi: { id: CLUSTER_CREDENTIAL_ID, name: 'BTCPay (emulator)' } },
			},
			{
				parameters: {
					method: 'POST',
					url: collectorUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ invoiceId: $json.invoiceId, deliveryId: $json.deliveryId, originalDeliveryId: $json.originalDeliveryId, executionId: $execution.id }) }}',
					options: {},
				},
				id: `c2000000-0000-4000-8000-000000000${n}`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
			},
		],
		connections: { 'BTCPay Trigger': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
	};
}

export interface Seen {
	invoiceId: string;
	deliveryId: string;
	originalDeliveryId: string;
	executionId: string;
	/** When the collector got the report (ms since the epoch). */
	receivedAt: number;
}

/** Records what every execution reported. */
export class Collector {
	readonly seen: Seen[] = [];
	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(): Promise<Collector> {
		let collector: Collector | undefined;
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (d) => (body += d));
			req.on('end', () => {
				try {
					collector?.seen.push({ ...(JSON.parse(body) as Omit<Seen, 'receivedAt'>), receivedAt: Date.now() });
					res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
				} catch {
					res.writeHead(400).end();
				}
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const { port } = server.address() as { port: number };
		collector = new Collector(server, `http://127.0.0.1:${port}/seen`);
		return collector;
	}

	/** Executions per invoice id. */
	counts(): Map<string, number> {
		const m = new Map<string, number>();
		for (const s of this.seen) m.set(s.invoiceId, (m.get(s.invoiceId) ?? 0) + 1);
		return m;
	}

	async close(): Promise<void> {
		await new Promise<void>((r) => this.server.close(() => r()));
	}
}

/** Creates an invoice through the Greenfield API (as a shop's checkout does). */
export async function createInvoice(emu: BtcPayEmulator, storeId: string, orderId: string): Promise<string> {
	const res = await fetch(`${emu.url}/api/v1/stores/${storeId}/invoices`, {
		method: 'POST',
		headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ amount: '1000', currency: 'SATS', metadata: { orderId } }),
	});
	const body = (await res.json()) as { id: string };
	if (res.status !== 200) throw new Error(`create invoice: ${res.status} ${JSON.stringify(body)}`);
	return body.id;
}

/** A customer pays over Lightning: BTCPay's sender queues the InvoiceSettled delivery. */
export function payOverLightning(emu: BtcPayEmulator, invoiceId: string): void {
	simulatePayment(emu, invoiceId, { paymentMethodId: 'BTC-LN' });
}

/** BTCPay's Redeliver (Store > Webhooks > Redeliver, or the Greenfield API). */
export async function redeliver(emu: BtcPayEmulator, storeId: string, webhookId: string, deliveryId: string): Promise<string> {
	const res = await fetch(`${emu.url}/api/v1/stores/${storeId}/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver`, {
		method: 'POST',
		headers: { authorization: `token ${emu.apiKey}` },
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`redeliver: ${res.status} ${text}`);
	return JSON.parse(text) as string;
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** What BTCPay's sender saw: answer times, status codes, chains that never got a 2xx. */
export function senderReport(emu: BtcPayEmulator, since = 0): {
	attempts: DeliveryAttempt[];
	answerMs: number[];
	byCode: Record<string, number>;
	unanswered: string[];
	/** When each chain (by originalDeliveryId) got its first 2xx (attempt end, epoch ms). */
	firstOkAt: Map<string, number>;
	/** 2xx answers whose body is not the trigger's JSON (`received: true`). */
	foreignBodies: number;
} {
	const attempts = deliveryAttempts(emu).filter((a) => a.startedAt >= since && a.type === 'InvoiceSettled');
	const byCode: Record<string, number> = {};
	const firstOkAt = new Map<string, number>();
	let foreignBodies = 0;
	const chains = new Set<string>();
	for (const a of attempts) {
		const code = a.httpCode === undefined ? 'none' : String(a.httpCode);
		byCode[code] = (byCode[code] ?? 0) + 1;
		chains.add(a.originalDeliveryId);
		if (a.httpCode !== undefined && a.httpCode >= 200 && a.httpCode < 300) {
			if (!firstOkAt.has(a.originalDeliveryId)) firstOkAt.set(a.originalDeliveryId, a.endedAt);
			try {
				if ((JSON.parse(a.responseBody ?? '') as { received?: unknown }).received !== true) foreignBodies++;
			} catch {
				foreignBodies++;
			}
		}
	}
	return {
		attempts,
		answerMs: attempts.filter((a) => a.httpCode !== undefined).map((a) => a.endedAt - a.startedAt),
		byCode,
		unanswered: [...chains].filter((c) => !firstOkAt.has(c)),
		firstOkAt,
		foreignBodies,
	};
}
