/**
 * A small multipart/form-data parser (RFC 7578) working on Buffers, so binary files survive
 * byte for byte. Enough for what HTTP clients send (undici's FormData, the form-data package,
 * curl -F); not a streaming parser, the sandbox reads whole bodies.
 */

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartBody {
	fields: Record<string, string>;
	files: MultipartFile[];
}

export class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary parameter of a multipart Content-Type header, or undefined. */
export function boundaryOf(contentTypeHeader: string | undefined): string | undefined {
	if (!contentTypeHeader) return undefined;
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Parses one header parameter (`name="x"`, `filename=x`), undoing the WHATWG quote escapes. */
function headerParameter(header: string, name: string): string | undefined {
	const pattern = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
	const match = pattern.exec(header);
	if (!match) return undefined;
	if (match[2] !== undefined) return match[2].trim();
	// Browsers and undici percent-encode `"`, CR and LF in names; older clients backslash-escape.
	return match[1]
		.replace(/\\(.)/g, '$1')
		.replace(/%22/g, '"')
		.replace(/%0D/gi, '\r')
		.replace(/%0A/gi, '\n');
}

/** RFC 5987 `filename*=UTF-8''…`, preferred over `filename` when present. */
function extendedFilename(header: string): string | undefined {
	const match = /;\s*filename\*=([^']*)'[^']*'([^;]*)/i.exec(header);
	if (!match) return undefined;
	try {
		return decodeURIComponent(match[2].trim());
	} catch {
		return undefined;
	}
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
	const delimiter = Buffer.from(`--${boundary}`);
	const fields: Record<string, string> = {};
	const files: MultipartFile[] = [];

	let position = body.indexOf(delimiter);
	if (position === -1) throw new MultipartError('No multipart boundary found in the body.');

	for (;;) {
		position += delimiter.length;
		// `--boundary--` closes the body.
		if (body[position] === 0x2d && body[position + 1] === 0x2d) break;
		// Transport padding then CRLF after a delimiter.
		while (body[position] === 0x20 || body[position] === 0x09) position++;
		if (!body.subarray(position, position + 2).equals(CRLF)) {
			throw new MultipartError('Malformed multipart delimiter line.');
		}
		position += 2;

		const headerEnd = body.indexOf(HEADER_END, position);
		if (headerEnd === -1) throw new MultipartError('Multipart part without a header terminator.');
		const headers = new Map<string, string>();
		for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
		}

		const dataStart = headerEnd + HEADER_END.length;
		// The CRLF before the next delimiter belongs to the delimiter, not to the data.
		const next = body.indexOf(Buffer.concat([CRLF, delimiter]), dataStart);
		if (next === -1) throw new MultipartError('Multipart body ends without a closing boundary.');
		const data = body.subarray(dataStart, next);
		position = next + CRLF.length;

		const disposition = headers.get('content-disposition') ?? '';
		const name = headerParameter(disposition, 'name');
		if (!/^form-data/i.test(disposition) || name === undefined) {
			throw new MultipartError('Multipart part without a form-data Content-Disposition name.');
		}
		const filename = extendedFilename(disposition) ?? headerParameter(disposition, 'filename');
		if (filename !== undefined) {
			files.push({
				field: name,
				filename,
				contentType: headers.get('content-type') ?? 'application/octet-stream',
				data: Buffer.from(data),
			});
		} else {
			// Later values win, as in PHP.
			fields[name] = data.toString('utf8');
		}
	}
	return { fields, files };
}
