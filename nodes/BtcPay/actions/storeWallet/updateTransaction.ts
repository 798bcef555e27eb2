/** Store Wallet > Update Transaction: set the comment and/or add labels. */
import type { INodeProperties } from 'n8n-workflow';
import { parseList, show } from '../common';
import { text } from '../format';
import { storeObjectQuery } from '../operations';
import { paymentMethodOf, R, simplifyTransaction } from './common';

const properties: INodeProperties[] = [
	{ displayName: 'Comment', name: 'comment', type: 'string', default: '', description: 'New comment of the transaction (at most 200 characters; empty: unchanged)', displayOptions: show(R, ['updateTransaction']) },
	{ displayName: 'Labels', name: 'labels', type: 'string', default: '', placeholder: 'cold-storage, 2026-Q4', description: 'Labels to add, separated by commas (BTCPay adds labels; it does not remove them here)', displayOptions: show(R, ['updateTransaction']) },
];

export const updateTransaction = storeObjectQuery(
	{ name: 'Update Transaction', simplify: true, action: 'Update a wallet transaction', description: 'Set the comment or add labels of a wallet transaction', properties },
	'transactionId',
	(client, storeId, id, ctx, i) => {
		const comment = text(ctx, 'comment', i);
		return client.wallet.updateTransaction(storeId, id, { comment: comment || undefined, labels: parseList(ctx.getNodeParameter('labels', i, '')) }, paymentMethodOf(ctx, i));
	},
	simplifyTransaction,
);
