import { v5 as uuidv5 } from 'uuid';

import { matchKey } from './maven.normaliser';

/**
 * Fixed namespace of the Maven CRM import. Changing it would give every imported record a new id,
 * so a second import would create everything again.
 */
export const MAVEN_CRM_NAMESPACE = 'b9eceb0a-d20b-422a-9a43-808cbcbdcaf1';

/**
 * Ids derive from natural keys of the data set (UUID v5), so running the import twice addresses
 * the same streams and the service answers "already exists" instead of creating a copy.
 */
export const MavenIds = {
  pipeline: () => uuidv5('maven-crm:pipeline', MAVEN_CRM_NAMESPACE),
  stage: (name: string) => uuidv5(`maven-crm:stage:${matchKey(name)}`, MAVEN_CRM_NAMESPACE),
  company: (name: string) => uuidv5(`maven-crm:company:${matchKey(name)}`, MAVEN_CRM_NAMESPACE),
  rep: (name: string) => uuidv5(`maven-crm:rep:${matchKey(name)}`, MAVEN_CRM_NAMESPACE),
  product: (name: string) => uuidv5(`maven-crm:product:${matchKey(name)}`, MAVEN_CRM_NAMESPACE),
  deal: (opportunityId: string) =>
    uuidv5(`maven-crm:deal:${opportunityId.trim()}`, MAVEN_CRM_NAMESPACE),
};
