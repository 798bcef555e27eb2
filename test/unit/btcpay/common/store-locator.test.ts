/**
 * The Store locator's "By URL" and "By ID" modes, checked with n8n's own code: the editor's
 * parameter issues (n8n-workflow NodeHelpers.getParameterIssues, which anchors each mode's
 * `validation` regex as ^…$) and the value n8n hands the node (n8n-core's extractValue,
 * which runs the mode's `extractValue` regex unanchored and takes its one group).
 */
import { NodeHelpers, type INode, type INodeProperties, type INodePropertyMode } from 'n8n-workflow';
import { storeLocatorProperty } from '../../../../nodes/BtcPay/actions/common';
import { BtcPay } from '../../../../nodes/BtcPay/BtcPay.node';
import { BtcPayTrigger } from '../../../../nodes/BtcPay/BtcPayTrigger.node';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n-core keeps this helper internal; the test runs the real one
const { extractValue } = require('n8n-core/dist/execution-engine/node-execution-context/utils/extract-value') as {
	extractValue: (value: unknown, parameterName: string, node: INode, nodeType: unknown, itemIndex?: number) => unknown;
};

const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const property = storeLocatorProperty('invoice');
const nodeType = { description: { properties: [{ displayName: 'Resource', name: 'resource', type: 'options', options: [], default: 'invoice' }, property] } };
const nodeWith = (store: unknown): INode => ({ id: '1', name: 'BTCPay', type: 'btcPay', typeVersion: 1, position: [0, 0], parameters: { resource: 'invoice', store } as INode['parameters'] });
const node = nodeWith('');

function issues(mode: string, value: string): string[] {
	const parameters = { resource: 'invoice', store: { __rl: true, mode, value } };
	const found = NodeHelpers.getParameterIssues(property, parameters, '', nodeWith(parameters.store), null);
	return found.parameters?.store ?? [];
}
const extracted = (mode: string, value: string) => {
	const store = { __rl: true, mode, value };
	return extractValue(store, 'store', nodeWith(store), nodeType);
};

describe('Store locator By URL', () => {
	it.each([
		`https://btcpay.example.com/stores/${STORE}`,
		`https://btcpay.example.com/stores/${STORE}/`,
		`https://btcpay.example.com/stores/${STORE}/settings`,
		`https://btcpay.example.com/stores/${STORE}/invoices`,
		`https://btcpay.example.com/stores/${STORE}/invoices?searchTerm=status%3Asettled&skip=0`,
		`http://127.0.0.1:23000/stores/${STORE}/payment-requests#top`,
		`https://example.com/btcpay/stores/${STORE}/settings`,
	])('%s passes the editor check and yields the store ID', (url) => {
		expect(issues('url', url)).toEqual([]);
		expect(extracted('url', url)).toBe(STORE);
	});

	it('the placeholder itself is accepted', () => {
		const mode = property.modes!.find((m) => m.name === 'url') as INodePropertyMode;
		expect(issues('url', mode.placeholder!)).toEqual([]);
	});

	it.each([
		'https://btcpay.example.com/apps/abc/settings',
		'btcpay.example.com/stores/abc',
		`https://btcpay.example.com/stores/`,
		`https://btcpay.example.com/stores/${STORE} trailing words`,
		`ftp://btcpay.example.com/stores/${STORE}`,
	])('%s is flagged in the editor', (url) => {
		expect(issues('url', url)).toEqual(['Not a BTCPay store URL (…/stores/<store ID>)']);
	});

	it('an expression is left to run time', () => {
		expect(issues('url', '={{ $json.storeUrl }}')).toEqual([]);
	});
});

describe('Store locator By ID', () => {
	it('accepts an ID and flags anything else', () => {
		expect(issues('id', STORE)).toEqual([]);
		expect(extracted('id', STORE)).toBe(STORE);
		expect(issues('id', `https://btcpay.example.com/stores/${STORE}`)).toEqual(['Not a valid BTCPay store ID']);
	});
});

describe('every URL mode of the package', () => {
	const urlModes = (properties: INodeProperties[]) =>
		properties.flatMap((p) => (p.type === 'resourceLocator' ? (p.modes ?? []).filter((m) => m.name === 'url').map((m) => ({ p, m })) : []));

	it.each([
		['BTCPay Server', new BtcPay().description.properties],
		['BTCPay Trigger', new BtcPayTrigger().description.properties],
	])('%s: each URL mode accepts its own placeholder with a page and a query after the ID', (_name, properties) => {
		const found = urlModes(properties);
		expect(found.length).toBeGreaterThan(0);
		for (const { p, m } of found) {
			const local = { ...p, displayOptions: undefined };
			const check = (value: string) => {
				const parameters = { [p.name]: { __rl: true, mode: 'url', value } };
				return NodeHelpers.getParameterIssues(local, parameters, '', { ...node, parameters }, null).parameters?.[p.name] ?? [];
			};
			expect(check(m.placeholder!)).toEqual([]);
			expect(check(`${m.placeholder!.replace(/\/settings$/, '')}/invoices?skip=0`)).toEqual([]);
		}
	});
});
