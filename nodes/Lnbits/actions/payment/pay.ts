/**
 * Payment > Pay Invoice: decoded first; expired invoices, other networks and
 * amounts above Max Amount are refused; an invoice already paid is not paid again.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { LightningNetwork } from '../../../shared/bolt11';
import { walletNetworkOption } from '../../../shared/ui';
import type { LnbitsPayment, PayResult } from '../../client';
import { getMaxAmountSats, getSimplify, maxAmountProperty, noticeProperty, optionsProperty, paymentState, show, defineLnbitsOperation } from '../common';

const R = 'payment';

const properties: INodeProperties[] = [
	noticeProperty('payNotice', 'Money leaves the wallet. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice this wallet already paid is not paid again.', show(R, ['pay'])),
	maxAmountProperty(R, ['pay']),
	optionsProperty('payOptions', R, ['pay'], [
		{
			displayName: 'Extra (JSON)',
			name: 'extra',
			type: 'json',
			default: '{}',
			description: 'JSON object stored with the outgoing payment',
		},
		walletNetworkOption('Wallet Network', 'Network of the LNbits funding source; invoices for another network are refused'),
	]),
];

function payOutput(result: PayResult, simplify: boolean): IDataObject {
	const p: LnbitsPayment = result.payment;
	const base = simplify
		? {
				paymentHash: p.paymentHash,
				status: p.status,
				alreadyPaid: result.alreadyPaid,
				amountSats: p.amountSats,
				amountMsat: p.amountMsat,
				feeMsat: p.feeMsat,
				preimage: p.status === 'success' ? p.preimage : null,
				memo: p.memo,
				time: p.time,
			}
		: { ...(p as unknown as IDataObject), alreadyPaid: result.alreadyPaid };
	return { ...base, ...paymentState(p) };
}

export const pay = defineLnbitsOperation(
	{ name: 'Pay Invoice', simplify: true, description: 'Pay a BOLT11 invoice from the wallet (needs the admin key)', action: 'Pay an invoice', properties },
	async (ctx, i, getClient) => {
		const options = ctx.getNodeParameter('payOptions', i, {}) as IDataObject;
		const network = (options.network as string | undefined) ?? 'mainnet';
		const maxAmountSats = getMaxAmountSats(ctx, i);
		const client = await getClient();
		const result = await client.payInvoice({
			bolt11: ctx.getNodeParameter('bolt11', i, '') as string,
			maxAmountSats,
			expectedNetwork: network === 'any' ? undefined : (network as LightningNetwork),
			extra: options.extra,
		});
		return payOutput(result, getSimplify(ctx, i));
	},
);
