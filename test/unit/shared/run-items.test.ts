import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';
import { runItems, toNodeError } from '../../../nodes/shared/n8n';
import { InputError, ServiceError } from '../../../nodes/shared/errors';

const node: INode = {
	id: '1',
	name: 'BTCPay',
	type: 'n8n-nodes-btcpay-lnbits.btcPay',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function context(count: number, continueOnFail: boolean): IExecuteFunctions {
	return {
		getInputData: () => Array.from({ length: count }, (_, i) => ({ json: { i } })),
		getNode: () => node,
		continueOnFail: () => continueOnFail,
	} as unknown as IExecuteFunctions;
}

describe('runItems', () => {
	it('keeps input order and pairedItem under concurrency', async () => {
		const [out] = await runItems(
			context(4, false),
			async (i) => {
				await new Promise((r) => setTimeout(r, (4 - i) * 3));
				return i === 1 ? [{ n: 1 }, { n: 1.5 }] : { n: i };
			},
			{ concurrency: 4 },
		);
		expect(out.map((o) => o.json.n)).toEqual([0, 1, 1.5, 2, 3]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('throws the first failing item as a node error naming the item', async () => {
		const err = await runItems(context(3, false), async (i) => {
			if (i === 1) throw new InputError('Amount', 'must be greater than 0');
			return { ok: true };
		}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect((err as NodeOperationError).message).toBe('Amount: must be greater than 0');
		expect((err as NodeOperationError).description).toContain('Item 1, field "Amount"');
		expect((err as NodeOperationError).context.itemIndex).toBe(1);
	});

	it('turns failures into error items with Continue On Fail and goes on', async () => {
		const [out] = await runItems(context(3, true), async (i) => {
			if (i === 0) {
				throw new ServiceError('The invoice was not found in BTCPay (404)', {
					kind: 'not_found',
					service: 'BTCPay',
					status: 404,
				});
			}
			return { i };
		});
		expect(out).toHaveLength(3);
		expect(out[0].json).toMatchObject({ error: 'The invoice was not found in BTCPay (404)', errorKind: 'not_found', httpCode: 404 });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json).toEqual({ i: 1 });
	});
});

describe('toNodeError', () => {
	it('maps HTTP service errors to NodeApiError with the status and permission', () => {
		const err = toNodeError(
			node,
			new ServiceError('The BTCPay API key lacks the permission "btcpay.store.canviewinvoices"', {
				kind: 'permission',
				service: 'BTCPay',
				status: 403,
				missingPermission: 'btcpay.store.canviewinvoices',
				hint: 'Create a key with it.',
			}),
			2,
		);
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.message).toContain('btcpay.store.canviewinvoices');
		expect((err as NodeApiError).httpCode).toBe('403');
		expect(err.description).toContain('Item 2');
		expect(err.description).toContain('Create a key with it.');
	});

	it('wraps unknown errors as NodeOperationError', () => {
		const err = toNodeError(node, new Error('weird'), 0);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect(err.message).toBe('weird');
	});
});
