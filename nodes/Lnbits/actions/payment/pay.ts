/**
 * Payment > Pay Invoice: decoded first; expired invoices, other networks and
 * amounts above Max Amount are refused; an invoice already paid is not paid again.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { LightningNetwork } from '../../../shared/bolt11';
import { walletNetworkOption } from '../../../shared/ui';
import type { LnbitsPayment, PayResult } from '../../client';
import { getMaxAmountSats, getMaxFeeSats, getSimplify, maxAmountProperty, noticeProperty, optionsProperty, paymentState, show, defineLnbitsOperation } from '../common';

const R = 'payment';

const properties: INodeProperties[] = [
	noticeProperty('payNotice', 'Money leaves the wallet. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice this wallet already paid is not paid again. Fees come on top: LNbits reserves up to its fee reserve for them; set Max Fee under Options to refuse payments whose reserve is higher.', show(R, ['pay'])),
	maxAmountProperty(R, ['pay'], 'fees come on top (cap them with Max Fee under Options)'),
	optionsProperty('payOptions', R, ['pay'], [
		{
			displayName: 'Extra (JSON)',
			name: 'extra',
			type: 'json',
			default: '{}',
			description: 'JSON object stored with the outgoing payment',
		},
		{
			displayName: 'Max Fee (Sats)',
			name: 'maxFeeSats',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description:
				'Most the payment may cost in routing and service fees. LNbits takes no fee limit from the caller; it caps the fee at its own fee reserve (by default the larger of 2 sats and 1% of the amount), so the payment is refused, before anything is sent, when that reserve is above this value. Not set: the reserve alone bounds the fee.',
		},
		walletNetworkOption('Wallet Network', 'Network of the LNbits funding source; invoices for another network are refused'),
	]),
];

/** Whole sats of a fee in msat, rounded up (a fee is never shown smaller than it was). */
function feeSats(feeMsat: number): number {
	return Math.ceil(feeMsat / 1000);
}

function payOutput(result: PayResult, simplify: boolean): IDataObject {
	const p: LnbitsPayment = result.payment;
	const reserve = result.feeReserveSats === undefined ? {} : { feeReserveSats: result.feeReserveSats };
	if (!simplify) return { ...(p as unknown as IDataObject), feeSats: feeSats(p.feeMsat), ...reserve, alreadyPaid: result.alreadyPaid, ...paymentState(p) };
	return {
		...paymentState(p),
		status: p.status,
		alreadyPaid: result.alreadyPaid,
		amountSats: p.amountSats,
		feeSats: feeSats(p.feeMsat),
		...reserve,
		memo: p.memo,
		time: p.time,
		preimage: p.status === 'success' ? p.preimage : null,
		paymentHash: p.paymentHash,
		amountMsat: p.amountMsat,
		feeMsat: p.feeMsat,
	};
}

export const pay = defineLnbitsOperation(
	{ name: 'Pay Invoice', simplify: true, description: 'Pay a BOLT11 invoice from the wallet (needs the admin key)', action: 'Pay an invoice', properties },
	async (ctx, i, getClient) => {
		const options = ctx.getNodeParameter('payOptions', i, {}) as IDataObject;
		const network = (options.network as string | undefined) ?? 'mainnet';
		const maxAmountSats = getMaxAmountSats(ctx, i);
		const maxFeeSats = getMaxFeeSats(options);
		const client = await getClient();
		const result = await client.payInvoice({
			bolt11: ctx.getNodeParameter('bolt11', i, '') as string,
			maxAmountSats,
			expectedNetwork: network === 'any' ? undefined : (network as LightningNetwork),
			extra: options.extra,
			maxFeeSats,
		});
		return payOutput(result, getSimplify(ctx, i));
	},
);
