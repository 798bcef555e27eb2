import { searchStores } from './searchStores';
import { searchOfferings, searchPlans } from './searchSubscriptions';

/** listSearch methods of the BTCPay node (resource locators). */
export const listSearch = { searchStores, searchOfferings, searchPlans };
