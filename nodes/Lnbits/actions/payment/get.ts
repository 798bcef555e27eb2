/** Payment > Get Status (value "get"): a payment by its payment hash. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getSimplify, paymentOutput, paymentHashProperty, show, defineLnbitsOperation } from '../common';

const R = 'payment';

const properties: INodeProperties[] = [paymentHashProperty(show(R, ['get']), '64 hex characters')];

export const get = defineLnbitsOperation(
	{ name: 'Get Status', simplify: true, description: 'Get the status of a payment by its payment hash', action: 'Get a payment status', properties },
	async (ctx, i, getClient) => {
		const hash = ctx.getNodeParameter('paymentHash', i, '') as string;
		const client = await getClient();
		const s = await client.getPayment(hash);
		const out: IDataObject = { paymentHash: hash.trim().toLowerCase(), paid: s.paid, status: s.status, preimage: s.preimage };
		if (s.details) Object.assign(out, paymentOutput(s.details, getSimplify(ctx, i)), { paid: s.paid, status: s.status, preimage: s.preimage });
		return out;
	},
);
