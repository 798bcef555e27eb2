/** Greenfield server-level calls: health (anonymous) and the current API key. */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';

export const healthSchema = z.object({ synchronized: z.boolean() }).passthrough();
export type Health = z.infer<typeof healthSchema>;

export const apiKeySchema = z
	.object({ apiKey: z.string().optional(), label: z.string().nullish(), permissions: z.array(z.string()) })
	.passthrough();
export type ApiKeyInfo = z.infer<typeof apiKeySchema>;

export const serverInfoSchema = z
	.object({
		version: z.string(),
		onion: z.string().nullish(),
		supportedPaymentMethods: z.array(z.string()),
		fullySynched: z.boolean(),
		syncStatus: z.array(z.object({ paymentMethodId: z.string(), chainHeight: z.number().nullish(), syncHeight: z.number().nullish(), available: z.boolean() }).passthrough()),
	})
	.passthrough();
export type ServerInfo = z.infer<typeof serverInfoSchema>;

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

	/** `GET /api/v1/server/info` (GreenfieldServerInfoController.cs): version, payment methods, sync state; any key. */
	async info(): Promise<ServerInfo> {
		return this.http.request('GET', '/api/v1/server/info', { schema: serverInfoSchema });
	}
}
