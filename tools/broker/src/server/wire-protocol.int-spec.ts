import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { BatchField, encodeRecordBatch } from '../protocol/record-batch';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { BrokerFixture, randomName, startBrokerFixture } from '../testing/broker-fixture';
import { RawKafkaClient } from '../testing/raw-client';

describe('broker wire protocol', () => {
  let fixture: BrokerFixture;
  let client: RawKafkaClient;

  const produceBody = (topic: string, records: Buffer, acks = -1) =>
    new Writer()
      .nullableString(null)
      .int16(acks)
      .int32(30_000)
      .array([topic], (w, name) =>
        w.string(name).array([0], (pw, partition) => pw.int32(partition).bytes(records)),
      )
      .toBuffer();
  const readProducePartition = (body: Reader) => {
    body.int32(); // topic count
    body.string();
    body.int32(); // partition count

    return { partition: body.int32(), error: body.int16(), baseOffset: body.int64() };
  };
  const createTopic = async (topic: string) => {
    const admin = fixture.kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
  };

  beforeAll(async () => {
    fixture = await startBrokerFixture();
  });

  beforeEach(async () => {
    client = await RawKafkaClient.connect('127.0.0.1', fixture.broker.port);
  });

  afterEach(() => client.close());

  afterAll(() => fixture.stop());

  it('rejects a batch with a wrong CRC as CORRUPT_MESSAGE and stores nothing', async () => {
    const topic = randomName('crc');
    await createTopic(topic);
    const batch = encodeRecordBatch([{ value: Buffer.from('payload') }]);
    batch[BatchField.records + 3] ^= 0xff;

    const id = client.send(ApiKey.Produce, 7, produceBody(topic, batch));
    const { correlationId, body } = await client.response();

    expect(correlationId).toBe(id);
    expect(readProducePartition(body)).toMatchObject({
      error: ErrorCode.CorruptMessage,
      baseOffset: -1n,
    });
    const intact = encodeRecordBatch([{ value: Buffer.from('payload') }]);
    client.send(ApiKey.Produce, 7, produceBody(topic, intact));
    expect(readProducePartition((await client.response()).body)).toMatchObject({
      error: ErrorCode.None,
      baseOffset: 0n,
    });
  });

  it('answers an offset commit for a partition that does not exist as Kafka does', async () => {
    const topic = randomName('commit');
    await createTopic(topic);
    const group = randomName('group');
    const commitBody = (partitions: number[]) =>
      new Writer()
        .string(group)
        .int32(-1)
        .string('')
        .int64(-1n)
        .array([topic, randomName('missing')], (w, name) =>
          w
            .string(name)
            .array(partitions, (pw, partition) =>
              pw.int32(partition).int64(5n).nullableString(null),
            ),
        )
        .toBuffer();

    client.send(ApiKey.OffsetCommit, 2, commitBody([0, 7]));
    const { body } = await client.response();

    const answers = body.array((r) => ({
      topic: r.string(),
      partitions: r.array((pr) => ({ partition: pr.int32(), error: pr.int16() })),
    }));
    expect(answers.map(({ partitions }) => partitions)).toEqual([
      [
        { partition: 0, error: ErrorCode.None },
        { partition: 7, error: ErrorCode.UnknownTopicOrPartition },
      ],
      [
        { partition: 0, error: ErrorCode.UnknownTopicOrPartition },
        { partition: 7, error: ErrorCode.UnknownTopicOrPartition },
      ],
    ]);
    const admin = fixture.kafka().admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: group });
    await admin.disconnect();
    expect(committed).toEqual([
      { topic, partitions: [{ partition: 0, offset: '5', metadata: null }] },
    ]);
  });

  it('sends no response at all to a Produce with acks 0', async () => {
    const topic = randomName('acks0');
    await createTopic(topic);
    client.send(ApiKey.Produce, 7, produceBody(topic, encodeRecordBatch([{ value: null }]), 0));
    const versionsId = client.send(ApiKey.ApiVersions, 2, Buffer.alloc(0));

    expect((await client.response()).correlationId).toBe(versionsId);
  });

  it('answers librdkafka-style ApiVersions v3 with a flexible body and a v0 header', async () => {
    const body = new Writer()
      .compactString('librdkafka')
      .compactString('2.0.2')
      .emptyTaggedFields();
    const id = client.send(ApiKey.ApiVersions, 3, body.toBuffer(), true);
    const response = await client.response();

    expect(response.correlationId).toBe(id);
    // Header v0: the body starts right after the correlation id, with no tag block.
    expect(response.body.int16()).toBe(ErrorCode.None);
    const count = response.body.unsignedVarInt() - 1;
    const apis = Array.from({ length: count }, () => {
      const api = [response.body.int16(), response.body.int16(), response.body.int16()];
      response.body.skipTaggedFields();

      return api;
    });
    expect(apis).toContainEqual([ApiKey.Produce, 3, 7]);
    expect(apis).toContainEqual([ApiKey.Fetch, 4, 11]);
    expect(apis).toContainEqual([ApiKey.JoinGroup, 2, 5]);
    expect(response.body.int32()).toBe(0);
  });

  it('answers a too-new ApiVersions with UNSUPPORTED_VERSION and its own range', async () => {
    client.send(ApiKey.ApiVersions, 9, Buffer.alloc(0), true);
    const { body } = await client.response();

    expect(body.int16()).toBe(ErrorCode.UnsupportedVersion);
    expect(body.array((r) => [r.int16(), r.int16(), r.int16()])).toEqual([[18, 0, 3]]);
    expect(client.closed).toBe(false);
  });

  it('closes the connection on a version it does not advertise, and only that one', async () => {
    const bystander = await RawKafkaClient.connect('127.0.0.1', fixture.broker.port);
    client.send(ApiKey.Metadata, 1, new Writer().int32(-1).toBuffer());

    expect(await client.waitClosed()).toBe(true);
    bystander.send(ApiKey.ApiVersions, 0, Buffer.alloc(0));
    expect((await bystander.response()).body.int16()).toBe(ErrorCode.None);
    bystander.close();
  });

  it('closes a connection that sends a header it cannot parse', async () => {
    client.sendFrame(Buffer.from([0, 18]));

    expect(await client.waitClosed()).toBe(true);
  });

  it('closes a connection that announces an oversized frame', async () => {
    const size = Buffer.alloc(4);
    size.writeInt32BE(200 * 1024 * 1024);
    client.sendBytes(size);

    expect(await client.waitClosed()).toBe(true);
    expect(fixture.logger.messages('warn')).toContain(
      'oversized request frame, closing connection',
    );
  });
});
