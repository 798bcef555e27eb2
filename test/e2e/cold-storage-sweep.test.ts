/**
 * workflows/cold-storage-sweep.json in a real n8n 2.40.7 (`n8n start`, run as the editor's Execute
 * workflow runs it: from its Schedule Trigger, which fires once at once) against the OpenAPI-checked
 * BTCPay emulator: the confirmed balance above
 * KEEP_BTC (at most MAX_SWEEP_BTC a day) is sent to the cold-storage address with the guarded Store Wallet > Send,
 * labelled `n8n:sweep-<date>`; a second run the same day, with more coins arrived, finds
 * that transaction and sends nothing. The committed file is used as it is; only the store
 * and cold-storage address placeholders are replaced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeSegwitAddress } from '../../nodes/shared/bitcoin';
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { mineBlocks, receiveOnChain, storeWallet } from '../btcpay-emulator/routes/wallet';
import { N8nInstance, nodeOutput, type WorkflowJson } from './harness/n8n';

jest.setTimeout(15 * 60_000);

let emu: BtcPayEmulator;
let n8n: N8nInstance;
let storeId: string;
const COLD = encodeSegwitAddress('bcrt', 0, new Uint8Array(20).fill(0xc0));
let workflow: WorkflowJson;

const sends = () => emu.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/wallet/transactions'));

beforeAll(async () => {
	emu = await startEmulator();
	storeId = seedStore(emu, { name: 'Hot wallet shop' }).id;
	const text = fs.readFileSync(path.join(__dirname, '..', '..', 'workflows', 'cold-storage-sweep.json'), 'utf8');
	workflow = JSON.parse(text.replaceAll('YOUR_STORE_ID', storeId).replaceAll('YOUR_COLD_STORAGE_ADDRESS', COLD)) as WorkflowJson;
	n8n = await N8nInstance.create();
	await n8n.importCredentials([{ id: 'btcpayCredential', name: 'BTCPay Server account', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } }]);
	await n8n.importWorkflow(workflow);
	await n8n.start();
});

afterAll(async () => {
	await n8n?.dispose();
	emu?.assertNoViolations();
	await emu?.close();
});

/** The editor's Execute workflow: a manual run from the workflow's only trigger. */
async function executeOk(): Promise<any> {
	const run = await n8n.runManually(workflow.id, 'Every day');
	if (run.status !== 'success') throw new Error(`the sweep ended ${run.status}:\n${JSON.stringify(run.data?.resultData?.error ?? {}).slice(0, 3000)}\n${n8n.logTail()}`);
	expect(run.mode).toBe('manual');
	return run;
}

test('sweeps the excess once per day; a rerun the same day sends nothing', async () => {
	const today = new Date().toISOString().slice(0, 10);
	// The wallet holds 1 BTC confirmed (0.5 + 0.3 + 0.2); 0.25 stays, at most 0.5 a day goes (the Send's Max Amount).
	const first = await executeOk();
	expect(nodeOutput(first, 'Excess above threshold')[0]).toMatchObject({ confirmedBalance: '1.00000000', excessBtc: '0.50000000', cappedAtMax: true, sweep: true, reference: `sweep-${today}` });
	const [sent] = nodeOutput(first, 'Send to cold storage');
	expect(sent).toMatchObject({ outcome: 'sent', sent: true, total: '0.50000000', feeRate: '5', network: 'regtest', label: `n8n:sweep-${today}` });
	expect(sends()).toHaveLength(1);
	expect(sends()[0].body).toMatchObject({ destinations: [{ destination: COLD, amount: '0.50000000', subtractFromAmount: false }], feerate: 5 });
	const tx = storeWallet(emu, storeId).transactions.find((t) => t.txid === sent.transactionHash);
	expect(tx?.labels).toEqual([`n8n:sweep-${today}`]);
	expect(tx?.comment).toBe('Daily cold-storage sweep');

	// More coins arrive and confirm the same day: the balance is above the threshold again, but today's sweep exists.
	receiveOnChain(emu, storeId, 20_000_000n);
	mineBlocks(emu, 1);
	const second = await executeOk();
	expect(nodeOutput(second, 'Excess above threshold')[0].sweep).toBe(true);
	expect(nodeOutput(second, 'Send to cold storage')[0]).toMatchObject({ outcome: 'already_sent', sent: false, transactionHash: sent.transactionHash });
	expect(sends()).toHaveLength(1);
});
