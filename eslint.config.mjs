// ESLint flat config. The library in src/ gets typescript-eslint's
// strictest type-aware sets; tests, examples and scripts a lighter one.
// Formatting is Prettier's job: eslint-config-prettier comes last and
// turns off every rule that would fight it.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

// What src/ must never do: run strings as code, or write markup that a
// session id from the wire could end up in.
const bannedSyntax = [
  {
    selector: "CallExpression[callee.name='eval']",
    message: "eval runs a string as code; never in the library.",
  },
  {
    selector: "NewExpression[callee.name='Function']",
    message: "new Function runs a string as code; never in the library.",
  },
  {
    selector: "CallExpression[callee.name='Function']",
    message: "Function() runs a string as code; never in the library.",
  },
  {
    selector: "MemberExpression[property.name=/^(inner|outer)HTML$/]",
    message: "Write text with textContent, never markup with innerHTML.",
  },
];

const bannedProperties = [
  { object: "document", property: "write", message: "Never document.write." },
  {
    object: "document",
    property: "writeln",
    message: "Never document.writeln.",
  },
  { object: "window", property: "eval", message: "Never eval." },
  { object: "globalThis", property: "eval", message: "Never eval." },
];

export default defineConfig(
  {
    ignores: [
      "dist/",
      "docs/",
      "coverage/",
      "test-results/",
      "screenshots/",
      "examples/*/dist/",
      "**/node_modules/",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  {
    rules: {
      // Ids and frames are checked for control characters on purpose.
      "no-control-regex": "off",
    },
  },

  // The library: strict and type-aware.
  {
    files: ["src/**/*.ts"],
    extends: [
      ...tseslint.configs.strictTypeChecked,
      ...tseslint.configs.stylisticTypeChecked,
    ],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "no-eval": "error",
      "no-restricted-syntax": ["error", ...bannedSyntax],
      "no-restricted-properties": ["error", ...bannedProperties],
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true },
      ],
    },
  },

  // Tests, examples and TypeScript scripts: correctness, without the
  // type-aware rules that fight mocks and fixtures.
  {
    files: ["test/**/*.ts", "examples/**/*.{ts,tsx}", "bench/**/*.ts"],
    extends: [...tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_" },
      ],
    },
  },

  // Plain JavaScript: build configs, scripts and CommonJS files in Node.
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: { ...globals.node },
    },
  },
  {
    files: ["**/*.cjs", "jest.config.js"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    files: ["examples/**/*.{js,mjs}"],
    ignores: ["examples/**/rollup.config.mjs", "examples/**/serve.mjs"],
    languageOptions: {
      globals: { ...globals.browser },
    },
  },

  prettier,
);
