/**
 * What the editor shows around the nodes: trigger actions in n8n's node panel, warnings that
 * stand out from informational notes, the LNbits Admin Key hint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { LnbitsApi } from '../../../credentials/LnbitsApi.credentials';
import { BtcPay } from '../../../nodes/BtcPay/BtcPay.node';
import { BtcPayTrigger } from '../../../nodes/BtcPay/BtcPayTrigger.node';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';
import { LnbitsTrigger } from '../../../nodes/Lnbits/LnbitsTrigger.node';
import { LnbitsWebhookTrigger } from '../../../nodes/Lnbits/LnbitsWebhookTrigger.node';
import { Lnd } from '../../../nodes/Lnd/Lnd.node';
import { LndTrigger } from '../../../nodes/Lnd/LndTrigger.node';

/**
 * n8n 2.40's node panel (editor-ui `useActionsGenerator`): a trigger's actions are the options of
 * its property displayed as "Event", "Events" or "Trigger On", each named by its `action`.
 */
function triggerActions(description: INodeTypeDescription): string[] {
	const property = description.properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()));
	return ((property?.options ?? []) as INodePropertyOptions[]).map((o) => o.action ?? o.name);
}

const all: Array<[string, INodeTypeDescription]> = [
	['BTCPay Server', new BtcPay().description],
	['BTCPay Server Trigger', new BtcPayTrigger().description],
	['LNbits', new Lnbits().description],
	['LNbits Trigger', new LnbitsTrigger().description],
	['LNbits Webhook Trigger', new LnbitsWebhookTrigger().description],
	['LND', new Lnd().description],
	['LND Trigger', new LndTrigger().description],
];

test('the LNbits Trigger lists its actions by what they wait for, keeping the saved values', () => {
	const description = new LnbitsTrigger().description;
	expect(triggerActions(description)).toEqual(['On payment received', 'On payment sent', 'On payment received or sent']);
	const direction = description.properties.find((p) => p.name === 'direction')!;
	expect((direction.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['incoming', 'outgoing', 'both']);
	expect(direction.default).toBe('incoming');
});

const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

test.each(all)('%s: the editor name is a README section', (name, description) => {
	expect(description.displayName).toBe(name);
	expect(description.defaults.name).toBe(name);
	expect(readme.split('\n').filter((l) => /^#{3,4} /.test(l)).map((l) => l.replace(/^#+ /, ''))).toContain(name);
});

test.each(all)('%s: warnings are notices, informational notes are callouts', (_name, description) => {
	const notes = description.properties.filter((p: INodeProperties) => p.type === 'notice' || p.type === 'callout');
	for (const note of notes) {
		const warning = /money|real money|spend|keys? of|anyone who/i.test(note.displayName);
		expect({ text: note.displayName, type: note.type }).toEqual({ text: note.displayName, type: warning ? 'notice' : 'callout' });
	}
});

test('every money-moving operation carries a "money leaves" notice', () => {
	const texts = [new Lnbits(), new BtcPay(), new Lnd()].flatMap((n) => n.description.properties.filter((p) => p.type === 'notice').map((p) => p.displayName));
	expect(texts.filter((t) => /^Money leaves|^Paying sends real money/.test(t)).length).toBeGreaterThanOrEqual(4);
});

test('the LNbits Admin Key hint names only what needs it', () => {
	const hint = new LnbitsApi().properties.find((p) => p.name === 'adminKey')!.description!;
	expect(hint).not.toMatch(/add wallets|create wallets/i);
	expect(hint).toMatch(/pay invoices, LNURL pay/);
});
