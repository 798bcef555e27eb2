/**
 * Report: revenue summary of a store's settled invoices for a day, week,
 * month or custom range, per currency and payment channel (on-chain vs
 * Lightning), with exact totals. Pages through invoices in bounded memory.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { ReportPeriod, RevenueReport } from '../../client/reports';
import { getSimplify } from '../../../shared/ui';
import { defineBtcPayResource, optionsProperty, storeLocatorProperty } from '../common';
import { storeOperation } from '../operations';
import { collection, present } from '../format';

const R = 'report';
const on = (extra: Record<string, Array<string | boolean>> = {}) => ({ show: { resource: [R], operation: ['revenue'], ...extra } });

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		default: 'day',
		options: [
			{ name: 'Custom Range', value: 'custom' },
			{ name: 'Day', value: 'day', description: 'A calendar day' },
			{ name: 'Month', value: 'month', description: 'A calendar month' },
			{ name: 'Week', value: 'week', description: 'Monday to Sunday' },
		],
		displayOptions: on(),
	},
	{
		displayName: 'Previous Period',
		name: 'previous',
		type: 'boolean',
		default: true,
		description: 'Whether to report on the period before the one containing the date (yesterday, last week, last month), which is complete',
		displayOptions: on({ period: ['day', 'week', 'month'] }),
	},
	{
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		default: '',
		description: 'A moment inside the period to report on. Empty: now.',
		displayOptions: on({ period: ['day', 'week', 'month'] }),
	},
	{ displayName: 'From', name: 'from', type: 'dateTime', default: '', required: true, description: 'Start of the range (included)', displayOptions: on({ period: ['custom'] }) },
	{ displayName: 'To', name: 'to', type: 'dateTime', default: '', required: true, description: 'End of the range (excluded)', displayOptions: on({ period: ['custom'] }) },
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'summary',
		options: [
			{ name: 'One Item per Currency', value: 'perCurrency' },
			{ name: 'One Summary Item', value: 'summary' },
		],
		displayOptions: on(),
	},
	optionsProperty('reportOptions', R, ['revenue'], [
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			default: 100,
			typeOptions: { minValue: 1, maxValue: 1000 },
			description: 'Invoices requested per page; memory use stays within one page',
		},
		{
			displayName: 'Time Zone Name or ID',
			name: 'timezone',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTimezones' },
			default: '',
			// Days, weeks and months start in this zone. Empty: the workflow's time zone (its settings,
			// else the instance's), as n8n's Schedule and Date & Time nodes use.
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code-examples/expressions/">expression</a>',
			hint: "Days, weeks and months start in this time zone. Default: the workflow's time zone (Settings > Timezone, else the instance's).",
		},
	]),
];

/** Paging counters and the Unix-second range: shown with Simplify off only (Simplify: the operation's `simplify`). */
const INTERNAL_KEYS = ['start', 'end', 'pagesFetched', 'invoicesScanned', 'paymentMethodLookups', 'duplicatesSkipped', 'maxInvoicesInMemory'];

/** The report in reading order (period and totals first, the store ID last), without the counters when simplified. */
function reportOutput(report: RevenueReport, simplified: boolean): IDataObject {
	const { storeId, period, from, to, timezone, invoiceCount, currencies, ...rest } = report;
	const out: IDataObject = { period, from, to, timezone, invoiceCount, currencies: currencies as unknown as IDataObject[], storeId };
	if (!simplified) Object.assign(out, rest);
	else for (const key of Object.keys(rest)) if (!INTERNAL_KEYS.includes(key)) out[key] = (rest as unknown as IDataObject)[key];
	return out;
}

function perCurrency(report: RevenueReport): IDataObject[] {
	return report.currencies.map((c) => ({ ...c, period: report.period, from: report.from, to: report.to, timezone: report.timezone, storeId: report.storeId }) as unknown as IDataObject);
}

export const report = defineBtcPayResource({
	value: R,
	name: 'Report',
	description: 'Revenue summaries of settled invoices',
	operations: {
		revenue: storeOperation(
			{ name: 'Get Revenue Summary', simplify: true, action: 'Get a revenue summary', description: 'Totals, counts, averages and Lightning share of settled invoices in a period' },
			async (ctx, i, client, storeId) => {
				const period = ctx.getNodeParameter('period', i, 'day') as ReportPeriod;
				const options = present(collection(ctx, 'reportOptions', i));
				const custom = period === 'custom';
				const value = (name: string) => {
					const v = ctx.getNodeParameter(name, i, '') as unknown;
					return v === '' || v === null ? undefined : (v as string);
				};
				const report = await client.reports.revenue(storeId, {
					period,
					...(custom ? { from: value('from'), to: value('to') } : { date: value('date'), previous: ctx.getNodeParameter('previous', i, true) as boolean }),
					pageSize: options.pageSize as number | undefined,
					// Empty or absent: the workflow's time zone (Settings > Timezone, else GENERIC_TIMEZONE).
					timezone: (options.timezone as string | undefined) || ctx.getTimezone(),
				});
				if (ctx.getNodeParameter('output', i, 'summary') === 'perCurrency') return perCurrency(report);
				return reportOutput(report, getSimplify(ctx, i));
			},
		),
	},
	defaultOperation: 'revenue',
	fields,
});
