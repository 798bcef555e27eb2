/** LNURL > Pay: an LNURL-pay link or a Lightning address, within Max Amount; every run pays again. */
import type { INodeProperties } from 'n8n-workflow';
import { amountSatsProperty, getMaxAmountSats, getSimplify, maxAmountProperty, noticeProperty, paymentOutput, paymentState, show, defineLnbitsOperation } from '../common';

const R = 'lnurl';

const properties: INodeProperties[] = [
	amountSatsProperty(show(R, ['pay']), 'Whole sats to send; must be within what the service accepts'),
	noticeProperty('payNotice', 'Money leaves the wallet (the Admin Key is needed). Amounts above Max Amount or outside what the service accepts are refused before anything is paid. Every run pays again: an LNURL or Lightning address is not a one-time invoice.', show(R, ['pay'])),
	maxAmountProperty(R, ['pay']),
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: '',
		description: 'Sent to the payee when the service accepts comments',
		displayOptions: show(R, ['pay']),
	},
];

export const pay = defineLnbitsOperation(
	{ name: 'Pay', simplify: true, description: 'Pay an LNURL-pay link or a Lightning address (needs the admin key)', action: 'Pay an LNURL or Lightning address', properties },
	async (ctx, i, getClient) => {
		const maxAmountSats = getMaxAmountSats(ctx, i);
		const client = await getClient();
		const { payment, lnurl: info } = await client.payLnurl({
			lnurl: ctx.getNodeParameter('lnurl', i, '') as string,
			amountSats: ctx.getNodeParameter('amountSats', i, 0),
			maxAmountSats,
			comment: ctx.getNodeParameter('comment', i, '') as string,
		});
		return {
			...paymentOutput(payment, getSimplify(ctx, i)),
			...paymentState(payment),
			domain: info.domain,
			description: info.description ?? null,
		};
	},
);
