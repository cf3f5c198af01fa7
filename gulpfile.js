// Copies every node's and the credential's SVG icons next to the compiled files in dist/,
// where n8n's loader resolves `icon: 'file:…'` paths.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
