/**
 * Store Lightning: the store's Lightning node through BTCPay. Amounts are
 * entered in sats (sent as msat). One file per operation; the Store picker
 * and Simplify they share are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { operationFields } from '../../../shared/router';
import { returnAllLimitProperties, simplifyProperty, storeLocatorProperty } from '../common';
import type { BtcPayResource } from '../types';
import { R } from './common';
import { createInvoice } from './createInvoice';
import { getBalance } from './getBalance';
import { getInfo } from './getInfo';
import { getInvoice } from './getInvoice';
import { getPayment } from './getPayment';
import { payInvoice } from './payInvoice';
import { connectPeer, peerUriProperty } from './connectPeer';
import { getChannels } from './getChannels';
import { getDepositAddress } from './getDepositAddress';
import { getHistogram } from './getHistogram';
import { getInvoices } from './getInvoices';
import { getNodeUri } from './getNodeUri';
import { getPayments } from './getPayments';
import { openChannel } from './openChannel';

const properties: INodeProperties[] = [
	storeLocatorProperty(R),
	...operationFields(createInvoice, getInvoice, getPayment, payInvoice),
	peerUriProperty(['connectPeer', 'openChannel']),
	...operationFields(openChannel, getInvoices, getPayments),
	...returnAllLimitProperties(R, ['getChannels', 'getInvoices', 'getPayments']),
	simplifyProperty(R, ['createInvoice', 'getBalance', 'getInvoice', 'getPayment', 'getChannels', 'getInvoices', 'getPayments']),
];

export const lightning: BtcPayResource = {
	value: R,
	name: 'Store Lightning',
	description: "The store's Lightning node: invoices, payments, balance, peers and channels",
	operations: {
		createInvoice,
		getBalance,
		getInfo,
		getInvoice,
		getPayment,
		payInvoice,
		getNodeUri,
		connectPeer,
		getChannels,
		openChannel,
		getDepositAddress,
		getHistogram,
		getInvoices,
		getPayments,
	},
	defaultOperation: 'getInfo',
	properties,
};
