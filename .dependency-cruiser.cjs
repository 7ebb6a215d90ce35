/** Dependency rules of design.md §7, checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'core/ is the domain: it imports nothing else in src/ and no SDK beyond zod, yaml and date-fns.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/(zod|yaml|date-fns|@date-fns/tz|fastest-levenshtein)/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'commands-see-core-only',
      comment: 'commands/ parse, authorize and call core; they never reach adapters, jobs or infra.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/(bot|jobs|infra|cli|config)/' },
    },
    {
      name: 'bot-not-into-jobs-or-infra',
      comment: 'bot/ adapters call commands and core; jobs and infra are wired in main.ts.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/(jobs|infra|cli)/' },
    },
    {
      name: 'bullmq-only-in-jobs',
      comment: 'jobs/ is the only place that imports bullmq.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/jobs/' },
      to: { path: '^node_modules/bullmq/' },
    },
    {
      name: 'jobs-and-infra-not-into-adapters',
      severity: 'error',
      from: { path: '^src/(jobs|infra)/' },
      to: { path: '^src/(bot|commands|cli)/' },
    },
    {
      name: 'no-dev-deps-at-run-time',
      comment:
        'The image installs production dependencies only (npm ci --omit=dev): what src/ imports at run time must be in dependencies.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
