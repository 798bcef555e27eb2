/**
 * Payment Method: the store's payment methods (on-chain wallet, Lightning node,
 * LNURL): list, get, update (connect a Lightning node, set LNURL options or an
 * on-chain derivation scheme, enable/disable), remove, and preview the
 * addresses of an on-chain derivation scheme. A Lightning connection string is
 * a secret: the client redacts it in every answer and error.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	parsePaymentMethodId,
	paymentMethodKind,
	type PaymentMethodConfigInput,
	type StorePaymentMethod,
	type UpdatePaymentMethodInput,
} from '../../client/paymentMethods';
import { InputError } from '../../../shared/errors';
import { defineBtcPayResource, optionalNumber, optionsProperty, show, storeLocatorProperty, updateFieldsProperty } from '../common';
import { collection, present, text } from '../format';
import { storeObjectAction, storeOperation } from '../operations';

const R = 'paymentMethod';

const paymentMethodIdProperty = (operations: string[], defaultValue = 'BTC-LN'): INodeProperties => ({
	displayName: 'Payment Method',
	name: 'paymentMethodId',
	type: 'options',
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- BTC-LN or BTC-CHAIN, per operation
	default: defaultValue,
	required: true,
	options: [
		{ name: 'BTC On-Chain (BTC-CHAIN)', value: 'BTC-CHAIN' },
		{ name: 'BTC Lightning (BTC-LN)', value: 'BTC-LN' },
		{ name: 'BTC LNURL-Pay (BTC-LNURL)', value: 'BTC-LNURL' },
	],
	description: 'The payment method; other IDs (e.g. LTC-CHAIN) can be given by expression',
	displayOptions: show(R, operations),
});

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	paymentMethodIdProperty(['get', 'update', 'remove']),
	paymentMethodIdProperty(['previewAddresses'], 'BTC-CHAIN'),
	optionsProperty('listOptions', R, ['getAll'], [
		{ displayName: 'Only Enabled', name: 'onlyEnabled', type: 'boolean', default: false, description: 'Whether to list only the enabled payment methods' },
		{
			displayName: 'Include Config',
			name: 'includeConfig',
			type: 'boolean',
			default: false,
			description: 'Whether to include each method\'s configuration (needs "Modify your stores"; connection strings are shown redacted)',
		},
	]),
	optionsProperty('getOptions', R, ['get'], [
		{
			displayName: 'Include Config',
			name: 'includeConfig',
			type: 'boolean',
			default: false,
			description: 'Whether to include the configuration (needs "Modify your stores"; a connection string is shown redacted)',
		},
	]),
	updateFieldsProperty(R, ['update'], [
		{
			displayName: 'Account Key Path (On-Chain)',
			name: 'accountKeyPath',
			type: 'string',
			default: '',
			placeholder: "abcd82a1/84'/0'/0'",
			description: 'Fingerprint and key path of the account key, for signing (BTC-CHAIN)',
		},
		{ displayName: 'Allow Comments (LNURL, LUD-12)', name: 'lud12Enabled', type: 'boolean', default: true, description: 'Whether payers may send a comment (BTC-LNURL)' },
		{
			displayName: 'Connection String (Lightning)',
			name: 'connectionString',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'type=lnd-rest;server=https://lnd.example:8080/;macaroon=…',
			description: 'The Lightning node to connect (BTC-LN), or "Internal Node". A secret: it is never shown in the output.',
		},
		{
			displayName: 'Derivation Scheme (On-Chain)',
			name: 'derivationScheme',
			type: 'string',
			default: '',
			placeholder: 'xpub6C…',
			description: 'Extended public key (xpub, zpub, tpub…) or output descriptor of the wallet (BTC-CHAIN). Use Preview Addresses first to check it.',
		},
		{ displayName: 'Enabled', name: 'enabled', type: 'boolean', default: true, description: 'Whether new invoices offer this payment method' },
		{ displayName: 'Label (On-Chain)', name: 'label', type: 'string', default: '', description: 'Wallet label shown in BTCPay (BTC-CHAIN)' },
		{ displayName: 'Use Bech32 Scheme (LNURL)', name: 'useBech32Scheme', type: 'boolean', default: false, description: 'Whether LNURLs are bech32 (LUD-01) instead of lnurlp:// URLs (LUD-17) (BTC-LNURL)' },
		{ displayName: 'Verify URL (LNURL, LUD-21)', name: 'lud21Enabled', type: 'boolean', default: false, description: 'Whether payment callbacks include a verify URL (BTC-LNURL)' },
	]),
	{
		displayName: 'Derivation Scheme',
		name: 'derivationScheme',
		type: 'string',
		default: '',
		placeholder: 'xpub6C…',
		description: 'A proposed derivation scheme to preview; empty: the addresses of the store\'s current wallet',
		displayOptions: show(R, ['previewAddresses']),
	},
	optionsProperty('previewOptions', R, ['previewAddresses'], [
		{ displayName: 'Count', name: 'count', type: 'number', default: 10, typeOptions: { minValue: 1, maxValue: 1000 }, description: 'How many addresses' },
		{ displayName: 'Offset', name: 'offset', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: 'Index of the first address' },
	]),
];

const paymentMethodId = (ctx: IExecuteFunctions, i: number) => parsePaymentMethodId(text(ctx, 'paymentMethodId', i));

/** Which Update Fields belong to which kind of payment method. */
const KIND_FIELDS: Record<string, string[]> = {
	onchain: ['derivationScheme', 'label', 'accountKeyPath'],
	lightning: ['connectionString'],
	lnurl: ['useBech32Scheme', 'lud12Enabled', 'lud21Enabled'],
};
const FIELD_NAMES: Record<string, string> = {
	derivationScheme: 'Derivation Scheme (On-Chain)',
	label: 'Label (On-Chain)',
	accountKeyPath: 'Account Key Path (On-Chain)',
	connectionString: 'Connection String (Lightning)',
	useBech32Scheme: 'Use Bech32 Scheme (LNURL)',
	lud12Enabled: 'Allow Comments (LNURL, LUD-12)',
	lud21Enabled: 'Verify URL (LNURL, LUD-21)',
};

/** Update Fields → the client's input; a field of another kind of method is refused, naming it. */
export function toUpdateInput(pm: string, rawFields: IDataObject): UpdatePaymentMethodInput {
	const fields = present(rawFields);
	const kind = paymentMethodKind(pm);
	for (const [otherKind, names] of Object.entries(KIND_FIELDS)) {
		if (otherKind === kind) continue;
		const wrong = names.find((n) => fields[n] !== undefined);
		if (wrong) throw new InputError(FIELD_NAMES[wrong], `does not apply to ${pm}`, 'BTCPay');
	}
	const input: UpdatePaymentMethodInput = {};
	if (typeof fields.enabled === 'boolean') input.enabled = fields.enabled;
	const own = (KIND_FIELDS[kind] ?? []).filter((n) => fields[n] !== undefined);
	if (!own.length) return input;
	let config: PaymentMethodConfigInput;
	if (kind === 'lightning') config = { kind, connectionString: String(fields.connectionString) };
	else if (kind === 'lnurl') config = { kind, ...(Object.fromEntries(own.map((n) => [n, fields[n]])) as Record<string, boolean>) };
	else {
		if (fields.derivationScheme === undefined) throw new InputError('Derivation Scheme (On-Chain)', 'is required to change the on-chain wallet', 'BTCPay');
		config = { kind: 'onchain', derivationScheme: String(fields.derivationScheme), ...(fields.label !== undefined ? { label: String(fields.label) } : {}), ...(fields.accountKeyPath !== undefined ? { accountKeyPath: String(fields.accountKeyPath) } : {}) };
	}
	input.config = config;
	return input;
}

const withStore = (storeId: string) => (m: StorePaymentMethod): IDataObject => ({ storeId, ...(m as IDataObject) });

export const paymentMethod = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Payment Method',
	description: "The store's on-chain wallet, Lightning node and LNURL settings",
	operations: {
		getAll: storeOperation({ name: 'Get Many', action: 'Get many payment methods', description: 'List the payment methods of the store' }, async (ctx, i, client, storeId) => {
			const options = collection(ctx, 'listOptions', i);
			const list = await client.paymentMethods.list(storeId, { onlyEnabled: options.onlyEnabled === true, includeConfig: options.includeConfig === true });
			return list.map(withStore(storeId));
		}),
		get: storeOperation({ name: 'Get', action: 'Get a payment method', description: 'Get one payment method of the store' }, async (ctx, i, client, storeId) =>
			withStore(storeId)(await client.paymentMethods.get(storeId, paymentMethodId(ctx, i), { includeConfig: collection(ctx, 'getOptions', i).includeConfig === true })),
		),
		update: storeOperation(
			{ name: 'Update', action: 'Update a payment method', description: 'Connect a Lightning node, set LNURL options or an on-chain wallet, or enable/disable a method' },
			async (ctx, i, client, storeId) => {
				const pm = paymentMethodId(ctx, i);
				return withStore(storeId)(await client.paymentMethods.update(storeId, pm, toUpdateInput(pm, collection(ctx, 'updateFields', i))));
			},
		),
		remove: storeObjectAction(
			{ name: 'Remove', action: 'Remove a payment method', description: 'Remove the configuration of a payment method from the store' },
			'paymentMethodId',
			(client, storeId, id) => client.paymentMethods.remove(storeId, parsePaymentMethodId(id)),
			{ removed: true },
		),
		previewAddresses: storeOperation(
			{ name: 'Preview Addresses', action: 'Preview on-chain addresses', description: "Addresses of a derivation scheme (or the store's current wallet), to check it before setting it" },
			async (ctx, i, client, storeId) => {
				const options = collection(ctx, 'previewOptions', i);
				const scheme = text(ctx, 'derivationScheme', i);
				const preview = await client.paymentMethods.previewAddresses(storeId, paymentMethodId(ctx, i), {
					derivationScheme: scheme || undefined,
					offset: optionalNumber(options.offset, 'Offset'),
					count: optionalNumber(options.count, 'Count'),
				});
				return preview.addresses.map((a) => ({ ...(a as IDataObject), source: scheme ? 'proposed' : 'current' }));
			},
		),
	},
	defaultOperation: 'getAll',
	fields,
});
