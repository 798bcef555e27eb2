import type { ItemResult } from '../../shared/n8n';
import { defineOperation, type Operation, type Resource } from '../../shared/resource';
import type { BtcPayClient } from '../client';

export type { ItemResult };

/** One entry of the BTCPay node's Resource dropdown (see actions/index.ts and nodes/shared/resource.ts). */
export type BtcPayResource = Resource<BtcPayClient>;

/** One BTCPay operation: its own fields and what it does for one item with the node's client. */
export type BtcPayOperation = Operation<BtcPayClient>;

/** Declares a BTCPay operation (nodes/shared/resource.ts defineOperation). */
export const defineBtcPayOperation = defineOperation<BtcPayClient>;
