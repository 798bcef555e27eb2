/** What the pull payment operations share: the resource value and the simplified pull payment. */
import type { IDataObject } from 'n8n-workflow';
import type { PullPaymentWithLink } from '../../client/pullPayments';
import { pick } from '../common';

export const R = 'pullPayment';

export function simplifyPullPayment(pp: PullPaymentWithLink): IDataObject {
	return pick(pp, ['id', 'name', 'description', 'amount', 'currency', 'claimLink', 'autoApproveClaims', 'archived', 'BOLT11Expiration']);
}
