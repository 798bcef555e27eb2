/** Greenfield server-level calls: health (anonymous) and the current API key. */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';

export const healthSchema = z.object({ synchronized: z.boolean() }).passthrough();
export type Health = z.infer<typeof healthSchema>;

export const apiKeySchema = z
	.object({ apiKey: z.string().optional(), label: z.string().nullish(), permissions: z.array(z.string()) })
	.passthrough();
export type ApiKeyInfo = z.infer<typeof apiKeySchema>;

export class ServerApi {
	constructor(private readonly http: HttpClient) {}

	/** `GET /api/v1/health`: `{synchronized}`; needs no permission. */
	async health(): Promise<Health> {
		return this.http.request('GET', '/api/v1/health', { schema: healthSchema });
	}

	/** `GET /api/v1/api-keys/current`: label and permissions of the key in use (the key itself is dropped). */
	async currentApiKey(): Promise<Omit<ApiKeyInfo, 'apiKey'>> {
		const info = await this.http.request('GET', '/api/v1/api-keys/current', { schema: apiKeySchema, resource: 'The API key' });
		const { apiKey: _key, ...rest } = info;
		void _key;
		return rest;
	}
}
