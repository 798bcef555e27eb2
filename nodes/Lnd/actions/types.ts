import type { ItemResult } from '../../shared/n8n';
import { defineOperation, type Operation, type Resource } from '../../shared/resource';
import type { LndClient } from '../client';

export type { ItemResult };

/** One entry of the LND node's Resource dropdown (see nodes/shared/resource.ts). */
export type LndResource = Resource<LndClient>;

/** One LND operation: its own fields and what it does for one item with the node's client. */
export type LndOperation = Operation<LndClient>;

/** Declares an LND operation (nodes/shared/resource.ts defineOperation). */
export const defineLndOperation = defineOperation<LndClient>;
