/** LNURL > Scan: what an LNURL or Lightning address is, and its limits. */
import type { IDataObject } from 'n8n-workflow';
import type { LnurlInfo } from '../../client';
import { getSimplify, withClient } from '../common';

function scanOutput(info: LnurlInfo, simplify: boolean): IDataObject {
	const { raw, ...rest } = info;
	const out = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as IDataObject;
	if (!simplify) out.raw = raw as IDataObject;
	return out;
}

export const scan = withClient(
	{ name: 'Scan', simplify: true, description: 'Find out what an LNURL or Lightning address is and its limits', action: 'Scan an LNURL' },
	async (ctx, i, client) => {
		return scanOutput(await client.scanLnurl(ctx.getNodeParameter('lnurl', i, '') as string), getSimplify(ctx, i));
	},
);
