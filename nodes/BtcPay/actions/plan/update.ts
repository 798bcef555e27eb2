/** Plan > Update: changes the given fields (BTCPay keeps the others). */
import type { INodeProperties } from 'n8n-workflow';
import { simplify, updateFieldsProperty } from '../common';
import { collection } from '../format';
import { storeOperation } from '../operations';
import { getOfferingId, getPlanId, simplifyPlan } from '../offering/common';
import { planFields, R, recurringTypeProperty, toPlanInput } from './common';

const properties: INodeProperties[] = [
	updateFieldsProperty(
		R,
		['update'],
		([
			{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Price', name: 'price', type: 'string', default: '', placeholder: '9.90', description: "Decimal number, at most the currency's decimals" },
			recurringTypeProperty,
			...planFields,
		] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	),
];

export const update = storeOperation(
	{ name: 'Update', simplify: true, action: 'Update a plan', description: 'Change the price, currency, days or other fields of a plan', properties },
	async (ctx, i, client, storeId) =>
		simplify(ctx, i, await client.subscriptions.updatePlan(storeId, getOfferingId(ctx, i), getPlanId(ctx, i), toPlanInput(collection(ctx, 'updateFields', i))), simplifyPlan),
);
