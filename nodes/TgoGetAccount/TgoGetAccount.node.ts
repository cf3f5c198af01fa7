import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runItems } from '../shared/items';
import { accountContext, expectBody, subscription } from '../shared/schemas';
import { NOT_OFFERED, tgoRequest } from '../shared/transport';
import { accountItem, type SubscriptionAnswer } from './accountItem';

export class TgoGetAccount implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TGO Get Account',
		name: 'tgoGetAccount',
		icon: { light: 'file:../../icons/tgo.svg', dark: 'file:../../icons/tgo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle:
			'={{ $parameter["options"]?.includeSubscription === false ? "API key and organisation" : "API key, organisation and plan" }}',
		description:
			'Get when the API key expires, its scopes, your organisation and your plan limits, to be warned before workflows stop working',
		defaults: { name: 'TGO Get Account' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'tgoBusinessApi', required: true }],
		properties: [
			{
				displayName:
					'TGO\'s own documentation does not list the account details this node reads. If your TGO Business tenant does not offer them, the item goes to the Error output as ENDPOINT_UNAVAILABLE.',
				name: 'siblingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Subscription',
						name: 'includeSubscription',
						type: 'boolean',
						default: true,
						description:
							'Whether to also read the plan, its status, limits and usage snapshot. When the tenant does not offer them, the item still succeeds, with subscription_available set to false.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, async (itemIndex) => {
			const includeSubscription = this.getNodeParameter('options.includeSubscription', itemIndex, true) as boolean;
			const meBody = await tgoRequest(this, { operation: 'getAccount', method: 'GET', path: '/me' });
			const me = expectBody(accountContext, meBody, 'the account details');
			const subscriptionAnswer = includeSubscription ? await readSubscription(this) : undefined;
			return accountItem(me, subscriptionAnswer, Date.now());
		});
	}
}

/** GET /subscription; a tenant that does not offer it is an answer too, not a failure. */
async function readSubscription(context: IExecuteFunctions): Promise<SubscriptionAnswer> {
	const body = await tgoRequest(context, {
		operation: 'getSubscription',
		method: 'GET',
		path: '/subscription',
		optional: true,
	});
	if (body === NOT_OFFERED) return { available: false };
	return { available: true, body: expectBody(subscription, body, 'the subscription') };
}
