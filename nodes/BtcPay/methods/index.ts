import { getTimezones } from './getTimezones';
import { searchStores } from './searchStores';
import { searchOfferings, searchPlans } from './searchSubscriptions';
import { searchApps } from './searchApps';

/** listSearch methods of the BTCPay node (resource locators). */
export const listSearch = { searchStores, searchOfferings, searchPlans, searchApps };

/** loadOptions methods of the BTCPay node (options lists). */
export const loadOptions = { getTimezones };
