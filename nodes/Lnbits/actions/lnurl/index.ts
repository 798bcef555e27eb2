/**
 * LNURL: scan, pay (LNURL-pay and Lightning addresses) and withdraw. One file
 * per operation; the link fields (LNURL or Lightning Address for Scan and Pay,
 * LNURL for Withdraw) and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineLnbitsResource, show } from '../common';
import { pay } from './pay';
import { scan } from './scan';
import { withdraw } from './withdraw';

const R = 'lnurl';

const fields: INodeProperties[] = [
	{
		displayName: 'LNURL or Lightning Address',
		name: 'lnurl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'LNURL1… or name@example.com',
		displayOptions: show(R, ['scan', 'pay']),
	},
	{
		displayName: 'LNURL',
		name: 'withdrawLnurl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'LNURL1…',
		description: 'An LNURL-withdraw link',
		displayOptions: show(R, ['withdraw']),
	},
];

export const lnurl = defineLnbitsResource({
	value: R,
	name: 'LNURL',
	description: 'LNURL-pay, Lightning addresses and LNURL-withdraw',
	operations: { pay, scan, withdraw },
	defaultOperation: 'scan',
	fields,
});
