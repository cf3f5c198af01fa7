/**
 * Turns what a user types in the credential's "Tenant Domain" field into the API base URL.
 *
 * Accepted: `business.tgo-eg.com`, `host:8443`, `https://host`, `https://host/`,
 * `https://host/api/v1`. Plain `http://` is accepted only for loopback hosts (a local sandbox),
 * because the API key travels in a header and must never cross a network in clear text.
 */

const API_PATH = '/api/v1';
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export class TenantDomainError extends Error {
	constructor(domain: string, reason: string) {
		super(`Tenant Domain "${domain}" is not usable: ${reason}`);
		this.name = 'TenantDomainError';
	}
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
	);
}

export function tenantApiBaseUrl(domain: unknown): string {
	const typed = typeof domain === 'string' ? domain.trim() : '';
	if (!typed) {
		throw new TenantDomainError(String(domain ?? ''), 'it is empty. Enter the tenant domain shown in your TGO Business dashboard, e.g. business.tgo-eg.com');
	}

	const candidate = SCHEME.test(typed) ? typed : `https://${typed}`;
	if (!URL.canParse(candidate)) {
		throw new TenantDomainError(typed, 'it is not a valid host name or URL');
	}
	const url = new URL(candidate);

	if (url.protocol === 'http:') {
		if (!isLoopbackHost(url.hostname)) {
			throw new TenantDomainError(typed, 'plain http:// would send the API key unencrypted. Use https:// (http:// is only allowed for localhost)');
		}
	} else if (url.protocol !== 'https:') {
		throw new TenantDomainError(typed, `the scheme "${url.protocol}" is not supported. Use https://`);
	}
	if (url.username || url.password) {
		throw new TenantDomainError(typed, 'it contains a user name or password. Put only the domain here and the key in "API Key"');
	}
	if (url.search || url.hash) {
		throw new TenantDomainError(typed, 'it contains a query or fragment. Enter only the domain');
	}
	const path = url.pathname.replace(/\/+$/, '');
	if (path !== '' && path !== API_PATH) {
		throw new TenantDomainError(typed, `the path "${url.pathname}" is not the TGO API path. Enter only the domain (the node adds ${API_PATH})`);
	}

	return `${url.protocol}//${url.host}${API_PATH}`;
}
