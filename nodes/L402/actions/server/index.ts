import { operationFields } from '../../../shared/router';
import type { L402Resource } from '../common';
import { createChallenge } from './createChallenge';
import { verify } from './verify';

/** The paid side: challenge a request, verify the token of a paid one. */
export const server: L402Resource = {
	value: 'server',
	name: 'Server (Sell Access)',
	description: 'Answer requests with a 402 challenge and verify paid tokens',
	operations: { createChallenge, verify },
	defaultOperation: 'createChallenge',
	properties: operationFields(createChallenge, verify),
};
