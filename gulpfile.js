// Copies the SVG icons (the shared TGO logo in icons/, and any node's own) into dist/,
// where n8n's loader resolves `icon: 'file:…'` paths.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
