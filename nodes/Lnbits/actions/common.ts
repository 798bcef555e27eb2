/**
 * Pieces shared by the LNbits node's resources: the resource type, display
 * options, the Simplify toggle, the wallet resource locator and the output
 * shapes of payments.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { parseSats } from '../../shared/amounts';
import { InputError } from '../../shared/errors';
import * as ui from '../../shared/ui';
import { show } from '../../shared/ui';
import type { ItemResult } from '../../shared/n8n';
import { defineOperation, defineResource, type Operation, type OperationEntry, type Resource, type ResourceSpec } from '../../shared/resource';
import type { LnbitsClient, LnbitsPayment } from '../client';

export type { ItemResult };

/** Gives the operation the client, created on first use (offline operations never need one). */
export type ClientGetter = () => Promise<LnbitsClient>;

/** One entry of the LNbits node's Resource dropdown (see nodes/shared/resource.ts). */
export type LnbitsResource = Resource<ClientGetter>;

/** One LNbits operation: its own fields and what it does for one item. */
export type LnbitsOperation = Operation<ClientGetter>;

/** Declares an LNbits operation (nodes/shared/resource.ts defineOperation). */
export const defineLnbitsOperation = defineOperation<ClientGetter>;

/**
 * An operation that first needs the server: the client is created before `run`
 * (the getter stays lazy for operations that may work offline, like Decode).
 */
export function withClient(
	entry: OperationEntry<ClientGetter>,
	run: (ctx: IExecuteFunctions, i: number, client: LnbitsClient) => Promise<ItemResult>,
): LnbitsOperation {
	return defineLnbitsOperation(entry, async (ctx, i, getClient) => run(ctx, i, await getClient()));
}

export { additionalFieldsProperty, amountSatsProperty, bolt11InvoiceProperty, filtersProperty, getLimit, getSimplify, noticeProperty, optionsProperty, paymentHashProperty, returnAllLimitProperties, show } from '../../shared/ui';

export function simplifyProperty(resource: string, operations: string[]): INodeProperties {
	return ui.simplifyProperty(resource, operations, 'Whether to return a compact version of the response instead of every field');
}

export const WALLET_ID_REGEX = '^[0-9a-fA-F]{32}$';

/** A Lnbits resource (nodes/shared/resource.ts defineResource) with this node's Simplify field. */
export function defineLnbitsResource(spec: ResourceSpec<ClientGetter>): LnbitsResource {
	return defineResource(spec, simplifyProperty);
}

/** The required Currency (parameter currency, default USD): a fiat code the LNbits server has a rate for. */
export function fiatCurrencyProperty(displayOptions: IDisplayOptions, description: string): INodeProperties {
	return { displayName: 'Currency', name: 'currency', type: 'string', default: 'USD', required: true, placeholder: 'USD', description, displayOptions };
}

/** Wallet picker: the credential's wallet from a searchable list, or a wallet ID to check it against. */
export function walletLocatorProperty(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Wallet',
		name: 'wallet',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			'The wallet the credential belongs to. Leave empty to use it as is; when set, the node checks the credential really is for this wallet before doing anything. LNbits only tells the wallet ID to the Admin Key: with an Invoice/Read Key alone the list stays empty until the wallet has a payment (use By ID then).',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchWallets', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '0f3c5b8d9e2a4c6b8d0e1f2a3b4c5d6e',
				validation: [{ type: 'regex', properties: { regex: WALLET_ID_REGEX, errorMessage: 'Not an LNbits wallet ID (32 hex characters)' } }],
			},
		],
		displayOptions: show(resource, operations),
	};
}

/** The wallet ID chosen in the locator, lower-case, or undefined when left empty. */
export function getWalletId(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = ctx.getNodeParameter('wallet', itemIndex, '') as unknown;
	const value = raw && typeof raw === 'object' ? (raw as IDataObject).value : raw;
	const id = String(value ?? '').trim().toLowerCase();
	if (!id) return undefined;
	if (!new RegExp(WALLET_ID_REGEX).test(id)) throw new InputError('Wallet', `"${id}" is not an LNbits wallet ID (32 hex characters)`, 'LNbits');
	return id;
}

/** A whole-number parameter (sats, seconds), or undefined when empty. */
export function optionalNumber(value: unknown): unknown {
	return value === '' || value === null || value === undefined ? undefined : value;
}

/** Compact payment output: what workflows use most. */
export function simplePayment(p: LnbitsPayment): IDataObject {
	return {
		paymentHash: p.paymentHash,
		direction: p.direction,
		status: p.status,
		amountSats: p.amountSats,
		amountMsat: p.amountMsat,
		feeMsat: p.feeMsat,
		memo: p.memo,
		time: p.time,
		preimage: p.status === 'success' ? p.preimage : null,
	};
}

export function paymentOutput(p: LnbitsPayment, simplify: boolean): IDataObject {
	return simplify ? simplePayment(p) : ({ ...p } as unknown as IDataObject);
}

/** The required spending guard of every operation that pays. */
/**
 * Max Amount (Sats), required and empty until set: a text field, so the editor flags it
 * ("Parameter is required") before a run instead of showing a 0 that is refused only at
 * run time. Saved workflows keep their number value (same parameter name).
 */
export function maxAmountProperty(resource: string, operations: string[], fees = 'routing fees come on top'): INodeProperties {
	return {
		...ui.maxAmountSatsProperty(resource, operations, `Largest amount this node may pay, in sats; ${fees}. Required: there is no unlimited default.`),
		type: 'string',
		default: '',
		placeholder: 'e.g. 10000',
		typeOptions: undefined,
	};
}

export function getMaxAmountSats(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter('maxAmountSats', itemIndex, '') as unknown;
	if (raw === '' || raw === undefined || raw === null || raw === 0 || raw === '0') {
		throw new InputError('Max Amount (Sats)', 'is required: the largest invoice amount this node may pay, a whole number of sats greater than 0', 'LNbits');
	}
	return parseSats(raw, 'Max Amount (Sats)');
}

/** Max Fee (Sats) under Options: undefined when not set (LNbits' own fee reserve applies). */
export function getMaxFeeSats(options: IDataObject): number | undefined {
	const raw = options.maxFeeSats;
	if (raw === undefined || raw === null || raw === '') return undefined;
	return parseSats(raw, 'Max Fee (Sats)', { allowZero: true });
}

/** Output fields every paying operation adds: paid / pending flags and, while pending, what to do next. */
export function paymentState(p: LnbitsPayment): IDataObject {
	const out: IDataObject = { paid: p.status === 'success', pending: p.status === 'pending' };
	if (p.status === 'pending') {
		out.message = 'The payment is in flight. Check it later with Payment > Get Status using the payment hash.';
	}
	return out;
}
