/** Store Lightning > Get Payment: status of an outgoing payment by payment hash. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { msatToWholeSats, type LightningPayment } from '../../client/lightning';
import { pick, paymentHashProperty, show } from '../common';
import { isoFromUnixSeconds } from '../../../shared/time';
import { storeObjectQuery } from '../operations';
import { R } from './common';

const properties: INodeProperties[] = [paymentHashProperty(show(R, ['getPayment']), '64 hexadecimal characters')];

export function simplifyPayment(payment: LightningPayment): IDataObject {
	const out = pick(payment, ['id', 'status', 'paymentHash', 'preimage', 'totalAmount', 'feeAmount', 'BOLT11']);
	out.totalAmountSats = msatToWholeSats(payment.totalAmount);
	out.feeSats = msatToWholeSats(payment.feeAmount);
	const created = isoFromUnixSeconds(payment.createdAt);
	if (created) out.createdAt = created;
	return out;
}

export const getPayment = storeObjectQuery(
	{ name: 'Get Payment', simplify: true, action: 'Get a lightning payment', description: 'Status of an outgoing payment by payment hash', properties },
	'paymentHash',
	(client, storeId, id) => client.lightning.getPayment(storeId, id),
	simplifyPayment,
);
