/** What the payout operations share: the resource value, the Payout ID parameter and the simplified payout. */
import { formatMoneyFields } from '../../../shared/amounts';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Payout } from '../../client/pullPayments';
import { pick } from '../common';
import { text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'payout';

/** The simplified payout: state and amounts (each with its currency's decimals) first, IDs last, the time in ISO. */
export function simplifyPayout(payout: Payout): IDataObject {
	const out = pick(payout, ['state', 'originalAmount', 'originalCurrency', 'payoutAmount', 'payoutCurrency', 'destination', 'payoutMethodId']);
	formatMoneyFields(out, payout.originalCurrency, ['originalAmount']);
	formatMoneyFields(out, payout.payoutCurrency, ['payoutAmount']);
	const created = isoFromUnixSeconds(payout.date);
	if (created) out.createdAt = created;
	return Object.assign(out, pick(payout, ['revision', 'id', 'pullPaymentId']));
}

export function payoutId(ctx: IExecuteFunctions, i: number): string {
	return text(ctx, 'payoutId', i);
}
