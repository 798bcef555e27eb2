/**
 * The two webhook triggers have a version 2 only for n8n's sake (see the comment at `version` in
 * each node): n8n evaluates an expression for a version 1 webhook node on every call, which costs
 * an expression isolate per delivery. Both versions must show the same parameters, so a saved
 * version 1 node and a new version 2 node behave alike.
 */
import { BtcPayTrigger } from '../../../nodes/BtcPay/BtcPayTrigger.node';
import { LnbitsWebhookTrigger } from '../../../nodes/Lnbits/LnbitsWebhookTrigger.node';
import { propertiesForVersion } from '../../helpers/description-for-version';

describe.each([
	['BTCPay Server Trigger', new BtcPayTrigger().description],
	['LNbits Webhook Trigger', new LnbitsWebhookTrigger().description],
])('%s: versions 1 and 2', (_name, description) => {
	it('new nodes get version 2; saved version 1 nodes stay valid', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it('both versions show the same parameters (no parameter depends on the version)', () => {
		expect(JSON.stringify(description.properties)).not.toContain('@version');
		expect(propertiesForVersion(description, 2)).toEqual(propertiesForVersion(description, 1));
		expect(propertiesForVersion(description, 1)).toEqual(description.properties);
	});

	it('the webhook description is static: n8n resolves nothing in it through the expression engine', () => {
		for (const webhook of description.webhooks ?? []) {
			for (const [key, value] of Object.entries(webhook)) {
				expect({ key, expression: typeof value === 'string' && value.startsWith('=') }).toEqual({ key, expression: false });
			}
		}
	});
});
