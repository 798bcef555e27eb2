import { base58check, bech32 } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { checkBitcoinAddress, decodeBitcoinAddress, encodeBase58Check, encodeSegwitAddress, networkOfAddress, parseNodeUri } from '../../../nodes/shared/bitcoin';
import { caught } from '../../helpers/caught';

const b58 = base58check(sha256);
const throws = async (fn: () => unknown) => caught((async () => fn())());

describe('Bitcoin addresses', () => {
	it('decodes well-known mainnet and testnet addresses (BIP173 / BIP350 / base58 vectors)', () => {
		// BIP173: P2WPKH of 751e76e8199196d454941c45d1b3a323f1433bd6, in upper case too.
		expect(decodeBitcoinAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'A')).toMatchObject({ network: 'mainnet', type: 'p2wpkh', address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' });
		expect(encodeSegwitAddress('bc', 0, Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex'))).toBe('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
		expect(decodeBitcoinAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'A')).toMatchObject({ network: 'mainnet', type: 'p2pkh' });
		expect(decodeBitcoinAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'A')).toMatchObject({ network: 'mainnet', type: 'p2sh' });
		expect(decodeBitcoinAddress('mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'A')).toMatchObject({ network: 'testnet', type: 'p2pkh' });
	});

	it('agrees with an independent bech32 / base58check implementation for every type and network', () => {
		for (const [hrp, network] of [['bc', 'mainnet'], ['tb', 'testnet'], ['bcrt', 'regtest']] as const) {
			const p20 = Uint8Array.from({ length: 20 }, (_, i) => i * 7);
			const ours = encodeSegwitAddress(hrp, 0, p20);
			expect(ours).toBe(bech32.encode(hrp, [0, ...bech32.toWords(p20)]));
			expect(decodeBitcoinAddress(ours, 'A')).toMatchObject({ network, type: 'p2wpkh' });
			expect(decodeBitcoinAddress(encodeSegwitAddress(hrp, 0, new Uint8Array(32).fill(3)), 'A').type).toBe('p2wsh');
			expect(decodeBitcoinAddress(encodeSegwitAddress(hrp, 1, new Uint8Array(32).fill(4)), 'A').type).toBe('p2tr');
		}
		for (const [version, network, type] of [[0x00, 'mainnet', 'p2pkh'], [0x05, 'mainnet', 'p2sh'], [0x6f, 'testnet', 'p2pkh'], [0xc4, 'testnet', 'p2sh']] as const) {
			const payload = Uint8Array.from([version, ...new Uint8Array(20).fill(9)]);
			const address = b58.encode(payload);
			expect(encodeBase58Check(payload)).toBe(address);
			expect(decodeBitcoinAddress(address, 'A')).toMatchObject({ network, type });
		}
	});

	it('refuses typos, bech32 for taproot (must be bech32m), mixed case, payment links, with the field named', async () => {
		const good = encodeSegwitAddress('bc', 0, new Uint8Array(20).fill(1));
		const typo = `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`;
		expect((await throws(() => decodeBitcoinAddress(typo, 'Destinations[2].Address'))).message).toMatch(/^Destinations\[2\]\.Address: .*checksum/);
		const taprootAsBech32 = bech32.encode('bc', [1, ...bech32.toWords(new Uint8Array(32).fill(4))]);
		expect((await throws(() => decodeBitcoinAddress(taprootAsBech32, 'A'))).message).toMatch(/checksum/);
		expect((await throws(() => decodeBitcoinAddress(good.slice(0, 5).toUpperCase() + good.slice(5), 'A'))).message).toMatch(/upper and lower case/);
		expect((await throws(() => decodeBitcoinAddress(`bitcoin:${good}?amount=1`, 'A'))).message).toMatch(/payment link/);
		expect((await throws(() => decodeBitcoinAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', 'A'))).message).toMatch(/checksum/);
		expect((await throws(() => decodeBitcoinAddress('', 'A'))).message).toMatch(/is required/);
	});

	it('checks the network: regtest wallets accept bcrt1 and testnet base58, refuse mainnet and tb1', async () => {
		const reg = encodeSegwitAddress('bcrt', 0, new Uint8Array(20).fill(1));
		expect(checkBitcoinAddress(reg, 'regtest', 'A').network).toBe('regtest');
		expect(checkBitcoinAddress('mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'regtest', 'A').network).toBe('testnet');
		const err = await throws(() => checkBitcoinAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'regtest', 'Address'));
		expect(err).toMatchObject({ kind: 'input', field: 'Address' });
		expect(err.message).toMatch(/mainnet address, but the wallet is on regtest/);
		expect((await throws(() => checkBitcoinAddress(encodeSegwitAddress('tb', 0, new Uint8Array(20)), 'regtest', 'A'))).message).toMatch(/testnet address/);
		expect(networkOfAddress(reg)).toBe('regtest');
		expect(networkOfAddress(b58.encode(Uint8Array.from([0x6f, ...new Uint8Array(20)])))).toBe('testnet');
	});
});

describe('Lightning node URIs', () => {
	const id = `02${'ab'.repeat(32)}`;
	it('parses nodeId@host:port (default port 9735, IPv6 in brackets), lowercases the node ID', () => {
		expect(parseNodeUri(`${id.toUpperCase()}@node.example.com:9736`, 'Peer')).toEqual({ nodeId: id, host: 'node.example.com', port: 9736, uri: `${id}@node.example.com:9736` });
		expect(parseNodeUri(`${id}@10.0.0.1`, 'Peer').port).toBe(9735);
		expect(parseNodeUri(`${id}@[2001:db8::1]:9735`, 'Peer').host).toBe('[2001:db8::1]');
	});
	it('refuses a bare node ID, a wrong key prefix, a bad port', async () => {
		expect((await throws(() => parseNodeUri(id, 'Peer Node URI'))).message).toMatch(/^Peer Node URI: .*host is missing/);
		expect((await throws(() => parseNodeUri(`04${'ab'.repeat(32)}@h:1`, 'P'))).message).toMatch(/compressed public key/);
		expect((await throws(() => parseNodeUri(`${id}@h:70000`, 'P'))).message).toMatch(/out of range/);
		expect((await throws(() => parseNodeUri(`${id}@h:x`, 'P'))).message).toMatch(/not a node URI/);
	});
});
