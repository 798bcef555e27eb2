/**
 * Payout Processor: the automated senders that pay approved payouts
 * (on-chain and Lightning). A handful of fields, so everything is here.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { ProcessorKind, ProcessorSettings } from '../../client/payoutProcessors';
import { additionalFieldsProperty, defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { defineBtcPayOperation, type BtcPayOperation } from '../types';

const R = 'payoutProcessor';
const ONE = ['get', 'update', 'delete'];

const kindProperty: INodeProperties = {
	displayName: 'Processor',
	name: 'processor',
	type: 'options',
	default: 'onchain',
	options: [
		{ name: 'Automated Bitcoin Sender (On-Chain)', value: 'onchain' },
		{ name: 'Automated Lightning Sender', value: 'lightning' },
	],
	description: 'Which automated sender',
	displayOptions: show(R, ONE),
};

const payoutMethodProperty: INodeProperties = {
	displayName: 'Payout Method',
	name: 'payoutMethodId',
	type: 'string',
	default: '',
	placeholder: 'BTC-CHAIN',
	description: 'Payout method the processor pays (empty: BTC-CHAIN on-chain, BTC-LN for Lightning)',
	displayOptions: show(R, ONE),
};

const updateFields: INodeProperties[] = [
	{ displayName: 'Interval (Seconds)', name: 'intervalSeconds', type: 'number', default: 3600, required: true, typeOptions: { minValue: 60, maxValue: 86400 }, description: 'How often the processor pays waiting payouts (60 s to 1 day)', displayOptions: show(R, ['update']) },
	additionalFieldsProperty(R, ['update'], [
		{ displayName: 'Fee Block Target', name: 'feeBlockTarget', type: 'number', default: 1, typeOptions: { minValue: 1, maxValue: 1000 }, description: 'On-chain only: confirm within this many blocks (1 when not set)' },
		{ displayName: 'Process New Payouts Instantly', name: 'processNewPayoutsInstantly', type: 'boolean', default: false, description: 'Whether an approved payout is paid at once instead of at the next interval' },
		{ displayName: 'Threshold (BTC)', name: 'threshold', type: 'string', default: '', placeholder: '0.01', description: 'On-chain only: pay only when waiting payouts add up to this much' },
	]),
];

function simplifySettings(kind: ProcessorKind, settings: ProcessorSettings | null): IDataObject {
	if (!settings) return { processor: kind, configured: false };
	return { processor: kind, configured: true, ...settings } as IDataObject;
}

const operations: Record<string, BtcPayOperation> = {
		getAvailable: defineBtcPayOperation(
			{ name: 'Get Available', action: 'Get the available payout processors', description: 'Processors this server offers and the payout methods each supports' },
			async (_ctx, _i, client) => (await client.payoutProcessors.listAvailable()) as IDataObject[],
		),
		getAll: storeOperation(
			{ name: 'Get Many', action: "Get the store's payout processors", description: 'Processors configured on the store' },
			async (_ctx, _i, client, storeId) => (await client.payoutProcessors.listForStore(storeId)) as IDataObject[],
		),
		get: storeOperation(
			{ name: 'Get Settings', action: 'Get payout processor settings', description: "Settings of the store's on-chain or Lightning sender for a payout method" },
			async (ctx, i, client, storeId) => {
				const kind = ctx.getNodeParameter('processor', i, 'onchain') as ProcessorKind;
				return simplifySettings(kind, await client.payoutProcessors.getSettings(storeId, kind, text(ctx, 'payoutMethodId', i)));
			},
		),
		update: storeOperation(
			{ name: 'Update Settings', action: 'Update payout processor settings', description: 'Turn on or change the automated sender for a payout method', properties: updateFields },
			async (ctx, i, client, storeId) => {
				const kind = ctx.getNodeParameter('processor', i, 'onchain') as ProcessorKind;
				const f = present(collection(ctx, 'additionalFields', i));
				const settings = await client.payoutProcessors.updateSettings(
					storeId,
					kind,
					{
						intervalSeconds: ctx.getNodeParameter('intervalSeconds', i, 3600) as number,
						processNewPayoutsInstantly: f.processNewPayoutsInstantly as boolean | undefined,
						feeBlockTarget: f.feeBlockTarget as number | undefined,
						threshold: f.threshold as string | undefined,
					},
					text(ctx, 'payoutMethodId', i),
				);
				return simplifySettings(kind, settings);
			},
		),
		delete: storeOperation(
			{ name: 'Remove', action: 'Remove a payout processor', description: 'Turn the automated sender off for a payout method' },
			async (ctx, i, client, storeId) => {
				const kind = ctx.getNodeParameter('processor', i, 'onchain') as ProcessorKind;
				await client.payoutProcessors.remove(storeId, kind, text(ctx, 'payoutMethodId', i));
				return { success: true, processor: kind };
			},
		),
};

export const payoutProcessor = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Payout Processor',
	description: 'Automated on-chain and Lightning payout senders of a store',
	operations,
	defaultOperation: 'getAll',
	fields: [storeLocatorProperty(R, ['getAll', ...ONE]), kindProperty, payoutMethodProperty],
});
