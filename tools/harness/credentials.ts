// The credentials side of an in-process execution. n8n-core asks `additionalData.credentialsHelper`
// for decrypted credential data and to sign each request; the n8n app implements that over its
// database (packages/cli/src/credentials-helper.ts). Here the data comes from the test, and
// signing uses the loaded credential class's real `authenticate`, resolved the way the app does.
import './env';

import { Credentials } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, UnexpectedError, isExpression } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import type { LoadedPackage } from './loader';

/** Credential data a test provides, keyed by credential id or by credential name. */
export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly pkg: LoadedPackage,
		private readonly store: CredentialStore,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		return this.pkg.loader.getCredential(name).type;
	}

	private lookUp(nodeCredentials: INodeCredentialsDetails, type: string) {
		const byId = nodeCredentials.id ? this.store[nodeCredentials.id] : undefined;
		const data = byId ?? this.store[nodeCredentials.name];
		if (!data) {
			// Same situation as the app's CredentialNotFoundError: the node names a credential
			// the instance does not have.
			throw new UnexpectedError(
				`Harness has no "${type}" credential with id "${nodeCredentials.id}" or name "${nodeCredentials.name}"`,
			);
		}
		return data;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode?: unknown,
		_executeData?: unknown,
		raw?: boolean,
	): Promise<ICredentialDataDecryptedObject> {
		const data = structuredClone(this.lookUp(nodeCredentials, type));
		if (raw) return data;
		// Like the app: fields the user never set take the credential type's defaults.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return { ...data, ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const credentials = new Credentials(nodeCredentials, type);
		await credentials.setData(this.lookUp(nodeCredentials, type));
		return credentials;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for generic credential authentication');
			}
			// Each of headers / qs / body / auth gets its entries with key and value resolved
			// as n8n expressions over `$credentials`, overwriting what the request had.
			const resolve = (value: unknown) => {
				if (typeof value !== 'string' || !isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			target.headers ??= {};
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
					target[section] ??= {};
					target[section][String(resolve(key))] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		// The app only pre-authenticates types with an expirable hidden field (session tokens);
		// for any other type it is a no-op, as here.
		const type = this.type(typeName);
		const expirable = type.properties.some(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable && type.preAuthentication) {
			throw new UnexpectedError(`The harness does not implement preAuthentication (${typeName})`);
		}
		return undefined;
	}

	async runPreAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		// Used by n8n-core's OAuth2 requests only.
		if (typeof this.type(typeName).preAuthentication === 'function') {
			throw new UnexpectedError(`The harness does not implement preAuthentication (${typeName})`);
		}
		return undefined;
	}

	/** The `extends` chain, nearest first (e.g. ['oAuth2Api']): n8n-core routes OAuth by it. */
	getParentTypes(name: string): string[] {
		let parents: string[] = [];
		for (const parent of this.type(name).extends ?? []) {
			parents.push(parent);
			if (parent in this.pkg.loader.known.credentials) {
				parents = parents.concat(this.getParentTypes(parent));
			}
		}
		return parents;
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let type: ICredentialType;
		try {
			type = this.type(credentialType);
		} catch {
			return true; // unknown type: the real helper lets the later lookup report it
		}
		if (!type.restrictToSupportedNodes) return true;
		const shortName = nodeType.slice(`${this.pkg.packageName}.`.length);
		return (type.supportedNodes ?? []).includes(shortName);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.type(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async updateCredentials(): Promise<void> {
		// Only OAuth token refresh and preAuthentication persist credentials; neither applies.
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
