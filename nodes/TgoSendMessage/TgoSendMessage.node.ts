import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { lookupContact } from '../shared/contacts';
import {
	defaultCountryCodeOption,
	includeInputFieldsOption,
	INPUT_FIELDS,
	PHONE_FORMAT,
	senderLocator,
	timeoutOption,
} from '../shared/descriptions';
import { recipientUnreachableError } from '../shared/errors';
import { runItems } from '../shared/items';
import { searchSenderNumbers } from '../shared/listSearch';
import { expectBody, sendMessageResponse } from '../shared/schemas';
import { type MultipartBody, tgoRequest } from '../shared/transport';
import {
	countryCodeOption,
	integerInRange,
	nonBlankText,
	oneOf,
	optionalText,
	phoneParameter,
	readOnceUnlessExpression,
	requireSender,
	senderSelector,
	timeoutMsOption,
} from '../shared/validation';
import { isMediaType, MEDIA_TYPES, mediaBody, readMediaFile } from './media';

const MESSAGE_TYPES = ['text', ...MEDIA_TYPES] as const;

interface SendOptions {
	checkRecipient?: boolean;
	fileName?: string;
}

export class TgoSendMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Send Message',
		name: 'tgoSendMessage',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Send " + $parameter["messageType"] + " message" }}',
		description:
			'Send a TGO Connect message (text, image, voice or document) to a customer\'s phone number in international format, e.g. +201010000000, from one of your sender numbers',
		defaults: { name: 'TGO Send Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			senderLocator({
				required: true,
				description:
					'Which of your sender numbers the message comes from. Only numbers marked "ready to send" in the list can send. By Phone takes the number in international format, e.g. +201001187188.',
			}),
			{
				displayName: 'To Phone',
				name: 'toPhone',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. +201010000000',
				description: `The recipient's phone number ${PHONE_FORMAT}`,
			},
			{
				displayName: 'Message Type',
				name: 'messageType',
				type: 'options',
				default: 'text',
				description: 'Text, or a file (image, voice, document) taken from the input item\'s binary data',
				options: [
					{ name: 'Text', value: 'text', description: 'A text message' },
					{ name: 'Image', value: 'image', description: 'An image file, with an optional caption' },
					{ name: 'Voice', value: 'voice', description: 'A voice recording, with its duration' },
					{ name: 'Document', value: 'document', description: 'Any file, such as a PDF, with an optional caption' },
				],
			},
			{
				displayName: 'Text',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				description: 'The text the recipient reads',
				displayOptions: { show: { messageType: ['text'] } },
			},
			{
				displayName: 'Caption',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Text shown with the file; leave empty for none',
				displayOptions: { show: { messageType: [...MEDIA_TYPES] } },
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				hint: 'The name of the input binary field containing the file to send',
				displayOptions: { show: { messageType: [...MEDIA_TYPES] } },
			},
			{
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'number',
				typeOptions: { maxValue: 300 },
				default: 0,
				required: true,
				description: 'Length of the voice recording in whole seconds, from 1 to 300. TGO needs it to show the recording; 0 (not set) stops the item as INVALID_INPUT.',
				displayOptions: { show: { messageType: ['voice'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Check Recipient First',
						name: 'checkRecipient',
						type: 'boolean',
						default: false,
						description:
							'Whether to look the recipient up before sending and send nothing when TGO Connect says they cannot receive messages (the item goes to Error as RECIPIENT_UNREACHABLE). Needs the contacts.lookup scope.',
					},
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1,
						description: 'Max number of items sent at the same time. Output order always follows input order.',
					},
					defaultCountryCodeOption,
					{
						displayName: 'File Name',
						name: 'fileName',
						type: 'string',
						default: '',
						placeholder: 'e.g. invoice.pdf',
						description:
							'Name the recipient sees for the file. Leave empty to use the binary data\'s file name (or one derived from its type).',
						displayOptions: { show: { '/messageType': [...MEDIA_TYPES] } },
					},
					includeInputFieldsOption,
					timeoutOption,
				],
			},
		],
	};

	methods = {
		listSearch: { searchSenderNumbers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// One value for the whole run (it sizes the item loop, which checks it), as is Include Input Fields.
		const concurrency = this.getNodeParameter('options.concurrency', 0, 1);
		const includeInputFields = this.getNodeParameter('options.includeInputFields', 0, false) as boolean;

		// Each parameter is read once for all items unless it holds an expression (then per item).
		const optionsOf = readOnceUnlessExpression(this, ['options'], (itemIndex) => this.getNodeParameter('options', itemIndex, {}) as SendOptions);
		const countryCodeOf = readOnceUnlessExpression(this, ['options.defaultCountryCode'], (itemIndex) => countryCodeOption(this, itemIndex));
		const timeoutMsOf = readOnceUnlessExpression(this, ['options.timeout'], (itemIndex) => timeoutMsOption(this, itemIndex));
		const senderOf = readOnceUnlessExpression(this, ['sender', 'options.defaultCountryCode'], (itemIndex) =>
			requireSender(senderSelector(this, itemIndex, countryCodeOf(itemIndex))),
		);
		const toPhoneOf = readOnceUnlessExpression(this, ['toPhone', 'options.defaultCountryCode'], (itemIndex) =>
			phoneParameter(this, itemIndex, 'toPhone', countryCodeOf(itemIndex)),
		);
		const messageTypeOf = readOnceUnlessExpression(this, ['messageType'], (itemIndex) =>
			oneOf(this.getNodeParameter('messageType', itemIndex, 'text'), MESSAGE_TYPES, INPUT_FIELDS.messageType),
		);
		const contentOf = readOnceUnlessExpression(this, ['content'], (itemIndex) => this.getNodeParameter('content', itemIndex, '') as string);

		return await runItems(
			this,
			async (itemIndex) => {
				const options = optionsOf(itemIndex);
				// Checked here, before the timeout, as always; the sender and recipient readers use it.
				countryCodeOf(itemIndex);
				const timeoutMs = timeoutMsOf(itemIndex);
				const sender = senderOf(itemIndex);
				const toPhone = toPhoneOf(itemIndex);
				const messageType = messageTypeOf(itemIndex);
				const content = contentOf(itemIndex);

				// Everything is checked and the body built before the first request for the item.
				let body: IDataObject | MultipartBody;
				if (isMediaType(messageType)) {
					const duration =
						messageType === 'voice'
							? integerInRange(this.getNodeParameter('duration', itemIndex, undefined), INPUT_FIELDS.duration, 1, 300, ' seconds')
							: undefined;
					// The file (checked first) is never held in a variable here: a local would keep it
					// alive through the request, while once it is in the body its read form can go.
					body = mediaBody(await readMediaFile(this, itemIndex, messageType, options.fileName ?? ''), {
						...sender,
						to_phone: toPhone,
						type: messageType,
						content: optionalText(content, INPUT_FIELDS.caption),
						duration,
					});
				} else {
					body = { ...sender, to_phone: toPhone, type: 'text', content: nonBlankText(content, INPUT_FIELDS.text, 'a text message needs text') };
				}

				if (options.checkRecipient) {
					const lookup = await lookupContact(this, { phone: toPhone, sender, timeoutMs });
					if (!lookup.can_receive) throw recipientUnreachableError(toPhone, lookup);
				}

				const response = await tgoRequest(this, {
					operation: 'sendMessage',
					method: 'POST',
					path: '/messages',
					body,
					timeoutMs,
					recipient: toPhone,
				});
				// Parsed from JSON, so every value is JSON: the logged message as TGO sent it.
				return expectBody(sendMessageResponse, response, 'the sent message', { acceptedByTgo: true }).data as IDataObject;
			},
			{ concurrency, includeInputFields, doneWord: 'sent' },
		);
	}
}
