/**
 * Send > Create Token from Lightning: for rewards, refunds, tips. The mint
 * quotes an invoice (NUT-04), the user's LNbits wallet or LND node pays it
 * (decoded first, Max Amount, network and expiry checked before any request; an
 * invoice already paid is reported, never paid again), then the minted proofs
 * are output as a token.
 *
 * Rerun-safe: with the Mint Quote ID of an earlier run, the quote's state tells
 * whether its invoice was paid (then only the minting is done) or the token was
 * already issued; nothing is paid twice.
 */
import type { IDataObject } from 'n8n-workflow';
import { ServiceError, SafetyError, isServiceError } from '../../../shared/errors';
import { payFromWallet, walletProperties, type WalletKind, type WalletPayment } from '../../../shared/lightning-wallet';
import { maxAmountSatsProperty, amountSatsProperty } from '../../../shared/ui';
import { SERVICE, type CashuMintClient, type MintQuote } from '../../client';
import { defineCashuOperation, optionsProperty, recoverableError, satsParam, show } from '../common';
import { defineResource } from '../../../shared/resource';
import type { ConfigGetter } from '../common';

export const SEND_KINDS: readonly WalletKind[] = ['lnbits', 'lnd'];

interface SendOptions {
	memo?: string;
	mintQuoteId?: string;
}

const createToken = defineCashuOperation(
	{
		name: 'Create Token From Lightning',
		action: 'Create a token from Lightning',
		description: 'Pay a mint quote from your LNbits wallet or LND node and output the minted ecash as a token',
		properties: [
			amountSatsProperty(show('send', ['createToken']), 'Value of the token to create, in sats'),
			...walletProperties({ kinds: SEND_KINDS, purpose: 'pay', displayOptions: show('send', ['createToken']) }),
			maxAmountSatsProperty(
				'send',
				['createToken'],
				'Largest invoice this node may pay for the token, in sats (routing fees come on top). Required: there is no unlimited default.',
			),
			optionsProperty('sendOptions', 'send', ['createToken'], [
					{ displayName: 'Memo', name: 'memo', type: 'string', default: '', description: 'Memo of the token (and description of the mint invoice)' },
					{
						displayName: 'Mint Quote ID',
						name: 'mintQuoteId',
						type: 'string',
						default: '',
						description:
							'To finish a run that was interrupted: the mintQuoteId of its output or error. Its state tells whether it was already paid; nothing is paid twice.',
					},
			]),
		],
	},
	async (ctx, i, getConfig) => {
		const amount = satsParam(ctx, i, 'amountSats', 'Amount (Sats)', 1);
		const maxAmount = satsParam(ctx, i, 'maxAmountSats', 'Max Amount (Sats)', 1);
		if (amount > maxAmount) {
			throw new SafetyError('Max Amount (Sats)', `The token's ${amount} sat are more than Max Amount ${maxAmount}: nothing was paid`, 'Cashu');
		}
		const options = ctx.getNodeParameter('sendOptions', i, {}) as SendOptions;
		const config = await getConfig();
		const client = config.client();

		let quote: MintQuote;
		if (options.mintQuoteId?.trim()) {
			quote = await client.checkMintQuote(options.mintQuoteId.trim());
			if (quote.amount !== amount) {
				throw new ServiceError(`Mint quote ${quote.quote} is for ${quote.amount} sat, not the ${amount} sat asked: nothing was paid`, {
					kind: 'input',
					service: 'Cashu',
					field: 'Mint Quote ID',
				});
			}
			if (quote.state === 'ISSUED') {
				throw new ServiceError(`Mint quote ${quote.quote} was paid and its token already issued: nothing was paid or minted again`, {
					kind: 'business',
					service: SERVICE,
					code: 'QUOTE_ISSUED',
					details: [`mintQuoteId: ${quote.quote}`],
					hint: 'The token is in the output of the run that minted it.',
				});
			}
		} else {
			quote = await client.createMintQuote(amount, options.memo || undefined);
		}

		let payment: WalletPayment | null = null;
		if (quote.state === 'UNPAID') {
			try {
				payment = await payFromWallet(ctx, i, { bolt11: quote.request, maxAmountSats: maxAmount, kinds: SEND_KINDS });
			} catch (error) {
				throw withQuote(error, quote);
			}
			if (payment.status === 'failed') {
				throw new ServiceError(`Paying the mint's invoice failed: no token was created`, {
					kind: 'business',
					service: SERVICE,
					details: [`mintQuoteId: ${quote.quote}`, `paymentHash: ${payment.paymentHash}`],
				});
			}
			quote = await waitPaid(client, quote, payment.status === 'success' ? 20 : 5);
			if (quote.state === 'UNPAID') {
				return {
					created: false,
					pending: true,
					mintQuoteId: quote.quote,
					paymentHash: payment.paymentHash,
					amountSats: amount,
					message: `The invoice payment is in flight. Run Create Token again with Mint Quote ID ${quote.quote}: it is not paid twice.`,
				};
			}
		}

		let proofs;
		try {
			proofs = await client.mintProofs(amount, quote.quote);
		} catch (error) {
			throw withQuote(error, quote, true);
		}
		const out: IDataObject = {
			created: true,
			token: client.encode(proofs, options.memo || undefined),
			amountSats: proofs.reduce((s, p) => s + Number(p.amount.toString()), 0),
			mint: client.mintUrl,
			mintQuoteId: quote.quote,
			proofCount: proofs.length,
			paymentHash: payment?.paymentHash ?? null,
			feeSats: payment?.feeSats ?? null,
			alreadyPaid: payment ? payment.alreadyPaid : true,
		};
		return out;
	},
);

/** The mint learns of the payment from its Lightning backend: ask a few times. */
async function waitPaid(client: CashuMintClient, quote: MintQuote, tries: number): Promise<MintQuote> {
	let current = quote;
	for (let attempt = 0; attempt < tries && current.state === 'UNPAID'; attempt++) {
		if (attempt) await new Promise((r) => setTimeout(r, 250 * Math.min(attempt, 4)));
		current = await client.checkMintQuote(quote.quote);
	}
	return current;
}

function withQuote(error: unknown, quote: MintQuote, afterPayment = false): unknown {
	if (!isServiceError(error)) return error;
	const hint = afterPayment
		? `The invoice is paid. Run Create Token again with the option Mint Quote ID = ${quote.quote}: it mints the token without paying again.`
		: `Run Create Token again with the option Mint Quote ID = ${quote.quote}: the quote's state tells whether the invoice was paid; it is never paid twice.`;
	if (error.kind === 'input' || error.kind === 'safety') return error;
	return recoverableError(`${error.message} (mint quote ${quote.quote})`, {
		kind: error.kind,
		quoteId: quote.quote,
		quoteField: 'mintQuoteId',
		hint,
		code: error.code,
		cause: error,
	});
}

export const send = defineResource<ConfigGetter>({
	value: 'send',
	name: 'Send',
	operations: { createToken },
	defaultOperation: 'createToken',
});
