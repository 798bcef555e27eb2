import { defineResource } from '../../../shared/resource';
import type { L402Env } from '../common';
import { createChallenge } from './createChallenge';
import { verify } from './verify';

/** The paid side: challenge a request, verify the token of a paid one. */
export const server = defineResource<L402Env>({
	value: 'server',
	name: 'Server (Sell Access)',
	description: 'Answer requests with a 402 challenge and verify paid tokens',
	operations: { createChallenge, verify },
	defaultOperation: 'createChallenge',
});
