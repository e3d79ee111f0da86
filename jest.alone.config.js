/**
 * Specs that load the whole machine for a minute or more (`*.alone-spec.ts`: each starts the
 * system as processes, or runs it in-process for minutes): `npm test` runs them after every other
 * spec, one at a time. Two of them side by side on two cores starve each other's processes past
 * their heartbeats and time limits, and the specs beside them that wait seconds for a read model.
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.alone-spec.ts'], maxWorkers: 1 };
