/** LNURL > Withdraw: receive from an LNURL-withdraw link into this wallet. */
import type { INodeProperties } from 'n8n-workflow';
import { ServiceError } from '../../../shared/errors';
import { getSimplify, optionalNumber, paymentOutput, show, withClient } from '../common';

const R = 'lnurl';

const properties: INodeProperties[] = [
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
];

export const withdraw = withClient(
	{ name: 'Withdraw', simplify: true, description: 'Receive from an LNURL-withdraw link into this wallet', action: 'Withdraw from an LNURL', properties },
	async (ctx, i, client) => {
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
);
