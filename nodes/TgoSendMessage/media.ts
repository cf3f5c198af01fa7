import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { INPUT_FIELDS } from '../shared/descriptions';
import { InvalidInputError } from '../shared/errors';

/**
 * The file of an image, voice or document message, read from the item's binary property and
 * checked before any request: a send without a usable file is INVALID_INPUT, never a request.
 */

/** The message types that carry a file, in the order the editor lists them. */
export const MEDIA_TYPES = ['image', 'voice', 'document'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export function isMediaType(messageType: string): messageType is MediaType {
	return (MEDIA_TYPES as readonly string[]).includes(messageType);
}

export interface MediaFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
}

const FALLBACK_MIME_TYPE = 'application/octet-stream';

// The usual files of each kind; anything else takes its extension from the mime subtype.
const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'image/heic': 'heic',
	'image/svg+xml': 'svg',
	'audio/ogg': 'ogg',
	'audio/opus': 'opus',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/x-m4a': 'm4a',
	'audio/aac': 'aac',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/webm': 'webm',
	'audio/amr': 'amr',
	'application/pdf': 'pdf',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-powerpoint': 'ppt',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
	'application/zip': 'zip',
	'text/plain': 'txt',
	'text/csv': 'csv',
	[FALLBACK_MIME_TYPE]: 'bin',
};

/** `image.png`, `voice.ogg`, `document.pdf`: used when neither the option nor the binary data names the file. */
export function defaultFileName(messageType: MediaType, mimeType: string, fileExtension?: string): string {
	const fromBinary = fileExtension?.trim().replace(/^\./, '').toLowerCase();
	const essence = mimeType.split(';')[0].trim().toLowerCase();
	const subtype = essence.split('/')[1]?.replace(/^x-/, '') ?? '';
	const extension =
		(fromBinary && /^[a-z0-9]{1,10}$/.test(fromBinary) ? fromBinary : undefined) ??
		EXTENSIONS[essence] ??
		(/^[a-z0-9]{1,10}$/.test(subtype) ? subtype : 'bin');
	return `${messageType}.${extension}`;
}

/** Runs one n8n binary helper, handing back its failure instead of throwing it. */
async function attempt<T>(step: () => T | Promise<T>): Promise<{ value: T } | { failed: true }> {
	try {
		return { value: await step() };
	} catch {
		return { failed: true };
	}
}

export async function readMediaFile(
	context: IExecuteFunctions,
	itemIndex: number,
	messageType: MediaType,
	fileNameOverride: string,
): Promise<MediaFile> {
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (propertyName === '') {
		throw new InvalidInputError(
			INPUT_FIELDS.binaryPropertyName,
			propertyName,
			`is empty: a ${messageType} message needs the name of the binary property that holds the file`,
		);
	}

	const metadata = await attempt(() => context.helpers.assertBinaryData(itemIndex, propertyName));
	if (!('value' in metadata)) {
		const present = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		throw new InvalidInputError(
			INPUT_FIELDS.binaryPropertyName,
			propertyName,
			present.length === 0
				? `names no file: the input item has no binary data, and a ${messageType} message needs one. Pass a file from the previous node`
				: `names no file on the input item (its binary properties: ${present.join(', ')})`,
		);
	}
	const binary: IBinaryData = metadata.value;

	const content = await attempt(() => context.helpers.getBinaryDataBuffer(itemIndex, propertyName));
	if (!('value' in content)) {
		throw new InvalidInputError(INPUT_FIELDS.binaryPropertyName, propertyName, 'names a file whose content could not be read');
	}
	if (content.value.length === 0) {
		throw new InvalidInputError(INPUT_FIELDS.binaryPropertyName, propertyName, `names an empty file (0 bytes): TGO needs the ${messageType} itself`);
	}

	const mimeType = binary.mimeType?.trim() || FALLBACK_MIME_TYPE;
	const fileName =
		fileNameOverride.trim() || binary.fileName?.trim() || defaultFileName(messageType, mimeType, binary.fileExtension);
	return { bytes: content.value, fileName, mimeType };
}

/** The multipart body of a media message: the fields, and the file in `media` with its name and type. */
export function mediaForm(fields: Record<string, string | number | undefined>, file: MediaFile): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (value !== undefined) form.append(name, String(value));
	}
	// The Blob copies the bytes itself: handing it the Buffer (a Uint8Array over a plain
	// ArrayBuffer) avoids a second copy of every file, which for large documents is real memory.
	form.append('media', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.fileName);
	return form;
}
