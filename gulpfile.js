const { src, dest } = require('gulp');

// Icons are referenced as file:../icons/… from credentials and file:../../icons/… from nodes, so the root
// icons/ folder is copied next to the compiled code.
function copyIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = copyIcons;
