/**
 * Plan: the price and rhythm of an offering. Create, get, update (one file each
 * for Create and Update); the Store, Offering and Plan pickers and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, simplify, storeLocatorProperty } from '../common';
import { storeOperation } from '../operations';
import { getOfferingId, getPlanId, offeringLocatorProperty, planLocatorProperty, simplifyPlan } from '../offering/common';
import { R } from './common';
import { create } from './create';
import { update } from './update';

const get = storeOperation({ name: 'Get', simplify: true, action: 'Get a plan', description: 'Get a plan of an offering' }, async (ctx, i, client, storeId) =>
	simplify(ctx, i, await client.subscriptions.getPlan(storeId, getOfferingId(ctx, i), getPlanId(ctx, i)), simplifyPlan),
);

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	offeringLocatorProperty(R),
	planLocatorProperty(R, ['get', 'update']),
];

export const plan = defineBtcPayResource({
	value: R,
	name: 'Plan',
	description: 'Subscription plans: price, currency, recurring type, trial and grace days',
	operations: { create, get, update },
	defaultOperation: 'create',
	fields,
});
