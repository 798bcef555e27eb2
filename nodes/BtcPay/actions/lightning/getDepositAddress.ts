/** Store Lightning > Get Deposit Address: a new on-chain address of the node wallet (to fund channels). */
import { storeOperation } from '../operations';

export const getDepositAddress = storeOperation(
	{ name: 'Get Deposit Address', action: 'Get a lightning node deposit address', description: "A new on-chain address of the node's wallet, to fund channels" },
	async (_ctx, _i, client, storeId) => ({ address: await client.lightning.getDepositAddress(storeId) }),
);
