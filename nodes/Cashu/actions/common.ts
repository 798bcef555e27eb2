/**
 * Pieces shared by the Cashu node's resources: the operation type (each gets
 * the credential's mint configuration, read on first use), the Token field,
 * the trusted-mint check and the error categories.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { defineOperation, type Operation, type Resource } from '../../shared/resource';
import { ServiceError, isServiceError, withErrorText } from '../../shared/errors';
import { assertTrusted, decodeToken, errorCategory, SERVICE, type CashuMintClient, type TokenInfo } from '../client';
import type { CashuConfig } from '../transport';

export type ConfigGetter = () => Promise<CashuConfig>;
export type CashuOperation = Operation<ConfigGetter>;
export type CashuResource = Resource<ConfigGetter>;
export const defineCashuOperation = defineOperation<ConfigGetter>;

export { optionsProperty, show } from '../../shared/ui';

/** The required Token field (parameter `token`) of an operation. */
export function tokenProperty(resource: string, operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'cashuB…',
		description,
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

/** The item's token, read offline (V3 or V4). */
export function readToken(ctx: IExecuteFunctions, itemIndex: number): TokenInfo & { token: string } {
	return decodeToken(ctx.getNodeParameter('token', itemIndex, '') as string);
}

/** The token, its mint trusted by the credential (checked before any request) and that mint's client. */
export async function trustedToken(
	ctx: IExecuteFunctions,
	itemIndex: number,
	getConfig: ConfigGetter,
): Promise<{ info: TokenInfo & { token: string }; client: CashuMintClient; config: CashuConfig }> {
	const info = readToken(ctx, itemIndex);
	const config = await getConfig();
	assertTrusted(info.mint, config.trusted);
	if (info.unit !== 'sat') {
		throw new ServiceError(`The token is in "${info.unit}"; this node handles sat tokens only`, { kind: 'input', service: 'Cashu', field: 'Token' });
	}
	return { info, client: config.client(info.mint), config };
}

/** A whole number of sats of at least `min`, else an error naming the field. */
export function satsParam(ctx: IExecuteFunctions, itemIndex: number, name: string, field: string, min: number): number {
	const raw = ctx.getNodeParameter(name, itemIndex, undefined) as unknown;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
		throw new ServiceError(`${field}: must be a whole number of sats${min > 0 ? ` of at least ${min}` : ', 0 or more'} (got ${JSON.stringify(raw)})`, {
			kind: 'input',
			service: 'Cashu',
			field,
		});
	}
	return value;
}

/**
 * An error that tells how to recover: the quote ID (and what to do with it) goes
 * in the message and in `details`, so Continue On Fail items carry it too.
 */
export function recoverableError(message: string, base: { kind: ServiceError['kind']; quoteId: string; quoteField: string; hint: string; cause?: unknown; code?: string }): ServiceError {
	return new ServiceError(message, {
		kind: base.kind,
		service: SERVICE,
		code: base.code,
		details: [`${base.quoteField}: ${base.quoteId}`, `recovery: ${base.hint}`],
		hint: base.hint,
		cause: base.cause,
	});
}

/** Adds the error category (network, mint, validation) to a ServiceError's hint, so a stopped workflow shows it too. */
export function categorized(error: unknown): unknown {
	if (!isServiceError(error)) return error;
	const category = errorCategory(error.kind);
	if (error.hint?.includes('Error category:')) return error;
	return withErrorText(error, { hint: `${error.hint ? `${error.hint} ` : ''}Error category: ${category}.` });
}

/** The token summary every token operation outputs. */
export function tokenSummary(info: TokenInfo, trusted: boolean | undefined): IDataObject {
	return {
		mint: info.mint,
		unit: info.unit,
		amount: info.amount,
		memo: info.memo,
		proofCount: info.proofCount,
		proofAmounts: info.proofAmounts,
		version: info.version,
		...(trusted === undefined ? {} : { trusted }),
	};
}
