// The picture `npm run bench` writes: messages per second against concurrency (TGO Send Message,
// the helper floor, the HTTP Request node paced to the same number in flight) and what one
// document costs in memory. Plain SVG text, no chart library.

export interface ThroughputSeries {
	name: string;
	color: string;
	dashed?: boolean;
	/** Messages per second at each concurrency of `BenchChart.concurrency`. */
	messagesPerSec: number[];
}

export interface MemoryBar {
	name: string;
	/** Multiples of one file's size. */
	perFile: number;
	color: string;
}

export interface BenchChart {
	title: string;
	/** One or two lines under the panels: the command and the machine. */
	caption: string[];
	concurrency: number[];
	latencyMs: number;
	series: ThroughputSeries[];
	memory: { fileMb: number; bars: MemoryBar[]; target: number };
}

const WIDTH = 900;
const HEIGHT = 400;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

function text(x: number, y: number, content: string, attributes = ''): string {
	return `<text x="${fixed(x)}" y="${fixed(y)}" ${attributes}>${escapeXml(content)}</text>`;
}

/** A round step that splits 0…max into about `parts` intervals (1, 2 or 5 × a power of ten). */
function niceStep(max: number, parts = 5): number {
	const raw = Math.max(max, 1e-9) / parts;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw);
	return step ?? 10 * power;
}

interface Frame {
	left: number;
	top: number;
	width: number;
	height: number;
}

/** Horizontal grid lines with their labels, and the axis top: `step` × n ≥ max. */
function yAxis(frame: Frame, max: number, format: (value: number) => string): { parts: string[]; top: number } {
	const step = niceStep(max);
	const top = Math.ceil(max / step) * step || step;
	const parts: string[] = [];
	for (let value = 0; value <= top + step / 2; value += step) {
		const y = frame.top + frame.height - (value / top) * frame.height;
		parts.push(`<line x1="${frame.left}" x2="${frame.left + frame.width}" y1="${fixed(y)}" y2="${fixed(y)}" stroke="#e5e7eb"/>`);
		parts.push(text(frame.left - 6, y + 4, format(value), 'text-anchor="end" font-size="11" fill="#4b5563"'));
	}
	return { parts, top };
}

function throughputPanel(chart: BenchChart, frame: Frame): string[] {
	const max = Math.max(...chart.series.flatMap((series) => series.messagesPerSec));
	const { parts, top } = yAxis(frame, max * 1.05, (value) => String(value));
	// Concurrency on a log2 axis: 1, 2, 4, 8, 16 equally spaced.
	const logs = chart.concurrency.map(Math.log2);
	const xOf = (index: number) => frame.left + 20 + ((logs[index] - logs[0]) / (logs.at(-1)! - logs[0] || 1)) * (frame.width - 40);
	const yOf = (value: number) => frame.top + frame.height - (value / top) * frame.height;
	chart.concurrency.forEach((concurrency, index) => {
		parts.push(text(xOf(index), frame.top + frame.height + 16, String(concurrency), 'text-anchor="middle" font-size="11" fill="#4b5563"'));
	});
	parts.push(text(frame.left + frame.width / 2, frame.top + frame.height + 34, 'Concurrency (items in flight)', 'text-anchor="middle" font-size="12" fill="#111827"'));
	parts.push(
		text(frame.left - 40, frame.top + frame.height / 2, 'messages/s', `text-anchor="middle" font-size="12" fill="#111827" transform="rotate(-90 ${frame.left - 40} ${frame.top + frame.height / 2})"`),
	);
	parts.push(text(frame.left - 40, frame.top - 26, `Text messages per second, ${chart.latencyMs} ms server latency`, 'font-size="13" font-weight="600" fill="#111827"'));
	parts.push(text(frame.left - 40, frame.top - 10, 'more is better', 'font-size="11" fill="#4b5563"'));
	chart.series.forEach((series, seriesIndex) => {
		const points = series.messagesPerSec.map((value, index) => `${fixed(xOf(index))},${fixed(yOf(value))}`);
		const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
		parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
		series.messagesPerSec.forEach((value, index) => {
			parts.push(`<circle cx="${fixed(xOf(index))}" cy="${fixed(yOf(value))}" r="3.5" fill="${series.color}"/>`);
		});
		// Legend, top left inside the frame.
		const legendY = frame.top + 14 + seriesIndex * 18;
		parts.push(`<line x1="${frame.left + 12}" x2="${frame.left + 36}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${series.color}" stroke-width="2"${dash}/>`);
		const last = Math.round(series.messagesPerSec.at(-1) ?? 0);
		parts.push(text(frame.left + 42, legendY, `${series.name} (${last}/s at ${chart.concurrency.at(-1)})`, 'font-size="11" fill="#111827"'));
	});
	return parts;
}

function memoryPanel(chart: BenchChart, frame: Frame): string[] {
	const { bars, target, fileMb } = chart.memory;
	const max = Math.max(target, ...bars.map((bar) => bar.perFile));
	const { parts, top } = yAxis(frame, max * 1.1, (value) => `${value}×`);
	parts.push(text(frame.left - 40, frame.top - 26, `Memory while sending ${fileMb} MB documents`, 'font-size="13" font-weight="600" fill="#111827"'));
	parts.push(text(frame.left - 40, frame.top - 10, 'in files\' worth (less is better)', 'font-size="11" fill="#4b5563"'));
	const yOf = (value: number) => frame.top + frame.height - (value / top) * frame.height;
	const slot = frame.width / bars.length;
	bars.forEach((bar, index) => {
		const x = frame.left + index * slot + slot * 0.2;
		const y = yOf(bar.perFile);
		parts.push(`<rect x="${fixed(x)}" y="${fixed(y)}" width="${fixed(slot * 0.6)}" height="${fixed(frame.top + frame.height - y)}" fill="${bar.color}"/>`);
		parts.push(text(x + slot * 0.3, y - 5, `${bar.perFile.toFixed(2)}×`, 'text-anchor="middle" font-size="11" fill="#111827"'));
		bar.name.split('\n').forEach((line, lineIndex) => {
			parts.push(text(x + slot * 0.3, frame.top + frame.height + 16 + lineIndex * 13, line, 'text-anchor="middle" font-size="11" fill="#4b5563"'));
		});
	});
	const targetY = yOf(target);
	parts.push(`<line x1="${frame.left}" x2="${frame.left + frame.width}" y1="${fixed(targetY)}" y2="${fixed(targetY)}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
	parts.push(text(frame.left + frame.width, targetY - 4, `target ≤ ${target}× held at once`, 'text-anchor="end" font-size="10" fill="#dc2626"'));
	return parts;
}

export function benchChartSvg(chart: BenchChart): string {
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ${FONT}>`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
		text(20, 26, chart.title, 'font-size="15" font-weight="700" fill="#111827"'),
		...throughputPanel(chart, { left: 80, top: 70, width: 470, height: 240 }),
		...memoryPanel(chart, { left: 630, top: 70, width: 240, height: 240 }),
		...chart.caption.map((line, index) => text(20, HEIGHT - 28 + index * 15, line, 'font-size="11" fill="#4b5563"')),
		'</svg>',
	];
	return `${parts.join('\n')}\n`;
}
