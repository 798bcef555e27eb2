/**
 * Token > Redeem to Lightning: how a merchant takes ecash. A fresh invoice is
 * created on the wallet the user picks (LNbits wallet, LND node or BTCPay store
 * Lightning, each with its own credential), the token's mint quotes the melt
 * (NUT-05), the fee reserve plus the input fee is checked against Max Fee, and
 * the proofs are melted once to pay that invoice. Unused fee reserve comes back
 * as change (NUT-08), output as a token.
 *
 * Never melted twice: the proofs' state (NUT-07) is checked first, a spent or
 * pending token is reported, and a melt interrupted by the mint or the network
 * is followed up with its quote ID (Melt Quote ID option), not retried blindly.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { decodeBolt11 } from '../../../shared/bolt11';
import { ServiceError, isServiceError, SafetyError, withErrorText } from '../../../shared/errors';
import { createWalletInvoice, getWalletInvoiceState, walletProperties, type WalletInvoice, type WalletKind } from '../../../shared/lightning-wallet';
import { SERVICE, type CashuMintClient, type MeltQuote, type Proof, type TokenInfo } from '../../client';
import { defineCashuOperation, optionsProperty, recoverableError, satsParam, show, tokenProperty, trustedToken } from '../common';

export const REDEEM_KINDS: readonly WalletKind[] = ['lnbits', 'lnd', 'btcpay'];

const MAX_QUOTES = 3;

interface RedeemOptions {
	memo?: string;
	meltQuoteId?: string;
}

export const redeem = defineCashuOperation(
	{
		name: 'Redeem to Lightning',
		action: 'Redeem a token to Lightning',
		description: 'Melt the token at its mint into a fresh invoice of your LNbits wallet, LND node or BTCPay store',
		properties: [
			tokenProperty('token', ['redeem'], 'The Cashu token to redeem. Its mint must be trusted by the credential.'),
			...walletProperties({ kinds: REDEEM_KINDS, purpose: 'receive', displayOptions: show('token', ['redeem']) }),
			{
				displayName: 'Max Fee (Sats)',
				name: 'maxFeeSats',
				type: 'number',
				default: 0,
				required: true,
				typeOptions: { minValue: 0, numberPrecision: 0 },
				description:
					"Most the mint may keep: its Lightning fee reserve plus its input fee. A quote above it is refused before anything is melted. Unused fee reserve comes back as a change token.",
				displayOptions: show('token', ['redeem']),
			},
			optionsProperty('redeemOptions', 'token', ['redeem'], [
					{
						displayName: 'Invoice Memo',
						name: 'memo',
						type: 'string',
						default: 'Cashu token redeemed',
						description: 'Description of the invoice created on your wallet',
					},
					{
						displayName: 'Melt Quote ID',
						name: 'meltQuoteId',
						type: 'string',
						default: '',
						description:
							'To follow up a redeem that was interrupted: the meltQuoteId of its output or error. The node asks the mint what became of that melt instead of melting again.',
					},
			]),
		],
	},
	async (ctx, i, getConfig) => {
		const { info, client } = await trustedToken(ctx, i, getConfig);
		const maxFee = satsParam(ctx, i, 'maxFeeSats', 'Max Fee (Sats)', 0);
		const options = ctx.getNodeParameter('redeemOptions', i, {}) as RedeemOptions;
		const started = Date.now();

		let resumeQuote: MeltQuote | undefined;
		if (options.meltQuoteId?.trim()) {
			const quote = await client.checkMeltQuote(options.meltQuoteId.trim());
			if (quote.state === 'PAID') return paidOutput(ctx, i, info, quote, null, started, { recovered: true });
			if (quote.state === 'PENDING') return pendingOutput(info, quote);
			resumeQuote = quote;
		}

		const state = await client.checkState(info.token);
		if (state.spent.count > 0) {
			throw new ServiceError(`The token was already spent (${state.spent.count} of ${info.proofCount} proofs): nothing was redeemed`, {
				kind: 'business',
				service: SERVICE,
				code: 'TOKEN_SPENT',
				field: 'Token',
				hint: 'A token can be redeemed once. If an earlier run of this workflow redeemed it, its output has the payment.',
			});
		}
		if (state.pending.count > 0) {
			throw new ServiceError(
				`The token is pending (${state.pending.count} of ${info.proofCount} proofs are in a melt that has not finished): nothing was melted again`,
				{
					kind: 'business',
					service: SERVICE,
					code: 'TOKEN_PENDING',
					field: 'Token',
					hint: 'Run Redeem again with the Melt Quote ID of the earlier run to follow it up, or Token > Check State later.',
				},
			);
		}

		const proofs = await client.proofsOf(info.token);
		const inputFee = await client.inputFee(proofs);
		const quote =
			resumeQuote && (resumeQuote.expiry === null || resumeQuote.expiry * 1000 > Date.now() + 30_000) && fits(resumeQuote, inputFee, info.amount)
				? resumeQuote
				: await quoteFor(ctx, i, client, info, inputFee, maxFee, options.memo);
		checkFee(quote, inputFee, maxFee);

		let melted: Awaited<ReturnType<CashuMintClient['melt']>>;
		try {
			melted = await client.melt(quote.quote, info.token, proofs);
		} catch (error) {
			throw meltFailure(error, quote);
		}
		if (melted.quote.state === 'PAID') return paidOutput(ctx, i, info, melted.quote, { client, change: melted.change, inputFee }, started, { recovered: false });
		if (melted.quote.state === 'PENDING') return pendingOutput(info, melted.quote);
		throw new ServiceError(`The mint did not pay the invoice (melt quote ${quote.quote} is ${melted.quote.state}): the token was not spent`, {
			kind: 'business',
			service: SERVICE,
			code: 'MELT_UNPAID',
			details: [`meltQuoteId: ${quote.quote}`],
			hint: 'Token > Check State shows the proofs unspent; the token can be redeemed again.',
		});
	},
);

/** quote amount + fee reserve + input fee stays within the token. */
function fits(quote: MeltQuote, inputFee: number, tokenAmount: number): boolean {
	return quote.amount + quote.feeReserve + inputFee <= tokenAmount;
}

function checkFee(quote: MeltQuote, inputFee: number, maxFee: number): void {
	const fee = quote.feeReserve + inputFee;
	if (fee > maxFee) {
		throw new SafetyError(
			'Max Fee (Sats)',
			`The mint asks up to ${fee} sat in fees (fee reserve ${quote.feeReserve} + input fee ${inputFee}), above Max Fee ${maxFee}: nothing was melted`,
			'Cashu',
		);
	}
}

/**
 * A melt quote whose amount, fee reserve and input fee fit in the token: the
 * first invoice asks the whole token (less the input fee), the next ones less
 * the fee reserve the mint quoted. Each try is a new invoice of the user's wallet
 * (an unpaid invoice costs nothing).
 */
async function quoteFor(
	ctx: IExecuteFunctions,
	i: number,
	client: CashuMintClient,
	info: TokenInfo,
	inputFee: number,
	maxFee: number,
	memo: string | undefined,
): Promise<MeltQuote> {
	let reserve = 0;
	for (let attempt = 0; attempt < MAX_QUOTES; attempt++) {
		const amountSats = info.amount - inputFee - reserve;
		if (amountSats < 1) {
			throw new ServiceError(
				`The token (${info.amount} sat) does not cover the mint's fees (input fee ${inputFee}, fee reserve ${reserve} sat): nothing was melted`,
				{ kind: 'business', service: SERVICE, field: 'Token' },
			);
		}
		const invoice: WalletInvoice = await createWalletInvoice(ctx, i, { amountSats, memo: memo ?? 'Cashu token redeemed', kinds: REDEEM_KINDS });
		const quote = await client.createMeltQuote(invoice.bolt11);
		// The melt pays the invoice the user's own wallet just made, for the amount it was made for.
		if (quote.amount !== amountSats || (quote.request !== null && quote.request !== invoice.bolt11)) {
			throw new ServiceError(`The mint quoted ${quote.amount} sat for an invoice of ${amountSats} sat: nothing was melted`, {
				kind: 'protocol',
				service: SERVICE,
				details: [`meltQuoteId: ${quote.quote}`],
			});
		}
		checkFee(quote, inputFee, maxFee);
		if (fits(quote, inputFee, info.amount)) return quote;
		reserve = Math.max(reserve + 1, quote.feeReserve);
	}
	throw new ServiceError(`The mint's fee reserve kept changing: no melt quote fitted the token after ${MAX_QUOTES} tries; nothing was melted`, {
		kind: 'business',
		service: SERVICE,
	});
}

/** A melt that failed on the way: what is known, and how to find out the rest. */
function meltFailure(error: unknown, quote: MeltQuote): unknown {
	if (!isServiceError(error)) return error;
	const unknownOutcome = ['network', 'timeout', 'server'].includes(error.kind);
	if (!unknownOutcome) {
		return withErrorText(error, { details: [...error.details, `meltQuoteId: ${quote.quote}`] });
	}
	return recoverableError(
		`The mint did not answer the melt (${error.message}): the invoice may or may not have been paid. Nothing is melted again without checking: run Redeem with Melt Quote ID ${quote.quote}, or Token > Check State`,
		{
			kind: error.kind,
			quoteId: quote.quote,
			quoteField: 'meltQuoteId',
			hint: `Run Token > Redeem to Lightning again with the option Melt Quote ID = ${quote.quote}: the node asks the mint what became of the melt (paid, pending, or not paid and the token still spendable).`,
			cause: error,
		},
	);
}

function pendingOutput(info: TokenInfo, quote: MeltQuote): IDataObject {
	return {
		redeemed: false,
		pending: true,
		tokenAmount: info.amount,
		amountSats: quote.amount,
		meltQuoteId: quote.quote,
		state: quote.state,
		message: `The mint is still paying the invoice. Run Redeem again with Melt Quote ID ${quote.quote} to follow it up (the token is not melted twice).`,
	};
}

async function paidOutput(
	ctx: IExecuteFunctions,
	i: number,
	info: TokenInfo,
	quote: MeltQuote,
	melt: { client: CashuMintClient; change: Proof[]; inputFee: number } | null,
	started: number,
	flags: { recovered: boolean },
): Promise<IDataObject> {
	const changeAmount = melt ? melt.change.reduce((s, p) => s + Number(p.amount.toString()), 0) : 0;
	const out: IDataObject = {
		redeemed: true,
		pending: false,
		recovered: flags.recovered,
		amountSats: quote.amount,
		tokenAmount: info.amount,
		feeReserveSats: quote.feeReserve,
		...(melt ? { inputFeeSats: melt.inputFee, feePaidSats: info.amount - quote.amount - changeAmount } : {}),
		changeSats: changeAmount,
		changeToken: melt && melt.change.length ? melt.client.encode(melt.change) : null,
		mint: info.mint,
		meltQuoteId: quote.quote,
		preimage: quote.preimage,
		invoice: quote.request,
	};
	// The invoice is the user's own: its wallet confirms the money arrived.
	if (quote.request) {
		const paymentHash = decodeBolt11(quote.request, 'Invoice').paymentHash;
		out.paymentHash = paymentHash;
		let settled = false;
		for (let attempt = 0; attempt < 10 && !settled; attempt++) {
			if (attempt) await new Promise((r) => setTimeout(r, 300));
			settled = (await getWalletInvoiceState(ctx, i, paymentHash, REDEEM_KINDS)).settled;
		}
		out.settled = settled;
	}
	out.durationMs = Date.now() - started;
	return out;
}
