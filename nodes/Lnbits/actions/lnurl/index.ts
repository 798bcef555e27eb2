import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { ServiceError } from '../../../shared/errors';
import type { LnurlInfo } from '../../client';
import { getMaxAmountSats, getSimplify, maxAmountProperty, optionalNumber, paymentOutput, paymentState, show, simplifyProperty, type LnbitsResource, operationProperty } from '../common';

const R = 'lnurl';

const properties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{
				name: 'Pay',
				value: 'pay',
				description: 'Pay an LNURL-pay link or a Lightning address (needs the admin key)',
				action: 'Pay an LNURL or Lightning address',
			},
			{
				name: 'Scan',
				value: 'scan',
				description: 'Find out what an LNURL or Lightning address is and its limits',
				action: 'Scan an LNURL',
			},
			{
				name: 'Withdraw',
				value: 'withdraw',
				description: 'Receive from an LNURL-withdraw link into this wallet',
				action: 'Withdraw from an LNURL',
			},
		],
		'scan',
	),
	{
		displayName: 'LNURL or Lightning Address',
		name: 'lnurl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'LNURL1… or name@example.com',
		displayOptions: show(R, ['scan', 'pay']),
	},
	{
		displayName: 'LNURL',
		name: 'withdrawLnurl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'LNURL1…',
		description: 'An LNURL-withdraw link',
		displayOptions: show(R, ['withdraw']),
	},
	{
		displayName: 'Amount (Sats)',
		name: 'amountSats',
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'Whole sats to send; must be within what the service accepts',
		displayOptions: show(R, ['pay']),
	},
	{
		displayName:
			'Money leaves the wallet (the Admin Key is needed). Amounts above Max Amount or outside what the service accepts are refused before anything is paid. Every run pays again: an LNURL or Lightning address is not a one-time invoice.',
		name: 'payNotice',
		type: 'notice',
		default: '',
		displayOptions: show(R, ['pay']),
	},
	maxAmountProperty(R, ['pay']),
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: '',
		description: 'Sent to the payee when the service accepts comments',
		displayOptions: show(R, ['pay']),
	},
	{
		displayName: 'Amount (Sats)',
		name: 'withdrawAmountSats',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		description: 'Whole sats to withdraw; 0 takes the most the link allows',
		displayOptions: show(R, ['withdraw']),
	},
	{
		displayName: 'Memo',
		name: 'memo',
		type: 'string',
		default: '',
		description: 'Memo of the invoice the service pays (default: its own description)',
		displayOptions: show(R, ['withdraw']),
	},
	simplifyProperty(R, ['scan', 'pay', 'withdraw']),
];

function scanOutput(info: LnurlInfo, simplify: boolean): IDataObject {
	const { raw, ...rest } = info;
	const out = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as IDataObject;
	if (!simplify) out.raw = raw as IDataObject;
	return out;
}

export const lnurl: LnbitsResource = {
	value: R,
	name: 'LNURL',
	description: 'LNURL-pay, Lightning addresses and LNURL-withdraw',
	properties,
	operations: {
		async scan(ctx, i, getClient) {
			const client = await getClient();
			return scanOutput(await client.scanLnurl(ctx.getNodeParameter('lnurl', i, '') as string), getSimplify(ctx, i));
		},
		async pay(ctx, i, getClient) {
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
		async withdraw(ctx, i, getClient) {
			const client = await getClient();
			const result = await client.withdrawLnurl({
				lnurl: ctx.getNodeParameter('withdrawLnurl', i, '') as string,
				amountSats: optionalNumber(ctx.getNodeParameter('withdrawAmountSats', i, 0)),
				memo: ctx.getNodeParameter('memo', i, '') as string,
			});
			if (!result.accepted) {
				throw new ServiceError(
					`${result.lnurl.domain ?? 'The LNURL service'} did not accept the withdraw request${result.error ? `: ${result.error}` : ''}`,
					{ kind: 'business', service: 'LNbits', field: 'LNURL', hint: 'The link may be used up, expired, or limited to other amounts.' },
				);
			}
			const out = paymentOutput(result.invoice, getSimplify(ctx, i));
			out.bolt11 = result.invoice.bolt11;
			out.domain = result.lnurl.domain;
			out.accepted = true;
			return out;
		},
	},
};
