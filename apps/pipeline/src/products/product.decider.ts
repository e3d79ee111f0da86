import {
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  PipelineEventDataMap,
  ProductEvent,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider, moneyViolations } from '@relate/service-kit';

import { assertNoViolations, pipelineAlreadyExists } from '../pipeline.errors';

export type ProductCommand = {
  type: 'AddProduct';
  productId: string;
  name: string;
  series: string | null;
  listPrice: number | null;
};

export interface ProductState {
  added: boolean;
}

function decide(command: ProductCommand, state: ProductState) {
  if (state.added) {
    throw pipelineAlreadyExists('Product', command.productId);
  }
  const violations: FieldViolation[] = [];
  if (command.name.trim() === '') {
    violations.push({ field: 'name', reason: 'must not be empty' });
  }
  violations.push(...moneyViolations('listPrice', command.listPrice));
  assertNoViolations(violations);
  const added: NewEventOf<PipelineEventDataMap, 'ProductAdded'> = {
    type: 'ProductAdded',
    schemaVersion: INITIAL_SCHEMA_VERSION,
    data: {
      productId: command.productId,
      name: command.name.trim(),
      series: command.series,
      listPrice: command.listPrice,
    },
  };

  return [added];
}

function evolve(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductAdded':
      return { ...state, added: true };
    default:
      return assertUnreachable(event.type);
  }
}

export const productDecider: Decider<ProductCommand, ProductState, ProductEvent> = {
  initialState: { added: false },
  decide,
  evolve,
};
