/** What the pull payment operations share: the resource value and the simplified pull payment. */
import { formatMoneyFields } from '../../../shared/amounts';
import type { IDataObject } from 'n8n-workflow';
import type { PullPaymentWithLink } from '../../client/pullPayments';
import { pick } from '../common';

export const R = 'pullPayment';

/** The simplified pull payment: claim link and amount (with its currency's decimals) first, the ID last. */
export function simplifyPullPayment(pp: PullPaymentWithLink): IDataObject {
	const out = pick(pp, ['claimLink', 'amount', 'currency', 'name', 'description', 'autoApproveClaims', 'archived', 'BOLT11Expiration', 'id']);
	return formatMoneyFields(out, pp.currency, ['amount']);
}
