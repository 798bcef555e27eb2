/** Payout > Approve: a payout awaiting approval, so it can be paid. */
import type { INodeProperties } from 'n8n-workflow';
import { optionsProperty } from '../common';
import { collection, present } from '../format';
import { storeObjectQuery } from '../operations';
import { R, simplifyPayout } from './common';

const properties: INodeProperties[] = [
	optionsProperty('approveOptions', R, ['approve'], [
		{ displayName: 'Rate Rule', name: 'rateRule', type: 'string', default: '', placeholder: 'kraken(BTC_USD)', description: 'Rate rule or fixed rate for the conversion. Default: the store rate settings.' },
		{ displayName: 'Revision', name: 'revision', type: 'number', default: 0, description: 'Revision of the payout you approve (refused if it changed meanwhile). Default: the current revision.' },
	]),
];

export const approve = storeObjectQuery(
	{ name: 'Approve', simplify: true, action: 'Approve a payout', description: 'Approve a payout awaiting approval so it can be paid', properties },
	'payoutId',
	(client, storeId, id, ctx, i) => {
		const options = present(collection(ctx, 'approveOptions', i));
		return client.pullPayments.approvePayout(storeId, id, { revision: options.revision as number | undefined, rateRule: options.rateRule as string | undefined });
	},
	simplifyPayout,
);
