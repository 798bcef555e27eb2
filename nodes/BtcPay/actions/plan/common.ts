/** What the plan operations share: the resource value and the plan fields (create: Additional Fields; update: Update Fields). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { PlanInput } from '../../client/subscriptions';
import { parseList } from '../common';
import { present } from '../format';
import { jsonObject, metadataProperty } from '../offering/common';

export const R = 'plan';

export const recurringTypeProperty: INodeProperties = {
	displayName: 'Recurring Type',
	name: 'recurringType',
	type: 'options',
	default: 'Monthly',
	options: [
		{ name: 'Monthly', value: 'Monthly' },
		{ name: 'Quarterly', value: 'Quarterly' },
		{ name: 'Yearly', value: 'Yearly' },
		{ name: 'Lifetime', value: 'Lifetime', description: 'Paid once, never renews' },
	],
	description: 'How often the subscriber pays',
};

export const planFields: INodeProperties[] = [
	{ displayName: 'Description', name: 'description', type: 'string', default: '', typeOptions: { rows: 2 } },
	{ displayName: 'Features', name: 'features', type: 'string', default: '', placeholder: 'pro-reports, api', description: 'Feature IDs of the offering this plan includes, comma-separated' },
	{ displayName: 'Grace Period Days', name: 'gracePeriodDays', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Days after the period end during which the subscriber keeps access while payment is due' },
	metadataProperty(),
	{
		displayName: 'Optimistic Activation',
		name: 'optimisticActivation',
		type: 'boolean',
		default: false,
		description: 'Whether to activate as soon as the payment is seen (unconfirmed), not only once settled',
	},
	{ displayName: 'Renewable', name: 'renewable', type: 'boolean', default: true, description: 'Whether the plan renews at the period end' },
	{ displayName: 'Trial Days', name: 'trialDays', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Free days before the first payment (0: no trial)' },
];

/** Maps the node fields to client input (the client validates price decimals, days, enum). */
export function toPlanInput(fields: IDataObject): PlanInput {
	const f = present(fields);
	const input: PlanInput = {};
	for (const key of ['name', 'description', 'price', 'currency', 'recurringType'] as const) if (f[key] !== undefined) input[key] = String(f[key]);
	for (const key of ['trialDays', 'gracePeriodDays'] as const) if (f[key] !== undefined) input[key] = f[key] as number;
	for (const key of ['optimisticActivation', 'renewable'] as const) if (typeof f[key] === 'boolean') input[key] = f[key] as boolean;
	const features = parseList(f.features);
	if (features) input.features = features;
	const metadata = jsonObject(f.metadata, 'Metadata');
	if (metadata && Object.keys(metadata).length) input.metadata = metadata;
	return input;
}
