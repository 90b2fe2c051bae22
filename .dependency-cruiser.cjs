// Which way imports may point in lambdas/ and infra/ (docs/architecture.md, "Code layout and dependency rules").
// `npm run deps` checks them and `npm run lint` runs it, so CI fails on a violation.

/** The handler folders: every folder under lambdas/ except lib/. */
const HANDLERS = '^lambdas/(?!lib/)[^/]+/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles: a cycle makes load order matter and the layers meaningless.',
      severity: 'error',
      from: { path: '^(lambdas|infra)/' },
      to: { circular: true },
    },
    {
      name: 'domain-not-to-outer-layers',
      comment:
        'lib/domain holds the rules. It uses lib/ports and plain modules (ids, errors, zod, …), ' +
        'never HTTP, adapters, production wiring or a handler.',
      severity: 'error',
      from: { path: '^lambdas/lib/domain/' },
      to: { path: ['^lambdas/lib/(http|adapters|wiring)/', HANDLERS] },
    },
    {
      name: 'plain-modules-stay-plain',
      comment:
        'The modules directly in lambdas/lib (errors, ids, config, zod, …) sit below every layer, ' +
        'so what the domain reaches through them is plain too.',
      severity: 'error',
      from: { path: '^lambdas/lib/[^/]+$' },
      to: { path: ['^lambdas/lib/[^/]+/', HANDLERS] },
    },
    {
      name: 'ports-not-to-implementations',
      comment: 'A port describes what the domain needs; the code that provides it depends on it.',
      severity: 'error',
      from: { path: '^lambdas/lib/ports/' },
      to: { path: ['^lambdas/lib/(http|adapters|wiring)/', HANDLERS] },
    },
    {
      name: 'adapters-not-to-wiring',
      comment: 'Wiring picks and builds adapters; an adapter never reaches back into it.',
      severity: 'error',
      from: { path: '^lambdas/lib/adapters/' },
      to: { path: '^lambdas/lib/wiring/' },
    },
    {
      name: 'lib-not-to-handlers',
      comment: 'Handlers use lib; lib never imports a handler folder.',
      severity: 'error',
      from: { path: '^lambdas/lib/' },
      to: { path: HANDLERS },
    },
    {
      name: 'handlers-not-to-other-handlers',
      comment: 'A handler folder shares code with another only through lib.',
      severity: 'error',
      from: { path: '^lambdas/((?!lib/)[^/]+)/' },
      to: { path: HANDLERS, pathNot: '^lambdas/$1/' },
    },
    {
      name: 'lambdas-not-to-infra',
      comment:
        'Lambda code runs the same in AWS and in the twin, so it never imports infra/. ' +
        'infra/ may import lambdas/: CDK reads the route and function tables, the twin runs handlers.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^infra/' },
    },
    {
      name: 'stack-not-to-twin',
      comment: 'The deployed stack never depends on the local twin; the twin may read the stack.',
      severity: 'error',
      from: { path: '^infra/', pathNot: '^infra/local/' },
      to: { path: '^infra/local/' },
    },
    {
      name: 'not-to-test',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { path: '^(lambdas|infra)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import resolves. Besides catching typos, this keeps the rules honest: an import the ' +
        'cruiser cannot resolve (a #lib/… alias, say) would otherwise slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript compiler API for the cruiser to use; swc parses the .ts files.
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
    // Resolves the package.json `imports` aliases (#lib/…, #infra/…) and bare packages as Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
