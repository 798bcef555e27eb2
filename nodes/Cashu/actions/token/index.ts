/** Token: Decode (offline), Check State (NUT-07), Redeem to Lightning (melt), Receive (swap). */
import { operationFields } from '../../../shared/router';
import type { CashuResource } from '../common';
import { checkState } from './checkState';
import { decode } from './decode';
import { receive } from './receive';
import { redeem } from './redeem';

export const token: CashuResource = {
	value: 'token',
	name: 'Token',
	operations: { decode, checkState, redeem, receive },
	defaultOperation: 'decode',
	properties: operationFields(decode, checkState, redeem, receive),
};
