import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { tenantApiBaseUrl } from '../nodes/shared/tenant';

export class TgoBusinessApi implements ICredentialType {
	name = 'tgoBusinessApi';

	displayName = 'TGO Business API';

	icon: Icon = { light: 'file:../icons/tgo.svg', dark: 'file:../icons/tgo.dark.svg' };

	documentationUrl = 'https://docs.business.tgo-eg.com/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant Domain',
			name: 'domain',
			type: 'string',
			default: 'business.tgo-eg.com',
			required: true,
			placeholder: 'business.tgo-eg.com',
			description:
				'Your organisation\'s domain exactly as the TGO Business dashboard shows it. A full URL such as https://business.tgo-eg.com/api/v1 works too; http:// is accepted only for localhost.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'tgo_…',
			description:
				'A tenant API key from TGO Business → Settings → API Keys. Give it the scopes the nodes need: messages.send, contacts.lookup, messages.read, usage.read (or *).',
		},
	];

	// A function rather than the generic form: it resolves the tenant base URL in the one place
	// that can refuse an unsafe domain (plain http to a remote host) before the key is attached.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		baseURL: tenantApiBaseUrl(credentials.domain),
		headers: {
			...requestOptions.headers,
			'X-Api-Key': String(credentials.apiKey ?? ''),
			Accept: 'application/json',
		},
	});

	// Listing sender numbers works for any valid key, so it tells tenant and key problems apart.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/sender-numbers' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Unknown tenant domain: TGO could not identify an organisation for this domain. Use the exact domain shown in your TGO Business dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key is invalid, revoked or expired. Create a new key in TGO Business → Settings → API Keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key is valid but lacks a scope needed to list sender numbers. Use a key with the "*" scope, or add the scopes your workflows need.',
				},
			},
		],
	};
}
