/**
 * Settings that stop n8n from calling its own online services (telemetry, version notices,
 * templates, banners, AI features, the MCP server registry), shared by the e2e harness and
 * `npm run demo`: nothing is fetched, so no failed fetch is logged on an offline machine.
 */
export const N8N_OFFLINE_ENV: Record<string, string> = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
	N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	N8N_REINSTALL_MISSING_PACKAGES: 'false',
	EXTERNAL_FRONTEND_HOOKS_URLS: '',
	// The MCP server registry is fetched from api.n8n.io on every start.
	N8N_DISABLED_MODULES: 'mcp-registry',
};
