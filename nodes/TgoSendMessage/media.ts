import { randomBytes } from 'node:crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { INPUT_FIELDS } from '../shared/descriptions';
import { InvalidInputError } from '../shared/errors';
import type { MultipartBody } from '../shared/transport';

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
	/**
	 * The file as n8n stores it: base64 inside the item (n8n's in-memory binary mode), decoded
	 * straight into the request body, or the bytes n8n read from its binary store (filesystem, S3…).
	 */
	content: { base64: string } | { bytes: Buffer };
	fileName: string;
	mimeType: string;
	/** Where it came from, for the error when it turns out empty. */
	propertyName: string;
	messageType: MediaType;
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

	const content = await fileContent(context, itemIndex, propertyName, binary);
	if (!content) {
		throw new InvalidInputError(INPUT_FIELDS.binaryPropertyName, propertyName, 'names a file whose content could not be read');
	}
	if ('base64' in content ? Buffer.byteLength(content.base64, 'base64') === 0 : content.bytes.length === 0) {
		throw emptyFileError(propertyName, messageType);
	}

	const mimeType = binary.mimeType?.trim() || FALLBACK_MIME_TYPE;
	const fileName =
		fileNameOverride.trim() || binary.fileName?.trim() || defaultFileName(messageType, mimeType, binary.fileExtension);
	return { content, fileName, mimeType, propertyName, messageType };
}

const emptyFileError = (propertyName: string, messageType: MediaType) =>
	new InvalidInputError(INPUT_FIELDS.binaryPropertyName, propertyName, `names an empty file (0 bytes): TGO needs the ${messageType} itself`);

/**
 * The stored file without copying it: n8n's in-memory mode keeps it as base64 in the item (no
 * `id`), which the body decodes in place; any other mode is read through n8n's helper.
 */
async function fileContent(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	binary: IBinaryData,
): Promise<MediaFile['content'] | undefined> {
	if (!binary.id && typeof binary.data === 'string') return { base64: binary.data };
	const read = await attempt(() => context.helpers.getBinaryDataBuffer(itemIndex, propertyName));
	return 'value' in read ? { bytes: read.value } : undefined;
}

const CRLF = '\r\n';

// What browsers and undici's FormData send (WHATWG multipart/form-data encoding): `"`, CR and LF
// in names percent-encoded, every line break in a field value as CRLF, and a Blob's type rules
// for the file's (lower case; anything outside printable ASCII means no type).
const quotedName = (name: string) => `"${name.replace(/["\r\n]/g, (character) => encodeURIComponent(character))}"`;
const fieldValue = (value: string) => value.replace(/\r\n|\r|\n/g, CRLF);
const partType = (mimeType: string) => (/^[\x20-\x7e]*$/.test(mimeType) && mimeType !== '' ? mimeType.toLowerCase() : FALLBACK_MIME_TYPE);

/**
 * The multipart body of a media message as one Buffer: the fields, then the file in `media` with
 * its name and type. The file goes straight from where n8n stores it into the body (base64 is
 * decoded in place), so sending holds the file once, or twice for an instant when n8n had to read
 * it into memory first; web FormData would add a Blob copy and then a copy of that to send it.
 */
export function mediaBody(file: MediaFile, fields: Record<string, string | number | undefined>): MultipartBody {
	const boundary = `----TgoFormBoundary${randomBytes(12).toString('hex')}`;
	let head = '';
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		head += `--${boundary}${CRLF}Content-Disposition: form-data; name=${quotedName(name)}${CRLF}${CRLF}${fieldValue(String(value))}${CRLF}`;
	}
	head += `--${boundary}${CRLF}Content-Disposition: form-data; name="media"; filename=${quotedName(file.fileName)}${CRLF}`;
	head += `Content-Type: ${partType(file.mimeType)}${CRLF}${CRLF}`;
	const headBytes = Buffer.from(head, 'utf8');
	const tailBytes = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');

	const { content } = file;
	// For base64, the most it can decode to; what it does decode to decides the body's length.
	const fileRoom = 'base64' in content ? Buffer.byteLength(content.base64, 'base64') : content.bytes.length;
	const body = Buffer.allocUnsafe(headBytes.length + fileRoom + tailBytes.length);
	headBytes.copy(body, 0);
	const fileLength = 'base64' in content ? body.write(content.base64, headBytes.length, fileRoom, 'base64') : content.bytes.copy(body, headBytes.length);
	if (fileLength === 0) throw emptyFileError(file.propertyName, file.messageType);
	const end = headBytes.length + fileLength + tailBytes.copy(body, headBytes.length + fileLength);
	return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: body.subarray(0, end) };
}
