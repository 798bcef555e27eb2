import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ItemResult } from '../../shared/n8n';
import type { BtcPayClient } from '../client';

export type { ItemResult };

/** One entry of the BTCPay node's Resource dropdown (see actions/index.ts). */
export interface BtcPayResource {
	/** Resource parameter value, e.g. 'invoice'. */
	value: string;
	/** Shown in the Resource dropdown. */
	name: string;
	description?: string;
	/** Its 'operation' parameter and all its fields, each with displayOptions.show.resource = [value]. */
	properties: INodeProperties[];
	execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, itemIndex: number): Promise<ItemResult>;
}
