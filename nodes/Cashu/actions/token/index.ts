/** Token: Decode (offline), Check State (NUT-07), Redeem to Lightning (melt), Receive (swap). */
import { checkState } from './checkState';
import { decode } from './decode';
import { receive } from './receive';
import { redeem } from './redeem';
import { defineResource } from '../../../shared/resource';
import type { ConfigGetter } from '../common';

export const token = defineResource<ConfigGetter>({
	value: 'token',
	name: 'Token',
	operations: { decode, checkState, redeem, receive },
	defaultOperation: 'decode',
});
