import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { lookupContact } from '../shared/contacts';
import { defaultCountryCodeOption, includeInputFieldsOption, PHONE_FORMAT, senderLocator, timeoutOption } from '../shared/descriptions';
import { recipientUnreachableError } from '../shared/errors';
import { runItems } from '../shared/items';
import { searchSenderNumbers } from '../shared/listSearch';
import { countryCodeOption, phoneParameter, senderSelector, timeoutMsOption } from '../shared/validation';

export class TgoLookupContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Lookup Contact',
		name: 'tgoLookupContact',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Can " + $parameter["phone"] + " receive messages?" }}',
		description:
			'Check whether a phone number in international format, e.g. +201010000000, can receive TGO Connect messages. Use it before sending to a new number.',
		defaults: { name: 'TGO Lookup Contact' },
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
				placeholder: 'e.g. +201010000000',
				description: `The phone number to check, ${PHONE_FORMAT}`,
			},
			senderLocator({
				required: false,
				description:
					'The sender number you intend to send from. Optional: a recipient may be reachable from one sender and not from another.',
			}),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					defaultCountryCodeOption,
					includeInputFieldsOption,
					timeoutOption,
					{
						displayName: 'Unreachable Contact to Error Output',
						name: 'unreachableToError',
						type: 'boolean',
						default: true,
						description:
							'Whether a contact who cannot receive messages goes to the Error output as RECIPIENT_UNREACHABLE with its reason code. When off, every answered lookup goes to Success.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchSenderNumbers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const includeInputFields = this.getNodeParameter('options.includeInputFields', 0, false) as boolean;
		return await runItems(this, async (itemIndex) => {
			const countryCode = countryCodeOption(this, itemIndex);
			const timeoutMs = timeoutMsOption(this, itemIndex);
			const phone = phoneParameter(this, itemIndex, 'phone', countryCode);
			const sender = senderSelector(this, itemIndex, countryCode);
			const unreachableToError = this.getNodeParameter('options.unreachableToError', itemIndex, true) as boolean;

			const lookup = await lookupContact(this, { phone, sender, timeoutMs });
			if (!lookup.can_receive && unreachableToError) throw recipientUnreachableError(phone, lookup);
			// Parsed from JSON, so every value is JSON: the lookup body as TGO sent it.
			return lookup as IDataObject;
		}, { includeInputFields });
	}
}
