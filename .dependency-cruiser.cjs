/**
 * oddsgate's layer rules (npm run lint:deps; CI runs it through npm run lint). See DESIGN.md "Layers" and the
 * README of each folder of src/ for what lives where. A broken rule is an error: fix the import, not the rule.
 */
/** Production code: src/ minus the simulator (and the CLI, the composition root that wires it). */
const PRODUCTION_NOT_CLI = '^src/(?!sim/|cli/|cli\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'model-imports-nothing-internal',
      comment:
        'src/model is the vocabulary every layer shares: plain types and pure helpers, no imports from src/.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'core-imports-nothing-internal',
      comment:
        'src/core (clock, backoff, errors, auth, timeout) may be used by every layer, so it imports none.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'contracts-import-model-and-core-only',
      comment: 'A wire format (src/contracts/<surface>) renders the model; http and broker both use it.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: '^src/', pathNot: '^src/(contracts|model|core)/' },
    },
    {
      name: 'sources-not-downstream',
      comment:
        'Sources produce model updates for a sink; they never reach ingest, broker, http or the simulator.',
      severity: 'error',
      from: { path: '^src/sources/' },
      to: { path: '^src/(ingest|broker|http|sim)/' },
    },
    {
      name: 'broker-not-http',
      comment: 'The broker renders through src/contracts; the HTTP layer sits above it, never below.',
      severity: 'error',
      from: { path: '^src/broker/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'services-not-http',
      comment:
        'src/services (the composition root) builds the object graph below the surfaces; the HTTP layer exposes it and passes its hooks in, never the other way round.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'production-not-sim',
      comment:
        'The simulator is a separate program that speaks the protocols; only the CLI (the composition root) wires it in.',
      severity: 'error',
      from: { path: PRODUCTION_NOT_CLI },
      to: { path: '^src/sim/' },
    },
    {
      name: 'src-not-bench-or-test',
      comment: 'Benchmarks and tests use src/, never the other way round.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'The top folders of src/ form a layered graph: none depends on itself through others (cycles between subfolders of one top folder are that folder’s business).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
