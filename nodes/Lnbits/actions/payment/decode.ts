/** Payment > Decode: a BOLT11 invoice read offline (no credential, no server). */
import { decodeBolt11 } from '../../../shared/bolt11';
import { defineLnbitsOperation } from '../common';

export const decode = defineLnbitsOperation(
	{ name: 'Decode', description: 'Read a BOLT11 invoice offline: amount, description, payment hash, expiry, payee', action: 'Decode an invoice' },
	async (ctx, i) => {
		const d = decodeBolt11(ctx.getNodeParameter('bolt11', i, '') as string, 'Invoice');
		const now = Math.floor(Date.now() / 1000);
		return {
			network: d.network,
			amountSats: d.amountSats,
			amountMsat: d.amountMsat,
			paymentHash: d.paymentHash,
			description: d.description,
			descriptionHash: d.descriptionHash,
			payee: d.payee,
			createdAt: new Date(d.timestamp * 1000).toISOString(),
			expirySeconds: d.expiry,
			expiresAt: new Date(d.expiresAt * 1000).toISOString(),
			expired: d.expiresAt <= now,
			minFinalCltvExpiry: d.minFinalCltvExpiry,
			paymentRequest: d.paymentRequest,
		};
	},
);
