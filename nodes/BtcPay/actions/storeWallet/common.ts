/** What the Store Wallet operations share: the resource value, the payment method field, simplifiers. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { toScaled } from '../../../shared/amounts';
import type { Utxo, WalletTransaction } from '../../client/wallet';
import { pick, show } from '../common';
import { text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'storeWallet';

/** The wallet's payment method (BTC-CHAIN unless the server runs other chains). */
export function paymentMethodProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Payment Method',
		name: 'paymentMethodId',
		type: 'string',
		default: 'BTC-CHAIN',
		description: 'On-chain payment method of the wallet, e.g. BTC-CHAIN',
		displayOptions: show(R, operations),
	};
}

export function paymentMethodOf(ctx: IExecuteFunctions, i: number): string {
	return text(ctx, 'paymentMethodId', i) || 'BTC-CHAIN';
}

/** BTC decimal → whole sats, exactly (null when not a plain decimal). */
export function btcToSatsExact(value: string | null | undefined): number | null {
	if (value === null || value === undefined || !/^-?\d+(\.\d{1,8})?$/.test(value.trim())) return null;
	return Number(toScaled(value.trim(), 8));
}

function labelNames(labels: unknown): string[] {
	if (Array.isArray(labels)) return labels.map((l) => (l && typeof l === 'object' ? String((l as IDataObject).text ?? '') : String(l))).filter(Boolean);
	return labels && typeof labels === 'object' ? Object.keys(labels) : [];
}

export function simplifyTransaction(tx: WalletTransaction): IDataObject {
	const out = pick(tx, ['transactionHash', 'amount', 'status', 'confirmations', 'blockHeight', 'comment']);
	out.amountSats = btcToSatsExact(tx.amount);
	out.labels = labelNames(tx.labels);
	const time = isoFromUnixSeconds(tx.timestamp);
	if (time) out.timestamp = time;
	return out;
}

export function simplifyUtxo(utxo: Utxo): IDataObject {
	const out = pick(utxo, ['outpoint', 'amount', 'address', 'confirmations', 'comment']);
	out.amountSats = btcToSatsExact(utxo.amount);
	out.labels = labelNames(utxo.labels);
	const time = isoFromUnixSeconds(utxo.timestamp);
	if (time) out.timestamp = time;
	return out;
}
