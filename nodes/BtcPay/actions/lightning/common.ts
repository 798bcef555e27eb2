/** What the store Lightning operations share: the resource value and the simplified Lightning invoice. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { OperationEntry } from '../operations';
import { storeOperation } from '../operations';
import { filtersProperty, getLimit, simplify } from '../common';
import { collection, limitList } from '../format';
import { msatToWholeSats, type LightningInvoice } from '../../client/lightning';
import { pick } from '../common';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'lightning';

export function simplifyInvoice(invoice: LightningInvoice & { amountSats: number | null }): IDataObject {
	const out = pick(invoice, ['id', 'status', 'BOLT11', 'paymentHash', 'amountSats', 'amount', 'amountReceived', 'preimage']);
	out.amountReceivedSats = msatToWholeSats(invoice.amountReceived);
	const expires = isoFromUnixSeconds(invoice.expiresAt);
	if (expires) out.expiresAt = expires;
	const paid = isoFromUnixSeconds(invoice.paidAt);
	if (paid) out.paidAt = paid;
	return out;
}

/**
 * A Get Many of the store node with one boolean filter (`flag`, e.g. pendingOnly),
 * Limit / Return All applied to the node's answer, simplified.
 */
export function nodeListOperation<T extends object>(
	operation: string,
	entry: Omit<OperationEntry, 'properties'>,
	flag: INodeProperties,
	list: (client: BtcPayClient, storeId: string, flagOn: boolean) => Promise<T[]>,
	simplifier: (item: T) => IDataObject,
) {
	return storeOperation({ ...entry, properties: [filtersProperty(R, [operation], [flag])] }, async (ctx, i, client, storeId) => {
		const rows = await list(client, storeId, collection(ctx, 'filters', i)[flag.name] === true);
		return simplify(ctx, i, limitList(rows, getLimit(ctx, i)), simplifier);
	});
}
