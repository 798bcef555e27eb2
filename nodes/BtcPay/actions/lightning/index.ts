/**
 * Store Lightning: the store's Lightning node through BTCPay. Amounts are
 * entered in sats (sent as msat). One file per operation; the Store picker
 * and Simplify they share are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, returnAllLimitProperties, storeLocatorProperty } from '../common';
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

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	peerUriProperty(['connectPeer', 'openChannel']),
	...returnAllLimitProperties(R, ['getChannels', 'getInvoices', 'getPayments']),
];

export const lightning = defineBtcPayResource({
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
	fields,
});
