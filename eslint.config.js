// Lint rules, including the process boundaries: core/ is pure (no I/O, no Node built-ins) and the
// renderer never reaches Node or Electron. `scripts/boundaries.test.ts` checks the same by reading imports.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'dgram', 'tls'];
const ioPackages = ['better-sqlite3', 'socket.io', 'socket.io-client', 'pg', 'pino', 'fastify', 'electron', 'ioredis', 'redis'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.native/**', '.data/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/src/**/*.ts'],
    ignores: ['core/src/**/*.test.ts', 'core/src/compliance/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...nodeBuiltins, ...ioPackages], message: 'core/ is pure: no I/O and no Node built-ins.' }] },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, ...ioPackages, '**/main/**', '**/server/**', '@gestiona/server/*'],
              message: 'The renderer reaches main only through window.gestiona.',
            },
          ],
        },
      ],
    },
  },
  {
    // Command-line tools print to the terminal on purpose.
    files: ['scripts/**/*.ts', 'core/src/compliance/cli.ts', 'server/src/cli.ts', 'main/browser.ts', 'e2e/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
