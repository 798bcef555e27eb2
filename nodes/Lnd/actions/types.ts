import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ItemResult } from '../../shared/n8n';
import type { LndClient } from '../client';

export type { ItemResult };

/** One entry of the LND node's Resource dropdown. */
export interface LndResource {
	value: string;
	name: string;
	description?: string;
	/** Its 'operation' parameter and fields, each shown only for this resource. */
	properties: INodeProperties[];
	execute(ctx: IExecuteFunctions, client: LndClient, operation: string, itemIndex: number): Promise<ItemResult>;
}
