/**
 * Mint: Get Info (NUT-06), Check Health (reachable, response time, active
 * keysets per unit: never fails, for a scheduled alert) and Get Keysets (NUT-02),
 * all on the credential's mint.
 */
import type { IDataObject } from 'n8n-workflow';
import { isServiceError } from '../../../shared/errors';
import { errorCategory } from '../../client';
import { defineCashuOperation } from '../common';
import { defineResource } from '../../../shared/resource';
import type { ConfigGetter } from '../common';

const getInfo = defineCashuOperation(
	{ name: 'Get Info', action: 'Get mint info', description: 'NUT-06: name, version, supported NUTs, contact, message of the day' },
	async (_ctx, _i, getConfig) => {
		const config = await getConfig();
		const info = await config.client().getInfo();
		return { mintUrl: config.mintUrl, ...info } as unknown as IDataObject;
	},
);

const checkHealth = defineCashuOperation(
	{
		name: 'Check Health',
		action: 'Check mint health',
		description: 'Whether the mint answers, how fast, and its active keysets per unit (never fails: alert on `healthy`)',
	},
	async (_ctx, _i, getConfig) => {
		const config = await getConfig();
		const client = config.client();
		const started = Date.now();
		const checkedAt = new Date(started).toISOString();
		try {
			const info = await client.getInfo();
			const responseTimeMs = Date.now() - started;
			const keysets = await client.getKeysets();
			const activeKeysets: Record<string, number> = {};
			for (const k of keysets) if (k.active) activeKeysets[k.unit] = (activeKeysets[k.unit] ?? 0) + 1;
			const mintingEnabled = (info.nuts['4'] as { disabled?: boolean } | undefined)?.disabled !== true;
			const meltingEnabled = (info.nuts['5'] as { disabled?: boolean } | undefined)?.disabled !== true;
			return {
				mintUrl: config.mintUrl,
				reachable: true,
				healthy: (activeKeysets.sat ?? 0) > 0 && mintingEnabled && meltingEnabled,
				responseTimeMs,
				checkedAt,
				name: info.name,
				version: info.version,
				activeKeysets,
				mintingEnabled,
				meltingEnabled,
				motd: info.motd,
			};
		} catch (error) {
			return {
				mintUrl: config.mintUrl,
				reachable: isServiceError(error) ? !['network', 'timeout'].includes(error.kind) : false,
				healthy: false,
				responseTimeMs: Date.now() - started,
				checkedAt,
				error: error instanceof Error ? error.message : String(error),
				errorCategory: isServiceError(error) ? errorCategory(error.kind) : 'network',
			};
		}
	},
);

const getKeysets = defineCashuOperation(
	{ name: 'Get Keysets', action: 'Get mint keysets', description: 'NUT-02: every keyset with its unit, whether it is active and its input fee' },
	async (_ctx, _i, getConfig) => {
		const config = await getConfig();
		const keysets = await config.client().getKeysets();
		return keysets.map((k) => ({ mintUrl: config.mintUrl, ...k }) as unknown as IDataObject);
	},
);

export const mint = defineResource<ConfigGetter>({
	value: 'mint',
	name: 'Mint',
	operations: { getInfo, checkHealth, getKeysets },
	defaultOperation: 'getInfo',
});
