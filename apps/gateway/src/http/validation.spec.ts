import { ArgumentMetadata } from '@nestjs/common';

import { RelateError } from '@relate/errors';

import { RegisterCompanyDto } from '../companies/companies.dto';
import { DealListQueryDto, MarkDealWonDto, OpenDealDto } from '../deals/deals.dto';
import { LinkPersonToCompanyDto } from '../people/people.dto';
import { DefinePipelineDto } from '../pipelines/pipelines.dto';
import { AddProductDto } from '../products/products.dto';
import { createValidationPipe } from './validation';

async function validate(metatype: ArgumentMetadata['metatype'], value: unknown) {
  const sut = createValidationPipe();
  try {
    return { value: await sut.transform(value, { type: 'body', metatype }) };
  } catch (error) {
    return { error: error as RelateError };
  }
}

describe(createValidationPipe.name, () => {
  it('lists every offending field with its reason, unknown fields included', async () => {
    const { error } = await validate(OpenDealDto, {
      title: '',
      value: -1,
      currency: 'usd',
      expectedCloseDate: '2026-13-40',
      colour: 'red',
    });

    expect(error).toMatchObject({ code: 'GATEWAY.VALIDATION_FAILED', category: 'validation' });
    const fields = new Set(error!.violations.map((v) => v.field));
    expect(fields).toEqual(new Set(['title', 'value', 'currency', 'expectedCloseDate', 'colour']));
    expect(error!.violations).toContainEqual({
      field: 'colour',
      reason: 'property colour should not exist',
    });
  });

  it('bounds every money amount to what the read models can store', async () => {
    const deal = await validate(OpenDealDto, { title: 'x', value: 1e18 });
    const cents = await validate(OpenDealDto, { title: 'x', value: 1.005 });
    const won = await validate(MarkDealWonDto, { value: 1e13 });
    const price = await validate(AddProductDto, { name: 'GTX', listPrice: 1e15 });
    const revenue = await validate(RegisterCompanyDto, { name: 'Acme', revenue: 2e12 });
    const largest = await validate(OpenDealDto, { title: 'x', value: 1e12 });

    const max = 'must not be greater than 1000000000000';
    expect(deal.error!.violations).toEqual([{ field: 'value', reason: `value ${max}` }]);
    expect(cents.error!.violations.map((v) => v.field)).toEqual(['value']);
    expect(won.error!.violations).toEqual([{ field: 'value', reason: `value ${max}` }]);
    expect(price.error!.violations).toEqual([{ field: 'listPrice', reason: `listPrice ${max}` }]);
    expect(revenue.error!.violations).toEqual([{ field: 'revenue', reason: `revenue ${max}` }]);
    expect(largest.error).toBeUndefined();
  });

  it('refuses a NUL character in any string, nested ones and path ids included', async () => {
    const sut = createValidationPipe();
    const body = { name: 'Sales', stages: [{ name: 'Le\u0000ad', kind: 'open' }] };

    const nested = await validate(DefinePipelineDto, body);
    const id = await sut.transform('\u0000', { type: 'param', data: 'id' }).catch((e) => e);
    const query = await sut
      .transform({ search: 'a\u0000' }, { type: 'query', metatype: DealListQueryDto })
      .catch((e) => e);

    expect(nested.error!.violations).toEqual([
      { field: 'stages.0.name', reason: 'must not contain NUL characters' },
    ]);
    expect(id).toMatchObject({ violations: [{ field: 'id' }], category: 'validation' });
    expect(query).toMatchObject({ violations: [{ field: 'search' }], category: 'validation' });
  });

  it('refuses half of a surrogate pair and nesting no DTO has (both were a 500)', async () => {
    const lone = JSON.parse('{"name":"S","stages":[{"name":"L\\ud83d","kind":"open"}]}');
    let deep: unknown = [];
    for (let i = 0; i < 5000; i += 1) deep = [deep];

    const surrogate = await validate(DefinePipelineDto, lone);
    const nested = await validate(DefinePipelineDto, { name: 'S', stages: deep });
    const emoji = await validate(DefinePipelineDto, {
      name: 'S \u{1F600}',
      stages: [
        { name: 'Lead \u{1F600}', kind: 'open' },
        { name: 'Won', kind: 'won' },
        { name: 'Lost', kind: 'lost' },
      ],
    });

    expect(surrogate.error!.violations).toEqual([
      { field: 'stages.0.name', reason: 'must not contain half of a surrogate pair' },
    ]);
    expect(nested.error!.violations).toEqual([
      { field: expect.stringMatching(/^stages(\.0)+$/), reason: 'is nested too deeply' },
    ]);
    expect(emoji.error).toBeUndefined();
  });

  it('refuses prototype keys, nested ones included, like unknown fields', async () => {
    const body = JSON.parse('{"name":"S","stages":[{"name":"L","kind":"open","__proto__":{}}]}');

    const { error } = await validate(DefinePipelineDto, body);

    expect(error!.violations).toEqual([
      { field: 'stages.0.__proto__', reason: 'property __proto__ should not exist' },
    ]);
  });

  it('names nested fields by their path', async () => {
    const { error } = await validate(DefinePipelineDto, {
      name: 'Sales',
      stages: [
        { name: 'Lead', kind: 'open' },
        { name: 'Won', kind: 'victory' },
        { name: '', kind: 'lost' },
      ],
    });

    expect(error!.violations.map((v) => v.field)).toEqual(['stages.1.kind', 'stages.2.name']);
  });

  it('accepts a valid body and keeps nulls that clear fields', async () => {
    const { value, error } = await validate(RegisterCompanyDto, {
      name: 'Acme',
      sector: null,
      revenue: 1200.5,
      yearEstablished: 1999,
    });

    expect(error).toBeUndefined();
    expect(value).toMatchObject({ name: 'Acme', sector: null, revenue: 1200.5 });
  });

  it('requires the company of a link, where null unlinks', async () => {
    expect((await validate(LinkPersonToCompanyDto, { companyId: null })).error).toBeUndefined();
    expect((await validate(LinkPersonToCompanyDto, {})).error?.violations[0].field).toBe(
      'companyId',
    );
  });

  it('converts and bounds paging parameters of a query', async () => {
    const sut = createValidationPipe();
    const parsed = await sut.transform(
      { page: '2', limit: '500', status: 'won' },
      { type: 'query', metatype: DealListQueryDto },
    );
    expect(parsed).toMatchObject({ page: 2, limit: 500, status: 'won' });

    const { error } = await validate(DealListQueryDto, { limit: '501', page: '0' });
    expect(error!.violations.map((v) => v.field).sort()).toEqual(['limit', 'page']);
  });

  it('refuses a page past the last one an offset can address', async () => {
    const huge = await validate(DealListQueryDto, { page: '99999999999999999999' });
    const last = await validate(DealListQueryDto, { page: '1000000' });

    expect(huge.error!.violations).toEqual([
      { field: 'page', reason: 'page must not be greater than 1000000' },
    ]);
    expect(last.error).toBeUndefined();
  });
});
