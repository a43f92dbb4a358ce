const { parallel, src, dest } = require('gulp');

// Icons are referenced as file:../icons/… from credentials and file:../../icons/… from nodes, so the root
// icons/ folder is copied next to the compiled code.
function copyIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

// Codex files (<Node>.node.json: categories, aliases, documentation links) sit next to each compiled node.
function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(copyIcons, copyCodex);
