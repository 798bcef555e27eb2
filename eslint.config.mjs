// ESLint 9 flat config: n8n's community-node rules (@n8n/eslint-plugin-community-nodes, the
// self-hosted ruleset: everything except the n8n Cloud restrictions, see README "n8n Cloud") and
// the older eslint-plugin-n8n-nodes-base rules for node descriptions, credentials and package.json.
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const base = (name) => n8nNodesBase.configs[name].rules;
const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default [
	{ ignores: ['**/*.js', '**/*.mjs', '**/node_modules/**', '**/dist/**'] },
	{
		files: ['**/*.ts', 'package.json'],
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: ['./tsconfig.json'], sourceType: 'module', extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['**/*.ts', 'package.json'],
		plugins: community.plugins,
		rules: community.rules,
	},
	{
		// The API clients, the trigger engines and the shared helpers below import nothing from n8n
		// (nodes/README.md, "Layers"): they throw the package's InputError/ServiceError, which the node
		// boundary turns into NodeOperationError/NodeApiError (toNodeError in nodes/shared/n8n.ts,
		// activationError in the BTCPay Trigger). The node files themselves keep the rule.
		files: [
			'nodes/*/client/**/*.ts',
			'nodes/*/trigger/**/*.ts',
			'nodes/shared/{bolt11,json,url,http,amounts,concurrency,dedupe,delivery-memory,errors,signature}.ts',
		],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...base('community'), 'n8n-nodes-base/community-package-json-name-still-default': 'off' },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base('credentials'),
			'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base('nodes'),
			'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
			'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
			'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
			// These two want the string 'main'; @n8n/community-nodes/node-connection-type-literal wants
			// NodeConnectionTypes.Main (n8n's current convention), so the older pair is off.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
