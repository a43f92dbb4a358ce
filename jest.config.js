/** @type {import('jest').Config} */
const typescript = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			transform: typescript,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/node/**/*.test.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			transform: typescript,
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
		{
			displayName: 'browser',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			transform: typescript,
			testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
		},
	],
};
