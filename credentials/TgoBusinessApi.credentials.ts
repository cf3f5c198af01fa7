import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { tenantApiBaseUrl } from '../nodes/shared/tenant';

/** TGO's error bodies, verbatim (`{"message": …}`; docs/tgo-api.md#errors). */
const TGO_MESSAGES = {
	tenantNotFound: 'Tenant could not be identified for this domain.',
	unauthenticated: 'Unauthenticated.',
	missingScope: 'This API key does not have the required scope.',
};

/** A credential-test rule: fail with `message` when TGO's body says `serverMessage`. */
function whenMessageIs(serverMessage: string, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key: 'message', value: serverMessage, message } };
}

/** What the credential test's bare network codes mean, and what to check for each. */
export const CONNECTION_CODES_NOTICE =
	'If the test shows ENOTFOUND, no domain by that name exists: compare Tenant Domain letter by letter with the domain your TGO Business dashboard shows. ECONNREFUSED or ETIMEDOUT: the domain exists but n8n could not connect to it: check the port, if you gave one, and that the network between n8n and TGO allows the connection (proxy, firewall). A passing test proves the domain and key; it does not prove the key has the scopes your nodes need.';

// n8n reads a rule's key with lodash `get`, so `data.constructor.name` is the JSON type of `data`:
// 'Array' for the sender list; undefined when `data` is missing or null, or when the body is not
// JSON at all (an HTML error page, an empty or cut-off body). Every other value fails the test.
const NOT_A_LIST = [undefined, 'Object', 'String', 'Number', 'Boolean'];

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
		{
			// n8n's credential test reports a failed connection by its bare code (ENOTFOUND…) and
			// lets a declarative test word only TGO's answers: the codes are explained here instead.
			displayName: CONNECTION_CODES_NOTICE,
			name: 'connectionCodesNotice',
			type: 'notice',
			default: '',
		},
	];

	// A function rather than the generic form: it resolves the tenant base URL in the one place
	// that can refuse an unsafe domain (plain http to a remote host) before the key is attached.
	// Redirects are not followed: the HTTP client would resend X-Api-Key to wherever a redirect
	// points, plain http or another host included (it only strips Authorization and cookies).
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		baseURL: tenantApiBaseUrl(credentials.domain),
		disableFollowRedirect: true,
		headers: {
			...requestOptions.headers,
			'X-Api-Key': String(credentials.apiKey ?? ''),
			Accept: 'application/json',
		},
	});

	// Listing sender numbers works for any valid key, so it tells tenant and key problems apart.
	//
	// The answer is judged by its body, not its status: late n8n 1.x (1.123 among them) loses the
	// HTTP response of a failed test request (its error class resets `cause`), so `responseCode`
	// rules never match there and users get n8n's generic wording. With `ignoreHttpStatusErrors`
	// every answer reaches these rules, in order, on every n8n version: TGO's documented error
	// bodies first, then anything that is not the sender list (`data` must be an array).
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/sender-numbers', ignoreHttpStatusErrors: true },
		rules: [
			whenMessageIs(
				TGO_MESSAGES.tenantNotFound,
				'Unknown tenant domain: TGO could not identify an organisation for this domain. Use the exact domain shown in your TGO Business dashboard.',
			),
			whenMessageIs(
				TGO_MESSAGES.unauthenticated,
				'The API key is invalid, revoked or expired. Create a new key in TGO Business → Settings → API Keys.',
			),
			whenMessageIs(
				TGO_MESSAGES.missingScope,
				'The API key is valid but lacks a scope needed to list sender numbers. Use a key with the "*" scope, or add the scopes your workflows need.',
			),
			...NOT_A_LIST.map((typeOfData) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'data.constructor.name',
					value: typeOfData,
					message:
						'TGO did not answer with the sender number list, so the credential could not be confirmed. Check that Tenant Domain is exactly the domain your TGO Business dashboard shows and that the API key is active; if both are right, TGO may be unavailable: try again later.',
				},
			})),
		],
	};
}
