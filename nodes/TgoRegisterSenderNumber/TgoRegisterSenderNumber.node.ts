import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { defaultCountryCodeOption, includeInputFieldsOption, INPUT_FIELDS, PHONE_FORMAT, timeoutOption } from '../shared/descriptions';
import { runItems } from '../shared/items';
import { expectBody, registeredSenderNumber } from '../shared/schemas';
import { senderWithReadiness } from '../shared/senders';
import { tgoRequest } from '../shared/transport';
import { countryCodeOption, optionalText, phoneParameter, timeoutMsOption } from '../shared/validation';

export class TgoRegisterSenderNumber implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Register Sender Number',
		name: 'tgoRegisterSenderNumber',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Register " + $parameter["phone"] }}',
		description:
			'Register a TGO Connect user\'s phone (international format, e.g. +201010000000) as a new sender number, e.g. for a new branch. Its owner then confirms it with an OTP.',
		defaults: { name: 'TGO Register Sender Number' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. +201001187188',
				description: `The phone to register ${PHONE_FORMAT} It must belong to a TGO Connect account: its owner receives the OTP there`,
			},
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Maadi Branch',
				description: 'Optional name for the sender number, shown in the TGO Business dashboard and in sender lists',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [defaultCountryCodeOption, includeInputFieldsOption, timeoutOption],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const includeInputFields = this.getNodeParameter('options.includeInputFields', 0, false) as boolean;
		return await runItems(this, async (itemIndex) => {
			const countryCode = countryCodeOption(this, itemIndex);
			const timeoutMs = timeoutMsOption(this, itemIndex);
			const phone = phoneParameter(this, itemIndex, 'phone', countryCode);
			const displayName = optionalText(this.getNodeParameter('displayName', itemIndex, ''), INPUT_FIELDS.displayName)?.trim();

			// Never retried once it may have reached TGO (a second POST could register twice): see retry.ts.
			const body = await tgoRequest(this, {
				operation: 'registerSenderNumber',
				method: 'POST',
				path: '/sender-numbers',
				body: { phone, ...(displayName ? { display_name: displayName } : {}) },
				timeoutMs,
			});
			const sender = expectBody(registeredSenderNumber, body, 'the registered sender number', {
				acceptedByTgo: true,
				operation: 'registerSenderNumber',
			});
			return senderWithReadiness(sender);
		}, { includeInputFields, doneWord: 'registered' });
	}
}
