/** Plan > Create: a price, currency and billing rhythm in an offering. */
import type { INodeProperties } from 'n8n-workflow';
import { additionalFieldsProperty, show, simplify, storeCurrencyProperty } from '../common';
import { collection, text } from '../format';
import { storeOperation } from '../operations';
import { getOfferingId, simplifyPlan } from '../offering/common';
import { planFields, R, recurringTypeProperty, toPlanInput } from './common';

const properties: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Monthly', displayOptions: show(R, ['create']) },
	{
		displayName: 'Price',
		name: 'price',
		type: 'string',
		default: '',
		required: true,
		placeholder: '9.90',
		description: 'Price per period as a decimal number in the currency below (at most its decimals, e.g. 2 for USD, 0 for JPY)',
		displayOptions: show(R, ['create']),
	},
	storeCurrencyProperty(R, ['create']),
	{ ...recurringTypeProperty, displayOptions: show(R, ['create']) },
	additionalFieldsProperty(R, ['create'], planFields),
];

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create a plan', description: 'Create a plan (price, currency, recurring type, trial and grace days) in an offering', properties },
	async (ctx, i, client, storeId) => {
		const input = toPlanInput({
			...collection(ctx, 'additionalFields', i),
			name: text(ctx, 'name', i),
			price: text(ctx, 'price', i),
			currency: text(ctx, 'currency', i),
			recurringType: text(ctx, 'recurringType', i),
		});
		return simplify(ctx, i, await client.subscriptions.createPlan(storeId, getOfferingId(ctx, i), input), simplifyPlan);
	},
);
