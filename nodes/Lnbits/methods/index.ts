import { searchWallets } from './searchWallets';

export const listSearch = { searchWallets };
