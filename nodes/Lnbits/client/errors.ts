/**
 * LNbits-specific error mapping (observed on LNbits 1.6.2, see
 * test/lnbits-server/FINDINGS.md): 401 no key, 404 "Wallet not found." for an
 * unknown key, 403 for the wrong key kind, 400 with a FastAPI `detail` list for
 * validation, 520 `{detail, status}` for payment and invoice failures.
 */
import { defaultHttpError, fieldErrors, type ErrorContext, type ErrorMapper } from '../../shared/http';
import { ServiceError } from '../../shared/errors';

/** Which credential field a request used; named in messages (never the key itself). */
export type LnbitsKeyKind = 'invoice' | 'admin';

export const KEY_FIELD: Record<LnbitsKeyKind, string> = {
	invoice: 'Invoice/Read Key',
	admin: 'Admin Key',
};

function detailOf(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300) || undefined;
	if (body && typeof body === 'object') {
		const b = body as { detail?: unknown; message?: unknown; reason?: unknown };
		for (const v of [b.detail, b.message, b.reason]) if (typeof v === 'string' && v) return v;
	}
	return undefined;
}

export function lnbitsErrorMapper(key: LnbitsKeyKind): ErrorMapper {
	const field = KEY_FIELD[key];
	return (ctx: ErrorContext): ServiceError | undefined => {
		const detail = detailOf(ctx.body);
		const base = { service: 'LNbits', status: ctx.status };
		if (ctx.status === 401) {
			return new ServiceError(`LNbits did not accept the ${field} (401${detail ? `: ${detail}` : ''})`, {
				...base,
				kind: 'auth',
				field,
				hint: `Copy the wallet's ${field} from the LNbits wallet page into the credential.`,
			});
		}
		if (ctx.status === 404 && (!detail || /wallet not found/i.test(detail))) {
			return new ServiceError(`LNbits does not know the ${field} of the credential (404 Wallet not found)`, {
				...base,
				kind: 'auth',
				field,
				hint: `The key may be mistyped, belong to another LNbits server, or its wallet was deleted. Copy the ${field} again from the LNbits wallet page.`,
			});
		}
		if (ctx.status === 404) {
			return new ServiceError(`${ctx.resource ?? 'The requested object'} was not found in this LNbits wallet (404: ${detail})`, {
				...base,
				kind: 'not_found',
				hint: 'Check the value; it may belong to another wallet of the LNbits server.',
			});
		}
		if (ctx.status === 403) {
			// "Invoice (or Admin) key required." (pay), "Invalid adminkey." (admin-only endpoints)
			const wrongKind = /key required|admin ?key/i.test(detail ?? '');
			return new ServiceError(
				wrongKind
					? `LNbits refused: the ${field} of the credential is not an admin key (403${detail ? `: ${detail}` : ''})`
					: `LNbits refused the request (403${detail ? `: ${detail}` : ''})`,
				{
					...base,
					kind: 'permission',
					field: wrongKind ? field : undefined,
					hint: wrongKind
						? 'Spending needs the wallet\'s Admin key. Put the Admin key (not the Invoice/read key) into the credential\'s Admin Key field.'
						: 'The server does not allow this operation for this wallet or key.',
				},
			);
		}
		if (ctx.status === 400 || ctx.status === 422) {
			const details = fieldErrors(ctx.body);
			if (details.length) {
				return new ServiceError(`LNbits rejected the request (${ctx.status}): ${details.join('; ')}`, {
					...base,
					kind: 'validation',
					details,
				});
			}
			return new ServiceError(`LNbits refused: ${detail ?? 'bad request'} (${ctx.status})`, {
				...base,
				kind: 'business',
			});
		}
		if (ctx.status === 520) {
			const insufficient = /insufficient balance/i.test(detail ?? '');
			return new ServiceError(`LNbits could not complete the payment: ${detail ?? 'payment error'} (520)`, {
				...base,
				kind: 'business',
				code: typeof (ctx.body as { status?: unknown })?.status === 'string' ? (ctx.body as { status: string }).status : undefined,
				hint: insufficient
					? 'The wallet does not hold enough sats for the amount plus the fee reserve. Fund the wallet or pay a smaller invoice.'
					: 'Nothing was paid unless the payment shows up as pending or success in the wallet history.',
			});
		}
		return defaultHttpError(ctx);
	};
}
