import { operationFields } from '../../../shared/router';
import type { L402Resource } from '../common';
import { pay } from './pay';

/** The paying side: call an L402-protected URL. */
export const client: L402Resource = {
	value: 'client',
	name: 'Client (Buy Access)',
	description: 'Call an L402-protected URL and pay for it',
	operations: { pay },
	defaultOperation: 'pay',
	properties: operationFields(pay),
};
