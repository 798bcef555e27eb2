import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { actionPropertiesWithOption, routeItems, type ConcurrencyParameter } from '../shared/router';
import { actions } from './actions';
import { btcPayCredentialTest } from './credentialTest';
import { listSearch, loadOptions } from './methods';
import { getBtcPayClient } from './transport';

export const DEFAULT_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 50;

/** From this version on, Concurrency is an option of each operation (n8n's Options > Batching convention). */
export const CONCURRENCY_IN_OPTIONS_VERSION = 2;

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	description: 'How many items are sent to BTCPay at the same time. Output order always follows input order.',
};

/** Version 1: Concurrency as a node-wide field after every other (saved v1 workflows keep it there). */
const concurrencyProperty: INodeProperties = { ...concurrencyOption, displayOptions: { show: { '@version': [1] } } };

/** How the router reads it: the same name, label and bounds as the field. */
const concurrency: ConcurrencyParameter = {
	name: concurrencyOption.name,
	displayName: concurrencyOption.displayName,
	default: DEFAULT_CONCURRENCY,
	max: MAX_CONCURRENCY,
	inOptionsFromVersion: CONCURRENCY_IN_OPTIONS_VERSION,
};

export class BtcPay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BTCPay Server',
		name: 'btcPay',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/btcpay.svg',
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and manage BTCPay Server stores, invoices and more',
		defaults: { name: 'BTCPay Server' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest' }],
		properties: [...actionPropertiesWithOption(actions, concurrencyOption, CONCURRENCY_IN_OPTIONS_VERSION), concurrencyProperty],
	};

	methods = { listSearch, loadOptions, credentialTest: btcPayCredentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return routeItems(this, actions, { client: getBtcPayClient, concurrency });
	}
}
