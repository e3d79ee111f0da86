/**
 * Specs that load the whole machine for minutes (`*.alone-spec.ts`): `npm test` runs them after
 * every other spec, one at a time. Beside the others they starve the in-process stacks of the
 * specs that wait, within seconds, for a read model.
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.alone-spec.ts'], maxWorkers: 1 };
