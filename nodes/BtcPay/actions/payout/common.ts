/** What the payout operations share: the resource value, the Payout ID parameter and the simplified payout. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Payout } from '../../client/pullPayments';
import { pick } from '../common';
import { isoTime, text } from '../format';

export const R = 'payout';

export function simplifyPayout(payout: Payout): IDataObject {
	const out = pick(payout, [
		'id',
		'state',
		'pullPaymentId',
		'destination',
		'payoutMethodId',
		'originalAmount',
		'originalCurrency',
		'payoutAmount',
		'payoutCurrency',
		'revision',
	]);
	const created = isoTime(payout.date);
	if (created) out.createdAt = created;
	return out;
}

export function payoutId(ctx: IExecuteFunctions, i: number): string {
	return text(ctx, 'payoutId', i);
}
