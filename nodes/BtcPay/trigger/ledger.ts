/**
 * BTCPay's own delivery records as the memory every n8n process shares.
 *
 * In queue mode several webhook processes answer one webhook, and n8n shares nothing
 * live between them that a node can use: workflow static data is read from the
 * database when a call starts and written back after the answer (last writer wins),
 * so a delivery emitted by one process is unknown to the others. BTCPay, though,
 * keeps a record of every delivery it sent, with the HTTP code it got
 * (Plugins/Webhooks/WebhookSender.cs, SendAndSaveDelivery), and the Greenfield API
 * serves them (GreenfieldStoreWebhooksController.cs: GET .../webhooks/{id}/deliveries,
 * .../deliveries/{deliveryId}, .../deliveries/{deliveryId}/request). Facts this uses,
 * all from WebhookSender.cs in v2.4.1:
 *
 * - A record is saved only once its attempt ended (answer, error or 100 s timeout).
 *   So while a delivery is being handled, BTCPay has no record of its id; when it
 *   has one, BTCPay stopped waiting for this answer (timed out, or the connection
 *   broke) and will retry: the call must not emit (`stale`).
 * - Every redelivery, automatic or manual ("Redeliver"), gets a new deliveryId and
 *   carries `originalDeliveryId` (the chain's first delivery) and `isRedelivery`.
 * - One webhook's deliveries are sent one after another (MultiProcessingQueue per
 *   webhook), the retries inside the same slot: when a redelivery arrives, every
 *   earlier attempt of its chain is already recorded.
 *
 * So a redelivery is a duplicate exactly when some earlier delivery of its chain was
 * answered 2xx: the trigger answers 2xx only once it emitted the chain, or when
 * there is nothing to emit (other store, unselected type, BTCPay disagrees), which a
 * redelivery of the same bytes cannot change. The original is looked up first; when
 * it failed, every record with a 2xx since the original is a candidate (the list is
 * read back, 25 then 4× more each time, until it reaches the original's time or
 * `maxScan` records); their request bodies name their chain, read oldest first (a
 * chain's own retries follow its original closely), 10 side by side, skipping those
 * whose chain this process already knows. An automatic retry has a short window
 * since its original; a manual Redeliver long after may read more, bounded by the
 * deadline (then the caller answers 503 and BTCPay retries).
 */

import { BoundedMap } from '../../shared/dedupe';

export interface DeliveryRecordView {
	id: string;
	timestamp?: number | null;
	httpCode?: number | null;
}

/** The Greenfield calls the ledger makes (one webhook of the trigger's store). */
export interface DeliveryLedgerApi {
	/** The record of one delivery; undefined when BTCPay has none (404). */
	delivery(deliveryId: string, signal: AbortSignal): Promise<DeliveryRecordView | undefined>;
	/** The latest records, newest first. */
	recent(count: number, signal: AbortSignal): Promise<DeliveryRecordView[]>;
	/** The body BTCPay sent for a delivery; undefined when pruned or unknown. */
	request(deliveryId: string, signal: AbortSignal): Promise<Record<string, unknown> | undefined>;
}

export type LedgerVerdict =
	/** BTCPay still waits for this answer and no earlier delivery of the chain was answered 2xx. */
	| { outcome: 'emit' }
	/** An earlier delivery of the chain was answered 2xx (`by`): acknowledge, do not emit. */
	| { outcome: 'duplicate'; by: string }
	/** BTCPay already recorded this very delivery: it gave up waiting and will redeliver. */
	| { outcome: 'stale' };

export const DEFAULT_LEDGER_SCAN = 2000;
const FIRST_PAGE = 25;
const PARALLEL_READS = 10;

const is2xx = (code: number | null | undefined): boolean => typeof code === 'number' && code >= 200 && code <= 299;

/** Delivery id → its chain's original id, of requests read before (they never change). */
export class ChainCache extends BoundedMap<string> {
	constructor(capacity = 5000) {
		super(capacity);
	}
}

/**
 * What BTCPay's records say about a delivery about to be emitted. Errors (network,
 * 5xx, permission) propagate: the caller decides (retry later, or fall back to the
 * process memory when the key cannot read deliveries).
 */
export async function consultLedger(
	api: DeliveryLedgerApi,
	delivery: { deliveryId: string; originalDeliveryId: string; isRedelivery: boolean },
	signal: AbortSignal,
	options: { scanCount?: number; chains?: ChainCache } = {},
): Promise<LedgerVerdict> {
	const { deliveryId, originalDeliveryId } = delivery;
	const chains = options.chains;
	chains?.set(deliveryId, originalDeliveryId);
	const own = api.delivery(deliveryId, signal);
	if (!delivery.isRedelivery && originalDeliveryId === deliveryId) {
		return (await own) ? { outcome: 'stale' } : { outcome: 'emit' };
	}
	const [ownRecord, original] = await Promise.all([own, api.delivery(originalDeliveryId, signal)]);
	if (ownRecord) return { outcome: 'stale' };
	if (original && is2xx(original.httpCode)) return { outcome: 'duplicate', by: original.id };
	const since = original?.timestamp ?? 0;
	const maxScan = options.scanCount ?? DEFAULT_LEDGER_SCAN;
	let records: DeliveryRecordView[] = [];
	for (let count = FIRST_PAGE; ; count = Math.min(maxScan, count * 4)) {
		records = await api.recent(count, signal);
		const oldest = records[records.length - 1];
		if (records.length < count || count >= maxScan || (oldest && (oldest.timestamp ?? 0) < since)) break;
	}
	const candidates = records
		.filter((d) => d.id !== deliveryId && d.id !== originalDeliveryId && is2xx(d.httpCode) && (d.timestamp ?? 0) >= since)
		.reverse();
	const unknown: string[] = [];
	for (const c of candidates) {
		const chain = chains?.get(c.id);
		if (chain === originalDeliveryId) return { outcome: 'duplicate', by: c.id };
		if (chain === undefined) unknown.push(c.id);
	}
	for (let i = 0; i < unknown.length; i += PARALLEL_READS) {
		const batch = unknown.slice(i, i + PARALLEL_READS);
		const bodies = await Promise.all(batch.map(async (id) => ({ id, body: await api.request(id, signal) })));
		for (const { id, body } of bodies) {
			const chain =
				typeof body?.originalDeliveryId === 'string' && body.originalDeliveryId
					? body.originalDeliveryId
					: typeof body?.deliveryId === 'string'
						? body.deliveryId
						: undefined;
			if (chain) chains?.set(id, chain);
			if (chain === originalDeliveryId) return { outcome: 'duplicate', by: id };
		}
	}
	return { outcome: 'emit' };
}
