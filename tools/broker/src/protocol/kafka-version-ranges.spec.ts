import { SUPPORTED_APIS } from '../handlers/api-registry';
import { KAFKA_API_VERSIONS, kafkaApiVersions, servedByKafka39And40 } from './kafka-version-ranges';

describe('the versions the broker advertises, against Apache Kafka 3.9 and 4.0', () => {
  it('has a Kafka row for every API the broker serves, and no row twice', () => {
    const keys = KAFKA_API_VERSIONS.map((row) => row.apiKey);

    expect(new Set(keys).size).toBe(keys.length);
    expect(SUPPORTED_APIS.filter((api) => !kafkaApiVersions(api.apiKey))).toEqual([]);
  });

  it.each(SUPPORTED_APIS.map((api) => [kafkaApiVersions(api.apiKey)?.name, api]))(
    'advertises %s only within [Kafka 4.0 minimum, Kafka 3.9 maximum]',
    (_name, api) => {
      const kafka = kafkaApiVersions(api.apiKey)!;

      // Produce could start at 0 like Kafka 4's answer (KAFKA-18659) only if it also closed on
      // 0-2 the way Kafka 4 does; advertising 3 keeps the answer and the behaviour the same.
      expect(api.minVersion).toBeGreaterThanOrEqual(kafka.kafka40.min);
      expect(api.maxVersion).toBeLessThanOrEqual(kafka.kafka39.max);
      expect(api.minVersion).toBeLessThanOrEqual(api.maxVersion);
    },
  );

  it('takes the KIP-896 floors into account', () => {
    expect(servedByKafka39And40(0, 2)).toBe(false); // Produce v2: gone in 4.0
    expect(servedByKafka39And40(0, 3)).toBe(true);
    expect(servedByKafka39And40(1, 3)).toBe(false); // Fetch v3: gone in 4.0
    expect(servedByKafka39And40(11, 1)).toBe(false); // JoinGroup v1
    expect(servedByKafka39And40(0, 12)).toBe(false); // Produce v12: not in 3.9
    expect(servedByKafka39And40(99, 0)).toBe(false);
  });

  it('cites an Apache Kafka request schema for every row', () => {
    for (const row of KAFKA_API_VERSIONS) {
      expect(row.source).toMatch(
        new RegExp(`^clients/src/main/resources/common/message/${row.name}Request\\.json$`),
      );
      expect(row.kafka40.min).toBeGreaterThanOrEqual(row.kafka39.min);
    }
  });
});
