/** What the subscriber operations share: the resource value and the credit currency field. */
import type { INodeProperties } from 'n8n-workflow';
import { show } from '../common';

export const R = 'subscriber';

export function creditCurrencyProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'USD',
		description: "Currency of the balance. Empty: the plan's currency.",
		displayOptions: show(R, operations),
	};
}
