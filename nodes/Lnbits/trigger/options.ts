/**
 * Shared by the LNbits Trigger and the LNbits Webhook Trigger: building the
 * client from the `lnbitsApi` credential and reading the filter options.
 */
import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import type { LnbitsClient } from '../client';
import { lnbitsClientFromCredential } from '../transport';
import type { Direction, PaymentFilter } from './types';

export interface TriggerConnection {
	client: LnbitsClient;
	/** The key that names the wallet's WebSocket channel (invoice key, or the admin key when it is the only one). */
	channelKey: string;
}

export function connectionFromCredentials(credentials: ICredentialDataDecryptedObject): TriggerConnection {
	const invoiceKey = String(credentials.invoiceKey ?? '').trim();
	const adminKey = String(credentials.adminKey ?? '').trim();
	return { client: lnbitsClientFromCredential(credentials), channelKey: invoiceKey || adminKey };
}

export interface FilterOptions {
	minAmountSats?: number;
	memoContains?: string;
}

export function readFilter(direction: Direction, options: FilterOptions): PaymentFilter {
	const min = options.minAmountSats ?? 0;
	if (!Number.isInteger(min) || min < 0) {
		throw new InputError('Minimum Amount (Sats)', 'must be a whole number of sats, 0 or more');
	}
	return { direction, minAmountSats: min, memoContains: String(options.memoContains ?? '') };
}

export const minAmountOption: INodeProperties = {
	displayName: 'Minimum Amount (Sats)',
	name: 'minAmountSats',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 0,
	description: 'Only payments of at least this many sats start the workflow. 0 = any amount.',
};

export const memoContainsOption: INodeProperties = {
	displayName: 'Memo Contains',
	name: 'memoContains',
	type: 'string',
	default: '',
	placeholder: 'e.g. order',
	description: 'Only payments whose memo contains this text (not case-sensitive) start the workflow',
};
