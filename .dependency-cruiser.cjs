/**
 * Module boundaries of DESIGN.md, checked in CI:
 * - core never depends on a domain module;
 * - a module reaches another module only through that module's index.ts;
 * - HTTP code (routes, views) never imports a store: SQL stays behind services.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-independent',
      comment: 'core/ is the foundation; it must not know about domain modules',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'modules-through-index',
      comment: 'A module may use another module only through its index.ts',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outsiders-through-index',
      comment: 'Composition, the CLI and tests outside a module use it through its index.ts',
      severity: 'error',
      from: { path: '^src/(app|server)\\.ts$|^src/cli/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'http-never-touches-sql',
      comment: 'Routes and views call services; only services use stores',
      severity: 'error',
      from: { path: '(^src/modules/[^/]+/(routes|views/)|^src/core/http/)' },
      to: { path: '(store\\.ts$|^src/core/db/(database|migrate)\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
