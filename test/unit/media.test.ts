import fc from 'fast-check';

import { type MediaFile, mediaBody } from '../../nodes/TgoSendMessage/media';
import { boundaryOf, parseMultipart } from '../../tools/sandbox/multipart';

const SEED = Number(process.env.FC_SEED ?? 20261130);
const runs = { seed: SEED, numRuns: 300 };

/** A field value or file name with what trips encoders: quotes, every kind of line break, non-ASCII. */
const awkwardText = fc.string({
	unit: fc.oneof(
		{ weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
		{ weight: 2, arbitrary: fc.constantFrom('"', '\r', '\n', '\r\n', '\\', ';', '%22', 'ب', '😀') },
	),
	minLength: 1,
	maxLength: 20,
});
const mimeType = fc.constantFrom('application/pdf', 'Image/PNG', 'audio/ogg; codecs=opus', 'imagé/png', 'application/octet-stream');
const fields = fc.record({ to_phone: fc.constant('+201010000000'), type: fc.constant('document'), content: fc.option(awkwardText, { nil: undefined }), duration: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) });

/** The same message as web FormData encodes it (undici, what Send Message sent before): the reference. */
async function asFormData(file: { bytes: Buffer; fileName: string; mimeType: string }, values: Record<string, string | number | undefined>) {
	const form = new FormData();
	for (const [name, value] of Object.entries(values)) if (value !== undefined) form.append(name, String(value));
	form.append('media', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.fileName);
	const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
	return parseMultipart(Buffer.from(await request.arrayBuffer()), boundaryOf(request.headers.get('content-type') ?? '')!);
}

describe('the media message body', () => {
	test('reads back exactly as the same message in web FormData: fields, file name, type and bytes, from base64 or from bytes', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), awkwardText, mimeType, fields, async (array, fileName, type, values) => {
				const bytes = Buffer.from(array);
				const reference = await asFormData({ bytes, fileName, mimeType: type }, values);
				for (const content of [{ bytes }, { base64: bytes.toString('base64') }]) {
					const file: MediaFile = { content, fileName, mimeType: type, propertyName: 'data', messageType: 'document' };
					const body = mediaBody(file, values);
					expect(body.contentType).toMatch(/^multipart\/form-data; boundary=/);
					expect(parseMultipart(body.bytes, boundaryOf(body.contentType)!)).toEqual(reference);
				}
			}),
			runs,
		);
	});

	test('the body is the file plus its headers, nothing more: decoded in place, not copied beside it', () => {
		const bytes = Buffer.alloc(1024 * 1024, 7);
		const body = mediaBody({ content: { base64: bytes.toString('base64') }, fileName: 'a.pdf', mimeType: 'application/pdf', propertyName: 'data', messageType: 'document' }, {});
		expect(body.bytes.length).toBeLessThan(bytes.length + 400);
		expect(body.bytes.buffer.byteLength).toBeLessThan(bytes.length + 400);
	});

	test('base64 that decodes to nothing is an empty file, named by its binary property, not an empty send', () => {
		const file: MediaFile = { content: { base64: ' \n ' }, fileName: 'a.pdf', mimeType: 'application/pdf', propertyName: 'invoice', messageType: 'document' };
		expect(() => mediaBody(file, {})).toThrow('Input Binary Field: "invoice" names an empty file (0 bytes): TGO needs the document itself');
	});
});
