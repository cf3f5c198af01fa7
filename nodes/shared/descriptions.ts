import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { InputField } from './errors';

/** Parameter definitions that more than one TGO node shows. */

/**
 * The parameters an INVALID_INPUT failure can name, each by its display name in the editor (a
 * unit test holds these labels to the node descriptions) and by its name in the workflow JSON.
 */
export const INPUT_FIELDS = {
	toPhone: { name: 'toPhone', label: 'To Phone' },
	phone: { name: 'phone', label: 'Phone' },
	sender: { name: 'sender', label: 'Sender' },
	senderFromList: { name: 'sender', label: 'Sender (From List)' },
	senderById: { name: 'sender', label: 'Sender (By ID)' },
	senderByPhone: { name: 'sender', label: 'Sender (By Phone)' },
	messageType: { name: 'messageType', label: 'Message Type' },
	text: { name: 'content', label: 'Text' },
	caption: { name: 'content', label: 'Caption' },
	binaryPropertyName: { name: 'binaryPropertyName', label: 'Input Binary Field' },
	duration: { name: 'duration', label: 'Duration (Seconds)' },
	displayName: { name: 'displayName', label: 'Display Name' },
	defaultCountryCode: { name: 'options.defaultCountryCode', label: 'Default Country Code' },
	timeout: { name: 'options.timeout', label: 'Timeout' },
} as const satisfies Record<string, InputField>;

export function senderLocator(options: { required: boolean; description: string }): INodeProperties {
	return {
		displayName: 'Sender',
		name: 'sender',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a sender number...',
				typeOptions: { searchListMethod: 'searchSenderNumbers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A sender number ID is a whole number' },
					},
				],
			},
			{
				displayName: 'By Phone',
				name: 'phone',
				type: 'string',
				placeholder: 'e.g. +201001187188',
			},
		],
	};
}

export const defaultCountryCodeOption: INodeProperties = {
	displayName: 'Default Country Code',
	name: 'defaultCountryCode',
	type: 'string',
	default: '',
	placeholder: 'e.g. 20',
	description:
		'Country calling code, digits only, for phone numbers written without one: with 20 (Egypt), 01001187188 becomes +201001187188. Leave empty to accept only numbers that start with + and their country code.',
};

export const includeInputFieldsOption: INodeProperties = {
	displayName: 'Include Input Fields',
	name: 'includeInputFields',
	type: 'boolean',
	default: false,
	description:
		'Whether each Success item also keeps the fields of the item that came in (a spreadsheet row, say), so you can see who it was for. Where a name is the same, TGO\'s value is kept.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1000 },
	default: 30000,
	description: 'Time in ms to wait for TGO to answer each request before giving up (30000 is 30 seconds)',
};

/** How every phone parameter explains the format it takes, to a person and to an AI agent alike. */
export const PHONE_FORMAT =
	'in international format: + and the country code, then the number, e.g. +201010000000. Spaces and dashes are fine. For numbers written without the country code (01010000000), set Options → Default Country Code.';

export function returnAllAndLimit(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** The statuses by the words of `SENDER_STATUS_WORDS`; each description gives TGO's own value. */
export const senderStatusOptions: INodePropertyOptions[] = [
	{
		name: 'Account Not Verified',
		value: 'pending_account_verification',
		description: 'Status "pending_account_verification": OTP accepted; the owner must verify their TGO Connect account',
	},
	{ name: 'Active', value: 'active', description: 'Status "active": can send, once the owner\'s TGO Connect account is verified' },
	{ name: 'Rejected', value: 'rejected', description: 'Status "rejected": can never send' },
	{ name: 'Suspended', value: 'suspended', description: 'Status "suspended": blocked by an administrator' },
	{
		name: 'Waiting for OTP',
		value: 'pending_verification',
		description: 'Status "pending_verification": registered; the owner has not entered the OTP yet',
	},
];
