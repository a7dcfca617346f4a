import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'var/', 'node_modules/', 'test-artifacts/', 'eval-report/', 'public/vendor/', '.scratch/', 'teams/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The bot SDKs stay at the edge (docs/SDK.md): only src/bot, the terminal chat's adapter, the bench's bare
  // baselines and the tests may import botbuilder or the Agents SDK.
  {
    files: ['src/**/*.ts', 'dialogs/**/*.ts'],
    ignores: ['src/bot/**', 'src/cli/bareBot.ts', 'src/cli/terminalAdapter.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botframework-schema', 'botframework-connector', '@microsoft/agents-*'], message: 'Bot SDKs are imported only at the edge (src/bot); use src/bot/turn.ts.' }] }],
    },
  },
  // The SDK-free parts of src/bot, and the Agents SDK edge, which must not lean on botbuilder.
  {
    files: ['src/bot/turn.ts', 'src/bot/turns.ts', 'src/bot/edge.ts', 'src/bot/cards.ts', 'src/bot/replyText.ts', 'src/bot/choices.ts', 'src/bot/invokes.ts', 'src/bot/turnError.ts', 'src/bot/assembleConversation.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/agents-*'], message: 'This file is shared by both SDK edges; it imports neither SDK.' }] }],
    },
  },
  {
    files: ['src/bot/agents/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botframework-*', '../bot.js', '../adapter.js', '../delivery.js', '../assemble.js', '../botbuilder.js', '../directLineAdapter.js'], message: 'The Agents SDK edge must not use botbuilder or its edge.' }] }],
    },
  },
  // The build scripts run on Node.js before anything is compiled (scripts/build.mjs).
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', location: 'readonly', fetch: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', console: 'readonly', navigator: 'readonly', sessionStorage: 'readonly', localStorage: 'readonly', setTimeout: 'readonly' } },
  },
);
