import { getTimezones } from './getTimezones';
import { searchStores } from './searchStores';
import { searchOfferings, searchPlans } from './searchSubscriptions';

/** listSearch methods of the BTCPay node (resource locators). */
export const listSearch = { searchStores, searchOfferings, searchPlans };

/** loadOptions methods of the BTCPay node (options lists). */
export const loadOptions = { getTimezones };
