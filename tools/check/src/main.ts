import { Logger } from '@nestjs/common';

import { installStructuredLogging } from '@relate/observability';

import { checkTree } from './source-rules';

installStructuredLogging();
const logger = new Logger('SourceCheck');
const violations = checkTree(process.cwd(), ['apps', 'libs', 'tools', 'bench']);

for (const violation of violations) {
  logger.error(`${violation.file}:${violation.line} ${violation.rule}: ${violation.text}`);
}
if (violations.length > 0) {
  logger.error('source rules violated', { count: violations.length });
  process.exit(1);
}
logger.log('source rules hold');
