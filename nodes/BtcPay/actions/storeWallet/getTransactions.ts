/** Store Wallet > Get Many Transactions: status and label filters, Return All / Limit. */
import type { INodeProperties } from 'n8n-workflow';
import { filtersProperty, getLimit, returnAllLimitProperties, simplify } from '../common';
import { collection, present } from '../format';
import { storeOperation } from '../operations';
import { paymentMethodOf, R, simplifyTransaction } from './common';

const properties: INodeProperties[] = [
	filtersProperty(R, ['getTransactions'], [
		{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'Only transactions with exactly this label' },
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Confirmed', value: 'Confirmed' },
				{ name: 'Unconfirmed', value: 'Unconfirmed' },
			],
			description: 'Only transactions with these statuses',
		},
	]),
	...returnAllLimitProperties(R, ['getTransactions']),
];

export const getTransactions = storeOperation(
	{ name: 'Get Many Transactions', simplify: true, action: 'Get many wallet transactions', description: 'List the transactions of the store wallet, newest first', properties },
	async (ctx, i, client, storeId) => {
		const filters = present(collection(ctx, 'filters', i));
		const list = await client.wallet.listTransactions(
			storeId,
			{ status: (filters.status as Array<'Confirmed' | 'Unconfirmed'> | undefined) ?? undefined, label: filters.label as string | undefined, limit: getLimit(ctx, i) },
			paymentMethodOf(ctx, i),
		);
		return simplify(ctx, i, list, simplifyTransaction);
	},
);
