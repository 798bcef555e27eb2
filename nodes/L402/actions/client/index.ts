import { defineResource } from '../../../shared/resource';
import type { L402Env } from '../common';
import { pay } from './pay';

/** The paying side: call an L402-protected URL. */
export const client = defineResource<L402Env>({
	value: 'client',
	name: 'Client (Buy Access)',
	description: 'Call an L402-protected URL and pay for it',
	operations: { pay },
	defaultOperation: 'pay',
});
