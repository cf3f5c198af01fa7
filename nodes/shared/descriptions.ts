import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Parameter definitions that more than one TGO node shows. */

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
		'Digits of the country calling code used for phone numbers written in national form with a leading 0 (01001187188 becomes +201001187188 with 20). Leave empty to accept only international numbers.',
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
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1000 },
	default: 30000,
	description: 'How long to wait for TGO to answer one request, in milliseconds',
};

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

export const senderStatusOptions: INodePropertyOptions[] = [
	{ name: 'Active', value: 'active' },
	{ name: 'Pending Account Verification', value: 'pending_account_verification' },
	{ name: 'Pending Verification', value: 'pending_verification' },
	{ name: 'Rejected', value: 'rejected' },
	{ name: 'Suspended', value: 'suspended' },
];
