import { searchStores } from './searchStores';

/** listSearch methods of the BTCPay node (resource locators). */
export const listSearch = { searchStores };
