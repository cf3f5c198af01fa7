import { tenantApiBaseUrl } from '../../nodes/shared/tenant';

describe('tenant domain → API base URL', () => {
	it.each([
		['business.tgo-eg.com', 'https://business.tgo-eg.com/api/v1'],
		['  business.tgo-eg.com  ', 'https://business.tgo-eg.com/api/v1'],
		['business.tgo-eg.com:8443', 'https://business.tgo-eg.com:8443/api/v1'],
		['https://business.tgo-eg.com', 'https://business.tgo-eg.com/api/v1'],
		['https://business.tgo-eg.com/', 'https://business.tgo-eg.com/api/v1'],
		['https://business.tgo-eg.com/api/v1', 'https://business.tgo-eg.com/api/v1'],
		['https://business.tgo-eg.com/api/v1/', 'https://business.tgo-eg.com/api/v1'],
		['HTTPS://Acme.TGO-eg.com', 'https://acme.tgo-eg.com/api/v1'],
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787/api/v1'],
		['http://localhost:8787/api/v1', 'http://localhost:8787/api/v1'],
		['http://[::1]:8787', 'http://[::1]:8787/api/v1'],
	])('%s → %s', (domain, expected) => {
		expect(tenantApiBaseUrl(domain)).toBe(expected);
	});

	it.each([
		['', /empty/],
		['   ', /empty/],
		['http://business.tgo-eg.com', /"http:\/\/business\.tgo-eg\.com".*unencrypted/],
		['http://10.0.0.5:8080', /"http:\/\/10\.0\.0\.5:8080".*unencrypted/],
		['https://user:secret@business.tgo-eg.com', /user name or password/],
		['https://business.tgo-eg.com/api/v2', /"\/api\/v2"/],
		['https://business.tgo-eg.com/dashboard', /path/],
		['ftp://business.tgo-eg.com', /scheme "ftp:"/],
		['https://business.tgo-eg.com/?tenant=x', /query/],
		['exa mple.com', /not a valid host/],
	])('refuses %p with a message naming the value', (domain, problem) => {
		expect(() => tenantApiBaseUrl(domain)).toThrow(problem);
		if (domain.trim()) expect(() => tenantApiBaseUrl(domain)).toThrow(domain.trim());
	});
});
