/** Subscriber > Update Credit: credits and/or debits the balance, exactly; a debit beyond the balance is refused before sending unless Allow Overdraft is on. */
import { formatMoney } from '../../../shared/amounts';
import type { INodeProperties } from 'n8n-workflow';
import { optionsProperty, show } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { customer, getOfferingId } from '../offering/common';
import { creditCurrencyProperty, R } from './common';

const properties: INodeProperties[] = [
	creditCurrencyProperty(['updateCredit']),
	{ displayName: 'Credit', name: 'credit', type: 'string', default: '', placeholder: '10.00', description: 'Amount to add, decimal number in the currency', displayOptions: show(R, ['updateCredit']) },
	{ displayName: 'Debit', name: 'charge', type: 'string', default: '', placeholder: '5.00', description: 'Amount to take, decimal number in the currency', displayOptions: show(R, ['updateCredit']) },
	optionsProperty('options', R, ['updateCredit'], [
		{ displayName: 'Allow Overdraft', name: 'allowOverdraft', type: 'boolean', default: false, description: 'Whether the balance may go below zero' },
		{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Shown in the credit history' },
	]),
];

export const updateCredit = storeOperation(
	{ name: 'Update Credit', action: 'Credit or debit a subscriber', description: "Add to or take from a subscriber's credit balance", properties },
	async (ctx, i, client, storeId) => {
		const o = present(collection(ctx, 'options', i));
		const out = await client.subscriptions.updateCredit(storeId, getOfferingId(ctx, i), customer(ctx, i), text(ctx, 'currency', i), {
			credit: text(ctx, 'credit', i) || undefined,
			charge: text(ctx, 'charge', i) || undefined,
			description: o.description as string | undefined,
			allowOverdraft: o.allowOverdraft === true,
		});
		return { balance: formatMoney(out.value, out.currency) as string, currency: out.currency, customerSelector: customer(ctx, i) };
	},
);
