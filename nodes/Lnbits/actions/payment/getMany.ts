/** Payment > Get Many: the wallet's payments, newest first, with filters. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../../shared/errors';
import type { ListPaymentsQuery, LnbitsPayment } from '../../client';
import { filtersProperty, getLimit, getSimplify, paymentOutput, returnAllLimitProperties, withClient } from '../common';

const R = 'payment';

const properties: INodeProperties[] = [
	...returnAllLimitProperties(R, ['getMany']),
	filtersProperty(R, ['getMany'], [
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: [
				{ name: 'Incoming', value: 'incoming' },
				{ name: 'Outgoing', value: 'outgoing' },
			],
			default: 'incoming',
		},
		{
			displayName: 'Memo Contains',
			name: 'memo',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: 'Only payments at or after this time',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Failed', value: 'failed' },
				{ name: 'Pending', value: 'pending' },
				{ name: 'Success', value: 'success' },
			],
			default: 'success',
		},
		{
			displayName: 'Until',
			name: 'until',
			type: 'dateTime',
			default: '',
			description: 'Only payments at or before this time',
		},
	]),
];

function toUnixSeconds(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw new InputError(field, `"${String(value)}" is not a date and time`, 'LNbits');
	return Math.floor((typeof value === 'number' && value < 1e11 ? value * 1000 : ms) / 1000);
}

function listQuery(filters: IDataObject): Omit<ListPaymentsQuery, 'limit' | 'offset'> {
	const since = toUnixSeconds(filters.since, 'Since');
	const until = toUnixSeconds(filters.until, 'Until');
	if (since !== undefined && until !== undefined && since > until) throw new InputError('Until', 'is before Since', 'LNbits');
	return {
		direction: (filters.direction as ListPaymentsQuery['direction']) || undefined,
		status: (filters.status as ListPaymentsQuery['status']) || undefined,
		memo: (filters.memo as string)?.trim() || undefined,
		since,
		until,
	};
}

export const getMany = withClient(
	{ name: 'Get Many', simplify: true, description: 'List the wallet\'s payments, newest first', action: 'Get many payments', properties },
	async (ctx, i, client) => {
		const q = listQuery(ctx.getNodeParameter('filters', i, {}) as IDataObject);
		const limit = getLimit(ctx, i, 'LNbits');
		const payments: LnbitsPayment[] =
			limit === undefined ? await client.listAllPayments(q) : await client.listAllPayments(q, { max: limit, pageSize: Math.min(limit, 1000) });
		const simplify = getSimplify(ctx, i);
		return payments.map((p) => paymentOutput(p, simplify));
	},
);
